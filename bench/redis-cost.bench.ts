/**
 * Stage 5, Redis cost, on the store itself (RedisQueueStore, the router's Lua scripts):
 *  - bytes per waiting interaction: `used_memory` growth divided by the interactions added, at
 *    each fill level (100k, 1M), with a per-key breakdown from MEMORY USAGE;
 *  - µs per enqueue and per dequeue at 0, 100k and 1M waiting: a batch of single commands, one
 *    round trip each, timed by the client and, from INFO commandstats, inside Redis;
 *  - µs inside Redis per arrival when arrivals come in runs, as the router sends a chunk's
 *    arrivals (ENQUEUE_BATCH per script call).
 * Commands are the router's own: arrivals of the bench mix, classified by the real classifier and
 * decided by the default ruleset, so the hash fields, trace entries, escalation timers and
 * overflow decisions are what production writes. Fills use pipelines of 1,000 commands.
 */
// Class-validator and class-transformer decorators of the contract classes need the metadata API.
import 'reflect-metadata';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createClassifier, InteractionClassifier } from '@conmutador/classification';
import { DequeueCommand, DomainKeys, ENQUEUE_BATCH, EnqueueCommand, QueueOutcome, RedisQueueStore } from '@conmutador/redis-queues';
import { DEFAULT_ROUTING_DOMAIN } from '@conmutador/rules';
import { readMappingsFile } from '@conmutador/classification-stage';
import { arrivalCommands } from './support/arrival-commands';
import { benchRedis, deleteByPrefix, redisInfoField, waitingTotal } from './support/bench-redis';
import { REPO_ROOT } from './support/engine-services';
import { CommonStageOptions, formatCount, progress, runStage, sleep, throttled } from './support/stage';

const STAGE = 'redis-cost';
const FILL_PIPELINE = 1_000;
const FILL_PIPELINES_IN_FLIGHT = 2;
const FINISHED_TTL_SECONDS = 7 * 24 * 3600;

export interface RedisCostStageOptions extends CommonStageOptions {
  /** Waiting interactions at which to measure, ascending; 0 is always measured first. */
  levels: number[];
  /** Single commands timed per operation and level. */
  sampleSize: number;
}

export interface OperationCost {
  /** Median client-observed µs per single-command round trip. */
  roundTripUs: number;
  roundTripP99Us: number;
  /** µs inside Redis per script call, quietest of 5 sub-batches (INFO commandstats); null if another client's scripts ran meanwhile. */
  serverUs: number | null;
  /** µs inside Redis per script call over all sub-batches. */
  serverMeanUs: number | null;
}

export interface LevelCost {
  waiting: number;
  /** used_memory growth per interaction added by the fill up to this level; null at level 0. */
  bytesPerWaiting: number | null;
  enqueue: OperationCost;
  dequeue: OperationCost;
  /**
   * µs inside Redis per arrival placed in runs of ENQUEUE_BATCH (a chunk's pipeline), quietest of
   * 5 sub-batches; null if another client's scripts ran meanwhile.
   */
  enqueueInRunsServerUs: number | null;
}

export interface RedisCostResult {
  levels: LevelCost[];
  /** MEMORY USAGE of one interaction's keys and its share of the shared structures, at the last level. */
  breakdownBytes: { interactionHash: number; trace: number; queueEntry: number; timerEntries: number };
  fillRatePerSec: number;
  redisVersion: string;
  /**
   * Keys the stage's database held before it started (other runs, other tools). They add to the
   * keyspace the levels are measured in: 1M interactions plus 50k such keys cross 2^20 keys,
   * and the 1M figures then include Redis rehashing its main dictionary.
   */
  otherKeysInDatabase: number;
}

/** Turns the bench mix into the router's enqueue commands, once per distinct shape. */
/**
 * Ids shaped like the contract's example (`wa-5731-000981`): the id is stored three times per
 * waiting interaction (hash key, queue member, timer members), so its length is part of the
 * figure. The run's key prefix already keeps runs apart.
 */
function interactionIdOf(index: number): string {
  return `wa-5731-${String(index).padStart(7, '0')}`;
}

async function commandTemplates(runTag: string): Promise<EnqueueCommand[]> {
  const classifier: InteractionClassifier = await createClassifier({
    mappings: readMappingsFile(join(REPO_ROOT, 'deploy/config/classifier-mappings.json')),
    minConfidence: 0.2,
  });
  return arrivalCommands(classifier, runTag);
}

class CommandSource {
  private nextIndex = 0;
  private readonly dequeued = new Set<number>();
  readonly baseMs = Date.now() - 3_600_000;

  constructor(private readonly templates: EnqueueCommand[]) {}

  get issued(): number {
    return this.nextIndex;
  }

  /** Issued and not dequeued by the timed samples: what a dequeue sample can still pick from. */
  get waiting(): number {
    return this.nextIndex - this.dequeued.size;
  }

  /** The next arrival's command: the template of its shape with its own ids and time. */
  nextEnqueue(): EnqueueCommand {
    const index = this.nextIndex++;
    const template = this.templates[index % this.templates.length];
    return { ...template, eventId: `evt-${index}`, interactionId: interactionIdOf(index), enqueuedAtMs: this.baseMs + index, nowMs: Date.now() };
  }

  /** `count` still-waiting interactions spread evenly over everything issued so far. */
  pickWaiting(count: number): number[] {
    const stride = Math.max(1, Math.floor(this.nextIndex / count));
    const picked: number[] = [];
    for (let i = 0; i < count; i++) {
      let candidate = i * stride;
      while (this.dequeued.has(candidate) && candidate < this.nextIndex) candidate++;
      if (candidate >= this.nextIndex) break;
      this.dequeued.add(candidate);
      picked.push(candidate);
    }
    return picked;
  }

  /** An interaction near the middle that is still waiting, for the per-key breakdown. */
  middleWaiting(): number {
    let candidate = Math.floor(this.nextIndex / 2);
    while (this.dequeued.has(candidate)) candidate++;
    return candidate;
  }

  dequeueOf(index: number): DequeueCommand {
    return { kind: 'dequeue', eventId: `evt-answer-${index}`, interactionId: interactionIdOf(index), reason: 'answered', occurredAtMs: Date.now() };
  }
}

async function scriptCallStats(redis: Redis): Promise<{ calls: number; usec: number }> {
  const info = await redis.info('commandstats');
  let calls = 0;
  let usec = 0;
  for (const line of info.split('\r\n')) {
    const match = /^cmdstat_(evalsha|eval):calls=(\d+),usec=(\d+)/.exec(line);
    if (!match) continue;
    calls += Number(match[2]);
    usec += Number(match[3]);
  }
  return { calls, usec };
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) throw new Error('no samples to take a percentile of');
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/** Times `count` single commands one after another; each is its own round trip. */
/** Sub-batches per sample: the quietest one stands for the script's own cost. */
const SUB_BATCHES = 5;

/**
 * Times `count` single commands one after another; each is its own round trip. Time inside
 * Redis comes from INFO commandstats per sub-batch: Redis measures it on the wall clock, so on a
 * busy machine a batch during which the server thread was descheduled reads high. The lowest
 * sub-batch mean is the robust figure (serverUs); the mean of all is kept beside it.
 */
async function timeSingles(
  redis: Redis,
  store: RedisQueueStore,
  count: number,
  command: (i: number) => EnqueueCommand | DequeueCommand,
): Promise<OperationCost> {
  const samples = new Float64Array(count);
  const batchSize = Math.ceil(count / SUB_BATCHES);
  const batchMeans: number[] = [];
  let mixed = false;
  let totalUsec = 0;
  for (let from = 0; from < count; from += batchSize) {
    const to = Math.min(count, from + batchSize);
    const before = await scriptCallStats(redis);
    for (let i = from; i < to; i++) {
      const next = command(i);
      const started = process.hrtime.bigint();
      const [result] = await store.execute([next]);
      samples[i] = Number(process.hrtime.bigint() - started) / 1000;
      if (result.outcome !== QueueOutcome.Applied) throw new Error(`${next.kind} of ${next.interactionId} was not applied: ${JSON.stringify(result)}`);
    }
    const after = await scriptCallStats(redis);
    // Script stats are server-wide: any extra call means someone else's scripts were mixed in.
    if (after.calls - before.calls !== to - from) mixed = true;
    batchMeans.push((after.usec - before.usec) / (to - from));
    totalUsec += after.usec - before.usec;
  }
  samples.sort();
  return {
    roundTripUs: percentile(samples, 0.5),
    roundTripP99Us: percentile(samples, 0.99),
    serverUs: mixed ? null : Math.min(...batchMeans),
    serverMeanUs: mixed ? null : totalUsec / count,
  };
}

/** Runs of ENQUEUE_BATCH arrivals per `execute` call when timing runs (a chunk of 320). */
const RUNS_PER_EXECUTE = 10;

/**
 * Inside Redis, per arrival, when arrivals travel as the router sends them: `count` arrivals in
 * `execute` calls of RUNS_PER_EXECUTE runs each. The quietest sub-batch stands for the cost.
 */
async function timeRuns(redis: Redis, store: RedisQueueStore, source: CommandSource, count: number): Promise<number | null> {
  const perExecute = ENQUEUE_BATCH * RUNS_PER_EXECUTE;
  const batchSize = Math.max(perExecute, Math.ceil(count / SUB_BATCHES / perExecute) * perExecute);
  const batchMeans: number[] = [];
  for (let from = 0; from < count; from += batchSize) {
    const size = Math.min(batchSize, count - from);
    let calls = 0;
    const before = await scriptCallStats(redis);
    for (let done = 0; done < size; done += perExecute) {
      const commands = Array.from({ length: Math.min(perExecute, size - done) }, () => source.nextEnqueue());
      calls += Math.ceil(commands.length / ENQUEUE_BATCH);
      const results = await store.execute(commands);
      const failed = results.find((result) => result.outcome !== QueueOutcome.Applied);
      if (failed) throw new Error(`an arrival of a timed run was not applied: ${JSON.stringify(failed)}`);
    }
    const after = await scriptCallStats(redis);
    // Script stats are server-wide: any extra call means someone else's scripts were mixed in.
    if (after.calls - before.calls !== calls) return null;
    batchMeans.push((after.usec - before.usec) / size);
  }
  return Math.min(...batchMeans);
}

/**
 * A figure mixed with another client's scripts (the stats are server-wide) is measured once more;
 * a second mix is reported with serverUs null and only the round trip.
 */
async function measureOperations(
  redis: Redis,
  store: RedisQueueStore,
  source: CommandSource,
  sampleSize: number,
): Promise<Omit<LevelCost, 'waiting' | 'bytesPerWaiting'>> {
  let enqueue = await timeSingles(redis, store, sampleSize, () => source.nextEnqueue());
  if (enqueue.serverUs === null) enqueue = await timeSingles(redis, store, sampleSize, () => source.nextEnqueue());
  const dequeueSample = async (): Promise<OperationCost> => {
    // At level 0 a retried sample may have used up every interaction there is: add some, untimed.
    if (source.waiting < sampleSize * 2) await fill(store, source, sampleSize * 2, () => undefined);
    const victims = source.pickWaiting(sampleSize);
    return timeSingles(redis, store, victims.length, (i) => source.dequeueOf(victims[i]));
  };
  let dequeue = await dequeueSample();
  if (dequeue.serverUs === null) dequeue = await dequeueSample();
  const inRuns = (await timeRuns(redis, store, source, sampleSize * 2)) ?? (await timeRuns(redis, store, source, sampleSize * 2));
  return { enqueue, dequeue, enqueueInRunsServerUs: inRuns };
}

async function fill(store: RedisQueueStore, source: CommandSource, count: number, onProgress: () => void): Promise<void> {
  let remaining = count;
  const lane = async (): Promise<void> => {
    while (remaining > 0) {
      const size = Math.min(FILL_PIPELINE, remaining);
      remaining -= size;
      const commands = Array.from({ length: size }, () => source.nextEnqueue());
      const results = await store.execute(commands);
      const failed = results.find((result) => result.outcome !== QueueOutcome.Applied);
      if (failed) throw new Error(`a fill command was not applied: ${JSON.stringify(failed)}`);
      onProgress();
    }
  };
  await Promise.all(Array.from({ length: FILL_PIPELINES_IN_FLIGHT }, lane));
}

async function usedMemory(redis: Redis): Promise<number> {
  // Let lazy frees and the allocator's bookkeeping settle before reading.
  await sleep(300);
  return Number(await redisInfoField(redis, 'memory', 'used_memory'));
}

async function breakdown(redis: Redis, prefix: string, index: number): Promise<RedisCostResult['breakdownBytes']> {
  const id = interactionIdOf(index);
  // The bench's ruleset names no domain: everything is in the default one.
  const keys = new DomainKeys(prefix, DEFAULT_ROUTING_DOMAIN);
  const hash = await redis.hgetall(keys.interaction(id));
  const queueKey = keys.queue(hash.q);
  const [hashBytes, traceBytes, queueBytes, queueSize, timersBytes, timersSize] = await Promise.all([
    redis.memory('USAGE', keys.interaction(id)),
    redis.memory('USAGE', keys.trace(id)),
    redis.memory('USAGE', queueKey),
    redis.zcard(queueKey),
    redis.memory('USAGE', keys.timers),
    redis.zcard(keys.timers),
  ]);
  const waiting = await waitingTotal(redis, prefix);
  return {
    interactionHash: Number(hashBytes ?? 0),
    trace: Number(traceBytes ?? 0),
    queueEntry: queueSize > 0 ? Math.round(Number(queueBytes ?? 0) / queueSize) : 0,
    // Timer entries per interaction vary with its rule; this is the average over all waiting.
    timerEntries: waiting > 0 && timersSize > 0 ? Math.round(Number(timersBytes ?? 0) / waiting) : 0,
  };
}

async function runRedisCost(options: RedisCostStageOptions): Promise<RedisCostResult> {
  const redis = benchRedis(options.redisUrl);
  const store = new RedisQueueStore(redis, options.keyPrefix, FINISHED_TTL_SECONDS);
  const runTag = options.namespace;
  try {
    const otherKeysInDatabase = await redis.dbsize();
    if (otherKeysInDatabase > 0) {
      progress(
        STAGE,
        "warning: the database already holds %s keys that are not this stage's; they enlarge the keyspace every level is measured in",
        formatCount(otherKeysInDatabase),
      );
    }
    progress(STAGE, 'training the classifier to build realistic commands');
    const source = new CommandSource(await commandTemplates(runTag));
    const levels: LevelCost[] = [];
    let fillMs = 0;
    let filled = 0;
    for (const level of [0, ...options.levels.filter((value) => value > 0)]) {
      const waitingNow = await waitingTotal(redis, options.keyPrefix);
      let bytesPerWaiting: number | null = null;
      if (level > waitingNow) {
        const toAdd = level - waitingNow;
        progress(STAGE, 'filling to %s waiting (pipelines of %s)', formatCount(level), formatCount(FILL_PIPELINE));
        // Memory is read around the fill only: the timed commands leave tombstones of dequeued
        // interactions behind, which are not waiting interactions.
        const memoryBefore = await usedMemory(redis);
        const started = Date.now();
        const report = throttled(3_000, () => progress(STAGE, '  %s issued', formatCount(source.issued)));
        await fill(store, source, toAdd, report.tick);
        fillMs += Date.now() - started;
        filled += toAdd;
        bytesPerWaiting = Math.round(((await usedMemory(redis)) - memoryBefore) / toAdd);
      }
      const waiting = await waitingTotal(redis, options.keyPrefix);
      progress(STAGE, 'timing %s single enqueues and dequeues at %s waiting', formatCount(options.sampleSize), formatCount(waiting));
      const operations = await measureOperations(redis, store, source, options.sampleSize);
      levels.push({ waiting, bytesPerWaiting, ...operations });
      const last = levels[levels.length - 1];
      progress(
        STAGE,
        'at %s: %s bytes/waiting · enqueue %s µs (server %s; in runs %s) · dequeue %s µs (server %s)',
        formatCount(waiting),
        last.bytesPerWaiting ?? '-',
        last.enqueue.roundTripUs.toFixed(0),
        last.enqueue.serverUs?.toFixed(1) ?? 'n/a',
        last.enqueueInRunsServerUs?.toFixed(1) ?? 'n/a',
        last.dequeue.roundTripUs.toFixed(0),
        last.dequeue.serverUs?.toFixed(1) ?? 'n/a',
      );
    }
    return {
      levels,
      breakdownBytes: await breakdown(redis, options.keyPrefix, source.middleWaiting()),
      fillRatePerSec: (filled * 1000) / Math.max(1, fillMs),
      redisVersion: (await redisInfoField(redis, 'server', 'redis_version')) ?? 'unknown',
      otherKeysInDatabase,
    };
  } finally {
    progress(STAGE, 'deleting the stage keys');
    const removed = await deleteByPrefix(redis, options.keyPrefix);
    progress(STAGE, 'cleaned up (%s Redis keys)', formatCount(removed));
    redis.disconnect();
  }
}

if (require.main === module) runStage(STAGE, runRedisCost);
