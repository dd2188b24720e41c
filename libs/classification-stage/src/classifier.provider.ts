import { FactoryProvider } from '@nestjs/common';
import { ClassifierMappings, createClassifier, InteractionClassifier, loadTaxonomyExtension } from '@conmutador/classification';
import { ClassifierServiceConfig } from '@conmutador/config';
import { CLASSIFIER_CONFIG, INTERACTION_CLASSIFIER } from './classifier.tokens';
import { readMappingsFile } from './mappings-file';

export interface ReloadableClassifier extends InteractionClassifier {
  replaceMappings(mappings: ClassifierMappings): void;
}

/**
 * Built once at boot (the text model trains in a few seconds, deterministically): a bad mappings
 * or extension file stops the start, naming the problem.
 */
export const classifierProvider: FactoryProvider<Promise<ReloadableClassifier>> = {
  provide: INTERACTION_CLASSIFIER,
  inject: [CLASSIFIER_CONFIG],
  useFactory: async ({ classifier }: ClassifierServiceConfig) =>
    createClassifier({
      mappings: readMappingsFile(classifier.mappingsFile),
      minConfidence: classifier.minConfidence,
      extensions: classifier.extensionsFiles.map((file) => loadTaxonomyExtension(file)),
    }),
};
