import { FactoryProvider } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ClassifierMappings, InteractionClassifier, loadClassifier, loadTaxonomyExtension } from '@conmutador/classification';
import { ClassifierServiceConfig } from '@conmutador/config';
import { CLASSIFIER_CONFIG, INTERACTION_CLASSIFIER } from './classifier.tokens';
import { readMappingsFile } from './mappings-file';

export interface ReloadableClassifier extends InteractionClassifier {
  replaceMappings(mappings: ClassifierMappings): void;
}

/**
 * Built once at boot: the text model is read from the model file the build trained (well under a
 * second), or trained at start (seconds, deterministically) when the file does not match the
 * corpus or extensions are configured. A bad mappings or extension file stops the start, naming
 * the problem; an unusable model file only costs the training, with a warning saying why.
 */
export const classifierProvider: FactoryProvider<Promise<ReloadableClassifier>> = {
  provide: INTERACTION_CLASSIFIER,
  inject: [CLASSIFIER_CONFIG, PinoLogger],
  useFactory: async ({ classifier }: ClassifierServiceConfig, logger: PinoLogger) => {
    logger.setContext('ClassifierProvider');
    const loaded = await loadClassifier({
      mappings: readMappingsFile(classifier.mappingsFile),
      minConfidence: classifier.minConfidence,
      extensions: classifier.extensionsFiles.map((file) => loadTaxonomyExtension(file)),
      modelFile: classifier.modelFile,
    });
    const fields = { modelSource: loaded.modelSource, modelFile: classifier.modelFile, milliseconds: Math.round(loaded.milliseconds) };
    if (loaded.fileRejected) {
      logger.warn({ ...fields, reason: loaded.reason }, 'classifier model file not used: text model trained at start instead');
    } else if (loaded.modelSource === 'file') {
      logger.info(fields, 'classifier text model loaded from the model file');
    } else {
      logger.info({ ...fields, reason: loaded.reason }, 'classifier text model trained at start');
    }
    return loaded.classifier;
  },
};
