import Redis from 'ioredis';
import { arrival } from './support/contract-events';
import { expectEventually } from './support/expect-eventually';
import { CollectedRecord, KafkaTestClient } from './support/kafka-test-client';
import { ensureKafkaTrio, killKafkaBroker, startKafkaBroker } from './support/local-stack';
import { ServiceProcess } from './support/service-process';
import { testNamespace } from './support/test-namespace';
import { waitingInQueues } from './support/queued-interactions';

/**
 * A broker of a three-broker cluster (replication factor 3, min.insync.replicas 2, acks=all) dies
 * with kill -9 while the engine routes a stream: its partitions move to the other two, and
 * every arrival is still queued once and published once. `TOTAL` is small in `npm test`;
 * `npm run test:full` runs it at full size.
 */
const TOTAL = process.env.CONMUTADOR_TEST_FULL === '1' ? 20_000 : 2_000;

describe('a Kafka broker killed mid-stream, three brokers', () => {
  const { namespace, keyPrefix } = testNamespace('broker');
  const redis = new Redis(process.env.REDIS_URL!);
  let client: KafkaTestClient;
  let killed: number | undefined;
  let engine: ServiceProcess | undefined;

  afterAll(async () => {
    await engine?.kill();
    // The next test (and the next run) finds all three brokers.
    if (killed !== undefined) await startKafkaBroker(killed);
    await client?.deleteTopics().catch(() => undefined);
    await client?.close();
    redis.disconnect();
  }, 120_000);

  it('queues and publishes every arrival exactly once', async () => {
    const brokers = await ensureKafkaTrio();
    client = new KafkaTestClient(namespace, brokers);
    await client.createTopics(6, 3);
    const routed: CollectedRecord[] = await client.collect(client.topics.routed);
    engine = await ServiceProcess.startReady(
      'engine',
      {
        KAFKA_BROKERS: brokers,
        KAFKA_REPLICATION_FACTOR: '3',
        KAFKA_TOPIC_NAMESPACE: namespace,
        REDIS_KEY_PREFIX: keyPrefix,
        // Small chunks: many produce requests and commits, so the kill lands between some of them.
        KAFKA_PROCESSING_CHUNK_SIZE: '50',
      },
      120_000,
    );

    const arrivals = Array.from({ length: TOTAL }, (_, i) => arrival(i));
    const records = arrivals.map((event) => ({ key: event.interactionId as string, value: event }));
    await client.produce(records.slice(0, TOTAL / 2));
    await expectEventually(() => expect(routed.length).toBeGreaterThan(TOTAL / 10), { timeoutMs: 60_000, intervalMs: 20 });

    // The broker that leads most partitions of the routed topic: the engine's produce requests
    // and probably its group's coordinator lose their leader mid-flight.
    const leaders = [...(await client.leaders(client.topics.routed)).values()];
    killed = [1, 2, 3].sort((a, b) => leaders.filter((id) => id === b).length - leaders.filter((id) => id === a).length)[0];
    await killKafkaBroker(killed);
    await client.produce(records.slice(TOTAL / 2));

    await expectEventually(
      async () => {
        expect(await waitingInQueues(redis, keyPrefix)).toBe(TOTAL);
        expect(new Set(routed.map((record) => record.key)).size).toBe(TOTAL);
      },
      { timeoutMs: 180_000, intervalMs: 250 },
    ).catch((error: Error) => {
      // What the engine was doing is the first thing to know when this fails.
      throw new Error(`${error.message}\n--- the engine's last log lines ---\n${engine!.logs().slice(-6000)}`);
    });
    // A decision produced again after a lost acknowledgement keeps its eventId; the idempotent
    // producer should have kept it from being written twice at all.
    const eventIds = new Map<string, Set<string>>();
    for (const record of routed) {
      const { interactionId, eventId } = record.json<{ interactionId: string; eventId: string }>();
      eventIds.set(interactionId, (eventIds.get(interactionId) ?? new Set()).add(eventId));
    }
    expect(eventIds.size).toBe(TOTAL);
    expect([...eventIds.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(engine.running).toBe(true);
  }, 400_000);
});
