import { FactoryProvider } from '@nestjs/common';
import { ClassifierMappings, InteractionClassifier, MappingClassifier } from '@conmutador/classification';
import { ClassifierServiceConfig } from '@conmutador/config';
import { CLASSIFIER_CONFIG, INTERACTION_CLASSIFIER } from './classifier.tokens';
import { readMappingsFile } from './mappings-file';

export interface ReloadableClassifier extends InteractionClassifier {
  replaceMappings(mappings: ClassifierMappings): void;
}

/** Built once at boot: a bad mappings file stops the start, naming the problem. */
export const classifierProvider: FactoryProvider<Promise<ReloadableClassifier>> = {
  provide: INTERACTION_CLASSIFIER,
  inject: [CLASSIFIER_CONFIG],
  useFactory: async (config: ClassifierServiceConfig) => new MappingClassifier(readMappingsFile(config.classifier.mappingsFile)),
};
