import Redis from 'ioredis';
import { expectEventually } from './support/expect-eventually';
import { arrival, lifecycle, malformed } from './support/contract-events';
import { CollectedRecord, KafkaTestClient } from './support/kafka-test-client';
import { ServiceName, ServiceProcess } from './support/service-process';
import { testNamespace } from './support/test-namespace';

/**
 * The same behaviour from both deployments: the classifier and router services over the internal
 * topic, and the one-process engine (both stages, one consumer). `consumed` names each consumer
 * group with the topic it reads, to check that nothing is left uncommitted at the end.
 */
const DEPLOYMENTS: { deployment: string; services: ServiceName[]; consumed: { group: string; topic: 'inbound' | 'classified' }[] }[] = [
  {
    deployment: 'classifier and router services',
    services: ['classifier', 'router'],
    consumed: [
      { group: 'conmutador-classifier', topic: 'inbound' },
      { group: 'conmutador-router', topic: 'classified' },
    ],
  },
  { deployment: 'one-process engine', services: ['engine'], consumed: [{ group: 'conmutador-engine', topic: 'inbound' }] },
];

describe.each(DEPLOYMENTS)('pipeline on real Kafka and Redis: $deployment', ({ services, consumed }) => {
  const { namespace, keyPrefix } = testNamespace('pipeline');
  const env = { KAFKA_TOPIC_NAMESPACE: namespace, REDIS_KEY_PREFIX: keyPrefix };
  const client = new KafkaTestClient(namespace);
  const redis = new Redis(process.env.REDIS_URL!);
  let processes: ServiceProcess[] = [];
  let routed: CollectedRecord[];
  let deadLetters: CollectedRecord[];

  beforeAll(async () => {
    await client.createTopics();
    routed = await client.collect(client.topics.routed);
    deadLetters = await client.collect(client.topics.deadLetter);
    processes = await Promise.all(services.map((service) => ServiceProcess.startReady(service, env)));
  });

  afterAll(async () => {
    await Promise.all(processes.map((running) => running.kill()));
    await client.close();
    redis.disconnect();
  });

  const ofType = (type: string) => routed.map((record) => record.json<Record<string, unknown>>()).filter((event) => event.type === type);

  it('has its producers group batches in linear time, encode records at their exact size and checksum batches sliced by 8: @conmutador/kafka loaded before kafkajs', () => {
    for (const running of processes) {
      expect(running.logs()).toContain('"producerGrouping":"linear"');
      expect(running.logs()).not.toContain('"producerGrouping":"kafkajs"');
      expect(running.logs()).toContain('"recordEncoding":"exact-size"');
      expect(running.logs()).not.toContain('"recordEncoding":"kafkajs"');
      expect(running.logs()).toContain('"batchChecksum":"sliced-by-8"');
      expect(running.logs()).not.toContain('"batchChecksum":"kafkajs"');
    }
  });

  it('queues 1,000 arrivals exactly once despite 100 re-sent duplicates, and dead-letters 50 malformed records', async () => {
    const arrivals = Array.from({ length: 1000 }, (_, i) => arrival(i));
    const records: { key: string | null; value: string | Buffer | object }[] = [];
    arrivals.forEach((event, i) => {
      records.push({ key: event.interactionId as string, value: event });
      if (i % 10 === 5) records.push({ key: event.interactionId as string, value: event });
      if (i % 20 === 7) {
        const bad = malformed(records.length);
        records.push({ key: bad.key, value: bad.value });
      }
    });
    const expectedReasons = records.filter((r) => typeof r.key === 'string' && r.key.startsWith('bad-')).length;
    expect(expectedReasons).toBe(50);
    await client.produce(records);

    await expectEventually(
      () => {
        expect(ofType('interaction.queued')).toHaveLength(1000);
        expect(deadLetters).toHaveLength(50);
      },
      { timeoutMs: 90_000 },
    );

    const queued = ofType('interaction.queued');
    expect(new Set(queued.map((event) => event.interactionId)).size).toBe(1000);
    expect(new Set(queued.map((event) => event.causationId))).toEqual(new Set(arrivals.map((event) => event.eventId)));
    for (const event of queued) {
      expect(event).toEqual(
        expect.objectContaining({
          specVersion: '1',
          tenant: 'test',
          sector: expect.any(String),
          intent: expect.any(String),
          emergency: expect.any(Boolean),
          confidence: expect.any(Number),
          queue: expect.any(String),
          priority: expect.any(Number),
          requiredSkills: expect.any(Array),
          ruleId: expect.any(String),
          rulesetVersion: expect.any(Number),
          position: expect.any(Number),
          estimatedWaitSeconds: null,
        }),
      );
      expect(event.position).toBeGreaterThanOrEqual(1);
    }

    const reasons = deadLetters.map((record) => record.json<{ reason: string; errors: string[]; original: { key: string } }>());
    for (const dead of reasons) {
      expect(dead.errors.length).toBeGreaterThan(0);
      expect(malformed(Number(dead.original.key.slice(4))).reason).toBe(dead.reason);
    }
    expect(new Set(reasons.map((dead) => dead.reason))).toEqual(
      new Set(['invalid_json', 'invalid_encoding', 'validation_failed', 'unknown_type', 'unsupported_version', 'too_large']),
    );

    const queues = await redis.smembers(`${keyPrefix}queues`);
    const depths = await Promise.all(queues.map((queue) => redis.zcard(`${keyPrefix}q:${queue}`)));
    expect(depths.reduce((sum, depth) => sum + depth, 0)).toBe(1000);
  });

  it('dequeues each abandoned interaction once, even when the abandon is sent twice', async () => {
    const queued = ofType('interaction.queued').slice(0, 200);
    const abandons = queued.map((event) => lifecycle('interaction.abandoned', event.interactionId as string, { reason: 'customer_left' }));
    const unknown = lifecycle('interaction.abandoned', 'never-arrived');
    await client.produce([
      ...abandons.map((event) => ({ key: event.interactionId, value: event })),
      ...abandons.map((event) => ({ key: event.interactionId, value: event })),
      { key: unknown.interactionId, value: unknown },
    ]);

    await expectEventually(() => expect(ofType('interaction.dequeued')).toHaveLength(200), { timeoutMs: 60_000 });
    // A late straggler would show up here: give the pipeline a moment by waiting for a later marker.
    const marker = arrival(5000);
    await client.produce([{ key: marker.interactionId as string, value: marker }]);
    await expectEventually(() => expect(ofType('interaction.queued').some((event) => event.interactionId === marker.interactionId)).toBe(true));

    const dequeued = ofType('interaction.dequeued');
    expect(dequeued).toHaveLength(200);
    expect(new Set(dequeued.map((event) => event.interactionId)).size).toBe(200);
    expect(dequeued.every((event) => event.reason === 'abandoned')).toBe(true);
    expect(dequeued.some((event) => event.interactionId === 'never-arrived')).toBe(false);
    for (const event of dequeued) expect(await redis.zscore(`${keyPrefix}q:${event.queue}`, event.interactionId as string)).toBeNull();
  });

  it('stops on SIGTERM after draining, with exit code 0 and every processed record committed', async () => {
    const exitCodes = await Promise.all(processes.map((running) => running.stop()));
    expect(exitCodes).toEqual(services.map(() => 0));
    // Everything was consumed by now (the tests above waited for every decision): a restart
    // would start where they stopped, with nothing to re-deliver.
    for (const { group, topic } of consumed) expect(await client.uncommitted(`${namespace}.${group}`, client.topics[topic])).toBe(0);
  });
});
