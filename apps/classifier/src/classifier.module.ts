import { DynamicModule, Module } from '@nestjs/common';
import { ClassifierServiceConfig } from '@conmutador/config';
import { classificationStageProviders, ClassifierPipelineService } from '@conmutador/classification-stage';
import { ObservabilityModule } from '@conmutador/observability';

/** The classification stage with its own consumer of `interactions.inbound`. */
@Module({})
export class ClassifierModule {
  static forConfig(config: ClassifierServiceConfig): DynamicModule {
    return {
      module: ClassifierModule,
      imports: [ObservabilityModule.forService({ service: config.service, logLevel: config.logLevel, requestContext: false })],
      providers: [...classificationStageProviders(config), ClassifierPipelineService],
    };
  }
}
