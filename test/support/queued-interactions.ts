import Redis, { Cluster } from 'ioredis';

/** How many interactions wait in the queues under `keyPrefix`, summed over every queue the index lists. */
export async function waitingInQueues(redis: Redis | Cluster, keyPrefix: string): Promise<number> {
  const queues = await redis.smembers(`${keyPrefix}{default}:queues`);
  const depths = await Promise.all(queues.map((queue) => redis.zcard(`${keyPrefix}{default}:q:${queue}`)));
  return depths.reduce((sum, depth) => sum + depth, 0);
}
