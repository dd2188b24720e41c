import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EngineServiceConfig } from '@conmutador/config';
import { engineTopics } from '@conmutador/kafka';
import { ObservabilityModule } from '@conmutador/observability';
import { classificationStageProviders } from '@conmutador/classification-stage';
import { ROUTING_SOURCE, RouterPipelineService, RouterStatusController, RoutingSource, routingStageProviders } from '@conmutador/routing-stage';
import { ClassifyAndRouteProcessor } from './classify-and-route.processor';

/**
 * Both stages of the two services, one consumer: the classifier's and the router's providers as
 * they are, and the router's consumer reading `interactions.inbound` through both stages.
 */
@Module({})
export class EngineModule {
  static forConfig(config: EngineServiceConfig): DynamicModule {
    return {
      module: EngineModule,
      controllers: [RouterStatusController],
      imports: [DiscoveryModule, ObservabilityModule.forService({ service: config.service, logLevel: config.logLevel, requestContext: false })],
      providers: [
        ...classificationStageProviders(config),
        ...routingStageProviders(config),
        ClassifyAndRouteProcessor,
        {
          provide: ROUTING_SOURCE,
          inject: [ClassifyAndRouteProcessor],
          useFactory: (processor: ClassifyAndRouteProcessor): RoutingSource => ({ topic: engineTopics(config.kafka).inbound, processor }),
        },
        RouterPipelineService,
      ],
    };
  }
}
