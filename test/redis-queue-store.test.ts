import Redis from 'ioredis';
import { InteractionSnapshot, QueueOutcome, RedisQueueStore } from '@conmutador/redis-queues';
import { queueScore } from '@conmutador/routing';
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

describe('Redis queue store (Lua scripts on a real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL!);
  let store: RedisQueueStore;
  let prefix: string;

  beforeEach(() => {
    prefix = testNamespace('store').keyPrefix;
    store = new RedisQueueStore(redis, prefix, 3600);
  });

  afterAll(() => redis.disconnect());

  const enqueue = (interactionId: string, priority: number, enqueuedAtMs: number, eventId = `e-${interactionId}`, queue = 'oxygen') =>
    ({ kind: 'enqueue', eventId, interactionId, queue, priority, enqueuedAtMs, snapshot }) as const;

  it('orders by priority, then arrival, with the same score as the pure core', async () => {
    const t = Date.UTC(2026, 3, 14, 15, 0, 0);
    await store.execute([enqueue('late-low', 10, t + 5000), enqueue('early-low', 10, t), enqueue('late-high', 900, t + 9000)]);
    expect(await store.waiting('oxygen')).toEqual(['late-high', 'early-low', 'late-low']);
    expect(Number(await redis.zscore(store.queueKey('oxygen'), 'early-low'))).toBe(queueScore(10, t));
    expect(Number(await redis.zscore(store.queueKey('oxygen'), 'late-high'))).toBe(queueScore(900, t + 9000));
  });

  it('applies an arrival once per event id and once per interaction id', async () => {
    const t = Date.now();
    const [first] = await store.execute([enqueue('a', 100, t)]);
    expect(first).toMatchObject({ outcome: QueueOutcome.Applied, placement: { position: 1, queue: 'oxygen', snapshot } });
    const [again] = await store.execute([enqueue('a', 100, t)]);
    expect(again.outcome).toBe(QueueOutcome.AppliedUnpublished);
    await store.markPublished([{ interactionId: 'a', eventId: 'e-a' }]);
    const [afterPublish, otherEvent] = await store.execute([enqueue('a', 100, t), enqueue('a', 100, t, 'another-event-id')]);
    expect(afterPublish.outcome).toBe(QueueOutcome.Duplicate);
    expect(otherEvent.outcome).toBe(QueueOutcome.NoEffect);
    expect(await store.queueLength('oxygen')).toBe(1);
  });

  it('dequeues once, keeps a tombstone so a late duplicate arrival stays out, and ignores unknown ids', async () => {
    const t = Date.now();
    await store.execute([enqueue('b', 100, t)]);
    const results = await store.execute([
      { kind: 'dequeue', eventId: 'x1', interactionId: 'b', reason: 'abandoned' },
      { kind: 'dequeue', eventId: 'x2', interactionId: 'b', reason: 'ended' },
      { kind: 'dequeue', eventId: 'x3', interactionId: 'nobody', reason: 'abandoned' },
      enqueue('b', 100, t, 'late-duplicate'),
    ]);
    expect(results.map((result) => result.outcome)).toEqual([
      QueueOutcome.Applied,
      QueueOutcome.NoEffect,
      QueueOutcome.UnknownInteraction,
      QueueOutcome.NoEffect,
    ]);
    expect(await store.queueLength('oxygen')).toBe(0);
    expect(await redis.ttl(store.interactionKey('b'))).toBeGreaterThan(0);
    expect(await redis.exists(store.interactionKey('nobody'))).toBe(0);
  });

  it('moves an interaction keeping its original age, so it passes later arrivals in the target queue', async () => {
    const t = Date.UTC(2026, 3, 14, 15, 0, 0);
    await store.execute([enqueue('old', 100, t), enqueue('newer-in-target', 100, t + 60_000, 'e-n', 'doctor')]);
    const [moved] = await store.execute([{ kind: 'move', eventId: 'tr-1', interactionId: 'old', targetQueue: 'doctor', ruleId: 'transfer' }]);
    expect(moved).toMatchObject({ outcome: QueueOutcome.Applied, placement: { queue: 'doctor', fromQueue: 'oxygen', position: 1, enqueuedAtMs: t } });
    expect(await store.waiting('doctor')).toEqual(['old', 'newer-in-target']);
    expect(await store.queueLength('oxygen')).toBe(0);
    expect(await store.queues()).toEqual(['doctor', 'oxygen']);
  });
});
