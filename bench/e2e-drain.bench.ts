/**
 * Stage 1, end-to-end drain: N arrivals are preloaded into `interactions.inbound`, then the real
 * classifier and router start as processes. The clock starts when the classifier has joined its
 * group (it trains its model first, so the router is normally ready by then) and stops when both
 * groups have committed everything: the router commits a chunk only after its Redis effects, its
 * decisions on `interactions.routed` and their "published" marks, so that is every interaction
 * queued and published. Afterwards the waiting count in Redis is checked against N.
 *
 * With `deployment: 'engine'` the one-process engine runs instead, `engineReplicas` of it; the
 * clock runs from the last replica's join to the group's commit of every arrival.
 *
 * Run through tools/bench.mjs; alone: `node dist/bench/e2e-drain.bench.js --options=<json> --result=<file>`.
 */
import { withAdmin } from '@conmutador/testing';
import { arrivalMixSize, arrivalRecord } from './support/arrival-mix';
import { benchKafka, createEngineTopics, committedCount, DrainProgress, engineTopicNames, preload, recordCount, watchDrain } from './support/bench-kafka';
import { benchRedis, waitingTotal } from './support/bench-redis';
import { Deployment, DeploymentOptions, EngineService, startDeployment } from './support/engine-services';
import { CpuMeter, cpuMicrosPerRecord, CpuSource, processCpuMs, redisCpuMs } from './support/cpu-usage';
import { removeStageData } from './support/stage-cleanup';
import { CommonStageOptions, formatCount, progress, runStage } from './support/stage';

const STAGE = 'e2e';

export interface DrainStageOptions extends CommonStageOptions, DeploymentOptions {
  count: number;
  partitions: number;
  chunkSize: number;
  partitionsConsumedConcurrently: number;
  timeoutMs: number;
}

export interface E2eDrainResult {
  deployment: Deployment;
  engineReplicas: number | null;
  count: number;
  throughputPerSec: number;
  elapsedMs: number;
  completed: boolean;
  /** Records in interactions.routed: one per arrival, plus escalations fired during the drain. */
  routed: number;
  waitingInRedis: number;
  deadLetters: number;
  preloadMs: number;
  firstOutputMs: number | null;
  partitions: number;
  chunkSize: number;
  partitionsConsumedConcurrently: number;
  distinctArrivalShapes: number;
  /** CPU ms each process used during the timed window (broker and Redis: whole server). */
  cpuMs: Record<string, number | null>;
  cpuUsPerInteraction: Record<string, number | null>;
  /** process.hrtime of the timed window in µs, to cut CPU profiles to the drain itself. */
  windowHrtimeUs: { start: number; end: number };
  profiles?: string[];
}

function hrtimeUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

async function runE2eDrain(options: DrainStageOptions): Promise<E2eDrainResult> {
  const kafka = benchKafka(options.kafkaBrokers, `bench-${STAGE}`);
  const topics = engineTopicNames(options.namespace);
  const redis = benchRedis(options.redisUrl);
  const runTag = options.namespace;
  const services: EngineService[] = [];
  try {
    await createEngineTopics(kafka, options.namespace, options.partitions);
    const occurredAtMs = Date.now();
    const loaded = await preload(kafka, {
      stage: STAGE,
      topic: topics.inbound,
      count: options.count,
      record: (index) => arrivalRecord(runTag, index, occurredAtMs + index),
    });

    const { startedAtMs, measure, meters, isAlive } =
      options.deployment === 'engine' ? await startEngine(options, services) : await startServices(options, services, topics);
    const windowStart = hrtimeUs() - (Date.now() - startedAtMs) * 1000;
    progress(STAGE, 'ready; draining %s arrivals', formatCount(options.count));
    const cpu = new CpuMeter({ ...meters, broker: () => processCpuMs(options.kafkaPid), redis: () => redisCpuMs(redis) });
    await cpu.start();
    const drain = await watchDrain(kafka, { stage: STAGE, measure, expected: options.count, timeoutMs: options.timeoutMs, startedAtMs, isAlive });
    const windowEnd = hrtimeUs();
    const cpuMs = await cpu.stop();

    const waitingInRedis = await waitingTotal(redis, options.keyPrefix);
    const [deadLetters, routed] = await withAdmin(kafka, (admin) => Promise.all([recordCount(admin, topics.deadLetter), recordCount(admin, topics.routed)]));
    if (drain.completed && waitingInRedis !== options.count) {
      progress(STAGE, 'warning: %s interactions waiting in Redis, expected %s', formatCount(waitingInRedis), formatCount(options.count));
    }
    await Promise.all(services.map((service) => service.stop()));
    return {
      deployment: options.deployment ?? 'services',
      engineReplicas: options.deployment === 'engine' ? services.length : null,
      count: options.count,
      throughputPerSec: drain.throughputPerSec,
      elapsedMs: drain.elapsedMs,
      completed: drain.completed,
      routed,
      waitingInRedis,
      deadLetters,
      preloadMs: loaded.ms,
      firstOutputMs: drain.firstOutputMs,
      partitions: options.partitions,
      chunkSize: options.chunkSize,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      distinctArrivalShapes: arrivalMixSize(),
      cpuMs,
      cpuUsPerInteraction: cpuMicrosPerRecord(cpuMs, drain.finalCount - drain.countAtStart),
      windowHrtimeUs: { start: windowStart, end: windowEnd },
      ...(options.profileDir ? { profiles: services.map((service) => `${options.profileDir}/${service.name}.cpuprofile`) } : {}),
    };
  } finally {
    await Promise.all(services.map((service) => service.stop()));
    await removeStageData(STAGE, options, kafka, redis);
  }
}

interface StartedDeployment {
  startedAtMs: number;
  measure: DrainProgress;
  meters: Record<string, CpuSource>;
  isAlive: () => string | null;
}

async function startServices(options: DrainStageOptions, services: EngineService[], topics: ReturnType<typeof engineTopicNames>): Promise<StartedDeployment> {
  progress(STAGE, 'starting router and classifier (the classifier trains its model first)');
  const [classifier, router] = await startDeployment(options);
  services.push(classifier, router);
  // The clock starts when the classifier joins: that is when inbound records start moving. A
  // router that joins later only makes the figure worse, never better.
  const [, startedAtMs] = await Promise.all([router.waitReady(), classifier.waitReady()]);
  const classifierGroup = `${options.namespace}-classifier`;
  const routerGroup = `${options.namespace}-router`;
  return {
    startedAtMs,
    // Done means committed: the router commits a chunk only after its Redis effects, its
    // published decisions and their "published" marks. Counting routed records instead would
    // also count escalations that fire during a long drain (the mix's rules escalate after 30 s).
    // Read in this order: once the classifier has committed everything, the internal topic is
    // final, so the router's commits are compared with its final size and never a stale one.
    measure: async (admin) => {
      const classifierDone = await committedCount(admin, classifierGroup, topics.inbound);
      const classified = await recordCount(admin, topics.classified);
      const routerDone = await committedCount(admin, routerGroup, topics.classified);
      return { done: routerDone, complete: classifierDone >= options.count && routerDone >= classified };
    },
    meters: { classifier: () => processCpuMs(classifier.pid), router: () => processCpuMs(router.pid) },
    isAlive: () => router.exitProblem() ?? classifier.exitProblem(),
  };
}

async function startEngine(options: DrainStageOptions, services: EngineService[]): Promise<StartedDeployment> {
  progress(STAGE, 'starting the one-process engine, %s replica(s) (each trains its model first)', Math.max(1, options.engineReplicas ?? 1));
  const engines = await startDeployment(options);
  services.push(...engines);
  // The clock starts when the last replica is ready: by then the group has its final members.
  // What the first one committed before that is not counted either: a drain counts from what is
  // committed when its clock starts.
  const startedAtMs = Math.max(...(await Promise.all(engines.map((engine) => engine.waitReady()))));
  const group = `${options.namespace}-engine`;
  const inbound = engineTopicNames(options.namespace).inbound;
  return {
    startedAtMs,
    // The engine commits an arrival only after its Redis effects, its published decision and the "published" mark.
    measure: async (admin) => {
      const done = await committedCount(admin, group, inbound);
      return { done, complete: done >= options.count };
    },
    meters: { engine: async () => sumOrNull(await Promise.all(engines.map((engine) => processCpuMs(engine.pid)))) },
    isAlive: () => engines.map((engine) => engine.exitProblem()).find((problem) => problem !== null) ?? null,
  };
}

function sumOrNull(values: (number | null)[]): number | null {
  return values.some((value) => value === null) ? null : (values as number[]).reduce((a, b) => a + b, 0);
}

if (require.main === module) runStage(STAGE, runE2eDrain);
