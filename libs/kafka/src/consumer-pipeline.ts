import { Kafka, Producer } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { KafkaConfig } from '@conmutador/config';
import { BatchConsumer, RecordProcessor } from './batch-consumer';
import { engineTopicSpecs } from './engine-topics';
import { EXACT_SIZE_RECORDS_INACTIVE, exactSizeRecordsActive } from './exact-size-record-encoding';
import { LINEAR_GROUPING_INACTIVE, linearGroupingActive } from './linear-message-grouping';
import { createProducer } from './producer.factory';
import { SLICED_CRC32C_INACTIVE, slicedCrc32cActive } from './sliced-crc32c';
import { ensureTopics } from './topic-provisioner';

/**
 * One consume → process → produce → commit loop: the shape of both services. Starting it makes
 * sure the topics exist; stopping it drains the in-flight chunk before disconnecting.
 */
export class ConsumerPipeline {
  private readonly producer: Producer;
  private readonly consumer: BatchConsumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: KafkaConfig,
    sourceTopic: string,
    processor: RecordProcessor,
    private readonly logger: PinoLogger,
  ) {
    this.producer = createProducer(kafka);
    this.consumer = new BatchConsumer(
      kafka,
      this.producer,
      processor,
      {
        groupId: config.consumerGroup,
        topic: sourceTopic,
        sessionTimeoutMs: config.sessionTimeoutMs,
        chunkSize: config.processingChunkSize,
        partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
        commitIntervalMs: config.commitIntervalMs,
      },
      logger,
    );
  }

  isReady(): boolean {
    return this.consumer.isReady();
  }

  async start(): Promise<void> {
    const { created, mismatched } = await ensureTopics(this.kafka, engineTopicSpecs(this.config));
    if (created.length > 0) this.logger.info({ topics: created }, 'created topics');
    for (const problem of mismatched) this.logger.warn(problem);
    // Said at every start: a service that imported kafkajs too early is slower, not broken.
    if (linearGroupingActive()) this.logger.info({ producerGrouping: 'linear' }, 'producers group batches per partition in linear time');
    else this.logger.warn({ producerGrouping: 'kafkajs' }, LINEAR_GROUPING_INACTIVE);
    if (exactSizeRecordsActive()) this.logger.info({ recordEncoding: 'exact-size' }, 'producers encode each record once, into a buffer of its exact size');
    else this.logger.warn({ recordEncoding: 'kafkajs' }, EXACT_SIZE_RECORDS_INACTIVE);
    if (slicedCrc32cActive()) this.logger.info({ batchChecksum: 'sliced-by-8' }, 'producers checksum each batch eight bytes at a time');
    else this.logger.warn({ batchChecksum: 'kafkajs' }, SLICED_CRC32C_INACTIVE);
    await this.producer.connect();
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.producer.disconnect();
  }
}
