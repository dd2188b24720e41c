/**
 * Stage 2, the ceiling: a bare two-hop kafkajs relay on the same broker, with the same topic
 * partitions, the same preloaded records and the same consume → produce → commit shape as the
 * engine, but no work: inbound → intermediate (process 1) → output (process 2). Two processes,
 * like the two services, so both get a core. Timed exactly like stage 1: from the first hop's
 * join until the output topic holds N records.
 */
import { join } from 'node:path';
import { arrivalRecord } from './support/arrival-mix';
import { benchKafka, createTopics, engineTopicNames, outputRecords, preload, watchDrain } from './support/bench-kafka';
import { BenchProcess, benchLogFile } from './support/engine-services';
import { CpuMeter, cpuMicrosPerRecord, processCpuMs } from './support/cpu-usage';
import { removeStageData } from './support/stage-cleanup';
import { CommonStageOptions, formatCount, progress, runStage, sleep } from './support/stage';

const STAGE = 'relay';

export interface RelayStageOptions extends CommonStageOptions {
  count: number;
  partitions: number;
  chunkSize: number;
  partitionsConsumedConcurrently: number;
  timeoutMs: number;
}

export interface RelayResult {
  count: number;
  throughputPerSec: number;
  elapsedMs: number;
  completed: boolean;
  relayed: number;
  /** CPU ms each process used during the timed window (broker: whole server). */
  cpuMs: Record<string, number | null>;
  cpuUsPerMessage: Record<string, number | null>;
  preloadMs: number;
  partitions: number;
  chunkSize: number;
}

/** Starts a hop and resolves with the time its consumer joined the group. */
async function startHop(
  name: string,
  env: Record<string, string>,
  logFile: string,
  timeoutMs = 60_000,
): Promise<{ hop: BenchProcess; joinedAtMs: Promise<number> }> {
  let joined: (at: number) => void = () => undefined;
  const joinedAtMs = new Promise<number>((resolve) => {
    joined = resolve;
  });
  const hop = BenchProcess.spawnNode(name, join(__dirname, 'kafka-relay-hop.js'), {
    env,
    onLine: (line) => {
      if (line.trim() === 'joined') joined(Date.now());
    },
    logFile,
  });
  const bounded = Promise.race([
    joinedAtMs,
    hop.exited.then(() => Promise.reject(new Error(hop.exitProblem() ?? `${name} exited`))),
    sleep(timeoutMs).then(() => Promise.reject(new Error(`${name} did not join within ${timeoutMs} ms:\n${hop.logs()}`))),
  ]);
  return { hop, joinedAtMs: bounded };
}

async function runRelay(options: RelayStageOptions): Promise<RelayResult> {
  const kafka = benchKafka(options.kafkaBrokers, `bench-${STAGE}`);
  const inbound = engineTopicNames(options.namespace).inbound;
  const intermediate = `${options.namespace}.relay.intermediate`;
  const output = `${options.namespace}.relay.output`;
  const hops: BenchProcess[] = [];
  try {
    await createTopics(
      kafka,
      [inbound, intermediate, output].map((topic) => ({ topic, partitions: options.partitions })),
    );
    const occurredAtMs = Date.now();
    const loaded = await preload(kafka, {
      stage: STAGE,
      topic: inbound,
      count: options.count,
      record: (index) => arrivalRecord(options.namespace, index, occurredAtMs + index),
    });

    const hopEnv = (source: string, target: string, role: string): Record<string, string> => ({
      RELAY_BROKERS: options.kafkaBrokers.join(','),
      RELAY_SOURCE: source,
      RELAY_TARGET: target,
      RELAY_GROUP: `${options.namespace}-relay-${role}`,
      RELAY_CHUNK_SIZE: String(options.chunkSize),
      RELAY_PARTITIONS_CONSUMED_CONCURRENTLY: String(options.partitionsConsumedConcurrently),
      // The services' default KAFKA_COMMIT_INTERVAL_MS.
      RELAY_COMMIT_INTERVAL_MS: '200',
    });
    // The second hop reads a topic that is still empty, so it can join first without moving anything.
    const second = await startHop('relay-hop-2', hopEnv(intermediate, output, 'second'), benchLogFile(options.namespace, 'relay-hop-2'));
    hops.push(second.hop);
    await second.joinedAtMs;
    const first = await startHop('relay-hop-1', hopEnv(inbound, intermediate, 'first'), benchLogFile(options.namespace, 'relay-hop-1'));
    hops.push(first.hop);
    const startedAtMs = await first.joinedAtMs;
    progress(STAGE, 'both hops joined; relaying %s records', formatCount(options.count));

    const cpu = new CpuMeter({
      firstHop: () => processCpuMs(first.hop.pid),
      secondHop: () => processCpuMs(second.hop.pid),
      broker: () => processCpuMs(options.kafkaPid),
    });
    await cpu.start();
    const drain = await watchDrain(kafka, {
      stage: STAGE,
      measure: outputRecords(output, options.count),
      expected: options.count,
      timeoutMs: options.timeoutMs,
      startedAtMs,
      isAlive: () => hops.map((hop) => hop.exitProblem()).find((problem) => problem !== null) ?? null,
    });
    const cpuMs = await cpu.stop();
    return {
      count: options.count,
      throughputPerSec: drain.throughputPerSec,
      cpuMs,
      cpuUsPerMessage: cpuMicrosPerRecord(cpuMs, drain.finalCount - drain.countAtStart),
      elapsedMs: drain.elapsedMs,
      completed: drain.completed,
      relayed: drain.finalCount,
      preloadMs: loaded.ms,
      partitions: options.partitions,
      chunkSize: options.chunkSize,
    };
  } finally {
    await Promise.all(hops.map((hop) => hop.stop()));
    await removeStageData(STAGE, options, kafka);
  }
}

if (require.main === module) runStage(STAGE, runRelay);
