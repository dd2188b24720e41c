import Redis from 'ioredis';
import { DomainKeys, domainRegistryKey } from '@conmutador/redis-queues';
import { deleteMatchingKeys } from '@conmutador/testing';

/** A loopback Redis client for a stage (the URL may name a logical database, e.g. `/15`). */
export function benchRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, connectionName: 'conmutador-bench', lazyConnect: false });
}

/** Removes every key under the prefix (SCAN + UNLINK, never FLUSHDB: see deleteMatchingKeys). */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  if (prefix.length < 4) throw new Error(`refusing to delete by the short prefix "${prefix}"`);
  return deleteMatchingKeys(redis, `${prefix}*`);
}

/** Interactions waiting in every queue under the prefix (`<prefix>queues` indexes the queues). */
export async function waitingTotal(redis: Redis, prefix: string): Promise<number> {
  const domains = (await redis.smembers(domainRegistryKey(prefix))).map((domain) => new DomainKeys(prefix, domain));
  const queues = (await Promise.all(domains.map(async (keys) => (await redis.smembers(keys.queueIndex)).map((queue) => keys.queue(queue))))).flat();
  if (queues.length === 0) return 0;
  const pipeline = redis.pipeline();
  for (const queue of queues) pipeline.zcard(queue);
  const replies = (await pipeline.exec()) ?? [];
  return replies.reduce((sum, [error, count]) => {
    if (error) throw error;
    return sum + Number(count);
  }, 0);
}

export async function redisInfoField(redis: Redis, section: string, field: string): Promise<string | undefined> {
  const info = await redis.info(section);
  const line = info.split('\r\n').find((entry) => entry.startsWith(`${field}:`));
  return line?.slice(field.length + 1);
}
