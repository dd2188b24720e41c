import { FactoryProvider, Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OpsApiServiceConfig } from '@conmutador/config';
import { ReadinessRegistry } from '@conmutador/observability';
import { createRedisClient, RedisClient } from '@conmutador/redis-client';
import { RedisQueueStore } from '@conmutador/redis-queues';
import { RulesetStore } from '@conmutador/ruleset-store';
import { OPS_API_CONFIG, REDIS_CLIENT } from './ops-api.tokens';

/** Only the queue scripts use it, and the ops API never runs them: it only reads the queues. */
const UNUSED_FINISHED_TTL_SECONDS = 7 * 24 * 3600;

/** One Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES). */
export const redisClientProvider: FactoryProvider<RedisClient> = {
  provide: REDIS_CLIENT,
  inject: [OPS_API_CONFIG],
  useFactory: (config: OpsApiServiceConfig) =>
    createRedisClient(config.redis, `conmutador-${config.service}`, {
      // An operator's request should fail fast during an outage rather than hang in a queue.
      maxRetriesPerRequest: 2,
    }),
};

export const rulesetStoreProvider: FactoryProvider<RulesetStore> = {
  provide: RulesetStore,
  inject: [REDIS_CLIENT, OPS_API_CONFIG],
  // Rulesets stored before the cluster-safe key layout move before the API serves any request.
  useFactory: async (redis: RedisClient, config: OpsApiServiceConfig) => {
    const store = new RulesetStore(redis, config.redis.keyPrefix);
    await store.migrateLegacyKeys();
    return store;
  },
};

export const queueStoreProvider: FactoryProvider<RedisQueueStore> = {
  provide: RedisQueueStore,
  inject: [REDIS_CLIENT, OPS_API_CONFIG],
  useFactory: (redis: RedisClient, config: OpsApiServiceConfig) => new RedisQueueStore(redis, config.redis.keyPrefix, UNUSED_FINISHED_TTL_SECONDS),
};

/** Redis answers before the API reports ready, and the connection closes on shutdown. */
@Injectable()
export class RedisConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    readiness: ReadinessRegistry,
  ) {
    readiness.register('redis', () => this.redis.status === 'ready');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.redis.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}
