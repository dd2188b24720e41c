import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { OpsApiServiceConfig } from '@conmutador/config';
import { ObservabilityModule } from '@conmutador/observability';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeyRing } from './auth/api-key-ring';
import { FailedAuthenticationThrottle } from './auth/failed-authentication-throttle';
import { DryRunController } from './dry-run/dry-run.controller';
import { DryRunService } from './dry-run/dry-run.service';
import { RetryLaterFilter } from './http/retry-later.exception';
import { InboundReplay } from './dry-run/inbound-replay';
import { ReplayClassifier } from './dry-run/replay-classifier';
import { OPS_API_CONFIG } from './ops-api.tokens';
import { QueueViewsService } from './queues/queue-views.service';
import { QueuesController } from './queues/queues.controller';
import { queueStoreProvider, RedisConnection, redisClientProvider, rulesetStoreProvider } from './redis.providers';
import { AuditController } from './rulesets/audit.controller';
import { RulesetErrorsFilter } from './rulesets/ruleset-errors.filter';
import { RulesetsController } from './rulesets/rulesets.controller';
import { RulesetsService } from './rulesets/rulesets.service';

@Module({})
export class OpsApiModule {
  static forConfig(config: OpsApiServiceConfig): DynamicModule {
    return {
      module: OpsApiModule,
      imports: [
        ObservabilityModule.forService({ service: config.service, logLevel: config.logLevel, requestContext: true }),
        // Only its storage is used: FailedAuthenticationThrottle counts failed authentications in it,
        // with the limits of config.auth.failedAttempts; no route is throttled, so no guard is installed.
        ThrottlerModule.forRoot([]),
      ],
      controllers: [RulesetsController, DryRunController, AuditController, QueuesController],
      providers: [
        { provide: OPS_API_CONFIG, useValue: config },
        // Unknown fields are refused rather than ignored: a typo in a request should not pass silently.
        { provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }) },
        { provide: APP_FILTER, useClass: RulesetErrorsFilter },
        { provide: APP_FILTER, useClass: RetryLaterFilter },
        redisClientProvider,
        rulesetStoreProvider,
        queueStoreProvider,
        RedisConnection,
        ApiKeyRing,
        FailedAuthenticationThrottle,
        ApiKeyGuard,
        RulesetsService,
        QueueViewsService,
        ReplayClassifier,
        InboundReplay,
        DryRunService,
      ],
    };
  }
}
