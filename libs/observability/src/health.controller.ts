import { Controller, Get, HttpCode, HttpException, HttpStatus } from '@nestjs/common';
import { ReadinessRegistry } from './readiness';

@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Every dependency answers and the consumer has joined its group: safe to send traffic. */
  @Get('ready')
  async ready(): Promise<{ status: string; checks: Record<string, boolean> }> {
    const result = await this.readiness.evaluate();
    if (!result.ready) throw new HttpException({ status: 'not_ready', checks: result.checks }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ready', checks: result.checks };
  }
}
