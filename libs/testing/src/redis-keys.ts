import Redis from 'ioredis';

/**
 * SCAN + UNLINK of the keys matching the glob, and only those `wanted` accepts among them: never
 * FLUSHDB, because other users of the same server may keep keys in the same database. UNLINK frees
 * memory in the background, so a million interactions leave without blocking the server. Bounded
 * by the key count it finds.
 */
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
