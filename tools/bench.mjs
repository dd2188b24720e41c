#!/usr/bin/env node
// `npm run bench`: provisions the local stack, runs every bench stage on the same broker and Redis
// in one run, prints a table and writes bench/results/latest.json. Speed is read as ratios between
// stages of the same run (engine vs bare relay vs NestJS baseline), never as an absolute number.
//
//   node tools/bench.mjs [--quick] [--only=e2e,relay,…] [--skip=…] [--profile]
//                        [--count=N] [--rate=N] [--duration=S] [--partitions=N] [--chunk=N]
//                        [--concurrency=N] [--replicas=N] [--repeat=N] [--cluster-count=N] [--out=FILE]
//
// --repeat=N runs the drains (e2e, engine, relay) and the latency stages N times, interleaved round
// by round, and reports the median run of each (by rate, by p99), with every run's figure beside
// it: the machine's speed moves by more than many changes within minutes, and one run each can
// land on different minutes. A p99 is set by the few slowest rounds of a run, so it moves most.
//
// Stages (each its own process, its own topic namespace and Redis key prefix, cleaned up after):
//   e2e         preload N arrivals, start classifier + router, time until all are queued and published
//   engine      the same drain with the one-process engine (both stages, one consumer)
//   relay       bare two-hop kafkajs relay, same topics/partitions, no work: the ceiling
//   baseline    idiomatic NestJS @EventPattern app, one message at a time
//   latency     open-loop fixed rate, occurredAt → routed decision, HdrHistogram percentiles
//   engine-latency  the same with the one-process engine
//   redis       bytes per waiting interaction, enqueue/dequeue µs at 0, 100k, 1M waiting
//   inprocess   µs per classification, per rule evaluation with 500 rules, per produced Kafka record
//   redis-cluster  the queue store's drain (arrivals, then answers) on the Redis Cluster, domains on
//               three shards, against the single Redis: rate, Redis CPU µs per interaction per shard
//
// Progress goes to stderr; the table to stdout. Everything runs on 127.0.0.1.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { ensureRedisCluster, ensureStack, pinnedKafkaVersion } from './stack.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');
// A logical database of its own: the bench's keys never mix with development data in DB 0. Keys
// are still removed by prefix (never FLUSHDB): someone else may use this database too.
const BENCH_REDIS_DB = 15;

const say = (message) => process.stderr.write(`[bench] ${message}\n`);

// ---------------------------------------------------------------------------------------------
// Arguments

const STAGE_NAMES = ['e2e', 'engine', 'relay', 'baseline', 'latency', 'engine-latency', 'redis', 'inprocess', 'redis-cluster'];

function parseArgs(argv) {
  const flags = new Map();
  for (const arg of argv) {
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, value] = arg.slice(2).split(/=(.*)/s, 2);
    flags.set(name, value ?? true);
  }
  const known = [
    'quick',
    'only',
    'skip',
    'profile',
    'count',
    'rate',
    'duration',
    'partitions',
    'chunk',
    'concurrency',
    'replicas',
    'repeat',
    'cluster-count',
    'out',
  ];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`unknown option --${name} (known: ${known.map((k) => `--${k}`).join(' ')})`);
  const number = (name, fallback, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}) => {
    if (!flags.has(name)) return fallback;
    const value = Number(flags.get(name));
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name} must be a number between ${min} and ${max}`);
    return value;
  };
  const list = (name) =>
    flags.has(name)
      ? String(flags.get(name))
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null;
  const only = list('only');
  const skip = list('skip') ?? [];
  for (const stage of [...(only ?? []), ...skip])
    if (!STAGE_NAMES.includes(stage)) throw new Error(`unknown stage ${stage} (stages: ${STAGE_NAMES.join(', ')})`);
  const quick = flags.has('quick');
  return {
    quick,
    profile: flags.has('profile'),
    // --quick leaves the engine's latency out unless named: with it the run passes three minutes.
    stages: STAGE_NAMES.filter((stage) => (only ? only.includes(stage) : !(quick && stage === 'engine-latency')) && !skip.includes(stage)),
    out: flags.has('out') ? path.resolve(String(flags.get('out'))) : path.join(RESULTS_DIR, 'latest.json'),
    // Sizes: --quick keeps the whole run under three minutes on a 2-core machine.
    count: number('count', quick ? 20_000 : 200_000, { max: 5_000_000 }),
    baselineCount: quick ? 1_500 : 20_000,
    baselineTimeoutMs: quick ? 12_000 : 60_000,
    drainTimeoutMs: quick ? 60_000 : 600_000,
    rate: number('rate', 2_000, { max: 100_000 }),
    latencyMs: number('duration', quick ? 10 : 60, { max: 3_600 }) * 1000,
    latencyWarmUpMs: quick ? 2_000 : 5_000,
    latencySettleMs: quick ? 15_000 : 30_000,
    redisLevels: quick ? [100_000] : [100_000, 1_000_000],
    redisSampleSize: quick ? 1_000 : 2_000,
    partitions: number('partitions', 12, { max: 256 }),
    chunkSize: number('chunk', 1_000, { max: 10_000 }),
    partitionsConsumedConcurrently: number('concurrency', 32, { max: 64 }),
    // One engine process per core: a Node process computes on one core.
    engineReplicas: number('replicas', os.availableParallelism?.() ?? os.cpus().length, { max: 16 }),
    repeat: number('repeat', 1, { max: 9 }),
    // The Redis Cluster stage: interactions per timed run (each arrives and is answered), two runs
    // against each of its three targets, interleaved: about 15 s (quick) or 25 s in all.
    clusterCount: number('cluster-count', quick ? 10_000 : 20_000, { min: 100, max: 1_000_000 }),
    clusterRounds: 2,
  };
}

const DRAIN_STAGES = ['e2e', 'engine', 'relay'];
const LATENCY_STAGES = ['latency', 'engine-latency'];
/** The stages `--repeat` runs N times, and the figure that picks their median run. */
const REPEATED_STAGES = [...DRAIN_STAGES, ...LATENCY_STAGES];

/**
 * The figure a repeated stage's runs are ordered by, as a "worse first" number: a drain's rate,
 * a latency run's p99 (negated, so that the higher p99 counts as worse).
 */
function medianKey(stage) {
  if (LATENCY_STAGES.includes(stage)) return { figure: (result) => result.p99Ms, worseFirst: (result) => -result.p99Ms };
  return { figure: (result) => Math.round(result.throughputPerSec), worseFirst: (result) => result.throughputPerSec };
}

/**
 * The order stages run in: the repeated stages first, `repeat` rounds of them (each round every
 * one once, so that the runs compared in a ratio are minutes apart at most), then every other
 * stage once.
 */
function runPlan(config) {
  const repeated = config.stages.filter((stage) => REPEATED_STAGES.includes(stage));
  const plan = [];
  for (let round = 1; round <= config.repeat; round += 1) for (const stage of repeated) plan.push({ stage, round });
  for (const stage of config.stages) if (!REPEATED_STAGES.includes(stage)) plan.push({ stage, round: 1 });
  return plan;
}

/**
 * One outcome per stage: with several runs, the successful median one (for an even count, the
 * worse of the two middle ones: the lower rate, the higher p99), carrying every run's figure (rate,
 * or p99 in ms) in `result.runs`, in the order they ran.
 */
function medianOutcome(stage, runs) {
  const succeeded = runs.filter((outcome) => outcome.ok);
  if (runs.length === 1 || succeeded.length === 0) return runs[runs.length - 1];
  const { figure, worseFirst } = medianKey(stage);
  const sorted = [...succeeded].sort((a, b) => worseFirst(a.result) - worseFirst(b.result));
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const figures = runs.map((outcome) => (outcome.ok ? figure(outcome.result) : null));
  return { ...median, result: { ...median.result, runs: figures } };
}

// ---------------------------------------------------------------------------------------------
// Stages

function stageTimeoutMs(config, stage) {
  const startup = 120_000;
  switch (stage) {
    case 'e2e':
    case 'engine':
    case 'relay':
      return startup + config.drainTimeoutMs + 120_000;
    case 'baseline':
      return startup + config.baselineTimeoutMs + 60_000;
    case 'latency':
    case 'engine-latency':
      return startup + config.latencyMs + config.latencyWarmUpMs + config.latencySettleMs + 60_000;
    case 'redis':
      return config.quick ? 180_000 : 900_000;
    case 'redis-cluster':
      return 120_000 + config.clusterCount * config.clusterRounds * 3 * 2;
    default:
      return 300_000;
  }
}

function stagePlan(config, common) {
  const engine = { partitions: config.partitions, chunkSize: config.chunkSize, partitionsConsumedConcurrently: config.partitionsConsumedConcurrently };
  return {
    e2e: {
      title: 'end-to-end drain',
      script: 'e2e-drain.bench.js',
      options: { ...common, ...engine, deployment: 'services', count: config.count, timeoutMs: config.drainTimeoutMs },
    },
    engine: {
      title: 'end-to-end drain, one-process engine',
      script: 'e2e-drain.bench.js',
      options: { ...common, ...engine, deployment: 'engine', engineReplicas: config.engineReplicas, count: config.count, timeoutMs: config.drainTimeoutMs },
    },
    relay: {
      title: 'bare kafkajs relay',
      script: 'kafka-relay.bench.js',
      options: { ...common, ...engine, count: config.count, timeoutMs: config.drainTimeoutMs },
    },
    baseline: {
      title: 'NestJS baseline',
      script: 'nest-baseline.bench.js',
      options: { ...common, partitions: config.partitions, count: config.baselineCount, timeoutMs: config.baselineTimeoutMs },
    },
    latency: {
      title: 'open-loop latency',
      script: 'latency.bench.js',
      options: {
        ...common,
        ...engine,
        rate: config.rate,
        durationMs: config.latencyMs,
        warmUpMs: config.latencyWarmUpMs,
        settleTimeoutMs: config.latencySettleMs,
      },
    },
    'engine-latency': {
      title: 'open-loop latency, one-process engine',
      script: 'latency.bench.js',
      options: {
        ...common,
        ...engine,
        deployment: 'engine',
        engineReplicas: config.engineReplicas,
        rate: config.rate,
        durationMs: config.latencyMs,
        warmUpMs: config.latencyWarmUpMs,
        settleTimeoutMs: config.latencySettleMs,
      },
    },
    redis: { title: 'Redis cost', script: 'redis-cost.bench.js', options: { ...common, levels: config.redisLevels, sampleSize: config.redisSampleSize } },
    inprocess: { title: 'in-process cost', script: 'in-process.bench.js', options: { ...common } },
    'redis-cluster': {
      title: 'Redis Cluster drain against one Redis',
      script: 'redis-cluster.bench.js',
      options: {
        ...common,
        clusterNodes: config.clusterNodes,
        count: config.clusterCount,
        rounds: config.clusterRounds,
        chunkSize: config.chunkSize,
        chunksInFlight: 2,
        warmUpCount: Math.min(2_000, config.clusterCount),
      },
    },
  };
}

/** Runs one stage process; progress passes through to our stderr. Bounded by `timeoutMs`. */
function runStageProcess(script, options, resultFile, timeoutMs) {
  return new Promise((resolve) => {
    fs.rmSync(resultFile, { force: true });
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'bench', script), `--options=${JSON.stringify(options)}`, `--result=${resultFile}`], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      say(`${script} exceeded ${Math.round(timeoutMs / 1000)} s; stopping it`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, error: error.message });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && fs.existsSync(resultFile)) {
        resolve({ ok: true, result: JSON.parse(fs.readFileSync(resultFile, 'utf8')) });
      } else {
        resolve({ ok: false, error: timedOut ? 'timed out' : `exit code ${code}${signal ? `, signal ${signal}` : ''}` });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Clean-up of everything a run created, also when a stage died half-way

async function sweep(kafkaBrokers, redisUrl, namespaces, clusterNodes) {
  const { Kafka, logLevel } = require('kafkajs');
  const Redis = require('ioredis');
  const kafka = new Kafka({ clientId: 'bench-sweep', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => namespaces.some((ns) => topic.startsWith(`${ns}.`)));
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => namespaces.some((ns) => id.startsWith(ns)));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    if (topics.length + groups.length > 0) say(`removed ${topics.length} leftover topics and ${groups.length} groups`);
  } catch (error) {
    say(`topic sweep failed: ${error.message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    let removed = 0;
    for (const ns of namespaces) {
      let cursor = '0';
      for (let pass = 0; pass < 10_000_000; pass++) {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${ns}:*`, 'COUNT', 5_000);
        if (keys.length > 0) removed += await redis.unlink(...keys);
        cursor = next;
        if (cursor === '0') break;
      }
    }
    if (removed > 0) say(`removed ${removed} leftover Redis keys`);
  } catch (error) {
    say(`Redis sweep failed: ${error.message}`);
  } finally {
    redis.disconnect();
  }
  if (clusterNodes) await sweepCluster(clusterNodes, namespaces);
}

/** The same on each primary of the Redis Cluster; keys of different slots cannot share an UNLINK. */
async function sweepCluster(clusterNodes, namespaces) {
  const { Cluster } = require('ioredis');
  const cluster = new Cluster(
    clusterNodes.split(',').map((node) => {
      const at = node.lastIndexOf(':');
      return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
    }),
    { redisOptions: { maxRetriesPerRequest: 2 } },
  );
  try {
    await cluster.ping();
    let removed = 0;
    for (const node of cluster.nodes('master')) {
      for (const ns of namespaces) {
        let cursor = '0';
        for (let pass = 0; pass < 10_000_000; pass++) {
          const [next, keys] = await node.scan(cursor, 'MATCH', `${ns}:*`, 'COUNT', 5_000);
          for (const key of keys) removed += await node.unlink(key);
          cursor = next;
          if (cursor === '0') break;
        }
      }
    }
    if (removed > 0) say(`removed ${removed} leftover Redis Cluster keys`);
  } catch (error) {
    say(`Redis Cluster sweep failed: ${error.message}`);
  } finally {
    cluster.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Machine and report

/** The machine's CPU time so far (all cores, in ticks) from /proc/stat; null where there is none. */
function cpuTimes() {
  try {
    const values = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((sum, value) => sum + value, 0);
    // user nice system idle iowait irq softirq steal…: steal is time the hypervisor gave elsewhere.
    return { busy: total - values[3] - (values[4] ?? 0), steal: values[7] ?? 0, total };
  } catch {
    return null;
  }
}

/** Share of all cores busy over `ms`, whoever uses them (from /proc/stat); null off Linux. */
async function machineBusyShare(ms) {
  const before = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpuTimes();
  return before && after && after.total > before.total ? (after.busy - before.busy) / (after.total - before.total) : null;
}

/** Share of the machine's CPU time between two readings that the hypervisor gave to other guests. */
function stolenShare(before, after) {
  return before && after && after.total > before.total ? (after.steal - before.steal) / (after.total - before.total) : null;
}

async function machineInfo(redisUrl, kafkaVersion) {
  const Redis = require('ioredis');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  let redisVersion;
  try {
    const info = await redis.info('server');
    redisVersion = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage1mAtStart: round(os.loadavg()[0], 2),
    kafka: kafkaVersion,
    kafkajs: require('kafkajs/package.json').version,
    redis: redisVersion,
    platform: `${os.platform()} ${os.release()}`,
  };
}

const round = (value, digits = 0) => (value === null || value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits)));

/** A target of the Redis Cluster stage, its figures rounded for the report. */
function roundedClusterTarget(target) {
  return {
    ...target,
    throughputPerSec: round(target.throughputPerSec),
    arrivalsPerSec: round(target.arrivalsPerSec),
    answersPerSec: round(target.answersPerSec),
    clientCpuUsPerInteraction: round(target.clientCpuUsPerInteraction, 1),
    cpuUsPerInteraction: round(target.cpuUsPerInteraction, 1),
    shards: target.shards.map((shard) => ({
      ...shard,
      share: round(shard.share, 3),
      cpuUsPerInteraction: round(shard.cpuUsPerInteraction, 1),
      cpuUsRuns: shard.cpuUsRuns.map((value) => round(value, 1)),
      replicationBytesPerInteraction: round(shard.replicationBytesPerInteraction),
      replicaCpuUsPerInteraction: round(shard.replicaCpuUsPerInteraction, 1),
    })),
  };
}

/** Folds the stage results into the report's shape (the keys the issue names, and details). */
function buildReport(config, machine, outcomes) {
  const ok = (stage) => (outcomes[stage]?.ok ? outcomes[stage].result : null);
  const e2e = ok('e2e');
  const e2eEngine = ok('engine');
  const relay = ok('relay');
  const baseline = ok('baseline');
  const latency = ok('latency');
  const latencyEngine = ok('engine-latency');
  const redis = ok('redis');
  const inprocess = ok('inprocess');
  const cluster = ok('redis-cluster');
  const levelAt = (waiting) => redis?.levels.find((level) => level.waiting >= waiting * 0.99 && level.waiting <= waiting * 1.05) ?? null;
  const zero = redis?.levels[0] ?? null;
  const top = redis?.levels[redis.levels.length - 1] ?? null;
  const sum = (values) => (values.some((value) => value === null || value === undefined) ? null : values.reduce((a, b) => a + b, 0));
  const e2eCpu = e2e?.cpuUsPerInteraction ? sum([e2e.cpuUsPerInteraction.classifier, e2e.cpuUsPerInteraction.router]) : null;
  const relayCpu = relay?.cpuUsPerMessage ? sum([relay.cpuUsPerMessage.firstHop, relay.cpuUsPerMessage.secondHop]) : null;
  // Server-side µs is the cost of the script itself; the round trip is mostly the loopback hop.
  const opUs = (level, op) => (level ? round(level[op].serverUs ?? level[op].roundTripUs, 1) : null);
  // What e2e / relay could reach at best on this run's figures: the engine's two hops carry at
  // least the relay's own plumbing (both hops and the broker), one classification and one
  // arrival's enqueue in Redis per interaction. Everything else the services do (decoding, the
  // Redis client, the larger messages, the decision events) is left out, so the real ceiling is
  // lower still.
  const relayCpuWithBroker = relay?.cpuUsPerMessage ? sum([relayCpu, relay.cpuUsPerMessage.broker]) : null;
  // The engine sends a chunk's arrivals in runs: their cost per arrival inside Redis is the floor's
  // (the single calls' figure when another client's scripts kept the runs from being timed).
  const enqueueInRunsUs = (level) => (level && typeof level.enqueueInRunsServerUs === 'number' ? round(level.enqueueInRunsServerUs, 1) : null);
  const floorEnqueueUs = zero ? (enqueueInRunsUs(zero) ?? opUs(zero, 'enqueue')) : null;
  const e2eCpuFloorUs = relayCpuWithBroker !== null && inprocess && zero ? relayCpuWithBroker + inprocess.classifyUs + floorEnqueueUs : null;
  const e2eCeilingPerSec = e2eCpuFloorUs ? (machine.cores * 1e6) / e2eCpuFloorUs : null;
  // The one-process engine needs one hop, not two: it consumes the inbound topic and produces the
  // decisions, as the relay's first hop does, and the broker carries each message once instead of
  // twice (half the relay's broker cost). The same one classification and one enqueue come on top.
  const oneHopWithBroker = relay?.cpuUsPerMessage ? sum([relay.cpuUsPerMessage.firstHop, relay.cpuUsPerMessage.broker / 2]) : null;
  const engineCpuFloorUs = oneHopWithBroker !== null && inprocess && zero ? oneHopWithBroker + inprocess.classifyUs + floorEnqueueUs : null;
  const engineCeilingPerSec = engineCpuFloorUs ? (machine.cores * 1e6) / engineCpuFloorUs : null;
  return {
    mode: config.quick ? 'quick' : 'full',
    finishedAt: new Date().toISOString(),
    settings: {
      count: config.count,
      partitions: config.partitions,
      chunkSize: config.chunkSize,
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      engineReplicas: config.engineReplicas,
      drainRepeats: config.repeat,
      latencyRepeats: config.stages.some((stage) => LATENCY_STAGES.includes(stage)) ? config.repeat : 0,
      baselineCount: config.baselineCount,
      latencyRate: config.rate,
      latencyDurationMs: config.latencyMs,
      redisLevels: [0, ...config.redisLevels],
      clusterCount: config.clusterCount,
      clusterRounds: config.clusterRounds,
    },
    e2e: e2e && { ...e2e, throughputPerSec: round(e2e.throughputPerSec) },
    e2eEngine: e2eEngine && { ...e2eEngine, throughputPerSec: round(e2eEngine.throughputPerSec) },
    relay: relay && { ...relay, throughputPerSec: round(relay.throughputPerSec) },
    nestBaseline: baseline && { ...baseline, throughputPerSec: round(baseline.throughputPerSec) },
    latency: latency && { ...latency },
    latencyEngine: latencyEngine && { ...latencyEngine },
    redis: redis && {
      bytesPerWaiting: top?.bytesPerWaiting ?? null,
      bytesPerWaitingAt100k: levelAt(100_000)?.bytesPerWaiting ?? null,
      bytesPerWaitingAt1M: levelAt(1_000_000)?.bytesPerWaiting ?? null,
      maxWaiting: top?.waiting ?? null,
      breakdownBytes: redis.breakdownBytes,
      fillRatePerSec: round(redis.fillRatePerSec),
      otherKeysInDatabase: redis.otherKeysInDatabase,
      levels: redis.levels,
    },
    enqueue: redis && {
      usAt0: opUs(zero, 'enqueue'),
      usAt100k: opUs(levelAt(100_000), 'enqueue'),
      usAt1M: opUs(levelAt(1_000_000), 'enqueue'),
      usAtMax: opUs(top, 'enqueue'),
      roundTripUsAt0: round(zero?.enqueue.roundTripUs, 1),
      roundTripUsAtMax: round(top?.enqueue.roundTripUs, 1),
      // Per arrival inside Redis when arrivals come in runs, as the engine sends them.
      inRunsUsAt0: enqueueInRunsUs(zero),
      inRunsUsAtMax: enqueueInRunsUs(top),
    },
    dequeue: redis && {
      usAt0: opUs(zero, 'dequeue'),
      usAt100k: opUs(levelAt(100_000), 'dequeue'),
      usAt1M: opUs(levelAt(1_000_000), 'dequeue'),
      usAtMax: opUs(top, 'dequeue'),
      roundTripUsAt0: round(zero?.dequeue.roundTripUs, 1),
      roundTripUsAtMax: round(top?.dequeue.roundTripUs, 1),
    },
    // The queue store's drain on the Redis Cluster (domains spread over its primaries) and on one
    // Redis, same run: rates, and Redis CPU µs per interaction, per primary on the cluster.
    redisCluster: cluster && {
      ...cluster,
      single: roundedClusterTarget(cluster.single),
      cluster: roundedClusterTarget(cluster.cluster),
      oneShard: roundedClusterTarget(cluster.oneShard),
      clusterWait: roundedClusterTarget(cluster.clusterWait),
      ratios: Object.fromEntries(Object.entries(cluster.ratios).map(([name, value]) => [name, round(value, 2)])),
    },
    inProcess: inprocess && {
      classifyUs: round(inprocess.classifyUs, 1),
      rulesUs: round(inprocess.rulesUs, 2),
      classification: inprocess.classification,
      rules: inprocess.rules,
      recordEncoding: inprocess.recordEncoding ?? null,
    },
    ratios: {
      e2eToRelay: e2e && relay ? round(e2e.throughputPerSec / relay.throughputPerSec, 3) : null,
      e2eEngineToRelay: e2eEngine && relay ? round(e2eEngine.throughputPerSec / relay.throughputPerSec, 3) : null,
      e2eEngineToE2e: e2eEngine && e2e ? round(e2eEngine.throughputPerSec / e2e.throughputPerSec, 2) : null,
      e2eEngineToNestBaseline: e2eEngine && baseline ? round(e2eEngine.throughputPerSec / baseline.throughputPerSec, 2) : null,
      e2eToNestBaseline: e2e && baseline ? round(e2e.throughputPerSec / baseline.throughputPerSec, 2) : null,
      // Less sensitive to other load on the machine than the rate ratio: relay CPU per message
      // (both hops) over engine CPU per interaction (both services), broker and Redis left out.
      relayCpuToE2eCpu: relayCpu !== null && e2eCpu ? round(relayCpu / e2eCpu, 3) : null,
      enqueueAtMaxToAt0: zero && top && top !== zero ? round(opUs(top, 'enqueue') / opUs(zero, 'enqueue'), 2) : null,
      dequeueAtMaxToAt0: zero && top && top !== zero ? round(opUs(top, 'dequeue') / opUs(zero, 'dequeue'), 2) : null,
      // Redis Cluster against one Redis: the rate, and the busiest primary's CPU per interaction
      // it handled over the single Redis's (≈ 1: the work splits over the shards, it does not grow).
      clusterToSingleRate: cluster ? round(cluster.ratios.clusterToSingleRate, 2) : null,
      clusterShardCpuToSingle: cluster ? round(cluster.ratios.maxShardCpuToSingle, 2) : null,
      clusterShardCpuToOneShard: cluster ? round(cluster.ratios.maxShardCpuToOneShard, 2) : null,
    },
    bounds: {
      relayCpuUsPerMessage: round(relayCpuWithBroker, 1),
      e2eCpuFloorUsPerInteraction: round(e2eCpuFloorUs, 1),
      enqueueUsInFloor: floorEnqueueUs,
      e2eCeilingPerSec: round(e2eCeilingPerSec),
      e2eToRelayCeiling: e2eCeilingPerSec && relay ? round(e2eCeilingPerSec / relay.throughputPerSec, 2) : null,
      oneHopCpuUsPerMessage: round(oneHopWithBroker, 1),
      engineCpuFloorUsPerInteraction: round(engineCpuFloorUs, 1),
      engineCeilingPerSec: round(engineCeilingPerSec),
      engineToRelayCeiling: engineCeilingPerSec && relay ? round(engineCeilingPerSec / relay.throughputPerSec, 2) : null,
    },
    failures: Object.fromEntries(
      Object.entries(outcomes)
        .filter(([, outcome]) => !outcome.ok)
        .map(([stage, outcome]) => [stage, outcome.error]),
    ),
    // Share of all cores busy with other work in the second before each stage started.
    machineBusyBeforeStage: Object.fromEntries(Object.entries(outcomes).map(([stage, outcome]) => [stage, round(outcome.busyShareBefore, 2)])),
    // On a virtual machine: share of CPU time the hypervisor gave to other guests while the stage
    // ran. A few percent more steal slows every process of the stage alike; rates fall with it.
    cpuStolenDuringStage: Object.fromEntries(Object.entries(outcomes).map(([stage, outcome]) => [stage, round(outcome.stolenShare, 3)])),
    machine,
  };
}

/** The issue's targets, each judged on this run's numbers (null: not measured in this run). */
function judgeTargets(report) {
  const check = (name, value, target, pass) => ({ name, value, target, met: value === null || value === undefined ? null : pass(value) });
  const topWaiting = report.redis?.maxWaiting;
  return [
    check('e2e ≥ 0.6 × relay', report.ratios.e2eToRelay, '≥ 0.6', (v) => v >= 0.6),
    check('e2e ≥ 10,000/s', report.e2e?.throughputPerSec ?? null, '≥ 10,000/s', (v) => v >= 10_000),
    check('e2e ≥ 5 × NestJS baseline', report.ratios.e2eToNestBaseline, '≥ 5×', (v) => v >= 5),
    check('one-process engine ≥ 0.6 × relay', report.ratios.e2eEngineToRelay, '≥ 0.6', (v) => v >= 0.6),
    check('one-process engine ≥ 10,000/s', report.e2eEngine?.throughputPerSec ?? null, '≥ 10,000/s', (v) => v >= 10_000),
    check('one-process engine ≥ 5 × NestJS', report.ratios.e2eEngineToNestBaseline, '≥ 5×', (v) => v >= 5),
    check(`p99 ≤ 50 ms at ${report.latency?.rate ?? report.settings.latencyRate}/s`, report.latency?.p99Ms ?? null, '≤ 50 ms', (v) => v <= 50),
    check(`p99 ≤ 50 ms, one-process engine`, report.latencyEngine?.p99Ms ?? null, '≤ 50 ms', (v) => v <= 50),
    check('bytes per waiting interaction', report.redis?.bytesPerWaiting ?? null, '≤ 600 B', (v) => v <= 600),
    check(`enqueue µs at ${topWaiting ? topWaiting.toLocaleString('en-US') : 'max'} vs 0`, report.ratios.enqueueAtMaxToAt0, '≤ 1.5×', (v) => v <= 1.5),
    check(`dequeue µs at ${topWaiting ? topWaiting.toLocaleString('en-US') : 'max'} vs 0`, report.ratios.dequeueAtMaxToAt0, '≤ 1.5×', (v) => v <= 1.5),
  ];
}

function formatTable(report, targets) {
  const n = (value, digits = 0) =>
    value === null || value === undefined ? '—' : Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const failed = (stage) => (report.failures[stage] ? `failed: ${report.failures[stage]}` : '—');
  const rows = [];
  const row = (label, value) => rows.push([label, value]);
  // With --repeat, the median run's rate, then every run's in the order they ran.
  const allRuns = (result) => (result?.runs ? ` (median; runs ${result.runs.map((rate) => n(rate)).join(' · ')})` : '');
  // With --repeat, the run with the median p99, then every run's p99 in the order they ran.
  const allP99s = (result) => (result?.runs ? ` (median run; p99 of the runs ${result.runs.map((p99) => n(p99, 1)).join(' · ')})` : '');
  row(
    `1 e2e drain (${n(report.settings.count)} arrivals)`,
    report.e2e ? `${n(report.e2e.throughputPerSec)} /s${report.e2e.completed ? '' : ' (time bound hit)'}${allRuns(report.e2e)}` : failed('e2e'),
  );
  row(
    `1b e2e drain, one-process engine ×${n(report.e2eEngine?.engineReplicas ?? report.settings.engineReplicas)}`,
    report.e2eEngine
      ? `${n(report.e2eEngine.throughputPerSec)} /s${report.e2eEngine.completed ? '' : ' (time bound hit)'}${allRuns(report.e2eEngine)}`
      : failed('engine'),
  );
  row('2 bare kafkajs relay (ceiling)', report.relay ? `${n(report.relay.throughputPerSec)} msg/s${allRuns(report.relay)}` : failed('relay'));
  row(
    `3 NestJS baseline (${n(report.settings.baselineCount)} arrivals)`,
    report.nestBaseline ? `${n(report.nestBaseline.throughputPerSec)} /s${report.nestBaseline.completed ? '' : ' (time bound hit)'}` : failed('baseline'),
  );
  row('  e2e / relay', report.ratios.e2eToRelay === null ? '—' : n(report.ratios.e2eToRelay, 2));
  row(
    '  one-process engine / relay',
    report.ratios.e2eEngineToRelay === null
      ? '—'
      : `${n(report.ratios.e2eEngineToRelay, 2)} (${report.ratios.e2eEngineToE2e === null ? '—' : n(report.ratios.e2eEngineToE2e, 2)}× the two services)`,
  );
  const cpu = (values, names) => (values ? names.map(([key, label]) => `${label} ${n(values[key])}`).join(' + ') : '—');
  row(
    '  CPU µs/record: e2e',
    cpu(report.e2e?.cpuUsPerInteraction, [
      ['classifier', 'classifier'],
      ['router', 'router'],
      ['broker', 'broker'],
      ['redis', 'redis'],
    ]),
  );
  row(
    '  CPU µs/record: one-process engine',
    cpu(report.e2eEngine?.cpuUsPerInteraction, [
      ['engine', 'engine'],
      ['broker', 'broker'],
      ['redis', 'redis'],
    ]),
  );
  row(
    '  CPU µs/record: relay',
    cpu(report.relay?.cpuUsPerMessage, [
      ['firstHop', 'hop 1'],
      ['secondHop', 'hop 2'],
      ['broker', 'broker'],
    ]),
  );
  row(
    '  CPU µs/record: NestJS baseline',
    cpu(report.nestBaseline?.cpuUsPerInteraction, [
      ['app', 'app'],
      ['broker', 'broker'],
      ['redis', 'redis'],
    ]),
  );
  const bounds = report.bounds;
  row(
    '  e2e / relay attainable at best',
    bounds.e2eToRelayCeiling === null
      ? '—'
      : `${n(bounds.e2eToRelayCeiling, 2)} (${n(report.machine.cores)} cores / (relay ${n(bounds.relayCpuUsPerMessage, 1)} + classify ${n(report.inProcess.classifyUs, 1)} + enqueue ${n(bounds.enqueueUsInFloor, 1)} µs) = ${n(bounds.e2eCeilingPerSec)}/s)`,
  );
  row(
    '  one-process engine / relay at best',
    bounds.engineToRelayCeiling === null
      ? '—'
      : `${n(bounds.engineToRelayCeiling, 2)} (${n(report.machine.cores)} cores / (one relay hop ${n(bounds.oneHopCpuUsPerMessage, 1)} + classify ${n(report.inProcess.classifyUs, 1)} + enqueue ${n(bounds.enqueueUsInFloor, 1)} µs) = ${n(bounds.engineCeilingPerSec)}/s)`,
  );
  row('  relay CPU / e2e CPU (services only)', report.ratios.relayCpuToE2eCpu === null ? '—' : n(report.ratios.relayCpuToE2eCpu, 2));
  row('  e2e / NestJS baseline', report.ratios.e2eToNestBaseline === null ? '—' : `${n(report.ratios.e2eToNestBaseline, 1)}×`);
  const l = report.latency;
  row(
    `4 latency at ${n(report.settings.latencyRate)}/s, ${n(report.settings.latencyDurationMs / 1000)} s`,
    l
      ? `p50 ${n(l.p50Ms, 1)} · p95 ${n(l.p95Ms, 1)} · p99 ${n(l.p99Ms, 1)} · max ${n(l.maxMs, 1)} ms (${n(l.received)}/${n(l.measured)} back)${allP99s(l)}`
      : failed('latency'),
  );
  const le = report.latencyEngine;
  row(
    `  the same, one-process engine ×${n(le?.engineReplicas ?? report.settings.engineReplicas)}`,
    le
      ? `p50 ${n(le.p50Ms, 1)} · p95 ${n(le.p95Ms, 1)} · p99 ${n(le.p99Ms, 1)} · max ${n(le.maxMs, 1)} ms (${n(le.received)}/${n(le.measured)} back)${allP99s(le)}`
      : failed('engine-latency'),
  );
  // Cut at the decision's Kafka timestamp: up to its publication, then the reader's side.
  const segments = (result) =>
    result?.segments
      ? `to publication p50 ${n(result.segments.toPublication.p50Ms, 1)} · p99 ${n(result.segments.toPublication.p99Ms, 1)}; after it p50 ${n(result.segments.afterPublication.p50Ms, 1)} · p99 ${n(result.segments.afterPublication.p99Ms, 1)} ms`
      : '—';
  row('  of which (two services / engine)', `${segments(l)} / ${segments(le)}`);
  if (report.redis) {
    row(
      '5 Redis bytes per waiting',
      report.redis.levels
        .filter((level) => level.bytesPerWaiting !== null)
        .map((level) => `${n(level.bytesPerWaiting)} B at ${n(level.waiting)}`)
        .join(' · '),
    );
    const ops = (op) =>
      report.redis.levels
        .map((level) => `${n(level[op].serverUs ?? level[op].roundTripUs, 1)} (${n(level[op].roundTripUs, 0)} rt) at ${n(level.waiting)}`)
        .join(' · ');
    row('  enqueue µs in Redis (round trip)', ops('enqueue'));
    row('  dequeue µs in Redis (round trip)', ops('dequeue'));
    if (report.redis.levels.some((level) => level.enqueueInRunsServerUs !== undefined)) {
      row(
        '  enqueue µs in Redis per arrival, in runs',
        report.redis.levels
          .map((level) => `${level.enqueueInRunsServerUs === null ? 'n/a' : n(level.enqueueInRunsServerUs, 1)} at ${n(level.waiting)}`)
          .join(' · '),
      );
    }
    const b = report.redis.breakdownBytes;
    row('  bytes: hash · trace · queue · timers', `${n(b.interactionHash)} · ${n(b.trace)} · ${n(b.queueEntry)} · ${n(b.timerEntries)}`);
    if (report.redis.otherKeysInDatabase > 0)
      row('  other keys in the database (!)', `${n(report.redis.otherKeysInDatabase)}: the levels were measured in a larger keyspace`);
  } else row('5 Redis cost', failed('redis'));
  row('6 µs per classification', report.inProcess ? n(report.inProcess.classifyUs, 1) : failed('inprocess'));
  for (const set of report.inProcess?.classification.sets ?? [])
    row(
      `  ${set.name} texts against the classifier before`,
      set.ratioToBaseline === undefined
        ? `${n(set.classifyUs, 1)} µs (baseline unavailable: ${report.inProcess.classification.baseline.unavailable})`
        : `${n(set.classifyUs, 1)} against ${n(set.baselineUs, 1)} µs (${n(set.ratioToBaseline, 2)}×)`,
    );
  row('  µs per rule evaluation (500 rules)', report.inProcess ? n(report.inProcess.rulesUs, 2) : failed('inprocess'));
  const records = report.inProcess?.recordEncoding;
  if (records)
    row(
      '  µs per produced Kafka record',
      `${n(records.exactSizeUs, 2)} exact-size against ${n(records.kafkajsUs, 2)} with kafkajs's encoder (${n(records.ratio, 2)}×)`,
    );
  if (records?.checksum)
    row(
      '  µs per record, batch checksum',
      `${n(records.checksum.slicedUs, 3)} sliced against ${n(records.checksum.kafkajsUs, 3)} with kafkajs's CRC-32C (${n(records.checksum.ratio, 2)}×)`,
    );
  const rc = report.redisCluster;
  if (rc) {
    const rates = (target) => `${n(target.throughputPerSec)} /s (runs ${target.runs.map((rate) => n(rate)).join(' · ')})`;
    row(
      `7 Redis Cluster drain (${n(rc.count)})`,
      `${rates(rc.cluster)} on ${rc.cluster.shards.length} primaries, ${rc.domains.cluster.length} domains, against ${rates(rc.single)} on one Redis: ${n(rc.ratios.clusterToSingleRate, 2)}×${rc.cluster.topologyChanged ? ' (primaries changed during the stage!)' : ''}`,
    );
    row(
      '  Redis CPU µs/interaction',
      `one Redis ${n(rc.single.cpuUsPerInteraction, 1)} · each primary ${rc.cluster.shards.map((shard) => n(shard.cpuUsPerInteraction, 1)).join(' · ')} (${rc.cluster.shards.map((shard) => `${shard.node} ${n(shard.share * 100)}%`).join(' · ')} of interactions) · one primary with every domain ${n(rc.oneShard.cpuUsPerInteraction, 1)}`,
    );
    row(
      '  busiest primary / one Redis',
      `${n(rc.ratios.maxShardCpuToSingle, 2)} (/ one primary with every domain ${n(rc.ratios.maxShardCpuToOneShard, 2)}: ≈ 1, the work splits; that primary / one Redis ${n(rc.ratios.oneShardCpuToSingle, 2)})`,
    );
    row('  with WAIT 1 on every chunk', `${rates(rc.clusterWait)}: ${n(rc.ratios.waitToNoWaitRate, 2)}× the rate without`);
    row(
      '  replicas µs/interaction (stream)',
      rc.cluster.shards.map((shard) => `${n(shard.replicaCpuUsPerInteraction, 1)} (${n(shard.replicationBytesPerInteraction)} B)`).join(' · '),
    );
  } else if (report.failures['redis-cluster']) row('7 Redis Cluster drain', failed('redis-cluster'));
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const m = report.machine;
  const lines = [
    '',
    `Conmutador bench (${report.mode}) · ${m.cores} cores · Node ${m.node} · Kafka ${m.kafka} · Redis ${m.redis} · ${report.settings.partitions} partitions, chunks of ${report.settings.chunkSize}`,
    `machine busy with other work before each stage: ${Object.entries(report.machineBusyBeforeStage)
      .map(([stage, share]) => `${stage} ${share === null ? '?' : `${Math.round(share * 100)}%`}`)
      .join(' · ')}`,
    `CPU stolen by the hypervisor during each stage: ${Object.entries(report.cpuStolenDuringStage)
      .map(([stage, share]) => `${stage} ${share === null ? '?' : `${(share * 100).toFixed(1)}%`}`)
      .join(' · ')}`,
    '',
    ...rows.map(([label, value]) => `${label.padEnd(width)}${value}`),
    '',
    'targets',
    ...targets.map(
      (t) =>
        `  ${t.met === null ? '  ·  ' : t.met ? ' met ' : 'UNMET'}  ${t.name.padEnd(32)} ${t.value === null || t.value === undefined ? '—' : String(t.value)} (target ${t.target})`,
    ),
    '',
  ];
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const config = parseArgs(process.argv.slice(2));
  const started = Date.now();
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'bench', 'e2e-drain.bench.js'))) {
    throw new Error('dist/bench is missing: run `npm run build` first (npm run bench does)');
  }
  say(`mode ${config.quick ? 'quick' : 'full'}; stages: ${config.stages.join(', ')}`);
  const stack = await ensureStack({ log: (...args) => process.stderr.write(`[stack] ${format(...args)}\n`) });
  const kafkaBrokers = String(stack.kafkaBrokers)
    .split(',')
    .map((broker) => broker.trim());
  const redisUrl = new URL(stack.redisUrl);
  redisUrl.pathname = `/${BENCH_REDIS_DB}`;
  const machine = await machineInfo(redisUrl.toString(), stack.kafkaVersion ?? pinnedKafkaVersion());
  // The Redis Cluster stage starts the local cluster (three primaries, a replica each) when it is
  // not running, as the tests do; if it cannot, that stage fails and the others run.
  let clusterError = null;
  if (config.stages.includes('redis-cluster')) {
    try {
      config.clusterNodes = (await ensureRedisCluster({ log: (...args) => process.stderr.write(`[stack] ${format(...args)}\n`) })).nodes;
      say(`redis cluster ${config.clusterNodes}`);
    } catch (error) {
      clusterError = `the Redis Cluster did not start: ${error.message}`;
      say(clusterError);
    }
  }
  say(
    `kafka ${kafkaBrokers.join(',')} (${machine.kafka}) · redis ${redisUrl.host} db ${BENCH_REDIS_DB} (${machine.redis}) · ${machine.cores} cores · node ${machine.node}`,
  );

  const runId = `${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const profileDir = config.profile ? path.join(RESULTS_DIR, 'profiles', runId) : undefined;
  // Only the last run's service logs are kept (bench/results/logs/<namespace>-<process>.log).
  fs.rmSync(path.join(RESULTS_DIR, 'logs'), { recursive: true, force: true });
  const stageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conmutador-bench-'));
  const namespaces = [];
  const runs = {};
  const plan = runPlan(config);
  try {
    for (const [index, { stage, round }] of plan.entries()) {
      const runName = round === 1 ? stage : `${stage}-r${round}`;
      const namespace = `bench-${runName}-${runId}`;
      namespaces.push(namespace);
      const profiled = profileDir && ['e2e', 'engine', 'latency', 'engine-latency'].includes(stage);
      const common = {
        kafkaBrokers,
        redisUrl: redisUrl.toString(),
        namespace,
        keyPrefix: `${namespace}:`,
        quick: config.quick,
        kafkaPid: stack.kafkaPid ?? null,
        ...(profiled ? { profileDir: path.join(profileDir, runName) } : {}),
      };
      const stageRun = stagePlan(config, common)[stage];
      const title = config.repeat > 1 && REPEATED_STAGES.includes(stage) ? `${stageRun.title}, round ${round} of ${config.repeat}` : stageRun.title;
      say(`▶ ${index + 1}/${plan.length} ${title} (${Math.round((Date.now() - started) / 1000)} s into the run)`);
      const stageStarted = Date.now();
      // Other work on the machine shows here: figures taken under load are not comparable.
      const busyShareBefore = await machineBusyShare(500);
      if (busyShareBefore !== null && busyShareBefore > 0.25)
        say(`note: ${Math.round(busyShareBefore * 100)}% of the machine's CPU was busy with other work just before this stage`);
      const cpuBefore = cpuTimes();
      const outcome = {
        ...(stage === 'redis-cluster' && clusterError
          ? { ok: false, error: clusterError }
          : await runStageProcess(stageRun.script, stageRun.options, path.join(stageDir, `${runName}.json`), stageTimeoutMs(config, stage))),
        busyShareBefore,
      };
      outcome.stolenShare = stolenShare(cpuBefore, cpuTimes());
      (runs[stage] ??= []).push(outcome);
      say(`${outcome.ok ? '✓' : '✗'} ${title} in ${((Date.now() - stageStarted) / 1000).toFixed(0)} s${outcome.ok ? '' : `: ${outcome.error}`}`);
    }
  } finally {
    await sweep(kafkaBrokers, redisUrl.toString(), namespaces, config.clusterNodes);
    fs.rmSync(stageDir, { recursive: true, force: true });
  }

  const outcomes = Object.fromEntries(Object.entries(runs).map(([stage, stageRuns]) => [stage, medianOutcome(stage, stageRuns)]));
  const report = buildReport(config, machine, outcomes);
  const targets = judgeTargets(report);
  report.targets = targets;
  report.durationMs = Date.now() - started;
  fs.mkdirSync(path.dirname(config.out), { recursive: true });
  fs.writeFileSync(config.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(formatTable(report, targets));
  say(`wrote ${path.relative(REPO_ROOT, config.out)} · whole run ${(report.durationMs / 1000).toFixed(0)} s`);

  if (profileDir) {
    const { summariseProfile, formatProfileSummary } = require(path.join(REPO_ROOT, 'dist', 'bench', 'cpu-profile-summary.js'));
    const summaries = {};
    for (const [stage, key] of [
      ['e2e', 'e2e'],
      ['engine', 'e2eEngine'],
      ['latency', 'latency'],
      ['engine-latency', 'latencyEngine'],
    ]) {
      const result = report[key];
      if (!result?.profiles) continue;
      for (const file of result.profiles) {
        if (!fs.existsSync(file)) continue;
        const window = result.windowHrtimeUs;
        const summary = summariseProfile(JSON.parse(fs.readFileSync(file, 'utf8')), { fromUs: window.start, toUs: window.end }, 25);
        summaries[path.relative(REPO_ROOT, file)] = summary;
        process.stdout.write(`\n${formatProfileSummary(`${stage}: ${path.relative(REPO_ROOT, file)}`, summary)}\n`);
      }
    }
    // Kept in the report rather than beside the profiles: bench/results/*.json is what git ignores.
    report.profileSummaries = summaries;
    fs.writeFileSync(config.out, `${JSON.stringify(report, null, 2)}\n`);
    say(`profiles in ${path.relative(REPO_ROOT, profileDir)}; their summaries in ${path.relative(REPO_ROOT, config.out)} (profileSummaries)`);
  }
  return Object.keys(report.failures).length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    say(`failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
