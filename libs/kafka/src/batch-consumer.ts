import { setTimeout as delay } from 'node:timers/promises';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer, TopicMessages } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';

/** What the consumer logs through: failures only. */
export type ConsumerLogger = Pick<PinoLogger, 'error' | 'warn'>;

/** One consumed record, as the processors see it: raw bytes, nothing decoded yet. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: KafkaMessage['headers'];
  timestamp: string;
}

/** A record and what a stage made of it, kept together so that a later stage can still dead-letter the original. */
export interface DecodedRecord<T> {
  record: ConsumedRecord;
  message: T;
}

export interface ProcessingResult {
  /** Everything to publish for these records: decisions, the internal hop, dead letters. */
  messages: TopicMessages[];
  /** Runs once Kafka has acknowledged the messages, before the offsets are committed. */
  afterPublish?: () => Promise<void>;
  /**
   * Runs once this chunk's publication has ended, published or given up (shutdown, lost
   * partition): the processor forgets what it held for the chunk while it was in flight.
   */
  release?: () => void;
}

/**
 * Turns a chunk of records into effects and messages. It must not throw because of one record's
 * content (that record goes to the dead-letter topic instead); a throw means infrastructure
 * trouble and the call is retried with the same chunk. A chunk may hold records of several
 * partitions, each partition's records in offset order.
 *
 * The next chunk is processed while the previous one is being published (one chunk ahead, never
 * more), and publications happen in chunk order. A processor with effects must therefore expect
 * to see, in `process`, effects of a chunk whose messages are still in flight.
 */
export interface RecordProcessor {
  process(records: ConsumedRecord[]): Promise<ProcessingResult>;
}

export interface BatchConsumerOptions {
  groupId: string;
  topic: string;
  sessionTimeoutMs: number;
  chunkSize: number;
  /** Partitions whose batches of one fetch are gathered into one round (kafkajs workers). */
  partitionsConsumedConcurrently: number;
  commitIntervalMs: number;
}

const MAX_RETRY_DELAY_MS = 10_000;

/** The batches kafkajs hands over from one fetch, processed together. */
interface FetchRound {
  batches: EachBatchPayload[];
  done: Promise<void>;
}

/**
 * At-least-once consumption: records are processed in chunks (one processor call, one produce
 * call), and a chunk's offsets are resolved only after its effects and messages are durable;
 * only resolved offsets are ever committed. A crash at any point therefore re-delivers, and never
 * skips.
 *
 * kafkajs hands each partition's batch of a fetch to its own `eachBatch` call. Processing them
 * one by one would cost a produce request, a Redis round trip and an offset commit per
 * partition per fetch; at a steady few thousand records a second, spread over a dozen
 * partitions, that is a request per handful of records. So the batches that kafkajs starts
 * together (all of one fetch, up to `partitionsConsumedConcurrently`) join one round and are
 * processed as one stream of chunks. Offsets are committed when `commitIntervalMs` has passed,
 * by the round that sees it or, once traffic stops, by a timer; and at once when the group
 * rebalances or the consumer leaves it, so that the next owner of a partition starts where this
 * member stopped.
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private joined = false;
  private running = false;
  private forming: FetchRound | null = null;
  /** Rounds not yet finished (one per broker's fetcher at most). */
  private readonly active = new Set<Promise<void>>();
  /** A payload of the current generation: its commit functions reach the current offset manager. */
  private committer: EachBatchPayload | null = null;
  private commitTimer: NodeJS.Timeout | null = null;

  constructor(
    kafka: Kafka,
    private readonly producer: Producer,
    private readonly processor: RecordProcessor,
    private readonly options: BatchConsumerOptions,
    private readonly logger: ConsumerLogger,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 10)),
      rebalanceTimeout: Math.max(options.sessionTimeoutMs * 2, 10_000),
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 1_048_576,
      // A shutdown waits for the in-flight long poll; a short one keeps SIGTERM → exit quick.
      maxWaitTimeInMs: 1_000,
    });
    const { GROUP_JOIN, CRASH, STOP, REBALANCING } = this.consumer.events;
    this.consumer.on(GROUP_JOIN, () => {
      this.joined = true;
    });
    this.consumer.on(REBALANCING, () => {
      this.joined = false;
      // Learnt between rounds (an idle consumer's heartbeat): kafkajs emits this just before it
      // rejoins, and the commit request is built now, still in the current generation.
      void this.commitResolved();
    });
    this.consumer.on(STOP, () => {
      this.joined = false;
    });
    this.consumer.on(CRASH, (event) => {
      this.joined = false;
      this.logger.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
      // kafkajs gives up on non-retriable errors; a consumer that will not restart must not leave
      // a live process that looks healthy but consumes nothing.
      if (!event.payload.restart && this.running) process.kill(process.pid, 'SIGTERM');
    });
  }

  isReady(): boolean {
    return this.running && this.joined;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    this.running = true;
    await this.consumer.run({
      // Commits are this class's: kafkajs's auto-commit sends one after every partition's batch.
      // The interval still gates kafkajs's commitOffsetsIfNecessary, which the rounds call.
      autoCommit: false,
      autoCommitInterval: this.options.commitIntervalMs,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.joinRound(payload),
    });
    if (this.options.commitIntervalMs > 0) {
      this.commitTimer = setInterval(() => void this.commitIfDue(), this.options.commitIntervalMs);
      this.commitTimer.unref();
    }
  }

  /** Lets the in-flight chunk finish, commits what is resolved, then leaves the group. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.commitTimer) clearInterval(this.commitTimer);
    await Promise.allSettled([...this.active]);
    await this.commitResolved();
    await this.consumer.disconnect();
  }

  /**
   * kafkajs starts the batches of one fetch synchronously, one per free worker, so everything
   * that joins before the next turn of the event loop belongs to the same fetch.
   */
  private joinRound(payload: EachBatchPayload): Promise<void> {
    if (!this.running) return Promise.resolve();
    let round = this.forming;
    if (!round) {
      const batches: EachBatchPayload[] = [];
      const formed = new Promise<void>((resolve) => setImmediate(resolve));
      const done = formed.then(() => {
        this.forming = null;
        return this.consumeRound(batches);
      });
      round = { batches, done };
      this.forming = round;
      this.active.add(done);
      void done.finally(() => this.active.delete(done)).catch(() => undefined);
    }
    round.batches.push(payload);
    return round.done;
  }

  private async consumeRound(batches: EachBatchPayload[]): Promise<void> {
    this.committer = batches[0];
    const records: ConsumedRecord[] = [];
    const payloadOf = new Map<number, EachBatchPayload>();
    for (const payload of batches) {
      const { batch } = payload;
      payloadOf.set(batch.partition, payload);
      for (const message of batch.messages) {
        records.push({
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers,
          timestamp: message.timestamp,
        });
      }
    }
    const { chunkSize } = this.options;
    const lead = batches[0];
    // The publication in flight: the next chunk is processed meanwhile, published after it.
    let publishing: Promise<boolean> = Promise.resolve(true);
    for (let start = 0; start < records.length; start += chunkSize) {
      if (!this.running || !lead.isRunning()) break;
      const chunk = withoutSeekedPartitions(records.slice(start, start + chunkSize), batches);
      if (chunk.length === 0) continue;
      const result = await this.processWithRetry(chunk, lead);
      if (!result) break;
      if (!(await publishing)) {
        result.release?.();
        break;
      }
      publishing = this.publishWithRetry(chunk, result, lead).then((published) => {
        if (published) for (const [partition, offset] of lastOffsetPerPartition(chunk)) payloadOf.get(partition)?.resolveOffset(offset);
        return published;
      });
      try {
        await lead.heartbeat();
      } catch (error) {
        // A rebalance: the publication in flight ends (and resolves its offsets), and what is done
        // is committed while this member still belongs to the generation that owns the
        // partitions, so their next owner does not process it again. Then kafkajs rejoins.
        await publishing.catch(() => undefined);
        await this.commitResolved();
        throw error;
      }
    }
    await publishing;
    // When stopping, stop() commits once every round has ended.
    if (this.running) await lead.commitOffsetsIfNecessary();
  }

  /** From the timer: commits what the last rounds resolved once traffic has stopped. */
  private async commitIfDue(): Promise<void> {
    const committer = this.committer;
    if (!committer || !this.running) return;
    try {
      await committer.commitOffsetsIfNecessary();
    } catch (error) {
      // A rebalance in progress: the next generation re-delivers from the last commit.
      this.logger.warn({ err: error }, 'offset commit failed; the next round retries');
    }
  }

  /** Commits everything resolved and not yet committed, now (shutdown, rebalance). */
  private async commitResolved(): Promise<void> {
    const committer = this.committer;
    if (!committer) return;
    try {
      const { topics } = committer.uncommittedOffsets();
      if (topics.length > 0) await committer.commitOffsetsIfNecessary({ topics });
    } catch (error) {
      this.logger.warn({ err: error }, 'offset commit failed; records after the last commit will be delivered again');
    }
  }

  /** Retries infrastructure failures in place, keeping the partitions' order and the group membership. */
  private async processWithRetry(chunk: ConsumedRecord[], payload: EachBatchPayload): Promise<ProcessingResult | null> {
    return this.withRetry('processing', chunk, payload, () => this.processor.process(chunk));
  }

  /** Produces the chunk's messages (acks=all), then runs its afterPublish; true once both are done. */
  private async publishWithRetry(chunk: ConsumedRecord[], result: ProcessingResult, payload: EachBatchPayload): Promise<boolean> {
    try {
      const messages = result.messages.filter((topicMessages) => topicMessages.messages.length > 0);
      const published = await this.withRetry('publishing', chunk, payload, async () => {
        if (messages.length > 0) await this.producer.sendBatch({ topicMessages: messages, acks: -1 });
        await result.afterPublish?.();
        return true;
      });
      return published === true;
    } finally {
      result.release?.();
    }
  }

  private async withRetry<T>(step: string, chunk: ConsumedRecord[], payload: EachBatchPayload, attempt: () => Promise<T>): Promise<T | null> {
    for (let attemptNumber = 1; ; attemptNumber++) {
      try {
        return await attempt();
      } catch (error) {
        if (!this.running || !payload.isRunning()) return null;
        const retryInMs = Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** Math.min(attemptNumber, 10));
        this.logger.error(
          {
            err: error,
            topic: chunk[0].topic,
            partitions: [...new Set(chunk.map((record) => record.partition))],
            fromOffset: chunk[0].offset,
            attempt: attemptNumber,
            retryInMs,
          },
          `${step} failed; retrying the chunk`,
        );
        await delay(retryInMs);
        await payload.heartbeat().catch(() => undefined);
      }
    }
  }
}

/** A partition seeked meanwhile is fetched again from its new position; its records are skipped here. */
function withoutSeekedPartitions(chunk: ConsumedRecord[], batches: readonly EachBatchPayload[]): ConsumedRecord[] {
  const seeked = batches.filter((payload) => payload.isStale()).map((payload) => payload.batch.partition);
  return seeked.length === 0 ? chunk : chunk.filter((record) => !seeked.includes(record.partition));
}

/** Records of one partition are in offset order, so the last one seen is the highest. */
function lastOffsetPerPartition(chunk: readonly ConsumedRecord[]): Map<number, string> {
  const last = new Map<number, string>();
  for (const record of chunk) last.set(record.partition, record.offset);
  return last;
}
