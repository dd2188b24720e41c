#!/usr/bin/env node
// Local infrastructure for development and integration tests: one Apache Kafka broker (KRaft,
// combined broker + controller, jars resolved from Maven Central) and Redis. Optionally, for
// replication and failure tests, a three-node Kafka cluster (--kafka-brokers 3) and a Redis
// Cluster of three primaries and three replicas (--redis-cluster), beside them on their own ports.
//
// There is no container engine on the development and CI machines, so the broker runs as a plain
// detached JVM whose state lives in .stack/ at the repository root. Only node: built-ins are used:
// this file has to work before `npm ci` has run, and the integration tests' global setup imports
// it. It has no top-level await so that CommonJS code can require() it as well as import() it.
// The same holds for the modules it is made of, in tools/stack/.
//
//   node tools/stack.mjs up [--json] [--fresh] [--no-kafka] [--no-redis] [--kafka-brokers 3] [--redis-cluster]
//   node tools/stack.mjs down [--purge]
//   node tools/stack.mjs status [--json]
//   node tools/stack.mjs kafka-broker stop|start <nodeId> [--json]     (the trio's fault helpers)
//   node tools/stack.mjs redis-node kill|start <port> [--json]         (the cluster's fault helpers)
//   node tools/stack.mjs redis-failover <slot> | --key <key> [--json]
//
// Progress goes to stderr; stdout only carries what was asked for (status, or --json).

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HOST, StackError, makeLogger } from './stack/common.mjs';
import { DEFAULT_KAFKA_HEAP_OPTS, ensureKafka, isOurKafka, probeKafka, stopKafka } from './stack/kafka.mjs';
import {
  DEFAULT_KAFKA_TRIO_HEAP_OPTS,
  DEFAULT_KAFKA_TRIO_PORT,
  ensureKafkaTrio as ensureTrio,
  kafkaTrioStatus,
  startTrioBroker,
  stopKafkaTrio as stopTrio,
  stopTrioBroker,
  trioBootstrap,
} from './stack/kafka-trio.mjs';
import {
  DEFAULT_REDIS_CLUSTER_PORT,
  clusterAddresses,
  ensureRedisCluster as ensureCluster,
  failoverClusterPrimary,
  killClusterNode,
  redisClusterStatus,
  startClusterNode,
  stopRedisCluster as stopCluster,
} from './stack/redis-cluster.mjs';
import { DEFAULT_LOCAL_REDIS_PORT, DEFAULT_REDIS_URL, ensureRedis, isOurRedis, redactUrl, redisPing, stopRedis } from './stack/redis.mjs';
import { layout, readState, withLock } from './stack/state.mjs';

export { StackError } from './stack/common.mjs';
export { pinnedKafkaVersion } from './stack/kafka.mjs';

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * Makes sure a Kafka broker and a Redis are running, starting them when needed, and returns
 * where they are. Idempotent: a broker or Redis this stack already runs is reused.
 *
 * @param {object} [options]
 * @param {boolean} [options.kafka=true]  provision Kafka (KAFKA_BROKERS set = use that, start nothing)
 * @param {boolean} [options.redis=true]  provision Redis (REDIS_URL answering PING = use that)
 * @param {1|3}     [options.kafkaBrokers=1] 3: also the three-node Kafka cluster (see ensureKafkaTrio)
 * @param {boolean} [options.redisCluster=false] also the Redis Cluster (see ensureRedisCluster)
 * @param {boolean} [options.fresh=false] restart the broker (and the trio / cluster asked for) on empty data
 * @param {number}  [options.timeoutMs=90000] how long to wait for the broker to become ready
 * @param {string}  [options.stateDir]    defaults to LOCAL_STACK_DIR or <repo>/.stack
 * @param {boolean} [options.quiet=false] no progress lines on stderr
 * @param {(line: string) => void} [options.log] receives progress lines instead of stderr
 * @returns {Promise<{kafkaBrokers: string|null, redisUrl: string|null, kafkaVersion: string|null,
 *   startedKafka: boolean, startedRedis: boolean, kafkaPid: number|null, redisPid: number|null,
 *   kafkaTrio?: KafkaTrio, redisCluster?: RedisCluster}>}
 *   startedKafka/startedRedis: whether this call started the process (false when reused or external).
 *   kafkaTrio / redisCluster: only when asked for, as ensureKafkaTrio / ensureRedisCluster return them.
 */
export async function ensureStack(options = {}) {
  const kafkaBrokers = options.kafkaBrokers ?? 1;
  if (kafkaBrokers !== 1 && kafkaBrokers !== 3) throw new StackError(`kafkaBrokers must be 1 or 3, not ${kafkaBrokers}`);
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, async () => {
    const kafka = options.kafka === false ? null : await ensureKafka(L, options, log);
    const redis = options.redis === false ? null : await ensureRedis(L, log);
    const kafkaTrio = kafkaBrokers === 3 ? await ensureTrio(L, options, log) : null;
    const redisCluster = options.redisCluster ? await ensureCluster(L, options, log) : null;
    return {
      kafkaBrokers: kafka?.brokers ?? null,
      redisUrl: redis?.url ?? null,
      kafkaVersion: kafka?.version ?? null,
      startedKafka: kafka?.started ?? false,
      startedRedis: redis?.started ?? false,
      kafkaPid: kafka?.pid ?? null,
      redisPid: redis?.pid ?? null,
      ...(kafkaTrio && { kafkaTrio }),
      ...(redisCluster && { redisCluster }),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Three-node Kafka cluster (`up --kafka-brokers 3`)

/**
 * @typedef {object} KafkaTrio
 * @property {string} brokers   bootstrap list, '127.0.0.1:29092,127.0.0.1:29093,127.0.0.1:29094'
 * @property {{nodeId: number, port: number, controllerPort: number, pid: number|null}[]} nodes
 * @property {string} clusterId
 * @property {string} version   Kafka version
 * @property {boolean} started  whether this call started any node (false: all three were running)
 */

/**
 * Makes sure the three-node KRaft cluster runs (node ids 1..3, each broker + controller,
 * replication factor 3, min.insync.replicas 2) and is ready: every node answers Metadata listing
 * all three, and the group coordinator is found. Idempotent; a node that is down (stopKafkaBroker)
 * is started again. Does not touch the single broker.
 *
 * @param {object} [options]
 * @param {boolean} [options.fresh=false] restart the three on empty data dirs
 * @param {number}  [options.timeoutMs=120000]
 * @param {string}  [options.stateDir]
 * @param {boolean} [options.quiet=false]
 * @param {(line: string) => void} [options.log]
 * @returns {Promise<KafkaTrio>}
 */
export async function ensureKafkaTrio(options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, () => ensureTrio(L, options, log));
}

/**
 * The running trio's bootstrap list ('127.0.0.1:29092,127.0.0.1:29093,127.0.0.1:29094'), or null
 * when it was not started. Reads the state file only.
 *
 * @param {{stateDir?: string}} [options]
 * @returns {string|null}
 */
export function kafkaTrioBrokers(options = {}) {
  const trio = readState(layout(options.stateDir)).kafkaTrio;
  return trio ? trioBootstrap(trio) : null;
}

/**
 * kill -9 one node of the trio, then waits (polling, up to timeoutMs) until every other running
 * node's metadata no longer lists it: the controller fenced it, took it out of every ISR and moved
 * its leaderships. With one node down, acks=all (-1) writes still succeed (min.insync.replicas 2).
 *
 * @param {1|2|3} nodeId
 * @param {{timeoutMs?: number, stateDir?: string, quiet?: boolean, log?: (line: string) => void}} [options]
 * @returns {Promise<{nodeId: number, pid: number|null, killed: boolean, running: number[],
 *   brokers: string, elapsedMs: number}>}  brokers: the nodes still running, as a bootstrap list
 */
export async function stopKafkaBroker(nodeId, options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, () => stopTrioBroker(L, nodeId, options, log));
}

/**
 * Starts one node of the trio again (same ports, same data dir) and waits until every running
 * node's metadata lists it. A no-op that still waits when the node is running.
 *
 * @param {1|2|3} nodeId
 * @param {{timeoutMs?: number, stateDir?: string, quiet?: boolean, log?: (line: string) => void}} [options]
 * @returns {Promise<{nodeId: number, pid: number, port: number, started: boolean, running: number[],
 *   elapsedMs: number}>}
 */
export async function startKafkaBroker(nodeId, options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, () => startTrioBroker(L, nodeId, options, log));
}

/**
 * Stops the three nodes (SIGTERM, SIGKILL after 15 s); `down` does this too.
 *
 * @param {{stateDir?: string, quiet?: boolean, log?: (line: string) => void}} [options]
 * @returns {Promise<boolean>} whether anything was running
 */
export async function stopKafkaTrio(options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, () => stopTrio(L, readState(L), log));
}

// ---------------------------------------------------------------------------------------------
// Redis Cluster (`up --redis-cluster`)

/**
 * @typedef {object} RedisCluster
 * @property {string}   nodes      '127.0.0.1:17000,...,127.0.0.1:17005' (all six, for ioredis Cluster)
 * @property {number[]} ports
 * @property {number[]} primaries  ports of the nodes that serve slots now
 * @property {number[]} replicas
 * @property {(number|null)[]} pids
 * @property {boolean}  started    whether this call started any node
 */

/**
 * Makes sure a Redis Cluster of three primaries and three replicas runs (redis-server, one dir per
 * node under the state dir, cluster-node-timeout 2000, no persistence) and is healthy: every node
 * reports cluster_state:ok with all 16384 slots ok, every primary has an in-sync replica.
 * Idempotent; stopped nodes are started again from their nodes.conf; an earlier cluster's
 * nodes.conf files are reused when the nodes come back consistent, else it is created anew.
 *
 * @param {{fresh?: boolean, stateDir?: string, quiet?: boolean, log?: (line: string) => void}} [options]
 * @returns {Promise<RedisCluster>}
 */
export async function ensureRedisCluster(options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, () => ensureCluster(L, options, log));
}

/**
 * The running cluster's node list ('127.0.0.1:17000,...'), or null when it was not started.
 *
 * @param {{stateDir?: string}} [options]
 * @returns {string|null}
 */
export function redisClusterNodes(options = {}) {
  const cluster = readState(layout(options.stateDir)).redisCluster;
  return cluster ? clusterAddresses(cluster.ports) : null;
}

/**
 * Manual failover: CLUSTER FAILOVER on a replica of the primary that serves the slot (a number,
 * 0..16383) or the key (a string: '42' is a key too), then waits until the two swapped roles,
 * every running node names the new primary, and cluster_state is ok everywhere.
 *
 * @param {number|string} slotOrKey
 * @param {{timeoutMs?: number, stateDir?: string, quiet?: boolean, log?: (line: string) => void}} [options]
 * @returns {Promise<{slot: number, from: number, to: number, elapsedMs: number}>} from/to: ports
 */
export async function failoverRedisPrimary(slotOrKey, options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, () => failoverClusterPrimary(L, slotOrKey, options, log));
}

/**
 * kill -9 one cluster node. Unless waitForFailover is false, then waits until every other node
 * flags it as failed and cluster_state is ok again (for a primary: its replica took over, about
 * 2-4 s with the 2 s node timeout). Nothing is persisted: start it again only after that, or a
 * primary comes back empty and its replica resyncs from it.
 *
 * @param {number} port
 * @param {{waitForFailover?: boolean, timeoutMs?: number, stateDir?: string, quiet?: boolean,
 *   log?: (line: string) => void}} [options]
 * @returns {Promise<{port: number, pid: number|null, killed: boolean, role: 'primary'|'replica'|null,
 *   promoted: number|null, elapsedMs: number}>}  promoted: the port that took over its slots
 */
export async function killRedisNode(port, options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, () => killClusterNode(L, port, options, log));
}

/**
 * Starts one cluster node again from its nodes.conf and waits until the running nodes agree on a
 * healthy cluster with it (a former primary comes back as a replica of the one that took over).
 *
 * @param {number} port
 * @param {{timeoutMs?: number, stateDir?: string, quiet?: boolean, log?: (line: string) => void}} [options]
 * @returns {Promise<{port: number, pid: number, started: boolean, role: 'primary'|'replica'|null,
 *   elapsedMs: number}>}
 */
export async function startRedisNode(port, options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, () => startClusterNode(L, port, options, log));
}

/**
 * Stops the six cluster nodes; `down` does this too.
 *
 * @param {{stateDir?: string, quiet?: boolean, log?: (line: string) => void}} [options]
 * @returns {Promise<boolean>} whether anything was running
 */
export async function stopRedisCluster(options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, () => stopCluster(L, readState(L), log));
}

/**
 * Stops the broker and any redis-server this stack started (never a Redis it did not start),
 * the three-node Kafka cluster and the Redis Cluster included. SIGTERM, then SIGKILL after 15 s.
 *
 * @param {object} [options]
 * @param {boolean} [options.purge=false] also delete the broker's data and logs (jars are kept)
 * @param {string}  [options.stateDir]
 * @param {boolean} [options.quiet=false]
 * @param {(line: string) => void} [options.log]
 * @returns {Promise<{stoppedKafka: boolean, stoppedRedis: boolean, stoppedKafkaTrio: boolean, stoppedRedisCluster: boolean}>}
 */
export async function stopStack(options = {}) {
  const L = layout(options.stateDir);
  const log = makeLogger(options);
  return withLock(L, log, async () => {
    const state = readState(L);
    const stoppedKafka = await stopKafka(L, state, log);
    const stoppedRedis = await stopRedis(L, state, log);
    const [stoppedKafkaTrio, stoppedRedisCluster] = await Promise.all([stopTrio(L, state, log), stopCluster(L, state, log)]);
    if (options.purge) {
      for (const target of [L.data, L.dataMarker, L.logs, L.redisDir, L.trioDir, L.redisClusterDir]) fs.rmSync(target, { recursive: true, force: true });
      log('removed the Kafka data and logs');
    }
    return { stoppedKafka, stoppedRedis, stoppedKafkaTrio, stoppedRedisCluster };
  });
}

/**
 * Reports what runs, without starting or stopping anything.
 *
 * @param {object} [options]
 * @param {string} [options.stateDir]
 * @returns {Promise<{
 *   kafka: {state: 'running'|'starting'|'stopped'|'external', brokers: string|null, pid: number|null,
 *           port: number|null, controllerPort: number|null, version: string|null, clusterId: string|null},
 *   redis: {state: 'running'|'stopped', url: string|null, pid: number|null, managed: boolean},
 *   kafkaTrio: {state: 'running'|'degraded'|'starting'|'stopped', brokers: string|null, version: string|null,
 *               clusterId: string|null, nodes: {nodeId, port, controllerPort, pid, state}[]},
 *   redisCluster: {state: 'running'|'degraded'|'starting'|'stopped', nodes: string|null, primaries: number[],
 *                  members: {port, pid, role, state}[]}}>}
 *   degraded: some nodes were stopped (stopKafkaBroker, killRedisNode) and the rest serve.
 */
export async function stackStatus(options = {}) {
  const L = layout(options.stateDir);
  const state = readState(L);

  let kafka = { state: 'stopped', brokers: null, pid: null, port: null, controllerPort: null, version: null, clusterId: null };
  if (process.env.KAFKA_BROKERS) {
    kafka = { ...kafka, state: 'external', brokers: process.env.KAFKA_BROKERS };
  } else if (state.kafka && isOurKafka(state.kafka.pid, L)) {
    const { pid, port, controllerPort, version, clusterId } = state.kafka;
    const ready = await probeKafka(port, clusterId);
    kafka = { state: ready ? 'running' : 'starting', brokers: `${HOST}:${port}`, pid, port, controllerPort, version, clusterId };
  }

  let redis = { state: 'stopped', url: null, pid: null, managed: false };
  const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  if ((await redisPing(url)).ok) {
    redis = { state: 'running', url, pid: null, managed: false };
  } else if (state.redis && isOurRedis(state.redis.pid, state.redis.port) && (await redisPing(state.redis.url)).ok) {
    redis = { state: 'running', url: state.redis.url, pid: state.redis.pid, managed: true };
  }
  const [kafkaTrio, redisCluster] = await Promise.all([kafkaTrioStatus(L, state), redisClusterStatus(L, state)]);
  return { kafka, redis, kafkaTrio, redisCluster };
}

export function formatStatus({ kafka, redis, kafkaTrio, redisCluster }) {
  const kafkaLine =
    kafka.state === 'external'
      ? `kafka ${kafka.brokers} (external, from KAFKA_BROKERS)`
      : kafka.state === 'stopped'
        ? 'kafka not running'
        : `kafka ${kafka.brokers} (${kafka.state}, pid ${kafka.pid}, version ${kafka.version})`;
  const redisLine =
    redis.state === 'stopped'
      ? 'redis not running'
      : `redis ${redactUrl(redis.url)} (running, ${redis.managed ? `pid ${redis.pid}, started by stack` : 'external'})`;
  // The optional topologies get a line only when the state file has them.
  const lines = [kafkaLine, redisLine];
  if (kafkaTrio && kafkaTrio.state !== 'stopped') {
    const up = kafkaTrio.nodes.filter((n) => n.pid !== null);
    lines.push(
      `kafka-trio ${kafkaTrio.brokers} (${kafkaTrio.state}, ${up.length}/${kafkaTrio.nodes.length} nodes, ` +
        `${kafkaTrio.nodes.map((n) => `node ${n.nodeId} ${n.pid === null ? 'stopped' : `pid ${n.pid}`}`).join(', ')}, version ${kafkaTrio.version})`,
    );
  } else if (kafkaTrio?.brokers) {
    lines.push(`kafka-trio ${kafkaTrio.brokers} (stopped: no node runs)`);
  }
  if (redisCluster && redisCluster.state !== 'stopped') {
    const up = redisCluster.members.filter((m) => m.pid !== null);
    lines.push(
      `redis-cluster ${redisCluster.nodes} (${redisCluster.state}, ${up.length}/${redisCluster.members.length} nodes, ` +
        `primaries ${redisCluster.primaries.join(' ')}, ${redisCluster.members.map((m) => `${m.port} ${m.pid === null ? 'stopped' : `${m.role ?? '?'} pid ${m.pid}`}`).join(', ')})`,
    );
  } else if (redisCluster?.nodes) {
    lines.push(`redis-cluster ${redisCluster.nodes} (stopped: no node runs)`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// CLI

const USAGE = `usage: node tools/stack.mjs <command> [flags]
  up      [--json] [--fresh] [--no-kafka] [--no-redis]   start what is missing (--json: result on stdout)
          [--kafka-brokers 3]                             also the three-node Kafka cluster (ports ${DEFAULT_KAFKA_TRIO_PORT}..${DEFAULT_KAFKA_TRIO_PORT + 5})
          [--redis-cluster]                               also the Redis Cluster, 3 primaries + 3 replicas (ports ${DEFAULT_REDIS_CLUSTER_PORT}..${DEFAULT_REDIS_CLUSTER_PORT + 5})
  down    [--purge]                                       stop everything this stack started
  status  [--json]                                        kafka ..., redis ... (and kafka-trio ..., redis-cluster ... when started)
  kafka-broker stop|start <nodeId> [--json]               kill -9 / restart one node of the Kafka trio, wait for the metadata
  redis-node kill|start <port> [--json]                   kill -9 / restart one Redis Cluster node, wait for the cluster
  redis-failover <slot> | --key <key> [--json]            manual failover of the primary serving that slot or key
env: LOCAL_KAFKA_PORT (19092), KAFKA_BROKERS, REDIS_URL (${DEFAULT_REDIS_URL}), LOCAL_REDIS_PORT (${DEFAULT_LOCAL_REDIS_PORT}),
     LOCAL_KAFKA_HEAP_OPTS ("${DEFAULT_KAFKA_HEAP_OPTS}"), LOCAL_STACK_DIR (<repo>/.stack),
     LOCAL_KAFKA_TRIO_PORT (${DEFAULT_KAFKA_TRIO_PORT}), LOCAL_KAFKA_TRIO_HEAP_OPTS ("${DEFAULT_KAFKA_TRIO_HEAP_OPTS}"),
     LOCAL_REDIS_CLUSTER_PORT (${DEFAULT_REDIS_CLUSTER_PORT})`;

// Flags as given, with the values of the flags that take one ("--kafka-brokers 3" or "=3").
function parseArgs(rest, booleans, valued) {
  const flags = new Set();
  const values = {};
  const positional = [];
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (valued.includes(name)) {
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : rest[(i += 1)];
      if (value === undefined) return null;
      values[name] = value;
    } else if (booleans.includes(arg)) {
      flags.add(arg);
    } else if (arg.startsWith('--')) {
      return null;
    } else {
      positional.push(arg);
    }
  }
  return { flags, values, positional };
}

const COMMANDS = {
  up: { booleans: ['--json', '--fresh', '--no-kafka', '--no-redis', '--redis-cluster'], valued: ['--kafka-brokers'], positional: [0] },
  down: { booleans: ['--purge'], valued: [], positional: [0] },
  status: { booleans: ['--json'], valued: [], positional: [0] },
  'kafka-broker': { booleans: ['--json'], valued: [], positional: [2] },
  'redis-node': { booleans: ['--json'], valued: [], positional: [2] },
  'redis-failover': { booleans: ['--json'], valued: ['--key'], positional: [0, 1] },
};

function print(result, json, line) {
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stderr.write(`[stack] ${line}\n`);
}

async function main(argv) {
  const [command, ...rest] = argv;
  const spec = COMMANDS[command];
  const args = spec && parseArgs(rest, spec.booleans, spec.valued);
  const usage = (why) => {
    process.stderr.write(`${why ? `${why}\n` : ''}${USAGE}\n`);
    return 2;
  };
  if (!args || !spec.positional.includes(args.positional.length)) return usage();
  const { flags, values, positional } = args;
  const json = flags.has('--json');

  if (command === 'up') {
    const kafkaBrokers = values['--kafka-brokers'] === undefined ? 1 : Number(values['--kafka-brokers']);
    if (kafkaBrokers !== 1 && kafkaBrokers !== 3) return usage(`--kafka-brokers takes 1 or 3, not ${values['--kafka-brokers']}`);
    const result = await ensureStack({
      fresh: flags.has('--fresh'),
      kafka: !flags.has('--no-kafka'),
      redis: !flags.has('--no-redis'),
      kafkaBrokers,
      redisCluster: flags.has('--redis-cluster'),
    });
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stderr.write(`[stack] kafka ${result.kafkaBrokers ?? '(skipped)'}  redis ${result.redisUrl ? redactUrl(result.redisUrl) : '(skipped)'}\n`);
      if (result.kafkaTrio) process.stderr.write(`[stack] kafka-trio ${result.kafkaTrio.brokers}\n`);
      if (result.redisCluster) process.stderr.write(`[stack] redis-cluster ${result.redisCluster.nodes}\n`);
    }
  } else if (command === 'down') {
    await stopStack({ purge: flags.has('--purge') });
  } else if (command === 'status') {
    const status = await stackStatus();
    process.stdout.write(json ? `${JSON.stringify(status)}\n` : `${formatStatus(status)}\n`);
  } else if (command === 'kafka-broker') {
    const [action, id] = positional;
    const nodeId = Number(id);
    if (!['stop', 'start'].includes(action) || !Number.isInteger(nodeId)) return usage();
    const result = action === 'stop' ? await stopKafkaBroker(nodeId) : await startKafkaBroker(nodeId);
    print(result, json, `kafka-trio node ${nodeId} ${action === 'stop' ? 'stopped' : 'running'} (${(result.elapsedMs / 1000).toFixed(1)} s)`);
  } else if (command === 'redis-node') {
    const [action, portText] = positional;
    const port = Number(portText);
    if (!['kill', 'start'].includes(action) || !Number.isInteger(port)) return usage();
    const result = action === 'kill' ? await killRedisNode(port) : await startRedisNode(port);
    print(result, json, `redis-cluster node ${port} ${action === 'kill' ? 'killed' : 'running'} (${(result.elapsedMs / 1000).toFixed(1)} s)`);
  } else {
    const key = values['--key'];
    if ((key === undefined) === (positional.length === 0)) return usage('redis-failover takes a slot or --key <key>');
    const slot = key === undefined ? Number(positional[0]) : null;
    if (key === undefined && !/^\d+$/.test(positional[0])) return usage(`${positional[0]} is not a slot number (use --key for a key)`);
    const result = await failoverRedisPrimary(key ?? slot);
    print(result, json, `slot ${result.slot}: ${result.from} -> ${result.to} (${(result.elapsedMs / 1000).toFixed(1)} s)`);
  }
  return 0;
}

function invokedDirectly() {
  if (!process.argv[1]) return false;
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(err instanceof StackError ? `[stack] error: ${err.message}\n` : `[stack] ${err.stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
