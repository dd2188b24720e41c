import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EngineServiceConfig } from '@conmutador/config';
import { ObservabilityModule } from '@conmutador/observability';
import { classificationStageProviders } from '../../classifier/src/classifier.module';
import { routingStageProviders } from '../../router/src/router.module';
import { RouterStatusController } from '../../router/src/router-status.controller';
import { ClassifyAndRouteProcessor } from './classify-and-route.processor';
import { EnginePipelineService } from './engine-pipeline.service';

/** Both stages of the two services, one consumer: the classifier's and the router's providers as they are. */
@Module({})
export class EngineModule {
  static forConfig(config: EngineServiceConfig): DynamicModule {
    return {
      module: EngineModule,
      controllers: [RouterStatusController],
      imports: [DiscoveryModule, ObservabilityModule.forService({ service: config.service, logLevel: config.logLevel })],
      providers: [...classificationStageProviders(config), ...routingStageProviders(config), ClassifyAndRouteProcessor, EnginePipelineService],
    };
  }
}
