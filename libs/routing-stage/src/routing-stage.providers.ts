import { Provider } from '@nestjs/common';
import { RouterServiceConfig } from '@conmutador/config';
import { EscalationWorker } from './escalation.worker';
import { ArrivalHandler } from './handlers/arrival.handler';
import { CompletionHandler } from './handlers/completion.handler';
import { HandlerRegistry } from './handlers/handler-registry';
import { TransferHandler } from './handlers/transfer.handler';
import { knownSectorsProvider } from './known-sectors.provider';
import { queueStoreProvider, redisClientProvider } from './redis.providers';
import { ROUTER_CONFIG } from './router.tokens';
import { RoutingPolicyHolder } from './routing-policy.holder';
import { RoutingProcessor } from './routing.processor';
import { RulesetSyncService } from './ruleset-sync.service';

/**
 * The routing stage without a consumer of its own (rulesets, queues, handlers, escalations): the
 * router service's, and the one-process engine's. Its handlers are discovered, so the module using
 * it imports DiscoveryModule. Its consumer is RouterPipelineService, which reads what the module
 * provides under ROUTING_SOURCE.
 */
export function routingStageProviders(config: RouterServiceConfig): Provider[] {
  return [
    { provide: ROUTER_CONFIG, useValue: config },
    RoutingPolicyHolder,
    knownSectorsProvider,
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
