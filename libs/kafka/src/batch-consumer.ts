import { setTimeout as delay } from 'node:timers/promises';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer, TopicMessages } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';

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

export interface ProcessingResult {
  /** Everything to publish for these records: decisions, the internal hop, dead letters. */
  messages: TopicMessages[];
  /** Runs once Kafka has acknowledged the messages, before the offsets are committed. */
  afterPublish?: () => Promise<void>;
}

/**
 * Turns a chunk of records into effects and messages. It must not throw because of one record's
 * content (that record goes to the dead-letter topic instead); a throw means infrastructure
 * trouble and the whole chunk is retried.
 */
export interface RecordProcessor {
  process(records: ConsumedRecord[]): Promise<ProcessingResult>;
}

export interface BatchConsumerOptions {
  groupId: string;
  topic: string;
  sessionTimeoutMs: number;
  chunkSize: number;
  partitionsConsumedConcurrently: number;
  commitIntervalMs: number;
}

const MAX_RETRY_DELAY_MS = 10_000;

/**
 * At-least-once consumption: records are processed in chunks (one processor call, one produce
 * call), and a chunk's offsets are resolved and committed only after its effects and messages
 * are durable. A crash at any point therefore re-delivers, and never skips.
 */
export class BatchConsumer {
  private readonly consumer: Consumer;
  private joined = false;
  private running = false;

  constructor(
    kafka: Kafka,
    private readonly producer: Producer,
    private readonly processor: RecordProcessor,
    private readonly options: BatchConsumerOptions,
    private readonly logger: PinoLogger,
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
      // Offsets are resolved only after a chunk's effects and messages are durable; kafkajs commits
      // what is resolved when each batch ends, and every commitIntervalMs during a long one.
      // Committing after every chunk would add a round trip per chunk to every record's latency.
      autoCommit: true,
      autoCommitInterval: this.options.commitIntervalMs,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
  }

  /** Lets the in-flight chunk finish and commit, then leaves the group. */
  async stop(): Promise<void> {
    this.running = false;
    await this.consumer.disconnect();
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale } = payload;
    const { chunkSize } = this.options;
    for (let start = 0; start < batch.messages.length; start += chunkSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + chunkSize).map(
        (message): ConsumedRecord => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          key: message.key,
          value: message.value,
          headers: message.headers,
          timestamp: message.timestamp,
        }),
      );
      const done = await this.processWithRetry(chunk, payload);
      if (!done) return;
      resolveOffset(chunk[chunk.length - 1].offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /** Retries infrastructure failures in place, keeping the partition's order and the group membership. */
  private async processWithRetry(chunk: ConsumedRecord[], payload: EachBatchPayload): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.processor.process(chunk);
        const messages = result.messages.filter((topicMessages) => topicMessages.messages.length > 0);
        if (messages.length > 0) await this.producer.sendBatch({ topicMessages: messages, acks: -1 });
        await result.afterPublish?.();
        return true;
      } catch (error) {
        if (!payload.isRunning() || payload.isStale()) return false;
        const retryInMs = Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** Math.min(attempt, 10));
        this.logger.error(
          { err: error, topic: chunk[0].topic, partition: chunk[0].partition, fromOffset: chunk[0].offset, attempt, retryInMs },
          'processing failed; retrying the chunk',
        );
        await delay(retryInMs);
        await payload.heartbeat().catch(() => undefined);
      }
    }
  }
}
