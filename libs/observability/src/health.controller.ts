import { Controller, Get, HttpCode, HttpException, HttpStatus } from '@nestjs/common';
import { ReadinessRegistry } from './readiness';

interface ReadinessAnswer {
  status: string;
  checks: Record<string, boolean>;
  details?: Record<string, string>;
}

@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Every dependency answers and the consumer has joined its group: safe to send traffic.
   * `details` (only when a component describes one) says how optional capabilities stand.
   */
  @Get('ready')
  async ready(): Promise<ReadinessAnswer> {
    const { ready, checks, details } = await this.readiness.evaluate();
    const answer = { checks, ...(Object.keys(details).length > 0 ? { details } : {}) };
    if (!ready) throw new HttpException({ status: 'not_ready', ...answer }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ready', ...answer };
  }
}
