/**
 * Stage 3, the idiomatic NestJS baseline: the app in bench/nest-baseline/ (built-in Kafka
 * transport, `@EventPattern`, one message at a time, each Redis call awaited) drains preloaded
 * arrivals from the same mix. Timed like stage 1, from its join until `interactions.routed` holds
 * every decision, or until the time bound: then the rate reached is what counts.
 */
import { join } from 'node:path';
import { arrivalRecord } from './support/arrival-mix';
import { benchKafka, createTopics, engineTopicNames, outputRecords, preload, watchDrain } from './support/bench-kafka';
import { benchRedis, waitingTotal } from './support/bench-redis';
import { BenchProcess, benchLogFile } from './support/engine-services';
import { CpuMeter, cpuMicrosPerRecord, processCpuMs, redisCpuMs } from './support/cpu-usage';
import { removeStageData } from './support/stage-cleanup';
import { CommonStageOptions, formatCount, progress, runStage, sleep } from './support/stage';

const STAGE = 'nest-baseline';

export interface BaselineStageOptions extends CommonStageOptions {
  count: number;
  partitions: number;
  timeoutMs: number;
}

export interface BaselineResult {
  count: number;
  throughputPerSec: number;
  elapsedMs: number;
  completed: boolean;
  routed: number;
  waitingInRedis: number;
  partitions: number;
  /** CPU ms each process used during the timed window (broker and Redis: whole server). */
  cpuMs: Record<string, number | null>;
  cpuUsPerInteraction: Record<string, number | null>;
}

async function runBaseline(options: BaselineStageOptions): Promise<BaselineResult> {
  const kafka = benchKafka(options.kafkaBrokers, `bench-${STAGE}`);
  const topics = engineTopicNames(options.namespace);
  const redis = benchRedis(options.redisUrl);
  let app: BenchProcess | undefined;
  try {
    await createTopics(kafka, [
      { topic: topics.inbound, partitions: options.partitions },
      { topic: topics.routed, partitions: options.partitions },
    ]);
    const occurredAtMs = Date.now();
    await preload(kafka, {
      stage: STAGE,
      topic: topics.inbound,
      count: options.count,
      record: (index) => arrivalRecord(options.namespace, index, occurredAtMs + index),
    });

    progress(STAGE, 'starting the NestJS microservice (it trains the same classifier first)');
    let listening: (at: number) => void = () => undefined;
    const listeningAt = new Promise<number>((resolve) => {
      listening = resolve;
    });
    const started = BenchProcess.spawnNode('nest-baseline', join(__dirname, 'nest-baseline', 'main.js'), {
      env: {
        BASELINE_KAFKA_BROKERS: options.kafkaBrokers.join(','),
        BASELINE_REDIS_URL: options.redisUrl,
        BASELINE_REDIS_KEY_PREFIX: options.keyPrefix,
        BASELINE_INBOUND_TOPIC: topics.inbound,
        BASELINE_ROUTED_TOPIC: topics.routed,
        BASELINE_GROUP: `${options.namespace}-baseline`,
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
      },
      onLine: (line) => {
        if (line.trim() === 'listening') listening(Date.now());
      },
      logFile: benchLogFile(options.namespace, 'nest-baseline'),
    });
    app = started;
    const startedAtMs = await Promise.race([
      listeningAt,
      started.exited.then(() => Promise.reject(new Error(started.exitProblem() ?? 'the baseline exited'))),
      sleep(90_000).then(() => Promise.reject(new Error(`the baseline did not start within 90 s:\n${started.logs()}`))),
    ]);
    progress(STAGE, 'listening; draining %s arrivals one message at a time (bounded to %s s)', formatCount(options.count), options.timeoutMs / 1000);
    const cpu = new CpuMeter({ app: () => processCpuMs(started.pid), broker: () => processCpuMs(options.kafkaPid), redis: () => redisCpuMs(redis) });
    await cpu.start();
    const drain = await watchDrain(kafka, {
      stage: STAGE,
      // The baseline has no escalation worker: every routed record is one arrival queued.
      measure: outputRecords(topics.routed, options.count),
      expected: options.count,
      timeoutMs: options.timeoutMs,
      startedAtMs,
      isAlive: () => started.exitProblem(),
    });
    const cpuMs = await cpu.stop();
    return {
      count: options.count,
      throughputPerSec: drain.throughputPerSec,
      cpuMs,
      cpuUsPerInteraction: cpuMicrosPerRecord(cpuMs, drain.finalCount - drain.countAtStart),
      elapsedMs: drain.elapsedMs,
      completed: drain.completed,
      routed: drain.finalCount,
      waitingInRedis: await waitingTotal(redis, options.keyPrefix),
      partitions: options.partitions,
    };
  } finally {
    await app?.stop();
    await removeStageData(STAGE, options, kafka, redis);
  }
}

if (require.main === module) runStage(STAGE, runBaseline);
