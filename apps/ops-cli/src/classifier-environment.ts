/**
 * Classifier settings of the ops CLIs: the same keys and defaults as the classifier service
 * (libs/config), so `classify` and `eval:classifier` answer as the service would.
 */
import { LoadClassifierOptions, LoadedClassifier, loadTaxonomyExtension, readMappingsFile } from '@conmutador/classification';
import { loadClassifierSettings } from '@conmutador/config';

export function classifierOptionsFromEnvironment(environment: Readonly<Record<string, string | undefined>>): LoadClassifierOptions {
  const settings = loadClassifierSettings(environment);
  return {
    minConfidence: settings.minConfidence,
    extensions: settings.extensionsFiles.map((path) => loadTaxonomyExtension(path)),
    mappings: readMappingsFile(settings.mappingsFile, 'CLASSIFIER_MAPPINGS_FILE'),
    modelFile: settings.modelFile,
  };
}

/** One line for stderr: where the text model came from, how long it took, and why it was trained when it was. */
export function describeModelSource(loaded: LoadedClassifier): string {
  const milliseconds = Math.round(loaded.milliseconds);
  if (loaded.modelSource === 'file') return `model read from the model file in ${milliseconds} ms`;
  return `${loaded.fileRejected ? 'warning: ' : ''}model trained at start in ${milliseconds} ms (${loaded.reason ?? 'no reason given'})`;
}
