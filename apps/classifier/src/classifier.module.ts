import { DynamicModule, Module } from '@nestjs/common';
import { ClassifierServiceConfig } from '@conmutador/config';
import { ObservabilityModule } from '@conmutador/observability';
import { ClassificationProcessor } from './classification.processor';
import { ClassifierPipelineService } from './classifier-pipeline.service';
import { classifierProvider } from './classifier.provider';
import { CLASSIFIER_CONFIG } from './classifier.tokens';
import { MappingsReloader } from './mappings-reloader';

@Module({})
export class ClassifierModule {
  static forConfig(config: ClassifierServiceConfig): DynamicModule {
    return {
      module: ClassifierModule,
      imports: [ObservabilityModule.forService({ service: config.service, logLevel: config.logLevel })],
      providers: [
        { provide: CLASSIFIER_CONFIG, useValue: config },
        classifierProvider,
        MappingsReloader,
        ClassificationProcessor,
        ClassifierPipelineService,
      ],
    };
  }
}
