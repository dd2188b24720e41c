import { Provider } from '@nestjs/common';
import { ClassifierServiceConfig } from '@conmutador/config';
import { ClassificationProcessor } from './classification.processor';
import { classifierProvider } from './classifier.provider';
import { CLASSIFIER_CONFIG } from './classifier.tokens';
import { MappingsReloader } from './mappings-reloader';

/** The classification stage without a consumer of its own: the classifier service's, and the one-process engine's. */
export function classificationStageProviders(config: ClassifierServiceConfig): Provider[] {
  return [{ provide: CLASSIFIER_CONFIG, useValue: config }, classifierProvider, MappingsReloader, ClassificationProcessor];
}
