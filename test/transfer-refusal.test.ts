import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisQueueStore } from '@conmutador/redis-queues';
import { expectEventually } from './support/expect-eventually';
import { arrival } from './support/contract-events';
import { CollectedRecord, KafkaTestClient } from './support/kafka-test-client';
import { ServiceName, ServiceProcess } from './support/service-process';
import { testNamespace } from './support/test-namespace';

type RoutedEvent = { type: string; interactionId: string; causationId: string; queue: string; reason?: string };
type DeadLetter = { service: string; reason: string; errors: string[]; original: { topic: string; key: string | null; value: string } };

/** An `interaction.transferred` of the contract, naming a target queue, a target sector, or both. */
function transferOf(interactionId: string, target: { targetQueue?: string; targetSector?: string }): Record<string, unknown> {
  return {
    specVersion: '1',
    eventId: `evt-${randomUUID()}`,
    type: 'interaction.transferred',
    interactionId,
    occurredAt: new Date().toISOString(),
    tenant: 'test',
    ...target,
  };
}

/**
 * The event a dead-letter record keeps. The engine reads `interactions.inbound` itself; the router
 * service reads the internal topic, whose records carry the inbound event under `event`.
 */
function deadLetteredEvent(dead: DeadLetter): Record<string, unknown> {
  const original = JSON.parse(dead.original.value) as Record<string, unknown>;
  return dead.original.topic.endsWith('.conmutador.interactions.classified') ? (original.event as Record<string, unknown>) : original;
}

const DEPLOYMENTS: { deployment: string; services: ServiceName[] }[] = [
  { deployment: 'classifier and router services', services: ['classifier', 'router'] },
  { deployment: 'one-process engine', services: ['engine'] },
];

describe.each(DEPLOYMENTS)('transfers the engine cannot place, on real Kafka and Redis: $deployment', ({ services }) => {
  const { namespace, keyPrefix } = testNamespace('transfer');
  // The example extension adds the sector "telecom": a transfer may name it, though no rule does.
  const env = { KAFKA_TOPIC_NAMESPACE: namespace, REDIS_KEY_PREFIX: keyPrefix, CLASSIFIER_EXTENSIONS_FILE: 'deploy/config/taxonomy-extension.example.json' };
  const client = new KafkaTestClient(namespace);
  const redis = new Redis(process.env.REDIS_URL!);
  const store = new RedisQueueStore(redis, keyPrefix, 3600);
  let routed: CollectedRecord[];
  let deadLetters: CollectedRecord[];

  beforeAll(async () => {
    await client.createTopics();
    routed = await client.collect(client.topics.routed);
    deadLetters = await client.collect(client.topics.deadLetter);
    await Promise.all(services.map((service) => ServiceProcess.startReady(service, env, 120_000)));
  });

  afterAll(async () => {
    await ServiceProcess.killAll();
    await client.close();
    redis.disconnect();
  });

  const routedFor = (interactionId: string) => routed.map((record) => record.json<RoutedEvent>()).filter((event) => event.interactionId === interactionId);
  const deadLettersFor = (interactionId: string) => deadLetters.filter((record) => record.key === interactionId).map((record) => record.json<DeadLetter>());

  async function arrived(index: number): Promise<{ interactionId: string; queue: string }> {
    const event = arrival(index);
    const interactionId = event.interactionId as string;
    await client.produce([{ key: interactionId, value: event }]);
    const [queued] = await expectEventually(() => {
      const found = routedFor(interactionId).filter((routedEvent) => routedEvent.type === 'interaction.queued');
      expect(found).toHaveLength(1);
      return found;
    });
    return { interactionId, queue: queued.queue };
  }

  it('dead-letters a transfer to an unknown queue or sector as unroutable, once, and leaves the interaction where it was, its trace saying why', async () => {
    const { interactionId, queue } = await arrived(1);
    const toUnknownQueue = transferOf(interactionId, { targetQueue: 'no_such_queue' });
    const toUnknownSector = transferOf(interactionId, { targetSector: 'astrology' });
    // The same transfer twice in a row, as a re-delivery would bring it.
    await client.produce([toUnknownQueue, toUnknownQueue, toUnknownSector].map((event) => ({ key: interactionId, value: event })));
    await expectEventually(() => expect(deadLettersFor(interactionId)).toHaveLength(2), { timeoutMs: 60_000 });

    // Once more after its dead-letter record was published, then a marker behind it on the same
    // partition: when the marker's record is out, the copy has been processed too.
    const marker = transferOf(interactionId, { targetQueue: 'another_missing_queue' });
    await client.produce([toUnknownQueue, marker].map((event) => ({ key: interactionId, value: event })));
    await expectEventually(() => expect(deadLettersFor(interactionId).map((dead) => deadLetteredEvent(dead).eventId)).toContain(marker.eventId), {
      timeoutMs: 60_000,
    });

    const dead = deadLettersFor(interactionId);
    expect(dead.map((record) => deadLetteredEvent(record).eventId)).toEqual([toUnknownQueue.eventId, toUnknownSector.eventId, marker.eventId]);
    for (const record of dead) expect(record).toMatchObject({ service: 'router', reason: 'unroutable', original: { key: interactionId } });
    expect(deadLetteredEvent(dead[0])).toEqual(toUnknownQueue);
    expect(deadLetteredEvent(dead[1])).toEqual(toUnknownSector);
    expect(dead[0].errors).toEqual([expect.stringContaining('targetQueue "no_such_queue" is not a queue of the ruleset in force')]);
    expect(dead[1].errors).toEqual([expect.stringMatching(/^targetSector "astrology" is not a known sector \(known: .*telecom/)]);

    // Still waiting where it was: no move, no queue made up for the transfer, no decision published.
    expect(await redis.zscore(`${keyPrefix}{default}:q:${queue}`, interactionId)).not.toBeNull();
    expect((await store.interaction(interactionId)).q).toBe(queue);
    expect(await store.queues()).not.toContain('no_such_queue');
    expect(await redis.exists(`${keyPrefix}{default}:q:no_such_queue`)).toBe(0);
    expect(routedFor(interactionId).map((event) => event.type)).toEqual(['interaction.queued']);

    const trace = await store.trace(interactionId);
    expect(trace.map((entry) => entry.kind)).toEqual(['queued', 'transfer_refused', 'transfer_refused', 'transfer_refused']);
    expect(trace.slice(1)).toEqual([
      expect.objectContaining({ queue, targetQueue: 'no_such_queue', causationId: toUnknownQueue.eventId, reason: dead[0].errors[0] }),
      expect.objectContaining({ queue, targetSector: 'astrology', causationId: toUnknownSector.eventId, reason: dead[1].errors[0] }),
      expect.objectContaining({ queue, targetQueue: 'another_missing_queue', causationId: marker.eventId }),
    ]);
  });

  it('moves a transfer to a sector the taxonomy extension adds', async () => {
    const { interactionId } = await arrived(2);
    const toTelecom = transferOf(interactionId, { targetSector: 'telecom' });
    await client.produce([{ key: interactionId, value: toTelecom }]);
    const [requeued] = await expectEventually(() => {
      const found = routedFor(interactionId).filter((event) => event.type === 'interaction.requeued');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(requeued).toMatchObject({ causationId: toTelecom.eventId, reason: 'transfer' });
    expect(deadLettersFor(interactionId)).toEqual([]);
    expect((await store.trace(interactionId)).map((entry) => entry.kind)).toEqual(['queued', 'transferred']);
  });
});
