/**
 * Classifier settings of the ops CLIs: the same keys and defaults as the classifier service
 * (libs/config), so `classify` and `eval:classifier` answer as the service would.
 */
import { ClassifierOptions, loadTaxonomyExtension, readMappingsFile } from '@conmutador/classification';
import { loadClassifierSettings } from '@conmutador/config';

export function classifierOptionsFromEnvironment(environment: Readonly<Record<string, string | undefined>>): ClassifierOptions {
  const settings = loadClassifierSettings(environment);
  return {
    minConfidence: settings.minConfidence,
    extensions: settings.extensionsFiles.map((path) => loadTaxonomyExtension(path)),
    mappings: readMappingsFile(settings.mappingsFile, 'CLASSIFIER_MAPPINGS_FILE'),
  };
}
