import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { RouterServiceConfig } from '@conmutador/config';
import { engineTopics } from '@conmutador/kafka';
import { ObservabilityModule } from '@conmutador/observability';
import {
  ROUTING_SOURCE,
  RouterPipelineService,
  RouterStatusController,
  RoutingProcessor,
  RoutingSource,
  routingStageProviders,
} from '@conmutador/routing-stage';

/** The routing stage with its own consumer, of the internal topic the classifier service writes. */
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
