/**
 * Stage 7, the queue store on a Redis Cluster against one Redis, in the same process and run.
 *
 * The router's own commands (the bench mix, classified by the real classifier, decided by the
 * default ruleset) drain through `RedisQueueStore` as a router sends them: N arrivals in chunks,
 * each chunk one `execute` then one `markPublished`, then the N answers (dequeues) the same way,
 * a few chunks in flight. Six routing domains stand for six client operations with the same
 * queues (a domain is usually one client operation: libs/rules ruleset-document.ts), and the
 * interactions go round-robin over them, so every domain sees the whole mix. Three targets, in
 * rounds that alternate their order, each run on a fresh key prefix deleted afterwards:
 *  - `single`: the single Redis the other stages use;
 *  - `cluster`: the Redis Cluster, the domains named so that their hash tags land two on each
 *    of its three primaries (a third of the interactions each);
 *  - `clusterWait`: the same as `cluster`, each chunk waiting for a replica (`WAIT 1`, the store's
 *    `replicaAcks`), as the router does with REDIS_WAIT_REPLICAS=1: what that guarantee costs;
 *  - `oneShard`: the same cluster, the six domains named to land on one primary: what the
 *    cluster itself adds per interaction (its replica's stream, cluster mode), with no split.
 *
 * Figures: interactions per second (an arrival and its answer), and Redis CPU per interaction,
 * from `INFO cpu` (used_cpu_sys + used_cpu_user) of each server around the timed window: for the
 * single Redis over every interaction, for each primary over the interactions of its domains.
 * With one machine's cores the cluster is not expected to be faster (its three primaries, their
 * replicas and the client share the same cores); what it shows is whether the work splits: a
 * primary's CPU per interaction it handles against the single Redis's and against one primary
 * doing all of it.
 */
// Class-validator and class-transformer decorators of the contract classes need the metadata API.
import 'reflect-metadata';
import { join } from 'node:path';
import Redis, { Cluster } from 'ioredis';
import { loadClassifier } from '@conmutador/classification';
import { readMappingsFile } from '@conmutador/classification-stage';
import { DequeueCommand, DomainKeys, EnqueueCommand, QueueCommand, QueueOutcome, RedisQueueStore } from '@conmutador/redis-queues';
import { arrivalCommands } from './support/arrival-commands';
import { benchRedis, deleteByPrefix } from './support/bench-redis';
import { REPO_ROOT } from './support/engine-services';
import { CommonStageOptions, formatCount, progress, runStage, sleep } from './support/stage';

const STAGE = 'redis-cluster';
const FINISHED_TTL_SECONDS = 7 * 24 * 3600;
/** Routing domains per primary when spread: two each, six on a cluster of three. */
const DOMAINS_PER_SHARD = 2;
const CONNECTION_NAME = 'conmutador-bench';

export interface RedisClusterStageOptions extends CommonStageOptions {
  /** The cluster's nodes, `host:port,…` (primaries and replicas; the client discovers the slots). */
  clusterNodes: string;
  /** Interactions per timed run: each one arrives and is answered. */
  count: number;
  /** Runs per target; rounds alternate the targets' order. */
  rounds: number;
  /** Commands per `execute` call, as a router's chunk. */
  chunkSize: number;
  /** Chunks in flight at once. */
  chunksInFlight: number;
  /** Interactions of an untimed run per target first (scripts loaded, code warm). */
  warmUpCount: number;
}

/** One server's counters over a window. */
export interface ServerUse {
  /** used_cpu_sys + used_cpu_user (INFO cpu), ms. */
  cpuMs: number;
  /** Bytes of replication stream it produced (master_repl_offset; 0 without replicas). */
  replicationBytes: number;
}

export interface DrainRun {
  /** Interactions (arrival + answer) per second over both phases. */
  throughputPerSec: number;
  arrivalsPerSec: number;
  answersPerSec: number;
  /** This process's CPU (ioredis, the store, building commands) per interaction. */
  clientCpuUsPerInteraction: number;
  /** Per server, `host:port` → what it used over the timed window (null: it did not answer INFO). */
  servers: Record<string, ServerUse | null>;
}

export interface ShardFigures {
  /** The primary (or the single Redis), `host:port`. */
  node: string;
  replicas: string[];
  domains: string[];
  /** Interactions of this shard's domains in one run, and their share of all. */
  interactions: number;
  share: number;
  /** The server's CPU µs per interaction it handled (median of the runs); each run's beside it. */
  cpuUsPerInteraction: number | null;
  cpuUsRuns: (number | null)[];
  /** Replication stream sent to its replicas, bytes per interaction it handled. */
  replicationBytesPerInteraction: number | null;
  /** Its replicas' CPU µs per interaction it handled (applying that stream). */
  replicaCpuUsPerInteraction: number | null;
}

export interface TargetFigures {
  /** Median of the runs. */
  throughputPerSec: number;
  arrivalsPerSec: number;
  answersPerSec: number;
  clientCpuUsPerInteraction: number;
  /** Every run's interactions per second, in the order they ran. */
  runs: number[];
  /** The servers that handled interactions: one for `single` and `oneShard`, each primary for `cluster`. */
  shards: ShardFigures[];
  /** Those servers together, CPU µs per interaction. */
  cpuUsPerInteraction: number | null;
}

export interface RedisClusterResult {
  count: number;
  rounds: number;
  chunkSize: number;
  chunksInFlight: number;
  /** The domains of each layout: name, slot, the primary that serves it, interactions per run. */
  domains: Record<'cluster' | 'oneShard', { name: string; slot: number; node: string; interactions: number }[]>;
  single: TargetFigures;
  cluster: TargetFigures & {
    /** The primaries' slots moved during the stage (another client failed one over): the cluster figures are not comparable. */
    topologyChanged: boolean;
  };
  oneShard: TargetFigures;
  clusterWait: TargetFigures;
  ratios: {
    clusterToSingleRate: number;
    /** The cluster with WAIT 1 on every chunk over the cluster without: what waiting for a replica costs in rate. */
    waitToNoWaitRate: number;
    /** The busiest primary's µs per interaction over the single Redis's (≈ 1: the work splits, it does not grow). */
    maxShardCpuToSingle: number | null;
    /** The same over one primary doing all the work: what the split changes, with the cluster's own costs on both sides. */
    maxShardCpuToOneShard: number | null;
    /** One primary doing all the work over the single Redis: what cluster mode and a replica add. */
    oneShardCpuToSingle: number | null;
  };
  /** Each server's CPU ms per second while nothing of this stage ran (other clients, cron): included in the figures. */
  idleCpuMsPerSec: Record<string, number | null>;
  redisVersions: { single: string; cluster: string };
}

// ---------------------------------------------------------------------------------------------
// The cluster's layout and the domains

interface SlotRange {
  from: number;
  to: number;
  primary: string;
  replicas: string[];
}

interface Domain {
  name: string;
  slot: number;
  node: string;
}

const address = (host: string, port: number): string => `${host}:${port}`;

function parseNodes(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.lastIndexOf(':');
      return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
    });
}

/** CLUSTER SLOTS as ranges with their primary and replicas, asked of a plain connection. */
async function slotRanges(probe: Redis): Promise<SlotRange[]> {
  const reply = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, ...[string, number, string?][]][];
  return reply
    .map(([from, to, primary, ...replicas]) => ({
      from: Number(from),
      to: Number(to),
      primary: address(String(primary[0]), Number(primary[1])),
      replicas: replicas.map((replica) => address(String(replica[0]), Number(replica[1]))),
    }))
    .sort((a, b) => a.from - b.from);
}

function layoutKey(ranges: SlotRange[]): string {
  return ranges.map((range) => `${range.from}-${range.to}@${range.primary}`).join(' ');
}

/**
 * Domain names `<stem>0`, `<stem>1`, … tried in turn, each kept while the primary its hash tag
 * lands on still wants one: `wanted` says how many each primary takes.
 */
async function domainsOn(probe: Redis, ranges: SlotRange[], stem: string, wanted: Map<string, number>): Promise<Domain[]> {
  const left = new Map(wanted);
  const total = [...wanted.values()].reduce((a, b) => a + b, 0);
  const chosen: Domain[] = [];
  for (let index = 0; chosen.length < total; index++) {
    if (index > 10_000) throw new Error(`no domain names found for every primary (${stem}…)`);
    const name = `${stem}${index}`;
    const slot = Number(await probe.call('CLUSTER', 'KEYSLOT', `{${name}}`));
    const node = ranges.find((range) => slot >= range.from && slot <= range.to)?.primary;
    if (!node) throw new Error(`slot ${slot} is served by no primary`);
    if ((left.get(node) ?? 0) === 0) continue;
    left.set(node, left.get(node)! - 1);
    chosen.push({ name, slot, node });
  }
  return chosen;
}

/**
 * The spread layout in the order interactions go round-robin over it: the first domain of each
 * primary, then the second of each, so interaction i lands on primary i mod 3.
 */
function interleaved(domains: Domain[], primaries: string[]): Domain[] {
  const byNode = primaries.map((node) => domains.filter((domain) => domain.node === node));
  return Array.from({ length: DOMAINS_PER_SHARD }, (_, round) => byNode.map((list) => list[round])).flat();
}

// ---------------------------------------------------------------------------------------------
// The commands

/** The router's enqueue command for each shape of the bench mix (classifier read from the build's model file). */
async function commandTemplates(runTag: string): Promise<EnqueueCommand[]> {
  const { classifier, modelSource, milliseconds } = await loadClassifier({
    mappings: readMappingsFile(join(REPO_ROOT, 'deploy/config/classifier-mappings.json')),
    minConfidence: 0.2,
    modelFile: join(REPO_ROOT, 'dist', 'model', 'text-model.bin'),
  });
  progress(STAGE, 'classifier ready (%s, %s ms)', modelSource === 'file' ? 'model file' : 'trained', Math.round(milliseconds));
  return arrivalCommands(classifier, runTag);
}

const interactionIdOf = (index: number): string => `wa-5731-${String(index).padStart(7, '0')}`;

/** Interaction `index`: the template of its shape in domain `index mod 6`, with its own ids and time. */
function arrivalOf(templates: EnqueueCommand[], domains: string[], index: number, baseMs: number): EnqueueCommand {
  return {
    ...templates[index % templates.length],
    domain: domains[index % domains.length],
    eventId: `evt-${index}`,
    interactionId: interactionIdOf(index),
    enqueuedAtMs: baseMs + index,
    nowMs: Date.now(),
  };
}

function answerOf(index: number): DequeueCommand {
  return { kind: 'dequeue', eventId: `evt-answer-${index}`, interactionId: interactionIdOf(index), reason: 'answered', occurredAtMs: Date.now() };
}

// ---------------------------------------------------------------------------------------------
// One run against one target

type TargetName = 'single' | 'cluster' | 'clusterWait' | 'oneShard';

interface Target {
  name: TargetName;
  client: Redis | Cluster;
  /** The domains, in the order interactions go round-robin over them. */
  domains: Domain[];
  /** Plain connections to every server of the target, `host:port` → client, for INFO. */
  servers: Map<string, Redis>;
  cleanUp: (prefix: string) => Promise<number>;
  /** Replicas that must acknowledge each chunk (WAIT), 0 for none. */
  replicaAcks: number;
}

/** A server's counters now (one INFO call); null when it did not answer. */
async function serverCounters(redis: Redis): Promise<ServerUse | null> {
  try {
    const info = String(await redis.call('INFO', 'cpu', 'replication'));
    const field = (name: string): number => Number(new RegExp(`^${name}:([^\\r\\n]+)`, 'm').exec(info)?.[1] ?? NaN);
    const cpuMs = (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
    return Number.isFinite(cpuMs) ? { cpuMs, replicationBytes: field('master_repl_offset') || 0 } : null;
  } catch {
    return null;
  }
}

async function serversCounters(servers: Map<string, Redis>): Promise<Record<string, ServerUse | null>> {
  const entries = await Promise.all([...servers].map(async ([node, redis]) => [node, await serverCounters(redis)] as const));
  return Object.fromEntries(entries);
}

function used(before: Record<string, ServerUse | null>, after: Record<string, ServerUse | null>): Record<string, ServerUse | null> {
  return Object.fromEntries(
    Object.keys(before).map((node) => {
      const [from, to] = [before[node], after[node]];
      return [
        node,
        from && to
          ? {
              cpuMs: to.cpuMs - from.cpuMs,
              replicationBytes: Math.max(0, to.replicationBytes - from.replicationBytes),
            }
          : null,
      ];
    }),
  );
}

/** Sends `count` commands in chunks, `inFlight` chunks at a time, each chunk then marked published. */
async function drainPhase(store: RedisQueueStore, count: number, chunkSize: number, inFlight: number, command: (index: number) => QueueCommand): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + chunkSize);
      const commands = Array.from({ length: next - from }, (_, offset) => command(from + offset));
      const results = await store.execute(commands);
      const published: { interactionId: string; eventId: string; domain: string }[] = [];
      results.forEach((result, position) => {
        const { kind, interactionId, eventId } = commands[position];
        if (result.outcome !== QueueOutcome.Applied) throw new Error(`${kind} of ${interactionId} was not applied: ${JSON.stringify(result)}`);
        published.push({ interactionId, eventId, domain: result.domain });
      });
      await store.markPublished(published);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/** Interactions still waiting in the domains' queues (0 after a drain). */
async function stillWaiting(client: Redis | Cluster, prefix: string, domains: Domain[]): Promise<number> {
  let waiting = 0;
  for (const { name } of domains) {
    const keys = new DomainKeys(prefix, name);
    for (const queue of await client.smembers(keys.queueIndex)) waiting += await client.zcard(keys.queue(queue));
  }
  return waiting;
}

async function drainRun(target: Target, prefix: string, count: number, options: RedisClusterStageOptions, templates: EnqueueCommand[]): Promise<DrainRun> {
  const store = new RedisQueueStore(target.client, prefix, FINISHED_TTL_SECONDS, { replicaAcks: target.replicaAcks, replicaAckTimeoutMs: 5_000 });
  const domains = target.domains.map((domain) => domain.name);
  const baseMs = Date.now() - 3_600_000;
  try {
    const before = await serversCounters(target.servers);
    const clientBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    await drainPhase(store, count, options.chunkSize, options.chunksInFlight, (index) => arrivalOf(templates, domains, index, baseMs));
    const arrived = process.hrtime.bigint();
    await drainPhase(store, count, options.chunkSize, options.chunksInFlight, answerOf);
    const ended = process.hrtime.bigint();
    const clientUsed = process.cpuUsage(clientBefore);
    const servers = used(before, await serversCounters(target.servers));
    const waiting = await stillWaiting(target.client, prefix, target.domains);
    if (waiting !== 0) throw new Error(`${waiting} interactions still wait after the ${target.name} drain`);
    const seconds = (from: bigint, to: bigint): number => Number(to - from) / 1e9;
    return {
      throughputPerSec: count / seconds(started, ended),
      arrivalsPerSec: count / seconds(started, arrived),
      answersPerSec: count / seconds(arrived, ended),
      clientCpuUsPerInteraction: (clientUsed.user + clientUsed.system) / count,
      servers,
    };
  } finally {
    await target.cleanUp(prefix);
  }
}

// ---------------------------------------------------------------------------------------------
// Figures

/** Removes every key under the prefix on each primary (SCAN, then UNLINK one key at a time: keys of other slots cannot share a command). */
async function deleteOnCluster(cluster: Cluster, prefix: string): Promise<number> {
  if (prefix.length < 4) throw new Error(`refusing to delete by the short prefix "${prefix}"`);
  let removed = 0;
  for (const node of cluster.nodes('master')) {
    let cursor = '0';
    for (let pass = 0; pass < 10_000_000; pass++) {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5_000);
      if (keys.length > 0) {
        const pipeline = node.pipeline();
        for (const key of keys) pipeline.unlink(key);
        for (const [error, deleted] of (await pipeline.exec()) ?? []) {
          if (error) throw error;
          removed += Number(deleted);
        }
      }
      cursor = next;
      if (cursor === '0') break;
    }
  }
  return removed;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const medianOrNull = (values: (number | null)[]): number | null => (values.some((value) => value === null) ? null : median(values as number[]));

/** Interactions of one run per server that handled them (the domains go round-robin). */
function interactionsPerNode(domains: Domain[], count: number): Map<string, number> {
  const perNode = new Map<string, number>();
  domains.forEach((domain, position) => {
    const interactions = Math.floor(count / domains.length) + (position < count % domains.length ? 1 : 0);
    perNode.set(domain.node, (perNode.get(domain.node) ?? 0) + interactions);
  });
  return perNode;
}

/** A counter of some servers over a run, per interaction; null when one did not answer. */
function perInteraction(run: DrainRun, nodes: string[], interactions: number, counter: (use: ServerUse) => number): number | null {
  const uses = nodes.map((node) => run.servers[node]);
  if (interactions === 0 || uses.length === 0 || uses.some((use) => !use)) return null;
  return uses.reduce((sum, use) => sum + counter(use!), 0) / interactions;
}

const cpuUs = (use: ServerUse): number => use.cpuMs * 1000;

function targetFigures(target: Target, runs: DrainRun[], count: number, replicasOf: Map<string, string[]>): TargetFigures {
  const perNode = interactionsPerNode(target.domains, count);
  const shards = [...perNode].map(([node, interactions]): ShardFigures => {
    const replicas = replicasOf.get(node) ?? [];
    const cpuUsRuns = runs.map((run) => perInteraction(run, [node], interactions, cpuUs));
    return {
      node,
      replicas,
      domains: target.domains.filter((domain) => domain.node === node).map((domain) => domain.name),
      interactions,
      share: interactions / count,
      cpuUsPerInteraction: medianOrNull(cpuUsRuns),
      cpuUsRuns,
      replicationBytesPerInteraction: medianOrNull(runs.map((run) => perInteraction(run, [node], interactions, (use) => use.replicationBytes))),
      replicaCpuUsPerInteraction: replicas.length === 0 ? null : medianOrNull(runs.map((run) => perInteraction(run, replicas, interactions, cpuUs))),
    };
  });
  return {
    throughputPerSec: median(runs.map((run) => run.throughputPerSec)),
    arrivalsPerSec: median(runs.map((run) => run.arrivalsPerSec)),
    answersPerSec: median(runs.map((run) => run.answersPerSec)),
    clientCpuUsPerInteraction: median(runs.map((run) => run.clientCpuUsPerInteraction)),
    runs: runs.map((run) => Math.round(run.throughputPerSec)),
    shards,
    cpuUsPerInteraction: medianOrNull(runs.map((run) => perInteraction(run, [...perNode.keys()], count, cpuUs))),
  };
}

function describeRun(target: Target, run: DrainRun, count: number): string {
  const perNode = interactionsPerNode(target.domains, count);
  const cpu = [...perNode].map(
    ([node, interactions]) => `${perNode.size > 1 ? `${node} ` : ''}${perInteraction(run, [node], interactions, cpuUs)?.toFixed(1) ?? '?'}`,
  );
  return `${formatCount(run.throughputPerSec)} interactions/s (arrivals ${formatCount(run.arrivalsPerSec)}/s, answers ${formatCount(run.answersPerSec)}/s) · Redis CPU µs/interaction ${cpu.join(' · ')} · client ${run.clientCpuUsPerInteraction.toFixed(1)}`;
}

// ---------------------------------------------------------------------------------------------

async function runRedisCluster(options: RedisClusterStageOptions): Promise<RedisClusterResult> {
  const nodes = parseNodes(options.clusterNodes);
  if (nodes.length === 0) throw new Error('no Redis Cluster nodes given');
  const single = benchRedis(options.redisUrl);
  const singleNode = new URL(options.redisUrl).host;
  const cluster = new Cluster(nodes, {
    // As the services connect (libs/redis-client): reads from the primaries too.
    redisOptions: { connectionName: CONNECTION_NAME, maxRetriesPerRequest: 2 },
    scaleReads: 'master',
    enableReadyCheck: true,
  });
  const probes = new Map<string, Redis>();
  const probe = (node: string): Redis => {
    let client = probes.get(node);
    if (!client) {
      const [{ host, port }] = parseNodes(node);
      probes.set(node, (client = new Redis({ host, port, connectionName: `${CONNECTION_NAME}-probe`, maxRetriesPerRequest: 2 })));
    }
    return client;
  };
  try {
    const first = probe(address(nodes[0].host, nodes[0].port));
    const ranges = await slotRanges(first);
    const primaries = [...new Set(ranges.map((range) => range.primary))].sort();
    if (primaries.length < 2) throw new Error(`the cluster has ${primaries.length} primary; the stage needs several`);
    const replicasOf = new Map(
      primaries.map((primary) => [primary, [...new Set(ranges.filter((range) => range.primary === primary).flatMap((range) => range.replicas))].sort()]),
    );
    const spread = interleaved(await domainsOn(first, ranges, 'd', new Map(primaries.map((primary) => [primary, DOMAINS_PER_SHARD]))), primaries);
    const oneShard = await domainsOn(first, ranges, 's', new Map([[primaries[0], spread.length]]));
    progress(
      STAGE,
      'domains: %s; on one primary: %s',
      spread.map((domain) => `${domain.name} on ${domain.node}`).join(', '),
      oneShard.map((domain) => domain.name).join(', '),
    );

    const templates = await commandTemplates(options.namespace);

    const clusterServers = new Map([...primaries, ...[...replicasOf.values()].flat()].map((node) => [node, probe(node)]));
    const cleanUpCluster = (prefix: string): Promise<number> => deleteOnCluster(cluster, prefix);
    const targets: Record<TargetName, Target> = {
      single: {
        name: 'single',
        client: single,
        domains: spread.map((domain) => ({ ...domain, node: singleNode })),
        servers: new Map([[singleNode, single]]),
        cleanUp: (prefix) => deleteByPrefix(single, prefix),
        replicaAcks: 0,
      },
      cluster: { name: 'cluster', client: cluster, domains: spread, servers: clusterServers, cleanUp: cleanUpCluster, replicaAcks: 0 },
      clusterWait: { name: 'clusterWait', client: cluster, domains: spread, servers: clusterServers, cleanUp: cleanUpCluster, replicaAcks: 1 },
      oneShard: { name: 'oneShard', client: cluster, domains: oneShard, servers: clusterServers, cleanUp: cleanUpCluster, replicaAcks: 0 },
    };

    // What the servers use with nothing of this stage running, over a second.
    const everyServer = new Map([...targets.single.servers, ...clusterServers]);
    const idleBefore = await serversCounters(everyServer);
    const idleStarted = Date.now();
    await sleep(1_000);
    const idle = used(idleBefore, await serversCounters(everyServer));
    const idleSeconds = (Date.now() - idleStarted) / 1000;
    const idleCpuMsPerSec = Object.fromEntries(Object.entries(idle).map(([node, use]) => [node, use ? use.cpuMs / idleSeconds : null]));

    for (const target of Object.values(targets)) {
      progress(STAGE, 'warm-up: %s interactions, %s', formatCount(options.warmUpCount), target.name);
      await drainRun(target, `${options.keyPrefix}warm-${target.name}:`, options.warmUpCount, options, templates);
    }

    const runs: Record<TargetName, DrainRun[]> = { single: [], cluster: [], clusterWait: [], oneShard: [] };
    let topologyChanged = false;
    const layoutBefore = layoutKey(ranges);
    const order: TargetName[] = ['single', 'cluster', 'clusterWait', 'oneShard'];
    for (let round = 1; round <= options.rounds; round++) {
      // Every other round in reverse: no target always runs first or last.
      for (const name of round % 2 === 1 ? order : [...order].reverse()) {
        const target = targets[name];
        const run = await drainRun(target, `${options.keyPrefix}r${round}-${name}:`, options.count, options, templates);
        runs[name].push(run);
        progress(STAGE, 'round %s, %s: %s', round, name, describeRun(target, run, options.count));
      }
      if (layoutKey(await slotRanges(first)) !== layoutBefore && !topologyChanged) {
        topologyChanged = true;
        progress(STAGE, 'warning: the cluster’s primaries changed during the stage; its figures are not comparable');
      }
    }

    const figures = Object.fromEntries(order.map((name) => [name, targetFigures(targets[name], runs[name], options.count, replicasOf)])) as Record<
      TargetName,
      TargetFigures
    >;
    const singleCpu = figures.single.cpuUsPerInteraction;
    const oneShardCpu = figures.oneShard.cpuUsPerInteraction;
    const shardCpus = figures.cluster.shards.map((shard) => shard.cpuUsPerInteraction);
    const maxShardCpu = shardCpus.some((value) => value === null) ? null : Math.max(...(shardCpus as number[]));
    const ratio = (a: number | null, b: number | null): number | null => (a !== null && b ? a / b : null);
    const describeDomains = (target: Target): { name: string; slot: number; node: string; interactions: number }[] =>
      target.domains.map((domain, position) => ({
        ...domain,
        interactions: Math.floor(options.count / target.domains.length) + (position < options.count % target.domains.length ? 1 : 0),
      }));
    return {
      count: options.count,
      rounds: options.rounds,
      chunkSize: options.chunkSize,
      chunksInFlight: options.chunksInFlight,
      domains: { cluster: describeDomains(targets.cluster), oneShard: describeDomains(targets.oneShard) },
      single: figures.single,
      cluster: { ...figures.cluster, topologyChanged },
      oneShard: figures.oneShard,
      clusterWait: figures.clusterWait,
      ratios: {
        clusterToSingleRate: figures.cluster.throughputPerSec / figures.single.throughputPerSec,
        waitToNoWaitRate: figures.clusterWait.throughputPerSec / figures.cluster.throughputPerSec,
        maxShardCpuToSingle: ratio(maxShardCpu, singleCpu),
        maxShardCpuToOneShard: ratio(maxShardCpu, oneShardCpu),
        oneShardCpuToSingle: ratio(oneShardCpu, singleCpu),
      },
      idleCpuMsPerSec,
      redisVersions: {
        single: /redis_version:([^\r\n]+)/.exec(await single.info('server'))?.[1] ?? 'unknown',
        cluster: /redis_version:([^\r\n]+)/.exec(await first.info('server'))?.[1] ?? 'unknown',
      },
    };
  } finally {
    // Runs clean up after themselves; this catches a run that failed half-way.
    const removedSingle = await deleteByPrefix(single, options.keyPrefix).catch(() => 0);
    const removedCluster = await deleteOnCluster(cluster, options.keyPrefix).catch(() => 0);
    if (removedSingle + removedCluster > 0) progress(STAGE, 'cleaned up %s leftover Redis keys', formatCount(removedSingle + removedCluster));
    single.disconnect();
    cluster.disconnect();
    for (const client of probes.values()) client.disconnect();
  }
}

if (require.main === module) runStage(STAGE, runRedisCluster);
