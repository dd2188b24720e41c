import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { RouterServiceConfig } from '@conmutador/config';
import { ConsumerPipeline, createKafkaClient } from '@conmutador/kafka';
import { ReadinessRegistry } from '@conmutador/observability';
import { RedisClient } from '@conmutador/redis-client';
import { hasLegacyQueueIndex } from '@conmutador/redis-queues';
import { REDIS_CLIENT, ROUTER_CONFIG, ROUTING_SOURCE, RoutingSource } from './router.tokens';
import { RulesetSyncService } from './ruleset-sync.service';

@Injectable()
export class RouterPipelineService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly pipeline: ConsumerPipeline;

  constructor(
    @Inject(ROUTER_CONFIG) private readonly config: RouterServiceConfig,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(ROUTING_SOURCE) source: RoutingSource,
    private readonly rulesets: RulesetSyncService,
    readiness: ReadinessRegistry,
    @InjectPinoLogger('kafka') logger: PinoLogger,
  ) {
    const kafka = createKafkaClient(config.kafka, logger);
    this.pipeline = new ConsumerPipeline(kafka, config.kafka, source.topic, source.processor, logger);
    readiness.register('kafka-consumer', () => this.pipeline.isReady());
    readiness.register('redis', () => this.redis.status === 'ready');
  }

  /** Nothing is consumed before a published ruleset is in force. */
  async onApplicationBootstrap(): Promise<void> {
    await this.redis.ping();
    // Queues of the layout before routing domains would be invisible to this release: stop here.
    if (await hasLegacyQueueIndex(this.redis, this.config.redis.keyPrefix)) {
      throw new Error(
        `Redis holds queues in the key layout before routing domains (${this.config.redis.keyPrefix}queues): stop every router and engine, run \`npm run migrate:queue-keys\` (docs/redis-key-layout.md), then start again`,
      );
    }
    await this.rulesets.start();
    await this.pipeline.start();
  }

  /** The consumer drains first: its last chunk still needs Redis to finish and be committed. */
  async onApplicationShutdown(): Promise<void> {
    await this.pipeline.stop();
    await this.redis.quit();
  }
}
