import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { loggerOptions } from './logger-options';
import { ReadinessRegistry } from './readiness';

export interface ObservabilityOptions {
  service: string;
  logLevel: string;
  /**
   * Whether HTTP requests get their own logger context (nestjs-pino's middleware, on Node's
   * AsyncLocalStorage): for services whose HTTP API serves people. The pipeline services answer
   * only probes and status reads, and leave it out. Once one request has entered such a context,
   * Node 20 runs a hook on every promise the process creates, for the rest of its life: at 2,000
   * interactions/s that was a tenth of what the engine allocated (bench/README.md, change 11).
   */
  requestContext: boolean;
}

/** JSON logs with personal data redacted and masked (loggerOptions), plus liveness and readiness endpoints. */
@Module({})
export class ObservabilityModule {
  static forService(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            ...loggerOptions({ service: options.service, logLevel: options.logLevel }),
            // Health probes hit every few seconds; logging each would drown the useful lines.
            autoLogging: false,
            quietReqLogger: true,
          },
          // No routes: the middleware is never mounted, so no request context is ever entered.
          ...(options.requestContext ? {} : { forRoutes: [] }),
        }),
      ],
      controllers: [HealthController],
      providers: [ReadinessRegistry],
      exports: [ReadinessRegistry],
    };
  }
}
