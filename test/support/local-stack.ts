import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The repository's root, where tools/stack.mjs and the compiled services are. */
export const REPO_ROOT = join(__dirname, '..', '..');

/**
 * The project's local stack, driven through its command line (tools/stack.mjs is an ES module
 * that jest's CommonJS runtime cannot import): the JSON result its `--json` prints last. Its
 * progress lines go to this process's stderr when `showProgress` (a broker start is worth
 * seeing), else they are dropped. The multi-node topologies are always the local stack's, with or
 * without a Docker engine: the fault tests stop and start their nodes.
 */
export function runStack(args: string[], { showProgress = false } = {}): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'tools/stack.mjs'), ...args, '--json'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', showProgress ? 'inherit' : 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`tools/stack.mjs ${args.join(' ')} exited with ${code}:\n${stderr.slice(-4000)}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>);
    });
  });
}

/** Starts the three-broker KRaft cluster (replication factor 3, min.insync.replicas 2) if it is not running; its bootstrap list. */
export async function ensureKafkaTrio(): Promise<string> {
  const started = await runStack(['up', '--no-kafka', '--no-redis', '--kafka-brokers', '3']);
  return (started.kafkaTrio as { brokers: string }).brokers;
}

/** kill -9 of one broker of the trio; returns once the others no longer list it. */
export async function killKafkaBroker(nodeId: number): Promise<void> {
  await runStack(['kafka-broker', 'stop', String(nodeId)]);
}

/** Starts a stopped broker of the trio again; returns once every running broker lists it. */
export async function startKafkaBroker(nodeId: number): Promise<void> {
  await runStack(['kafka-broker', 'start', String(nodeId)]);
}

/** Starts the local Redis Cluster (three primaries, a replica each) if it is not running; its nodes as `host:port,…`. */
export async function ensureRedisCluster(): Promise<string> {
  const started = await runStack(['up', '--no-kafka', '--no-redis', '--redis-cluster']);
  return (started.redisCluster as { nodes: string }).nodes;
}

/** Fails over the primary that holds `key`'s slot to its replica (CLUSTER FAILOVER); returns once the cluster is whole again. */
export async function failOverRedisPrimaryOf(key: string): Promise<{ slot: number; from: number; to: number }> {
  return (await runStack(['redis-failover', '--key', key])) as { slot: number; from: number; to: number };
}

/** kill -9 one node of the local Redis Cluster; returns once a replica has taken over its slots. */
export async function killRedisNode(port: number): Promise<{ port: number; promoted: unknown }> {
  return (await runStack(['redis-node', 'kill', String(port)])) as { port: number; promoted: unknown };
}

/** Starts a killed node of the local Redis Cluster again; it rejoins as a replica. */
export async function startRedisNode(port: number): Promise<void> {
  await runStack(['redis-node', 'start', String(port)]);
}
