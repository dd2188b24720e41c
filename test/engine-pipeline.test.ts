import { randomUUID } from 'node:crypto';
import Redis, { Cluster } from 'ioredis';
import { expectEventually } from './support/expect-eventually';
import { arrival, lifecycle, malformed } from './support/contract-events';
import { CollectedRecord, KafkaTestClient } from './support/kafka-test-client';
import { ServiceName, ServiceProcess } from './support/service-process';
import { connectRedisTarget, RedisTarget } from './support/redis-targets';
import { testNamespace } from './support/test-namespace';

/**
 * The same behaviour from both deployments: the classifier and router services over the internal
 * topic, and the one-process engine (both stages, one consumer). `consumed` names each consumer
 * group with the topic it reads, to check that nothing is left uncommitted at the end.
 */
const DEPLOYMENTS: { deployment: string; services: ServiceName[]; redisTarget: RedisTarget; consumed: { group: string; topic: 'inbound' | 'classified' }[] }[] =
  [
    {
      deployment: 'classifier and router services',
      services: ['classifier', 'router'],
      redisTarget: 'one Redis',
      consumed: [
        { group: 'conmutador-classifier', topic: 'inbound' },
        { group: 'conmutador-router', topic: 'classified' },
      ],
    },
    { deployment: 'one-process engine', services: ['engine'], redisTarget: 'one Redis', consumed: [{ group: 'conmutador-engine', topic: 'inbound' }] },
    // The matrix's Redis dimension: the same behaviour with the queues on a Redis Cluster.
    { deployment: 'one-process engine', services: ['engine'], redisTarget: 'a Redis Cluster', consumed: [{ group: 'conmutador-engine', topic: 'inbound' }] },
  ];

describe.each(DEPLOYMENTS)('pipeline on real Kafka and $redisTarget: $deployment', ({ services, redisTarget, consumed }) => {
  const { namespace, keyPrefix } = testNamespace('pipeline');
  const env: Record<string, string> = { KAFKA_TOPIC_NAMESPACE: namespace, REDIS_KEY_PREFIX: keyPrefix };
  const client = new KafkaTestClient(namespace);
  let redis: Redis | Cluster;
  let processes: ServiceProcess[] = [];
  let routed: CollectedRecord[];
  let deadLetters: CollectedRecord[];

  beforeAll(async () => {
    const target = await connectRedisTarget(redisTarget);
    redis = target.redis;
    Object.assign(env, target.env);
    await client.createTopics();
    routed = await client.collect(client.topics.routed);
    deadLetters = await client.collect(client.topics.deadLetter);
  });

  // Each test produces its own interactions and finds the services running: one of them stops
  // them, so whatever runs after it (in any order, or alone with -t) starts them again. The
  // classifier trains its model at boot, which takes long on a busy machine.
  beforeEach(async () => {
    if (processes.length > 0) return;
    const starting = await Promise.all(services.map((service) => ServiceProcess.start(service, env)));
    try {
      await Promise.all(starting.map((service) => service.waitReady(120_000)));
    } catch (error) {
      await Promise.all(starting.map((service) => service.kill()));
      throw error;
    }
    processes = starting;
  });

  afterAll(async () => {
    await Promise.all(processes.map((running) => running.kill()));
    await client.close();
    redis.disconnect();
  });

  type RoutedEvent = Record<string, unknown> & { interactionId: string; type: string; queue: string; reason?: string };
  const eventsOf = (ids: Set<string>, type: string) =>
    routed.map((record) => record.json<RoutedEvent>()).filter((event) => event.type === type && ids.has(event.interactionId));
  const idsOf = (events: Record<string, unknown>[]) => new Set(events.map((event) => event.interactionId as string));
  const keyed = (events: Record<string, unknown>[]) => events.map((event) => ({ key: event.interactionId as string, value: event }));

  /**
   * Everything produced so far has had its effect and is collected: every group has committed its
   * topic to the end (a chunk is committed only after its Redis effects and its decisions are
   * published), and the collectors have read their topics to the end. What is collected then is
   * final, so a count checked after it cannot be short of a late duplicate.
   */
  const settled = () =>
    expectEventually(
      async () => {
        for (const { group, topic } of consumed) expect(await client.uncommitted(`${namespace}.${group}`, client.topics[topic])).toBe(0);
        expect(routed.length).toBe(await client.recordCount(client.topics.routed));
        expect(deadLetters.length).toBe(await client.recordCount(client.topics.deadLetter));
      },
      { timeoutMs: 60_000 },
    );

  /** Arrivals that happened just now, so that no escalation of the default rules falls due during the test. */
  async function queuedArrivals(count: number, firstIndex: number): Promise<Map<string, RoutedEvent>> {
    const arrivals = Array.from({ length: count }, (_, i) => arrival(firstIndex + i, { occurredAt: new Date().toISOString() }));
    const ids = idsOf(arrivals);
    await client.produce(keyed(arrivals));
    await expectEventually(() => expect(eventsOf(ids, 'interaction.queued')).toHaveLength(count), { timeoutMs: 60_000 });
    return new Map(eventsOf(ids, 'interaction.queued').map((event) => [event.interactionId, event]));
  }

  const answeredCount = async (queue: string) => Number((await redis.hget(`${keyPrefix}{default}:qs:${queue}`, 'answered')) ?? 0);

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
    const badKeys = new Set(records.filter((r) => typeof r.key === 'string' && r.key.startsWith('bad-')).map((r) => r.key));
    expect(badKeys.size).toBe(50);
    const ids = idsOf(arrivals);
    const rejected = () =>
      deadLetters
        .map((record) => record.json<{ reason: string; errors: string[]; original: { key: string } }>())
        .filter((dead) => badKeys.has(dead.original.key));
    await client.produce(records);

    await expectEventually(
      () => {
        const seen = eventsOf(ids, 'interaction.queued');
        // A decision published twice names itself here, before the count says only that one was.
        const published = new Map<string, number>();
        for (const event of seen) published.set(event.eventId as string, (published.get(event.eventId as string) ?? 0) + 1);
        expect([...published].filter(([, times]) => times > 1)).toEqual([]);
        expect(seen).toHaveLength(1000);
        expect(rejected()).toHaveLength(50);
      },
      { timeoutMs: 90_000 },
    );
    await settled();

    const queued = eventsOf(ids, 'interaction.queued');
    expect(queued).toHaveLength(1000);
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

    const reasons = rejected();
    expect(reasons).toHaveLength(50);
    for (const dead of reasons) {
      expect(dead.errors.length).toBeGreaterThan(0);
      expect(malformed(Number(dead.original.key.slice(4))).reason).toBe(dead.reason);
    }
    expect(new Set(reasons.map((dead) => dead.reason))).toEqual(
      new Set(['invalid_json', 'invalid_encoding', 'validation_failed', 'unknown_type', 'unsupported_version', 'too_large']),
    );

    // Each interaction waits in exactly one queue (escalations may have moved some since).
    const waiting = [...ids];
    const placements = new Map(waiting.map((id) => [id, 0]));
    for (const queue of await redis.smembers(`${keyPrefix}{default}:queues`)) {
      const scores = await redis.zmscore(`${keyPrefix}{default}:q:${queue}`, ...waiting);
      scores.forEach((score, index) => {
        if (score !== null) placements.set(waiting[index], placements.get(waiting[index])! + 1);
      });
    }
    expect([...placements].filter(([, count]) => count !== 1)).toEqual([]);
  });

  it('dequeues each abandoned interaction once, even when the abandon is sent twice', async () => {
    const queued = await queuedArrivals(200, 2000);
    const ids = new Set(queued.keys());
    const abandons = [...ids].map((id) => lifecycle('interaction.abandoned', id, { reason: 'customer_left' }));
    const unknown = lifecycle('interaction.abandoned', `never-arrived-${randomUUID()}`);
    await client.produce([...keyed(abandons), ...keyed(abandons), ...keyed([unknown])]);

    await expectEventually(() => expect(eventsOf(ids, 'interaction.dequeued')).toHaveLength(200), { timeoutMs: 60_000 });
    await settled();

    const dequeued = eventsOf(ids, 'interaction.dequeued');
    expect(dequeued).toHaveLength(200);
    expect(idsOf(dequeued).size).toBe(200);
    expect(dequeued.every((event) => event.reason === 'abandoned')).toBe(true);
    expect(eventsOf(new Set([unknown.interactionId]), 'interaction.dequeued')).toEqual([]);
    for (const event of dequeued) expect(await redis.zscore(`${keyPrefix}{default}:q:${event.queue}`, event.interactionId)).toBeNull();
  });

  it('dequeues an answered interaction with reason answered, once: a re-sent answer changes nothing', async () => {
    const queued = await queuedArrivals(30, 3000);
    const ids = new Set(queued.keys());
    const queues = new Set([...queued.values()].map((event) => event.queue));
    const answeredBefore = new Map(await Promise.all([...queues].map(async (queue) => [queue, await answeredCount(queue)] as const)));
    const answers = [...ids].map((id) => lifecycle('interaction.answered', id));
    const unknown = lifecycle('interaction.answered', `never-arrived-${randomUUID()}`);
    await client.produce([...keyed(answers), ...keyed(answers), ...keyed([unknown])]);

    await expectEventually(() => expect(eventsOf(ids, 'interaction.dequeued')).toHaveLength(30), { timeoutMs: 60_000 });
    await settled();

    const dequeued = eventsOf(ids, 'interaction.dequeued');
    expect(dequeued).toHaveLength(30);
    expect(eventsOf(new Set([unknown.interactionId]), 'interaction.dequeued')).toEqual([]);
    for (const answer of answers) {
      const placed = queued.get(answer.interactionId)!;
      const mine = dequeued.filter((event) => event.interactionId === answer.interactionId);
      expect(mine).toHaveLength(1);
      // The decision that placed it, now saying which queue it left, why, and because of what.
      expect(mine[0]).toEqual({
        ...placed,
        eventId: `${answer.eventId}:dequeued`,
        type: 'interaction.dequeued',
        causationId: answer.eventId,
        occurredAt: expect.any(String),
        reason: 'answered',
        position: undefined,
        estimatedWaitSeconds: null,
      });
      expect(mine[0]).not.toHaveProperty('position');
      expect(await redis.zscore(`${keyPrefix}{default}:q:${placed.queue}`, answer.interactionId)).toBeNull();
      expect(await redis.hmget(`${keyPrefix}{default}:i:${answer.interactionId}`, 'st', 'dr')).toEqual(['d', 'answered']);
    }
    // Each answer counts once in its queue's service history, from which waits are estimated.
    for (const queue of queues) {
      const answeredHere = [...queued.values()].filter((event) => event.queue === queue).length;
      expect(await answeredCount(queue)).toBe(answeredBefore.get(queue)! + answeredHere);
    }
  });

  it('dequeues a waiting interaction that ends with reason ended, and an end after the answer changes nothing; a re-sent end neither', async () => {
    const queued = await queuedArrivals(40, 4000);
    const [endedWaiting, answeredFirst] = [[...queued.keys()].slice(0, 20), [...queued.keys()].slice(20)];
    const queues = new Set([...queued.values()].map((event) => event.queue));
    const answeredBefore = new Map(await Promise.all([...queues].map(async (queue) => [queue, await answeredCount(queue)] as const)));
    const answers = answeredFirst.map((id) => lifecycle('interaction.answered', id));
    const ends = [...endedWaiting, ...answeredFirst].map((id) => lifecycle('interaction.ended', id));
    const unknown = lifecycle('interaction.ended', `never-arrived-${randomUUID()}`);
    // One interaction's events share a key, so each end comes after that interaction's answer.
    await client.produce([...keyed(answers), ...keyed(ends), ...keyed(ends), ...keyed([unknown])]);

    await expectEventually(() => expect(eventsOf(idsOf(ends), 'interaction.dequeued')).toHaveLength(40), { timeoutMs: 60_000 });
    await settled();

    const dequeued = eventsOf(idsOf(ends), 'interaction.dequeued');
    expect(dequeued).toHaveLength(40);
    expect(eventsOf(new Set([unknown.interactionId]), 'interaction.dequeued')).toEqual([]);
    const causes = new Map([...answers, ...ends].map((event) => [event.eventId, event]));
    for (const id of queued.keys()) {
      const mine = dequeued.filter((event) => event.interactionId === id);
      expect(mine).toHaveLength(1);
      const cause = causes.get(mine[0].causationId as string)!;
      const expected = endedWaiting.includes(id) ? { type: 'interaction.ended', reason: 'ended' } : { type: 'interaction.answered', reason: 'answered' };
      expect({ cause: cause.type, reason: mine[0].reason }).toEqual({ cause: expected.type, reason: expected.reason });
      expect(cause.interactionId).toBe(id);
      expect(mine[0]).toMatchObject({ eventId: `${cause.eventId}:dequeued`, queue: queued.get(id)!.queue, estimatedWaitSeconds: null });
      expect(await redis.zscore(`${keyPrefix}{default}:q:${queued.get(id)!.queue}`, id)).toBeNull();
      expect(await redis.hmget(`${keyPrefix}{default}:i:${id}`, 'st', 'dr')).toEqual(['d', expected.reason]);
    }
    // Only the answers count in the service history, not the ends.
    for (const queue of queues) {
      const answeredHere = answeredFirst.filter((id) => queued.get(id)!.queue === queue).length;
      expect(await answeredCount(queue)).toBe(answeredBefore.get(queue)! + answeredHere);
    }
  });

  it('stops on SIGTERM after draining, with exit code 0 and every processed record committed', async () => {
    await queuedArrivals(100, 5000);
    const exitCodes = await Promise.all(processes.map((running) => running.stop()));
    processes = [];
    expect(exitCodes).toEqual(services.map(() => 0));
    // Every arrival was routed before the stop (its decision was seen): a restart would start
    // where the services stopped, with nothing to re-deliver.
    for (const { group, topic } of consumed) expect(await client.uncommitted(`${namespace}.${group}`, client.topics[topic])).toBe(0);
  });
});
