import Redis from 'ioredis';
import { RedisQueueStore } from '@conmutador/redis-queues';
import { expectEventually } from './support/expect-eventually';
import { arrival } from './support/contract-events';
import { CollectedRecord, KafkaTestClient } from './support/kafka-test-client';
import { ServiceName, ServiceProcess } from './support/service-process';
import { testNamespace } from './support/test-namespace';

type RoutedEvent = { type: string; interactionId: string; queue: string; priority: number; emergency: boolean; possibleEmergency?: boolean; ruleId: string };

const DEPLOYMENTS: { deployment: string; services: ServiceName[] }[] = [
  { deployment: 'classifier and router services', services: ['classifier', 'router'] },
  { deployment: 'one-process engine', services: ['engine'] },
];

/** A web chat no ops mapping covers, so the text alone decides. */
const UNMAPPED_CHAT = { channel: 'chat', entryPoint: 'webchat:possible-emergency-test' };

describe.each(DEPLOYMENTS)('possible emergencies, end to end on real Kafka and Redis: $deployment', ({ services }) => {
  const { namespace, keyPrefix } = testNamespace('possible');
  const client = new KafkaTestClient(namespace);
  const redis = new Redis(process.env.REDIS_URL!);
  const store = new RedisQueueStore(redis, keyPrefix, 3600);
  let routed: CollectedRecord[];

  beforeAll(async () => {
    await client.createTopics();
    routed = await client.collect(client.topics.routed);
    await Promise.all(
      services.map((service) => ServiceProcess.startReady(service, { KAFKA_TOPIC_NAMESPACE: namespace, REDIS_KEY_PREFIX: keyPrefix }, 120_000)),
    );
  });

  afterAll(async () => {
    await ServiceProcess.killAll();
    await client.close();
    redis.disconnect();
  });

  it('flags an uncertain emergency in the decision and sends it to emergency triage; a sure one and a routine one carry no flag', async () => {
    const uncertain = arrival(1, {
      ...UNMAPPED_CHAT,
      text: 'El sábado mi papá se desmayó en la casa; quiero pedir una cita de control con el médico general.',
    });
    const sure = arrival(2, { ...UNMAPPED_CHAT, text: 'Mi mamá tiene covid y no puede respirar, tiene los labios morados' });
    const routine = arrival(3, { ...UNMAPPED_CHAT, text: 'Quiero reprogramar mi cita de odontología para la próxima semana' });
    await client.produce([uncertain, sure, routine].map((event) => ({ key: event.interactionId as string, value: event })));

    const queuedOf = (event: Record<string, unknown>) =>
      routed.map((r) => r.json<RoutedEvent>()).find((r) => r.interactionId === event.interactionId && r.type === 'interaction.queued');
    const [possible, emergency, ordinary] = await expectEventually(() => {
      const found = [queuedOf(uncertain), queuedOf(sure), queuedOf(routine)];
      expect(found.every(Boolean)).toBe(true);
      return found as RoutedEvent[];
    });

    expect(possible).toMatchObject({ emergency: false, possibleEmergency: true, queue: 'emergency_triage', ruleId: 'possible-emergency', priority: 700 });
    expect(emergency).toMatchObject({ emergency: true, queue: 'online_doctor' });
    expect(emergency).not.toHaveProperty('possibleEmergency');
    expect(ordinary).toMatchObject({ emergency: false });
    expect(ordinary).not.toHaveProperty('possibleEmergency');
    expect(ordinary.priority).toBeLessThan(possible.priority);

    // The flag is kept with the waiting interaction, and the trace says why.
    expect((await store.interaction(uncertain.interactionId as string)).e).toBe('p');
    const [queued] = await store.trace(uncertain.interactionId as string);
    expect(JSON.stringify(queued)).toContain('possible_emergency');
  });
});
