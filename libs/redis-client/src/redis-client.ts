import Redis, { Cluster } from 'ioredis';
import type { RedisConfig } from '@conmutador/config';

/** A single Redis or a Redis Cluster, whichever the configuration names. */
export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /**
   * How often a command is retried across reconnections before it fails; small, so commands fail
   * during an outage instead of queueing without bound.
   */
  maxRetriesPerRequest: number;
}

/**
 * The client for the configured Redis: REDIS_CLUSTER_NODES (`config.cluster`) makes a Cluster
 * client that discovers the slots from those nodes, else REDIS_URL a single connection. Reads go
 * to the primaries too (`scaleReads: 'master'`): a replica may lag the writes just made.
 */
export function createRedisClient(config: RedisConfig, connectionName: string, options: RedisClientOptions): RedisClient {
  const redisOptions = { connectionName, maxRetriesPerRequest: options.maxRetriesPerRequest };
  if (config.cluster) {
    return new Cluster(
      config.cluster.nodes.map(({ host, port }) => ({ host, port })),
      { redisOptions, scaleReads: 'master', enableReadyCheck: true },
    );
  }
  return new Redis(config.url, redisOptions);
}
