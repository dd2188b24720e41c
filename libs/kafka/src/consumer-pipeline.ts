import type { Kafka, Producer } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { KafkaConfig } from '@conmutador/config';
import { BatchConsumer, RecordProcessor } from './batch-consumer';
import { engineTopicSpecs } from './engine-topics';
import { checkKafkajsModuleReplacements } from './kafkajs';
import { createProducer } from './producer.factory';
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

  /** Refuses to start (KAFKA_REQUIRE_MODULE_REPLACEMENTS) when its producer would run without the kafkajs replacements. */
  async start(): Promise<void> {
    checkKafkajsModuleReplacements(this.logger, { required: this.config.requireModuleReplacements });
    const { created, mismatched } = await ensureTopics(this.kafka, engineTopicSpecs(this.config));
    if (created.length > 0) this.logger.info({ topics: created }, 'created topics');
    for (const problem of mismatched) this.logger.warn(problem);
    await this.producer.connect();
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.producer.disconnect();
  }
}
