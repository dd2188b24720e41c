import { FactoryProvider } from '@nestjs/common';
import Redis from 'ioredis';
import { RouterServiceConfig } from '@conmutador/config';
import { RedisQueueStore } from '@conmutador/redis-queues';
import { REDIS_CLIENT, ROUTER_CONFIG } from './router.tokens';

export const redisClientProvider: FactoryProvider<Redis> = {
  provide: REDIS_CLIENT,
  inject: [ROUTER_CONFIG],
  useFactory: (config: RouterServiceConfig) =>
    new Redis(config.redis.url, {
      // Fail commands during an outage instead of queueing them without bound; the consumer
      // retries the whole chunk, so nothing is lost and offsets wait.
      maxRetriesPerRequest: 2,
      connectionName: `conmutador-${config.service}`,
    }),
};

export const queueStoreProvider: FactoryProvider<RedisQueueStore> = {
  provide: RedisQueueStore,
  inject: [REDIS_CLIENT, ROUTER_CONFIG],
  useFactory: (redis: Redis, config: RouterServiceConfig) => new RedisQueueStore(redis, config.redis.keyPrefix, config.router.finishedInteractionTtlSeconds),
};
