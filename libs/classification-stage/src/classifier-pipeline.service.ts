import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { ClassifierServiceConfig } from '@conmutador/config';
import { ConsumerPipeline, createKafkaClient, engineTopics } from '@conmutador/kafka';
import { ReadinessRegistry } from '@conmutador/observability';
import { ClassificationProcessor } from './classification.processor';
import { CLASSIFIER_CONFIG } from './classifier.tokens';

@Injectable()
export class ClassifierPipelineService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly pipeline: ConsumerPipeline;

  constructor(
    @Inject(CLASSIFIER_CONFIG) config: ClassifierServiceConfig,
    processor: ClassificationProcessor,
    readiness: ReadinessRegistry,
    @InjectPinoLogger('kafka') logger: PinoLogger,
  ) {
    const kafka = createKafkaClient(config.kafka, logger);
    this.pipeline = new ConsumerPipeline(kafka, config.kafka, engineTopics(config.kafka).inbound, processor, logger);
    readiness.register('kafka-consumer', () => this.pipeline.isReady());
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.pipeline.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.stop();
  }
}
