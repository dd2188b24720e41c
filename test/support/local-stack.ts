import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './infrastructure';

const run = promisify(execFile);

/**
 * The project's local stack, driven through its command line (tools/stack.mjs is an ES module
 * that jest's CommonJS runtime cannot import). The multi-node topologies are always the local
 * stack's, with or without a Docker engine: the fault tests stop and start their nodes.
 */
async function stack(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [join(REPO_ROOT, 'tools/stack.mjs'), ...args, '--json'], {
    cwd: REPO_ROOT,
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

/** Starts the three-broker KRaft cluster (replication factor 3, min.insync.replicas 2) if it is not running; its bootstrap list. */
export async function ensureKafkaTrio(): Promise<string> {
  const started = await stack('up', '--no-kafka', '--no-redis', '--kafka-brokers', '3');
  return (started.kafkaTrio as { brokers: string }).brokers;
}

/** kill -9 of one broker of the trio; returns once the others no longer list it. */
export async function killKafkaBroker(nodeId: number): Promise<void> {
  await stack('kafka-broker', 'stop', String(nodeId));
}

/** Starts a stopped broker of the trio again; returns once every running broker lists it. */
export async function startKafkaBroker(nodeId: number): Promise<void> {
  await stack('kafka-broker', 'start', String(nodeId));
}

/** Starts the local Redis Cluster (three primaries, a replica each) if it is not running; its nodes as `host:port,…`. */
export async function ensureRedisCluster(): Promise<string> {
  const started = await stack('up', '--no-kafka', '--no-redis', '--redis-cluster');
  return (started.redisCluster as { nodes: string }).nodes;
}

/** Fails over the primary that holds `key`'s slot to its replica (CLUSTER FAILOVER); returns once the cluster is whole again. */
export async function failOverRedisPrimaryOf(key: string): Promise<{ slot: number; from: number; to: number }> {
  return (await stack('redis-failover', '--key', key)) as { slot: number; from: number; to: number };
}
