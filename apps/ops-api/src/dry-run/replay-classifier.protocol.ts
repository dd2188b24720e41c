import { Classification, ClassificationInput, ClassifierMappings } from '@conmutador/classification';

/** What the worker is started with: the classifier service's settings, minus the mappings (sent with each request). */
export interface ReplayClassifierWorkerData {
  minConfidence: number;
  extensionsFiles: string[];
  /** The build's model file (CLASSIFIER_MODEL_FILE): read in well under a second, else trained. */
  modelFile: string;
}

/** Only what routing reads: the evidence stays in the worker rather than being copied back. */
export type ReplayClassification = Pick<Classification, 'sector' | 'intent' | 'emergency' | 'possibleEmergency' | 'confidence'>;

export interface ClassifyRequest {
  requestId: number;
  /** The mappings as the file says now: re-read for every replay, as the classifier service re-reads them. */
  mappings: ClassifierMappings;
  inputs: ClassificationInput[];
}

export type WorkerMessage =
  | { type: 'trained'; trainingMs: number; modelSource: 'file' | 'training'; reason?: string }
  | { type: 'training-failed'; message: string }
  | { type: 'classified'; requestId: number; classifications: ReplayClassification[] }
  | { type: 'classify-failed'; requestId: number; message: string };
