import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { EngineServiceConfig } from '@conmutador/config';
import { ConsumerPipeline, createKafkaClient, engineTopics } from '@conmutador/kafka';
import { ReadinessRegistry } from '@conmutador/observability';
import { REDIS_CLIENT, ROUTER_CONFIG } from '../../router/src/router.tokens';
import { RulesetSyncService } from '../../router/src/ruleset-sync.service';
import { ClassifyAndRouteProcessor } from './classify-and-route.processor';

@Injectable()
export class EnginePipelineService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly pipeline: ConsumerPipeline;

  constructor(
    @Inject(ROUTER_CONFIG) config: EngineServiceConfig,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    processor: ClassifyAndRouteProcessor,
    private readonly rulesets: RulesetSyncService,
    readiness: ReadinessRegistry,
    @InjectPinoLogger('kafka') logger: PinoLogger,
  ) {
    const kafka = createKafkaClient(config.kafka, logger);
    this.pipeline = new ConsumerPipeline(kafka, config.kafka, engineTopics(config.kafka).inbound, processor, logger);
    readiness.register('kafka-consumer', () => this.pipeline.isReady());
    readiness.register('redis', () => this.redis.status === 'ready');
  }

  /** Like the router: nothing is consumed before a published ruleset is in force. */
  async onApplicationBootstrap(): Promise<void> {
    await this.redis.ping();
    await this.rulesets.start();
    await this.pipeline.start();
  }

  /** The consumer drains first: its last chunk still needs Redis to finish and be committed. */
  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.stop();
    await this.redis.quit();
  }
}
