import Redis, { Cluster } from 'ioredis';
import { expectEventually } from './support/expect-eventually';
import { arrival } from './support/contract-events';
import { CollectedRecord, KafkaTestClient } from './support/kafka-test-client';
import { ServiceName, ServiceProcess } from './support/service-process';
import { connectRedisTarget, RedisTarget } from './support/redis-targets';
import { testNamespace } from './support/test-namespace';
import { waitingInQueues } from './support/queued-interactions';

/** The process that holds the Redis effects is killed: the router of the two services, or the one-process engine. */
const CASES: { killed: ServiceName; alongside: ServiceName[]; redisTarget: RedisTarget }[] = [
  { killed: 'router', alongside: ['classifier'], redisTarget: 'one Redis' },
  { killed: 'engine', alongside: [], redisTarget: 'one Redis' },
  // The matrix's Redis dimension: the engine's queues on a Redis Cluster.
  { killed: 'engine', alongside: [], redisTarget: 'a Redis Cluster' },
];

describe.each(CASES)('$killed killed with SIGKILL mid-stream, queues on $redisTarget', ({ killed, alongside, redisTarget }) => {
  const { namespace, keyPrefix } = testNamespace('crash');
  // Small chunks spread the work over many commits, so the kill lands between some of them.
  const env: Record<string, string> = { KAFKA_TOPIC_NAMESPACE: namespace, REDIS_KEY_PREFIX: keyPrefix, KAFKA_PROCESSING_CHUNK_SIZE: '25' };
  const client = new KafkaTestClient(namespace);
  let redis: Redis | Cluster;
  const services: ServiceProcess[] = [];
  let routed: CollectedRecord[];

  beforeAll(async () => {
    const target = await connectRedisTarget(redisTarget);
    redis = target.redis;
    Object.assign(env, target.env);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(services.map((service) => service.kill()));
    await client.close();
    redis.disconnect();
  });

  it('queues every arrival exactly once after a restart', async () => {
    await client.createTopics();
    routed = await client.collect(client.topics.routed);
    // The classifier trains its model at boot, which takes long on a busy machine.
    for (const name of alongside) services.push(await ServiceProcess.startReady(name, env, 120_000));
    const first = await ServiceProcess.startReady(killed, env, 120_000);
    services.push(first);

    const total = 3000;
    const producedBeforeKill = total / 2;
    const arrivals = Array.from({ length: total }, (_, i) => arrival(i));
    const records = arrivals.map((event) => ({ key: event.interactionId as string, value: event }));
    await client.produce(records.slice(0, producedBeforeKill));

    // Some decisions are out before the kill...
    await expectEventually(() => expect(routed.length).toBeGreaterThan(300), { timeoutMs: 60_000, intervalMs: 20 });
    await first.kill();
    // ...and not all: nothing publishes decisions until the restart, so once the collector has read
    // the topic to its end it holds every decision the killed process got out, and some of the
    // arrivals it had been given must be missing. A kill that came after all of them fails here.
    await expectEventually(async () => expect(routed.length).toBe(await client.recordCount(client.topics.routed)));
    const routedAtKill = new Set(routed.map((record) => record.key)).size;
    expect(routedAtKill).toBeLessThan(producedBeforeKill);
    // The rest of the stream arrives while nothing routes.
    await client.produce(records.slice(producedBeforeKill));

    services.push(await ServiceProcess.startReady(killed, env, 120_000));

    await expectEventually(
      async () => {
        expect(await waitingInQueues(redis, keyPrefix)).toBe(total);
        expect(new Set(routed.map((record) => record.key)).size).toBe(total);
      },
      { timeoutMs: 120_000 },
    );

    // Each interaction is in exactly one queue once; a decision may have been re-published after
    // the kill, but only under its original eventId, so consumers can drop the copy.
    const events = routed.map((record) => record.json<{ eventId: string; interactionId: string; causationId: string }>());
    const byInteraction = new Map<string, Set<string>>();
    for (const event of events) byInteraction.set(event.interactionId, (byInteraction.get(event.interactionId) ?? new Set()).add(event.eventId));
    expect(byInteraction.size).toBe(total);
    expect([...byInteraction.values()].every((ids) => ids.size === 1)).toBe(true);
    for (const event of arrivals.slice(0, 50)) {
      expect(await redis.hget(`${keyPrefix}{default}:i:${event.interactionId}`, 'st')).toBe('w');
    }
  });
});
