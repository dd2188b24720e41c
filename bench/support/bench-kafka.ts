/**
 * Plain kafkajs plumbing for the stages, independent of the engine's own Kafka code: creating a
 * stage's topics, preloading them, watching how many records a topic holds, and removing what a
 * stage created.
 */
import { Admin, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { deleteTopicsAndGroups, withAdmin } from '@conmutador/testing';
import { ArrivalRecord } from './arrival-mix';
import { formatCount, progress, sleep, throttled } from './stage';

export function benchKafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { initialRetryTime: 200, retries: 8 } });
}

/** The engine's topic names under a namespace (see libs/contracts topics.ts). */
export function engineTopicNames(namespace: string): { inbound: string; classified: string; routed: string; deadLetter: string } {
  return {
    inbound: `${namespace}.interactions.inbound`,
    classified: `${namespace}.conmutador.interactions.classified`,
    routed: `${namespace}.interactions.routed`,
    deadLetter: `${namespace}.interactions.dlq`,
  };
}

export async function createTopics(kafka: Kafka, topics: { topic: string; partitions: number }[]): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter(({ topic }) => !existing.has(topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      topics: missing.map(({ topic, partitions }) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      waitForLeaders: true,
    });
  });
}

/** The engine's four topics of a namespace, as the services would create them (the dead-letter topic with 3 partitions). */
export async function createEngineTopics(kafka: Kafka, namespace: string, partitions: number): Promise<void> {
  const topics = engineTopicNames(namespace);
  await createTopics(kafka, [
    { topic: topics.inbound, partitions },
    { topic: topics.classified, partitions },
    { topic: topics.routed, partitions },
    { topic: topics.deadLetter, partitions: 3 },
  ]);
}

/** Topics and consumer groups whose name starts with the namespace: a stage leaves nothing behind. */
export async function deleteNamespace(kafka: Kafka, namespace: string): Promise<{ topics: number; groups: number }> {
  return deleteTopicsAndGroups(kafka, { topic: (topic) => topic.startsWith(`${namespace}.`), group: (groupId) => groupId.startsWith(namespace) });
}

/** Records a topic holds from its beginning (sum of high watermarks; the topics are fresh). */
export async function recordCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
}

export interface PreloadOptions {
  stage: string;
  topic: string;
  count: number;
  record: (index: number) => ArrivalRecord;
  /** Records per produce request, and requests in flight at once. */
  batchSize?: number;
  inFlight?: number;
}

/** Fills a topic as fast as the broker takes it, keyed like the platform does (interaction id). */
export async function preload(kafka: Kafka, options: PreloadOptions): Promise<{ count: number; ms: number }> {
  const { stage, topic, count, record, batchSize = 2_000, inFlight = 4 } = options;
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const started = Date.now();
  let next = 0;
  let sent = 0;
  const report = throttled(2_000, () => progress(stage, 'preloading %s / %s', formatCount(sent), formatCount(count)));
  const lane = async (): Promise<void> => {
    while (next < count) {
      const from = next;
      const to = Math.min(count, from + batchSize);
      next = to;
      const messages = [];
      for (let index = from; index < to; index++) messages.push(record(index));
      await producer.send({ topic, acks: -1, messages });
      sent += to - from;
      report.tick();
    }
  };
  try {
    await Promise.all(Array.from({ length: inFlight }, lane));
  } finally {
    await producer.disconnect();
  }
  const ms = Date.now() - started;
  progress(stage, 'preloaded %s records in %s s (%s/s)', formatCount(count), (ms / 1000).toFixed(1), formatCount((count * 1000) / Math.max(1, ms)));
  return { count, ms };
}

export interface DrainWatch {
  /** When the watch started counting (the clock's zero). */
  startedAtMs: number;
  /** Records already done at the clock's zero. */
  countAtStart: number;
  /** Records done when the watch ended. */
  finalCount: number;
  elapsedMs: number;
  completed: boolean;
  /** Records per second over the timed window. */
  throughputPerSec: number;
  /** Time from the clock's zero to the first record done. */
  firstOutputMs: number | null;
}

/** How far a drain is: records done so far, and whether everything is done. */
export type DrainProgress = (admin: Admin) => Promise<{ done: number; complete: boolean }>;

/** Done = records in `topic`; complete at `expected`. For pipelines whose output is one record per input. */
export function outputRecords(topic: string, expected: number): DrainProgress {
  return async (admin) => {
    const done = await recordCount(admin, topic);
    return { done, complete: done >= expected };
  };
}

/** Sum of a group's committed offsets on a topic (fresh topics start at 0): records it finished. */
export async function committedCount(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (offsets?.partitions ?? []).reduce((sum, partition) => sum + Math.max(0, Number(partition.offset)), 0);
}

/**
 * Times a drain: from `startedAtMs` (default now) until `measure` says complete, polling. Bounded
 * by `timeoutMs`: a drain that does not finish reports the rate it reached.
 */
export async function watchDrain(
  kafka: Kafka,
  options: { stage: string; measure: DrainProgress; expected: number; timeoutMs: number; pollMs?: number; startedAtMs?: number; isAlive?: () => string | null },
): Promise<DrainWatch> {
  const { stage, measure, expected, timeoutMs, pollMs = 50 } = options;
  return withAdmin(kafka, async (admin) => {
    const startedAtMs = options.startedAtMs ?? Date.now();
    let state = await measure(admin);
    const countAtStart = state.done;
    let firstOutputMs: number | null = state.done > 0 ? Date.now() - startedAtMs : null;
    let lastReport = { at: startedAtMs, count: state.done };
    const report = throttled(2_000, () => {
      const now = Date.now();
      const recentRate = ((state.done - lastReport.count) * 1000) / Math.max(1, now - lastReport.at);
      lastReport = { at: now, count: state.done };
      progress(
        stage,
        '%s / %s done · %s/s now · %s s',
        formatCount(state.done),
        formatCount(expected),
        formatCount(recentRate),
        ((now - startedAtMs) / 1000).toFixed(1),
      );
    });
    const deadline = startedAtMs + timeoutMs;
    while (!state.complete && Date.now() < deadline) {
      await sleep(pollMs);
      const problem = options.isAlive?.();
      if (problem) throw new Error(problem);
      state = await measure(admin);
      if (firstOutputMs === null && state.done > 0) firstOutputMs = Date.now() - startedAtMs;
      report.tick();
    }
    const elapsedMs = Date.now() - startedAtMs;
    progress(stage, '%s: %s records in %s s', state.complete ? 'drained' : 'time bound reached', formatCount(state.done), (elapsedMs / 1000).toFixed(2));
    return {
      startedAtMs,
      countAtStart,
      finalCount: state.done,
      elapsedMs,
      completed: state.complete,
      throughputPerSec: ((state.done - countAtStart) * 1000) / Math.max(1, elapsedMs),
      firstOutputMs,
    };
  });
}
