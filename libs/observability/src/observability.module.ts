import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { ReadinessRegistry } from './readiness';
import { REDACTED_PATHS, REDACTION_CENSOR } from './redaction';

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

/** JSON logs with personal data redacted, plus liveness and readiness endpoints. */
@Module({})
export class ObservabilityModule {
  static forService(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.logLevel,
            base: { service: options.service },
            redact: { paths: REDACTED_PATHS, censor: REDACTION_CENSOR },
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
