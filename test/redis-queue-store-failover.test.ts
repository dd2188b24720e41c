import { Cluster } from 'ioredis';
import { EnqueueCommand, QueueCommandResult, QueueOutcome, RedisQueueStore } from '@conmutador/redis-queues';
import { PRIORITY_SCORE_STRIDE } from '@conmutador/routing';
import { killRedisNode, startRedisNode } from './support/local-stack';
import { connectTestCluster, removeKeysWithPrefix } from './support/redis-targets';
import { testNamespace } from './support/test-namespace';

const FULL = process.env.CONMUTADOR_TEST_FULL === '1';
const TOTAL = FULL ? 20_000 : 3_000;
const CHUNK = 250;
const DOMAIN = 'surge';
const QUEUE = 'banking_relief';

function arrival(index: number, runId: string): EnqueueCommand {
  const now = Date.now();
  return {
    kind: 'enqueue',
    eventId: `ev-${runId}-${index}`,
    interactionId: `int-${runId}-${index}`,
    queue: QUEUE,
    domain: DOMAIN,
    priority: 100,
    enqueuedAtMs: now,
    msPerPriorityPoint: PRIORITY_SCORE_STRIDE,
    escalations: [],
    snapshot: {
      sector: 'banking',
      intent: 'payment_relief',
      emergency: false,
      confidence: 0.9,
      tenant: 'bank',
      channel: 'voice',
      requiredSkills: ['banking'],
      ruleId: 'relief',
      rulesetVersion: 1,
    },
    classification: undefined,
    nowMs: now,
  };
}

/** The port of the primary serving a key's slot, from CLUSTER SLOTS. */
async function primaryPortOf(cluster: Cluster, key: string): Promise<number> {
  const slot = Number(await cluster.call('CLUSTER', 'KEYSLOT', key));
  const ranges = (await cluster.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
  const range = ranges.find(([from, to]) => slot >= from && slot <= to)!;
  return Number(range[2][1]);
}

const applied = (result: QueueCommandResult): boolean => result.outcome === QueueOutcome.Applied || result.outcome === QueueOutcome.AppliedUnpublished;

/**
 * A primary of the Redis Cluster killed (kill -9) while a stream of arrivals goes into its
 * domain. The store waits for a replica to acknowledge every chunk (WAIT 1) before the chunk
 * counts as applied, as the router does before it commits Kafka offsets; a chunk that fails is
 * retried whole, as the consumer does. Whatever was acknowledged survives the promotion of the
 * replica, nothing is placed twice, and the stream carries on once the node is back.
 */
describe('queue store through a Redis Cluster failover', () => {
  const { keyPrefix } = testNamespace('failover');
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await connectTestCluster();
  }, 120_000);

  afterAll(async () => {
    await removeKeysWithPrefix(cluster, keyPrefix);
    cluster.disconnect();
  });

  it(`keeps every acknowledged arrival (${TOTAL} or more) once when the primary of their domain is killed mid-stream`, async () => {
    const store = new RedisQueueStore(cluster, keyPrefix, 3600, { replicaAcks: 1, replicaAckTimeoutMs: 2_000 });
    const victim = await primaryPortOf(cluster, store.keysOf(DOMAIN).queueIndex);
    const runId = keyPrefix.slice(2, -1);
    let failover: Promise<unknown> | undefined;
    let failoverSettled = false;
    let failedAttempts = 0;
    const acknowledged = new Set<string>();

    // The stream runs until it has sent TOTAL arrivals and the failover is over, so chunks are
    // on their way before, during and after it, however fast either goes.
    for (let start = 0; start < TOTAL || !failoverSettled; start += CHUNK) {
      // The kill lands while chunks are in flight: the test does not wait for it here. The node
      // then restarts, as an orchestrator would restart it, and rejoins as the new primary's
      // replica: until then no replica can acknowledge, and chunks fail rather than risk a loss.
      if (!failover && start >= TOTAL / 3) {
        failover = killRedisNode(victim)
          .then(() => startRedisNode(victim))
          .finally(() => (failoverSettled = true));
      }
      const commands = Array.from({ length: CHUNK }, (_, offset) => arrival(start + offset, runId));
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          const results = await store.execute(commands);
          expect(results.every(applied)).toBe(true);
          break;
        } catch (error) {
          failedAttempts += 1;
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      for (const command of commands) acknowledged.add(command.interactionId);
    }
    await failover;

    expect(acknowledged.size).toBeGreaterThanOrEqual(TOTAL);
    expect(failedAttempts).toBeGreaterThan(0);
    const waiting = await store.waiting(QUEUE, acknowledged.size + 1);
    expect(waiting).toHaveLength(acknowledged.size);
    expect(new Set(waiting)).toEqual(acknowledged);
    // The domain moved to the promoted replica: another primary serves it now.
    expect(await primaryPortOf(cluster, store.keysOf(DOMAIN).queueIndex)).not.toBe(victim);
  }, 180_000);
});
