import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HealthController } from './health.controller';
import { ReadinessRegistry } from './readiness';
import { REDACTED_PATHS, REDACTION_CENSOR } from './redaction';

export interface ObservabilityOptions {
  service: string;
  logLevel: string;
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
        }),
      ],
      controllers: [HealthController],
      providers: [ReadinessRegistry],
      exports: [ReadinessRegistry],
    };
  }
}
