import { DynamicModule, Module, Provider } from '@nestjs/common';
import { ClassifierServiceConfig } from '@conmutador/config';
import { ObservabilityModule } from '@conmutador/observability';
import { ClassificationProcessor } from './classification.processor';
import { ClassifierPipelineService } from './classifier-pipeline.service';
import { classifierProvider } from './classifier.provider';
import { CLASSIFIER_CONFIG } from './classifier.tokens';
import { MappingsReloader } from './mappings-reloader';

/** The classification stage without a consumer of its own: this service's, and the one-process engine's. */
export function classificationStageProviders(config: ClassifierServiceConfig): Provider[] {
  return [{ provide: CLASSIFIER_CONFIG, useValue: config }, classifierProvider, MappingsReloader, ClassificationProcessor];
}

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
