import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { HttpStatus, Inject, Injectable, OnApplicationShutdown, OnModuleInit, ServiceUnavailableException } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ClassificationInput, ClassifierMappings, readMappingsFile } from '@conmutador/classification';
import { OpsApiServiceConfig } from '@conmutador/config';
import { ReadinessRegistry } from '@conmutador/observability';
import { RetryLaterException } from '../http/retry-later.exception';
import { OPS_API_CONFIG } from '../ops-api.tokens';
import { ReplayClassification, ReplayClassifierWorkerData, WorkerMessage } from './replay-classifier.protocol';

export type ReplayClassifierState = 'training' | 'ready' | 'failed';

/** Training takes seconds (about ten on a two-core host): a client told to come back then usually finds it ready. */
const RETRY_AFTER_SECONDS = 10;

/** Inputs per message to the worker: each copy between threads stays short, so the event loop keeps turning during a long replay. */
const CLASSIFY_CHUNK = 2_000;

interface PendingRequest {
  resolve: (classifications: ReplayClassification[]) => void;
  reject: (error: Error) => void;
}

/**
 * The classifier replays use, configured like the classifier service, trained in a worker thread
 * started at boot: the API answers (and ops publish rules) while it trains, and only replays wait
 * for it. Replayed arrivals are classified in that thread too, since a large window is seconds of
 * CPU as well. The mappings file is read again for every replay, as the service re-reads it.
 *
 * A training that fails is retried when the next replay asks (after an extension file is fixed,
 * say), rather than leaving replays broken until a restart.
 */
@Injectable()
export class ReplayClassifier implements OnModuleInit, OnApplicationShutdown {
  private worker?: Worker;
  private state: ReplayClassifierState = 'training';
  private trainingStartedAt = 0;
  private failure = '';
  private nextRequestId = 1;
  private readonly pending = new Map<number, PendingRequest>();

  constructor(
    @Inject(OPS_API_CONFIG) private readonly config: OpsApiServiceConfig,
    @InjectPinoLogger(ReplayClassifier.name) private readonly logger: PinoLogger,
    readiness: ReadinessRegistry,
  ) {
    readiness.describe('dryRun', () => this.state);
  }

  onModuleInit(): void {
    this.startTraining();
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  /** Throws the 503 (with Retry-After) a replay gets while the classifier is not trained. */
  assertAvailable(): void {
    if (this.state === 'ready') return;
    if (this.state === 'training') {
      const seconds = Math.round((Date.now() - this.trainingStartedAt) / 1000);
      throw new RetryLaterException(
        HttpStatus.SERVICE_UNAVAILABLE,
        `dry-run replays are not available yet: the replay classifier has been training for ${seconds} s; retry in ${RETRY_AFTER_SECONDS} s ` +
          '(dry runs of given interactions need no classifier and work now)',
        RETRY_AFTER_SECONDS,
      );
    }
    const failure = this.failure;
    this.startTraining();
    throw new RetryLaterException(
      HttpStatus.SERVICE_UNAVAILABLE,
      `dry-run replays are not available: the replay classifier could not be trained (${failure}); training again, retry in ${RETRY_AFTER_SECONDS} s`,
      RETRY_AFTER_SECONDS,
    );
  }

  /** The mappings file as it is now; a file that cannot be used is a 503 naming it. */
  currentMappings(): ClassifierMappings {
    try {
      return readMappingsFile(this.config.dryRun.classifier.mappingsFile, 'CLASSIFIER_MAPPINGS_FILE');
    } catch (error) {
      throw new ServiceUnavailableException((error as Error).message);
    }
  }

  /** Classifies in the worker, in order; one result per input. */
  async classify(inputs: readonly ClassificationInput[], mappings: ClassifierMappings): Promise<ReplayClassification[]> {
    const classifications: ReplayClassification[] = [];
    for (let start = 0; start < inputs.length; start += CLASSIFY_CHUNK) {
      classifications.push(...(await this.request(inputs.slice(start, start + CLASSIFY_CHUNK), mappings)));
    }
    return classifications;
  }

  private request(inputs: ClassificationInput[], mappings: ClassifierMappings): Promise<ReplayClassification[]> {
    this.assertAvailable();
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.worker!.postMessage({ requestId, mappings, inputs });
    });
  }

  private startTraining(): void {
    const workerData: ReplayClassifierWorkerData = {
      minConfidence: this.config.dryRun.classifier.minConfidence,
      extensionsFiles: this.config.dryRun.classifier.extensionsFiles,
      modelFile: this.config.dryRun.classifier.modelFile,
    };
    this.state = 'training';
    this.trainingStartedAt = Date.now();
    const worker = new Worker(join(__dirname, 'replay-classifier.worker.js'), { workerData });
    this.worker = worker;
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', (error) => this.fail(worker, error.message));
    worker.on('exit', (code) => this.fail(worker, `the classifier thread exited (code ${code})`));
  }

  private onMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'trained':
        this.state = 'ready';
        if (message.modelSource === 'file') this.logger.info({ modelMs: message.trainingMs }, 'replay classifier read from the model file');
        else this.logger.warn({ trainingMs: message.trainingMs, reason: message.reason }, 'replay classifier trained at start');
        return;
      case 'training-failed':
        this.fail(this.worker, message.message);
        return;
      case 'classified':
        this.pending.get(message.requestId)?.resolve(message.classifications);
        this.pending.delete(message.requestId);
        return;
      case 'classify-failed':
        this.pending.get(message.requestId)?.reject(new ServiceUnavailableException(`the replay classifier failed: ${message.message}`));
        this.pending.delete(message.requestId);
        return;
    }
  }

  /** The worker is gone or useless: replays are refused (and training retried) until a new one has trained. */
  private fail(worker: Worker | undefined, reason: string): void {
    // Events of a worker already replaced (or terminated at shutdown) change nothing.
    if (worker === undefined || worker !== this.worker) return;
    this.worker = undefined;
    void worker.terminate();
    this.state = 'failed';
    this.failure = reason;
    this.logger.error({ reason }, 'the replay classifier is not available');
    for (const { reject } of this.pending.values()) reject(new ServiceUnavailableException(`the replay classifier stopped: ${reason}`));
    this.pending.clear();
  }
}
