/**
 * The replay classifier's thread. Reading the build's model file is quick, but training (when the
 * file is missing or stale, or with taxonomy extensions) takes seconds of CPU, and classifying a
 * replay window can too; both happen here so that the API's event loop keeps answering meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigurableClassifier, EMPTY_MAPPINGS, loadClassifier, loadTaxonomyExtension } from '@conmutador/classification';
import { ClassifyRequest, ReplayClassification, ReplayClassifierWorkerData, WorkerMessage } from './replay-classifier.protocol';

const port = parentPort;
if (!port) throw new Error('replay-classifier.worker must run as a worker thread');
const send = (message: WorkerMessage) => port.postMessage(message);

async function train({ minConfidence, extensionsFiles, modelFile }: ReplayClassifierWorkerData): Promise<ConfigurableClassifier> {
  const started = Date.now();
  // Mappings come with every request; the model does not depend on them.
  const { classifier, modelSource, reason } = await loadClassifier({
    mappings: EMPTY_MAPPINGS,
    minConfidence,
    extensions: extensionsFiles.map((path) => loadTaxonomyExtension(path)),
    modelFile,
  });
  send({ type: 'trained', trainingMs: Date.now() - started, modelSource, ...(reason ? { reason } : {}) });
  return classifier;
}

function classify(classifier: ConfigurableClassifier, { requestId, mappings, inputs }: ClassifyRequest): void {
  try {
    classifier.replaceMappings(mappings);
    const classifications = inputs.map((input): ReplayClassification => {
      const { sector, intent, emergency, possibleEmergency, confidence } = classifier.classify(input);
      return { sector, intent, emergency, ...(possibleEmergency ? { possibleEmergency } : {}), confidence };
    });
    send({ type: 'classified', requestId, classifications });
  } catch (error) {
    send({ type: 'classify-failed', requestId, message: (error as Error).message });
  }
}

train(workerData as ReplayClassifierWorkerData).then(
  (classifier) => port.on('message', (request: ClassifyRequest) => classify(classifier, request)),
  (error: unknown) => send({ type: 'training-failed', message: error instanceof Error ? error.message : String(error) }),
);
