import { DynamicModule, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { RouterServiceConfig } from '@conmutador/config';
import { engineTopics } from '@conmutador/kafka';
import { ObservabilityModule } from '@conmutador/observability';
import { ArrivalHandler } from './handlers/arrival.handler';
import { CompletionHandler } from './handlers/completion.handler';
import { HandlerRegistry } from './handlers/handler-registry';
import { TransferHandler } from './handlers/transfer.handler';
import { queueStoreProvider, redisClientProvider } from './redis.providers';
import { RouterPipelineService } from './router-pipeline.service';
import { ROUTER_CONFIG, ROUTING_SOURCE, RoutingSource } from './router.tokens';
import { EscalationWorker } from './escalation.worker';
import { RoutingPolicyHolder } from './routing-policy.holder';
import { RouterStatusController } from './router-status.controller';
import { RulesetSyncService } from './ruleset-sync.service';
import { RoutingProcessor } from './routing.processor';

/**
 * The routing stage without a consumer of its own (rulesets, queues, handlers, escalations):
 * this service's, and the one-process engine's. Its handlers are discovered, so the module using
 * it imports DiscoveryModule.
 */
export function routingStageProviders(config: RouterServiceConfig): Provider[] {
  return [
    { provide: ROUTER_CONFIG, useValue: config },
    RoutingPolicyHolder,
    RulesetSyncService,
    redisClientProvider,
    queueStoreProvider,
    ArrivalHandler,
    CompletionHandler,
    TransferHandler,
    HandlerRegistry,
    RoutingProcessor,
    EscalationWorker,
  ];
}

@Module({})
export class RouterModule {
  static forConfig(config: RouterServiceConfig): DynamicModule {
    return {
      module: RouterModule,
      controllers: [RouterStatusController],
      imports: [DiscoveryModule, ObservabilityModule.forService({ service: config.service, logLevel: config.logLevel, requestContext: false })],
      providers: [
        ...routingStageProviders(config),
        {
          provide: ROUTING_SOURCE,
          inject: [RoutingProcessor],
          useFactory: (processor: RoutingProcessor): RoutingSource => ({ topic: engineTopics(config.kafka).classified, processor }),
        },
        RouterPipelineService,
      ],
    };
  }
}
