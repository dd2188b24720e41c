import Redis from 'ioredis';

/** A loopback Redis client for a stage (the URL may name a logical database, e.g. `/15`). */
export function benchRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, connectionName: 'conmutador-bench', lazyConnect: false });
}

/**
 * Removes every key under the prefix with SCAN + UNLINK: never FLUSHDB, because other users of
 * the same server may keep keys in the same database. UNLINK frees memory in the background, so
 * a million interactions leave without blocking the server. Bounded by the key count it finds.
 */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  if (prefix.length < 4) throw new Error(`refusing to delete by the short prefix "${prefix}"`);
  return deleteMatchingKeys(redis, `${prefix}*`);
}

/** SCAN + UNLINK of the keys matching the glob, and only those `wanted` accepts among them. */
export async function deleteMatchingKeys(redis: Redis, glob: string, wanted: (key: string) => boolean = () => true): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  // At most one pass over the keyspace: SCAN returns to cursor 0 when it is done.
  for (let pass = 0; pass < 10_000_000; pass++) {
    const [next, found] = await redis.scan(cursor, 'MATCH', glob, 'COUNT', 5_000);
    const keys = found.filter(wanted);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
    if (cursor === '0') break;
  }
  return deleted;
}

/** Interactions waiting in every queue under the prefix (`<prefix>queues` indexes the queues). */
export async function waitingTotal(redis: Redis, prefix: string): Promise<number> {
  const queues = await redis.smembers(`${prefix}queues`);
  if (queues.length === 0) return 0;
  const pipeline = redis.pipeline();
  for (const queue of queues) pipeline.zcard(`${prefix}q:${queue}`);
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
