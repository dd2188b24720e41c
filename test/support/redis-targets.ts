import Redis, { Cluster } from 'ioredis';
import { ensureRedisCluster } from './local-stack';

/** `host:port,…` as REDIS_CLUSTER_NODES takes it, as ioredis Cluster takes it. */
export function clusterNodesOf(nodes: string): { host: string; port: number }[] {
  return nodes.split(',').map((node) => ({ host: node.slice(0, node.lastIndexOf(':')), port: Number(node.slice(node.lastIndexOf(':') + 1)) }));
}

/** A client of the local stack's Redis Cluster (started when it is not running), following failovers. */
export async function connectTestCluster(): Promise<Cluster> {
  return (await connectRedisTarget('a Redis Cluster')).redis as Cluster;
}

/** Deletes a test's keys, on every primary of a cluster. */
export async function removeKeysWithPrefix(redis: Redis | Cluster, prefix: string): Promise<void> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  await Promise.all(
    nodes.map(async (node) => {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        // One DEL per key: on a cluster node, keys of several slots cannot go in one command.
        for (const key of keys) await node.del(key);
      } while (cursor !== '0');
    }),
  );
}

/** Where a service test's Redis lives: the single Redis of REDIS_URL, or the local Redis Cluster. */
export type RedisTarget = 'one Redis' | 'a Redis Cluster';

/**
 * A client of the target, for the test's own reads, and the environment that points services at
 * it (REDIS_URL is emptied for the cluster: a service given both refuses to start).
 */
export async function connectRedisTarget(target: RedisTarget): Promise<{ redis: Redis | Cluster; env: Record<string, string> }> {
  if (target === 'one Redis') return { redis: new Redis(process.env.REDIS_URL!), env: {} };
  const nodes = await ensureRedisCluster();
  const redis = new Cluster(clusterNodesOf(nodes), { clusterRetryStrategy: () => 200, redisOptions: { maxRetriesPerRequest: 5 } });
  await redis.ping();
  return { redis, env: { REDIS_CLUSTER_NODES: nodes, REDIS_URL: '' } };
}
