import { CommonConfig, readCommonConfig } from './common.config';
import { EnvReader } from './env-reader';

/** How a classifier is built: shared by the classifier service, the ops API's replays and the CLIs. */
export interface ClassifierSettings {
  /** Ops-edited JSON of entry-point and IVR-path mappings; re-read when it changes. */
  mappingsFile: string;
  /** A text classification below this confidence falls back to `unclassified` (general triage). */
  minConfidence: number;
  /** JSON files adding sectors, intents and training examples (CLASSIFIER_EXTENSIONS_FILE, comma-separated). */
  extensionsFiles: string[];
  /**
   * The text model trained at build time (CLASSIFIER_MODEL_FILE): read at start instead of
   * training, when it records the training corpus shipped beside it; else, and whenever
   * extensions are configured, the model is trained at start.
   */
  modelFile: string;
}

export interface ClassifierServiceConfig extends CommonConfig {
  classifier: ClassifierSettings & {
    mappingsPollMs: number;
    maxRecordBytes: number;
  };
}

export function readClassifierSettings(reader: EnvReader): ClassifierSettings {
  return {
    mappingsFile: reader.string('CLASSIFIER_MAPPINGS_FILE', 'deploy/config/classifier-mappings.json'),
    minConfidence: reader.number('CLASSIFIER_MIN_CONFIDENCE', 0.2, { min: 0, max: 1 }),
    extensionsFiles: reader.list('CLASSIFIER_EXTENSIONS_FILE'),
    modelFile: reader.string('CLASSIFIER_MODEL_FILE', 'dist/model/text-model.bin'),
  };
}

/** For the classification CLIs: the classifier settings alone. */
export function loadClassifierSettings(env: Readonly<Record<string, string | undefined>>): ClassifierSettings {
  const reader = new EnvReader(env);
  const settings = readClassifierSettings(reader);
  reader.assertValid();
  return settings;
}

/** The classifier's own section: the classifier service's and the one-process engine's. */
export function readClassifierServiceSection(reader: EnvReader): ClassifierServiceConfig['classifier'] {
  return {
    ...readClassifierSettings(reader),
    mappingsPollMs: reader.integer('CLASSIFIER_MAPPINGS_POLL_MS', 1_000, { min: 100, max: 60_000 }),
    maxRecordBytes: reader.integer('INBOUND_MAX_RECORD_BYTES', 64 * 1024, { min: 1_024, max: 1_048_576 }),
  };
}

export function loadClassifierConfig(env: Readonly<Record<string, string | undefined>>): ClassifierServiceConfig {
  const reader = new EnvReader(env);
  const config: ClassifierServiceConfig = {
    ...readCommonConfig(reader, 'classifier', 8081),
    classifier: readClassifierServiceSection(reader),
  };
  reader.assertValid();
  return config;
}
