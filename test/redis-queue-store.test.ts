import Redis, { Cluster } from 'ioredis';
import {
  DequeueCommand,
  ENQUEUE_BATCH,
  EnqueueCommand,
  InteractionSnapshot,
  MoveCommand,
  QueueOutcome,
  RedisQueueStore,
  ScheduledEscalation,
} from '@conmutador/redis-queues';
import { msPerPriorityPoint, PRIORITY_SCORE_STRIDE, queueScore } from '@conmutador/routing';
import { connectTestCluster, removeKeysWithPrefix } from './support/redis-targets';
import { testNamespace } from './support/test-namespace';

const snapshot: InteractionSnapshot = {
  sector: 'oxygen',
  intent: 'supply',
  emergency: false,
  confidence: 0.9,
  tenant: 't1',
  channel: 'voice',
  requiredSkills: ['oxygen', 'oxygen.supply'],
  ruleId: 'r1',
  rulesetVersion: 3,
};
const T0 = Date.UTC(2026, 3, 14, 15, 0, 0);

function enqueue(interactionId: string, priority: number, enqueuedAtMs: number, overrides: Partial<EnqueueCommand> = {}): EnqueueCommand {
  return {
    kind: 'enqueue',
    eventId: `e-${interactionId}`,
    interactionId,
    queue: 'oxygen',
    priority,
    enqueuedAtMs,
    msPerPriorityPoint: PRIORITY_SCORE_STRIDE,
    escalations: [],
    snapshot,
    classification: { sector: 'oxygen', intent: 'supply', emergency: false, confidence: 0.9, evidence: [{ source: 'text', detail: 'oxígeno', weight: 0.9 }] },
    nowMs: enqueuedAtMs,
    ...overrides,
  };
}

const dequeue = (interactionId: string, eventId: string, reason = 'abandoned', occurredAtMs = Date.now()): DequeueCommand => ({
  kind: 'dequeue',
  eventId,
  interactionId,
  reason,
  occurredAtMs,
});

const move = (interactionId: string, eventId: string, targetQueue: string, overrides: Partial<MoveCommand> = {}): MoveCommand => ({
  kind: 'move',
  eventId,
  interactionId,
  targetQueue,
  msPerPriorityPoint: PRIORITY_SCORE_STRIDE,
  escalations: [],
  reason: 'transfer',
  nowMs: Date.now(),
  ...overrides,
});

/**
 * The same behaviours on one Redis and on a Redis Cluster (three primaries, a replica each):
 * every script declares its keys, and one domain's keys share a slot.
 */
describe.each([
  ['one Redis', async (): Promise<Redis | Cluster> => new Redis(process.env.REDIS_URL!)],
  ['a Redis Cluster', connectTestCluster],
])('Redis queue store (Lua scripts on %s)', (_target, connect) => {
  let redis: Redis | Cluster;
  let store: RedisQueueStore;
  const prefixes: string[] = [];

  beforeAll(async () => {
    redis = await connect();
  }, 120_000);

  beforeEach(() => {
    const { keyPrefix } = testNamespace('store');
    prefixes.push(keyPrefix);
    store = new RedisQueueStore(redis, keyPrefix, 3600);
  });

  afterAll(async () => {
    for (const prefix of prefixes) await removeKeysWithPrefix(redis, prefix);
    redis.disconnect();
  });

  it('orders by priority, then arrival, with the same score as the pure core', async () => {
    await store.execute([enqueue('late-low', 10, T0 + 5000), enqueue('early-low', 10, T0), enqueue('late-high', 900, T0 + 9000)]);
    expect(await store.waiting('oxygen')).toEqual(['late-high', 'early-low', 'late-low']);
    expect(Number(await redis.zscore(store.keysOf().queue('oxygen'), 'early-low'))).toBe(queueScore(10, T0));
    expect(Number(await redis.zscore(store.keysOf().queue('oxygen'), 'late-high'))).toBe(queueScore(900, T0 + 9000));
  });

  it('with aging, an old low-priority interaction passes newer higher-priority ones once it has waited long enough', async () => {
    const pointMs = msPerPriorityPoint(2); // 2 points per minute: 30 s of waiting = 1 point
    const aging = (id: string, priority: number, at: number) => enqueue(id, priority, at, { msPerPriorityPoint: pointMs });
    // 10 points apart: equal after 5 minutes of waiting.
    await store.execute([aging('old-low', 100, T0), aging('new-high-4min', 110, T0 + 4 * 60_000), aging('new-high-6min', 110, T0 + 6 * 60_000)]);
    expect(await store.waiting('oxygen')).toEqual(['new-high-4min', 'old-low', 'new-high-6min']);
    expect(Number(await redis.zscore(store.keysOf().queue('oxygen'), 'old-low'))).toBe(queueScore(100, T0, pointMs));
  });

  it('applies an arrival once per event id and once per interaction id', async () => {
    const [first] = await store.execute([enqueue('a', 100, T0)]);
    expect(first).toMatchObject({ outcome: QueueOutcome.Applied, placement: { position: 1, queue: 'oxygen', snapshot, estimatedWaitSeconds: null } });
    const [again] = await store.execute([enqueue('a', 100, T0)]);
    expect(again.outcome).toBe(QueueOutcome.AppliedUnpublished);
    await store.markPublished([{ interactionId: 'a', eventId: 'e-a' }]);
    const [afterPublish, otherEvent] = await store.execute([enqueue('a', 100, T0), enqueue('a', 100, T0, { eventId: 'another-event-id' })]);
    expect(afterPublish.outcome).toBe(QueueOutcome.Duplicate);
    expect(otherEvent.outcome).toBe(QueueOutcome.NoEffect);
    expect(await store.queueLength('oxygen')).toBe(1);
  });

  it('marks the decisions of a whole chunk published in one call, and creates nothing for an event it does not know', async () => {
    await store.execute([
      enqueue('m1', 100, T0, { eventId: 'e-m1' }),
      enqueue('m2', 100, T0, { eventId: 'e-m2' }),
      enqueue('m3', 100, T0, { eventId: 'e-m3' }),
    ]);
    await store.markPublished([
      { interactionId: 'm1', eventId: 'e-m1' },
      { interactionId: 'm3', eventId: 'e-m3' },
      { interactionId: 'm2', eventId: 'not-its-event' },
      { interactionId: 'never-seen', eventId: 'e-x' },
    ]);
    const again = await store.execute([
      enqueue('m1', 100, T0, { eventId: 'e-m1' }),
      enqueue('m2', 100, T0, { eventId: 'e-m2' }),
      enqueue('m3', 100, T0, { eventId: 'e-m3' }),
    ]);
    expect(again.map((result) => result.outcome)).toEqual([QueueOutcome.Duplicate, QueueOutcome.AppliedUnpublished, QueueOutcome.Duplicate]);
    expect(await redis.hexists(store.keysOf().interaction('m2'), 'ev:not-its-event')).toBe(0);
    expect(await redis.exists(store.keysOf().interaction('never-seen'))).toBe(0);
  });

  it('places runs of arrivals longer than one script call, with other commands between them, in the order given', async () => {
    const count = 2 * ENQUEUE_BATCH + 5;
    const arrivals = Array.from({ length: count }, (_, i) => enqueue(`run${i}`, 100, T0 + i));
    // Leaves in the middle of the first run; the arrival right after it is placed behind everyone before it.
    const commands = [...arrivals.slice(0, 10), dequeue('run3', 'leave-3'), ...arrivals.slice(10)];
    const results = await store.execute(commands);
    expect(results).toHaveLength(commands.length);
    const placed = results.map((result, index) => [commands[index].interactionId, result.outcome, 'placement' in result ? result.placement.position : null]);
    expect(placed[10]).toEqual(['run3', QueueOutcome.Applied, 0]);
    // Position counts who waits ahead: arrivals 0..9 minus the one that left, then one per arrival.
    expect(placed.filter((_, index) => index !== 10)).toEqual(arrivals.map((arrival, i) => [arrival.interactionId, QueueOutcome.Applied, i < 10 ? i + 1 : i]));
    expect(await store.queueLength('oxygen')).toBe(count - 1);
    expect((await store.waiting('oxygen')).slice(0, 4)).toEqual(['run0', 'run1', 'run2', 'run4']);
  });

  it('fails only the arrival a Redis error stops, and places the others of the same run', async () => {
    // Something else holds the key of `clash`'s hash: every write to it is a WRONGTYPE error.
    await redis.set(store.keysOf().interaction('clash'), 'not a hash');
    const results = await store.execute([enqueue('before', 100, T0), enqueue('clash', 100, T0 + 1), enqueue('after', 100, T0 + 2)]);
    expect(results[0]).toMatchObject({ outcome: QueueOutcome.Applied, placement: { position: 1 } });
    expect(results[1]).toEqual({ outcome: 'failed', error: expect.stringMatching(/^WRONGTYPE/) });
    expect(results[2]).toMatchObject({ outcome: QueueOutcome.Applied, placement: { position: 2 } });
    expect(await store.waiting('oxygen')).toEqual(['before', 'after']);
  });

  it('dequeues once, keeps a tombstone so a late duplicate arrival stays out, and ignores unknown ids', async () => {
    await store.execute([enqueue('b', 100, T0)]);
    const results = await store.execute([
      dequeue('b', 'x1'),
      dequeue('b', 'x2', 'ended'),
      dequeue('nobody', 'x3'),
      enqueue('b', 100, T0, { eventId: 'late-duplicate' }),
    ]);
    expect(results.map((result) => result.outcome)).toEqual([
      QueueOutcome.Applied,
      QueueOutcome.NoEffect,
      QueueOutcome.UnknownInteraction,
      QueueOutcome.NoEffect,
    ]);
    expect(await store.queueLength('oxygen')).toBe(0);
    expect(await redis.ttl(store.keysOf().interaction('b'))).toBeGreaterThan(0);
    expect(await redis.exists(store.keysOf().interaction('nobody'))).toBe(0);
  });

  it('moves an interaction keeping its original age, so it passes later arrivals in the target queue', async () => {
    await store.execute([enqueue('old', 100, T0), enqueue('newer-in-target', 100, T0 + 60_000, { queue: 'doctor' })]);
    const [moved] = await store.execute([move('old', 'tr-1', 'doctor', { ruleId: 'transfer' })]);
    expect(moved).toMatchObject({ outcome: QueueOutcome.Applied, placement: { queue: 'doctor', fromQueue: 'oxygen', position: 1, enqueuedAtMs: T0 } });
    expect(await store.waiting('doctor')).toEqual(['old', 'newer-in-target']);
    expect(await store.queueLength('oxygen')).toBe(0);
    expect(await store.queues()).toEqual(['doctor', 'oxygen']);
    expect((await store.trace('old')).map((entry) => entry.kind)).toEqual(['queued', 'transferred']);
  });

  it('overflows to the other site once the target queue holds maxWaiting interactions', async () => {
    const overflow = { queue: 'banking_medellin', maxWaiting: 2, msPerPriorityPoint: PRIORITY_SCORE_STRIDE };
    const results = await store.execute([1, 2, 3, 4].map((i) => enqueue(`c${i}`, 100, T0 + i, { queue: 'banking_bogota', overflow })));
    expect(results.map((result) => ('placement' in result ? [result.placement.queue, result.placement.overflowed] : null))).toEqual([
      ['banking_bogota', false],
      ['banking_bogota', false],
      ['banking_medellin', true],
      ['banking_medellin', true],
    ]);
    expect((await store.trace('c3'))[0]).toMatchObject({ kind: 'overflow', queue: 'banking_medellin', fromQueue: 'banking_bogota' });
  });

  it('estimates waits from the time between answers, and says null without history', async () => {
    await store.execute([enqueue('w1', 100, T0), enqueue('w2', 100, T0 + 1), enqueue('w3', 100, T0 + 2), enqueue('w4', 100, T0 + 3)]);
    await store.execute([dequeue('w1', 'a1', 'answered', T0 + 60_000)]);
    const [noHistoryYet] = await store.execute([enqueue('w5', 100, T0 + 4)]);
    expect(noHistoryYet).toMatchObject({ placement: { estimatedWaitSeconds: null } });
    await store.execute([dequeue('w2', 'a2', 'answered', T0 + 90_000)]); // 30 s between answers
    const [estimated] = await store.execute([enqueue('w6', 100, T0 + 5)]);
    // w3, w4, w5 ahead of it: position 4 × 30 s.
    expect(estimated).toMatchObject({ placement: { position: 4, estimatedWaitSeconds: 120 } });
    expect(await store.queueStats('oxygen')).toEqual({ answered: 2, ewmaAnswerIntervalMs: 30_000, lastAnsweredAtMs: T0 + 90_000 });
  });

  it("gives each arrival of a run its own queue's service history, and indexes every queue the run reaches", async () => {
    await store.execute([enqueue('h1', 100, T0), enqueue('h2', 100, T0 + 1)]);
    await store.execute([dequeue('h1', 'ah1', 'answered', T0 + 60_000), dequeue('h2', 'ah2', 'answered', T0 + 90_000)]);
    // One script call, alternating between a queue with 30 s between answers and one without history.
    const results = await store.execute([
      enqueue('o1', 100, T0 + 2),
      enqueue('d1', 100, T0 + 3, { queue: 'doctor' }),
      enqueue('o2', 100, T0 + 4),
      enqueue('d2', 100, T0 + 5, { queue: 'doctor' }),
    ]);
    expect(
      results.map((result) => ('placement' in result ? [result.placement.queue, result.placement.position, result.placement.estimatedWaitSeconds] : null)),
    ).toEqual([
      ['oxygen', 1, 30],
      ['doctor', 1, null],
      ['oxygen', 2, 60],
      ['doctor', 2, null],
    ]);
    expect(await store.queues()).toEqual(['doctor', 'oxygen']);
  });

  it('fires each escalation step once however many replicas poll at the same time, keeping the age', async () => {
    const now = Date.now();
    const steps: ScheduledEscalation[] = [
      { afterSeconds: 10, raisePriorityBy: 50 },
      { afterSeconds: 20, moveToQueue: 'oxygen_backup', addSkills: ['oxygen.senior'], pm: PRIORITY_SCORE_STRIDE },
      { afterSeconds: 3600, raisePriorityBy: 1 },
    ];
    await store.execute([enqueue('esc', 100, now - 30_000, { escalations: steps }), enqueue('calm', 120, now - 5_000)]);

    // Five "replicas" poll concurrently; the two due steps fire once in total.
    const fired = await Promise.all(Array.from({ length: 5 }, () => store.fireDueEscalations(now)));
    expect(fired.reduce((sum, count) => sum + count, 0)).toBe(2);

    expect(await store.waiting('oxygen_backup')).toEqual(['esc']);
    expect(await store.waiting('oxygen')).toEqual(['calm']);
    const state = await store.interaction('esc');
    expect(state).toMatchObject({ q: 'oxygen_backup', p: '150', t: String(now - 30_000), k: 'oxygen,oxygen.supply,oxygen.senior' });
    expect((await store.trace('esc')).map((entry) => entry.kind)).toEqual(['queued', 'escalated', 'escalated']);

    const outbox = await store.readOutbox();
    expect(outbox.map((entry) => entry.step)).toEqual([1, 2]);
    expect(outbox[1].placement).toMatchObject({ interactionId: 'esc', queue: 'oxygen_backup', fromQueue: 'oxygen', priority: 150, enqueuedAtMs: now - 30_000 });
    await store.acknowledgeOutbox(outbox);
    expect(await store.readOutbox()).toEqual([]);

    // The far step is cancelled when the interaction leaves.
    await store.execute([dequeue('esc', 'done')]);
    expect(await store.fireDueEscalations(now + 7200_000)).toBe(0);
  });

  it('keeps the first decision in a compact hash until something changes it, then in the trace list', async () => {
    const evidence = [
      { source: 'text', detail: 'sector oxygen 0.94 (then health 0.01, banking 0.00)', weight: 0.94 },
      { source: 'text', detail: 'intent supply 0.99', weight: 0.986 },
      { source: 'emergency', detail: 'risk cue "no puede respirar" (breathing); emergency head 1.00', weight: 1 },
    ];
    const arrival = enqueue('first', 100, T0, {
      nowMs: T0 + 250,
      snapshot: { ...snapshot, emergency: true, confidence: 0.94 },
      classification: { sector: 'oxygen', intent: 'supply', emergency: true, confidence: 0.94, evidence },
    });
    await store.execute([arrival]);

    // No list key per waiting interaction, and a hash Redis stores as a listpack (no value over 64 bytes).
    expect(await redis.exists(store.keysOf().trace('first'))).toBe(0);
    expect(await redis.object('ENCODING', store.keysOf().interaction('first'))).toBe('listpack');
    const queued = {
      at: new Date(T0 + 250).toISOString(),
      kind: 'queued',
      queue: 'oxygen',
      priority: 100,
      ruleId: 'r1',
      rulesetVersion: 3,
      causationId: 'e-first',
      classification: {
        sector: 'oxygen',
        intent: 'supply',
        emergency: true,
        confidence: 0.94,
        evidence: [
          { source: 'text', weight: 0.94, detail: 'sector oxygen' },
          { source: 'text', weight: 0.99, detail: 'intent supply' },
          { source: 'emergency', weight: 1, detail: expect.stringMatching(/^risk cue "no/) },
        ],
      },
    };
    expect(await store.trace('first')).toEqual([queued]);

    // Answered: the same first entry now leads the list, followed by the answer.
    await store.execute([dequeue('first', 'ans-first', 'answered', T0 + 60_000)]);
    const trace = await store.trace('first');
    expect(trace).toEqual([queued, expect.objectContaining({ kind: 'dequeued', reason: 'answered', causationId: 'ans-first' })]);
    expect(await redis.hexists(store.keysOf().interaction('first'), 'x')).toBe(0);
  });

  it('stores what interactions of one rule share once, as a routing profile', async () => {
    await store.execute([enqueue('p1', 100, T0), enqueue('p2', 100, T0 + 1), enqueue('p3', 100, T0 + 2, { snapshot: { ...snapshot, ruleId: 'r2' } })]);
    expect(await redis.hlen(store.keysOf().profiles)).toBe(2);
    expect(await redis.hexists(store.keysOf().interaction('p1'), 's')).toBe(0);
    expect(await store.interaction('p1')).toMatchObject({ s: 'oxygen', n: 'supply', k: 'oxygen,oxygen.supply', r: 'r1', v: '3' });
    expect(await store.describe(['p3', 'nobody'], ['r', 'q', 'k'])).toEqual([
      ['r2', 'oxygen', 'oxygen,oxygen.supply'],
      [null, null, null],
    ]);
  });

  it('keeps each routing domain in its own hash tag, and fires due escalations in every domain', async () => {
    const now = Date.now();
    await store.execute([
      enqueue('bog-1', 100, now - 30_000, { domain: 'bogota', queue: 'banking_bog', escalations: [{ afterSeconds: 10, raisePriorityBy: 5 }] }),
      enqueue('med-1', 100, now - 30_000, { domain: 'medellin', queue: 'banking_med', escalations: [{ afterSeconds: 10, raisePriorityBy: 7 }] }),
    ]);
    expect(await redis.exists(store.keysOf('bogota').interaction('bog-1'))).toBe(1);
    expect(await redis.exists(store.keysOf('medellin').interaction('med-1'))).toBe(1);
    expect(await store.domains()).toEqual(['bogota', 'medellin']);
    expect(await store.queues()).toEqual(['banking_bog', 'banking_med']);
    expect(await store.fireDueEscalations(now)).toBe(2);
    expect((await store.interaction('bog-1')).p).toBe('105');
    expect((await store.interaction('med-1')).p).toBe('107');
    const outbox = await store.readOutbox();
    expect(outbox.map((entry) => [entry.domain, entry.placement.interactionId]).sort()).toEqual([
      ['bogota', 'bog-1'],
      ['medellin', 'med-1'],
    ]);
    await store.acknowledgeOutbox(outbox);
    expect(await store.readOutbox()).toEqual([]);
  });

  it('transfers across domains in two idempotent steps that keep the age, and completes the second after a crash between them', async () => {
    await store.execute([
      enqueue('covid', 100, T0, { domain: 'health', queue: 'covid_triage' }),
      enqueue('newer', 100, T0 + 60_000, { domain: 'doctors', queue: 'online_doctor' }),
    ]);
    const transfer = move('covid', 'tr-1', 'online_doctor', { domain: 'doctors', ruleId: 'doctor-rule' });
    const [moved] = await store.execute([transfer]);
    expect(moved).toMatchObject({
      outcome: QueueOutcome.Applied,
      domain: 'doctors',
      placement: { queue: 'online_doctor', fromQueue: 'covid_triage', position: 1, enqueuedAtMs: T0 },
    });
    expect(await store.waiting('online_doctor')).toEqual(['covid', 'newer']);
    expect(await store.queueLength('covid_triage')).toBe(0);
    expect(await redis.hget(store.keysOf('health').interaction('covid'), 'st')).toBe('m');
    expect((await store.trace('covid')).map((entry) => [entry.kind, entry.queue])).toEqual([
      ['queued', 'covid_triage'],
      ['transferred', 'online_doctor'],
    ]);
    expect((await store.trace('covid'))[1]).toMatchObject({ fromQueue: 'covid_triage', fromDomain: 'health', ruleId: 'doctor-rule', causationId: 'tr-1' });

    // A re-delivery changes nothing; once published, it is a plain duplicate.
    const [again] = await store.execute([transfer]);
    expect(again).toMatchObject({ outcome: QueueOutcome.AppliedUnpublished, placement: { queue: 'online_doctor' } });
    await store.markPublished([{ interactionId: 'covid', eventId: 'tr-1' }]);
    expect((await store.execute([transfer]))[0].outcome).toBe(QueueOutcome.Duplicate);
    expect(await store.waiting('online_doctor')).toEqual(['covid', 'newer']);

    // As if the process died after the first step: the second is done again from what the first left behind.
    await store.execute([enqueue('lost', 100, T0 + 1, { domain: 'health', queue: 'covid_triage' })]);
    await store.execute([move('lost', 'tr-2', 'online_doctor', { domain: 'doctors' })]);
    await redis.del(store.keysOf('doctors').interaction('lost'), store.keysOf('doctors').trace('lost'));
    await redis.zrem(store.keysOf('doctors').queue('online_doctor'), 'lost');
    const [completed] = await store.execute([move('lost', 'tr-2', 'online_doctor', { domain: 'doctors' })]);
    // Applied now in the domain it joins: its decision is published, as it never was.
    expect(completed).toMatchObject({ outcome: QueueOutcome.Applied, domain: 'doctors', placement: { queue: 'online_doctor', enqueuedAtMs: T0 + 1 } });
    expect(await store.waiting('online_doctor')).toEqual(['covid', 'lost', 'newer']);

    // Answered in its new domain; an answer for the interaction it left changes nothing twice.
    const [answered] = await store.execute([dequeue('covid', 'ans-covid', 'answered')]);
    expect(answered).toMatchObject({ outcome: QueueOutcome.Applied, domain: 'doctors' });
    expect(await store.waiting('online_doctor')).toEqual(['lost', 'newer']);
  });

  it('finds an interaction another replica moved to another domain, though this one remembers where it placed it', async () => {
    const prefix = (store as unknown as { prefix: string }).prefix;
    const otherReplica = new RedisQueueStore(redis, prefix, 3600);
    await store.execute([enqueue('wanderer', 100, T0, { domain: 'health', queue: 'covid_triage' })]);
    await otherReplica.execute([move('wanderer', 'tr-w', 'online_doctor', { domain: 'doctors' })]);
    // This replica placed it in "health" and remembers so; the script there says it left.
    const [answered] = await store.execute([dequeue('wanderer', 'ans-w', 'answered')]);
    expect(answered).toMatchObject({ outcome: QueueOutcome.Applied, domain: 'doctors', placement: { queue: 'online_doctor' } });
    expect(await store.queueLength('online_doctor')).toBe(0);
    // And one another replica finished: this one's memory is not taken for an unknown interaction either.
    await store.execute([enqueue('gone', 100, T0, { domain: 'health', queue: 'covid_triage' })]);
    await otherReplica.execute([dequeue('gone', 'ab-g', 'abandoned')]);
    expect((await store.execute([dequeue('gone', 'ans-g', 'answered')]))[0].outcome).toBe(QueueOutcome.NoEffect);
  });

  it('lets another replica claim an outbox entry a dead replica read but never acknowledged', async () => {
    const now = Date.now();
    await store.execute([enqueue('orphan', 100, now - 30_000, { escalations: [{ afterSeconds: 1, raisePriorityBy: 5 }] })]);
    await store.fireDueEscalations(now);
    const dyingConnection = redis.duplicate();
    const dying = new RedisQueueStore(dyingConnection, (store as unknown as { prefix: string }).prefix, 3600);
    Object.assign(dying, { consumerName: 'replica-that-dies' });
    expect(await dying.readOutbox()).toHaveLength(1);
    dyingConnection.disconnect();
    expect(await store.readOutbox(200, 60_000)).toHaveLength(0); // still owned by the dead replica
    const reclaimed = await store.readOutbox(200, 0);
    expect(reclaimed.map((entry) => entry.placement.interactionId)).toEqual(['orphan']);
  });
});
