/**
 * Stage 4, open-loop latency: with the real services running, arrivals are produced at a fixed
 * rate (default 2,000/s) for a fixed time, each stamped with `occurredAt` = the moment it was
 * scheduled to be sent, whether or not the producer kept up (no coordinated omission). A
 * collector reads `interactions.routed` and records, in an HdrHistogram, the time from
 * `occurredAt` (carried into the decision as `enqueuedAt`) to the decision's arrival. A short
 * warm-up at the same rate is produced first and not recorded.
 */
import * as hdr from 'hdr-histogram-js';
import { Producer } from 'kafkajs';
import { Murmur2Partitioner } from '@conmutador/kafka';
import { arrivalRecord } from './support/arrival-mix';
import { benchKafka, createEngineTopics, engineTopicNames } from './support/bench-kafka';
import { benchRedis } from './support/bench-redis';
import { Deployment, DeploymentOptions, EngineService, startDeployment } from './support/engine-services';
import { removeStageData } from './support/stage-cleanup';
import { CommonStageOptions, formatCount, progress, runStage, sleep, throttled } from './support/stage';

const STAGE = 'latency';
/** Produce ticks: small enough that a tick's burst is a few records at 2,000/s. */
const TICK_MS = 5;
/** Sends waiting for the broker at once; beyond that the producer, not the engine, is the limit. */
const MAX_PENDING_SENDS = 200;

export interface LatencyStageOptions extends CommonStageOptions, DeploymentOptions {
  rate: number;
  durationMs: number;
  warmUpMs: number;
  partitions: number;
  chunkSize: number;
  partitionsConsumedConcurrently: number;
  /** How long to wait for the last decisions after the last arrival was sent. */
  settleTimeoutMs: number;
}

export interface LatencyResult {
  deployment: Deployment;
  engineReplicas: number | null;
  rate: number;
  durationMs: number;
  warmUpMs: number;
  /** Arrivals produced in the measured window, and how many of their decisions came back. */
  measured: number;
  received: number;
  achievedRatePerSec: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
  /** Sends that could not be started on time because MAX_PENDING_SENDS were in flight. */
  producerStalls: number;
  /**
   * The same latency cut at the decision's Kafka timestamp (set by the engine's producer):
   * `toPublication` covers the arrival's produce, the engine's fetch and work; `afterPublication`
   * the decision's produce and the collector's own fetch, which a real consumer also pays.
   */
  segments: { toPublication: LatencySegment; afterPublication: LatencySegment };
  /** process.hrtime of the produce-and-settle window in µs, to cut CPU profiles to it. */
  windowHrtimeUs: { start: number; end: number };
  profiles?: string[];
}

export interface LatencySegment {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** µs from 1 µs to 10 minutes, three significant digits. */
function microsecondHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

/** A span between two wall-clock instants in ms, recorded in µs (at least 1: clocks of one host). */
function recordSpan(histogram: hdr.Histogram, fromMs: number, toMs: number): void {
  histogram.recordValue(Math.max(1, Math.round((toMs - fromMs) * 1000)));
}

/** µs → ms, to the µs. */
function ms(us: number): number {
  return Math.round(us) / 1000;
}

function segmentOf(histogram: hdr.Histogram): LatencySegment {
  return { p50Ms: ms(histogram.getValueAtPercentile(50)), p99Ms: ms(histogram.getValueAtPercentile(99)), maxMs: ms(histogram.maxValue) };
}

interface ScheduledArrival {
  index: number;
  scheduledAtMs: number;
}

async function runLatency(options: LatencyStageOptions): Promise<LatencyResult> {
  const kafka = benchKafka(options.kafkaBrokers, `bench-${STAGE}`);
  const topics = engineTopicNames(options.namespace);
  const redis = benchRedis(options.redisUrl);
  const services: EngineService[] = [];
  const collector = kafka.consumer({ groupId: `${options.namespace}-collector`, maxWaitTimeInMs: 100, sessionTimeout: 10_000 });
  let producer: Producer | undefined;
  try {
    await createEngineTopics(kafka, options.namespace, options.partitions);
    progress(STAGE, 'starting the %s', options.deployment === 'engine' ? 'one-process engine' : 'classifier and router');
    services.push(...(await startDeployment(options)));
    await Promise.all(services.map((service) => service.waitReady()));

    const histogram = microsecondHistogram();
    const toPublicationHistogram = microsecondHistogram();
    const afterPublicationHistogram = microsecondHistogram();
    const warmUpCount = Math.round((options.rate * options.warmUpMs) / 1000);
    const total = warmUpCount + Math.round((options.rate * options.durationMs) / 1000);
    const runTag = options.namespace;
    const indexPrefixLength = runTag.length + 1;
    let received = 0;
    let receivedMeasured = 0;

    let joined = false;
    collector.on(collector.events.GROUP_JOIN, () => {
      joined = true;
    });
    await collector.connect();
    await collector.subscribe({ topic: topics.routed, fromBeginning: true });
    // The collector only observes: no offsets to commit (a commit per partition batch would load
    // the broker the engine is measured on), and every partition of a fetch read at once.
    await collector.run({
      autoCommit: false,
      partitionsConsumedConcurrently: options.partitions,
      eachBatch: async ({ batch }) => {
        const arrivedAtMs = performance.timeOrigin + performance.now();
        for (const message of batch.messages) {
          if (!message.value || !message.key) continue;
          const decision = JSON.parse(message.value.toString()) as { type: string; enqueuedAt: string };
          // Escalations carry the original arrival time too; only the first decision is latency.
          if (decision.type !== 'interaction.queued') continue;
          received++;
          const index = Number(message.key.toString().slice(indexPrefixLength));
          if (index < warmUpCount) continue;
          const enqueuedAtMs = Date.parse(decision.enqueuedAt);
          const publishedAtMs = Number(message.timestamp);
          recordSpan(histogram, enqueuedAtMs, arrivedAtMs);
          recordSpan(toPublicationHistogram, enqueuedAtMs, publishedAtMs);
          recordSpan(afterPublicationHistogram, publishedAtMs, arrivedAtMs);
          receivedMeasured++;
        }
      },
    });
    for (let waited = 0; !joined && waited < 30_000; waited += 50) await sleep(50);
    if (!joined) throw new Error('the collector did not join its group within 30 s');

    producer = kafka.producer({ createPartitioner: Murmur2Partitioner, allowAutoTopicCreation: false });
    await producer.connect();
    progress(STAGE, 'producing %s/s: %s s warm-up, then %s s measured', formatCount(options.rate), options.warmUpMs / 1000, options.durationMs / 1000);

    const startMs = Date.now() + 50;
    const windowStart = Number(process.hrtime.bigint() / 1000n) + 50_000;
    const intervalMs = 1000 / options.rate;
    let next = 0;
    let pendingSends = 0;
    let producerStalls = 0;
    let sendFailure: unknown;
    const report = throttled(2_000, () =>
      progress(
        STAGE,
        'sent %s / %s · decisions back %s · %s s',
        formatCount(next),
        formatCount(total),
        formatCount(received),
        ((Date.now() - startMs) / 1000).toFixed(0),
      ),
    );
    // Open loop: what is due by the clock is sent, however long earlier sends take.
    const deadline = startMs + ((total + options.rate) * 1000) / options.rate + 10_000;
    while (next < total && Date.now() < deadline) {
      if (sendFailure) throw sendFailure;
      const now = Date.now();
      const due: ScheduledArrival[] = [];
      while (next < total && startMs + next * intervalMs <= now) {
        due.push({ index: next, scheduledAtMs: Math.floor(startMs + next * intervalMs) });
        next++;
      }
      if (due.length > 0) {
        if (pendingSends >= MAX_PENDING_SENDS) producerStalls++;
        pendingSends++;
        producer
          .send({ topic: topics.inbound, acks: -1, messages: due.map(({ index, scheduledAtMs }) => arrivalRecord(runTag, index, scheduledAtMs)) })
          .catch((error: unknown) => {
            sendFailure = error;
          })
          .finally(() => {
            pendingSends--;
          });
      }
      report.tick();
      const problem = services.map((service) => service.exitProblem()).find((found) => found !== null);
      if (problem) throw new Error(problem);
      await sleep(TICK_MS);
    }
    const producedMs = Date.now() - startMs;

    const settleBy = Date.now() + options.settleTimeoutMs;
    while (received < total && Date.now() < settleBy) {
      report.tick();
      await sleep(50);
    }
    progress(STAGE, '%s of %s decisions back', formatCount(received), formatCount(total));
    const windowEnd = Number(process.hrtime.bigint() / 1000n);

    return {
      deployment: options.deployment ?? 'services',
      engineReplicas: options.deployment === 'engine' ? services.length : null,
      rate: options.rate,
      durationMs: options.durationMs,
      warmUpMs: options.warmUpMs,
      measured: total - warmUpCount,
      received: receivedMeasured,
      achievedRatePerSec: (next * 1000) / Math.max(1, producedMs),
      p50Ms: ms(histogram.getValueAtPercentile(50)),
      p90Ms: ms(histogram.getValueAtPercentile(90)),
      p95Ms: ms(histogram.getValueAtPercentile(95)),
      p99Ms: ms(histogram.getValueAtPercentile(99)),
      p999Ms: ms(histogram.getValueAtPercentile(99.9)),
      maxMs: ms(histogram.maxValue),
      meanMs: ms(histogram.mean),
      producerStalls,
      segments: { toPublication: segmentOf(toPublicationHistogram), afterPublication: segmentOf(afterPublicationHistogram) },
      windowHrtimeUs: { start: windowStart, end: windowEnd },
      ...(options.profileDir ? { profiles: services.map((service) => `${options.profileDir}/${service.name}.cpuprofile`) } : {}),
    };
  } finally {
    await collector.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await Promise.all(services.map((service) => service.stop()));
    await removeStageData(STAGE, options, kafka, redis);
  }
}

if (require.main === module) runStage(STAGE, runLatency);
