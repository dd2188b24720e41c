import { FactoryProvider } from '@nestjs/common';
import { RouterServiceConfig } from '@conmutador/config';
import { createRedisClient, RedisClient } from '@conmutador/redis-client';
import { RedisQueueStore } from '@conmutador/redis-queues';
import { REDIS_CLIENT, ROUTER_CONFIG } from './router.tokens';

/** One Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES). */
export const redisClientProvider: FactoryProvider<RedisClient> = {
  provide: REDIS_CLIENT,
  inject: [ROUTER_CONFIG],
  useFactory: (config: RouterServiceConfig) =>
    createRedisClient(config.redis, `conmutador-${config.service}`, {
      // Fail commands during an outage instead of queueing them without bound; the consumer
      // retries the whole chunk, so nothing is lost and offsets wait.
      maxRetriesPerRequest: 2,
    }),
};

export const queueStoreProvider: FactoryProvider<RedisQueueStore> = {
  provide: RedisQueueStore,
  inject: [REDIS_CLIENT, ROUTER_CONFIG],
  useFactory: (redis: RedisClient, config: RouterServiceConfig) =>
    new RedisQueueStore(redis, config.redis.keyPrefix, config.router.finishedInteractionTtlSeconds, {
      // A chunk's offsets are committed only once this many replicas hold its writes (WAIT).
      replicaAcks: config.redis.waitReplicas,
      replicaAckTimeoutMs: config.redis.waitTimeoutMs,
    }),
};
