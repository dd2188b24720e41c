import { expectEventually } from './support/expect-eventually';
import { arrival } from './support/contract-events';
import { CollectedRecord, KafkaTestClient } from './support/kafka-test-client';
import { ServiceProcess } from './support/service-process';
import { testNamespace } from './support/test-namespace';

/** Written for this test, on a shared WhatsApp number no mapping covers: only the text can decide. */
const CASES = [
  { text: 'buenas, se le está acabando el oxigeno a mi abuelo y ya respira muy mal, manden la bala ya', sector: 'oxygen', emergency: true },
  { text: 'necesito cambiar la cita con el cardiólogo para la otra semana porfa', sector: 'health', emergency: false },
  { text: 'quiero saber si me pueden dar un periodo de gracia en las cuotas del préstamo', sector: 'banking', emergency: false },
  { text: 'acabo de chocar, mi esposa está herida y sangrando, tengo póliza todo riesgo', sector: 'insurance', emergency: true },
  { text: 'cuándo consignan la cuota monetaria de mis hijos en la caja de compensación', sector: 'compensation_funds', emergency: false },
  { text: 'urgente, dónde está mi pedido de hamburguesas? lleva hora y media', sector: 'food_delivery', emergency: false },
];

describe('text classification over Kafka', () => {
  const { namespace, keyPrefix } = testNamespace('classify');
  const env = { KAFKA_TOPIC_NAMESPACE: namespace, REDIS_KEY_PREFIX: keyPrefix };
  const client = new KafkaTestClient(namespace);
  let routed: CollectedRecord[];

  beforeAll(async () => {
    await client.createTopics();
    routed = await client.collect(client.topics.routed);
    await Promise.all([ServiceProcess.startReady('classifier', env, 120_000), ServiceProcess.startReady('router', env)]);
  });

  afterAll(async () => {
    await ServiceProcess.killAll();
    await client.close();
  });

  it('queues each arrival with the sector and emergency flag its text calls for, emergencies first in their sector', async () => {
    const arrivals = CASES.map((expected, i) => {
      const event = arrival(i, { entryPoint: 'wa:+573009990000', channel: 'whatsapp', text: expected.text });
      return { interactionId: event.interactionId as string, event, expected };
    });
    await client.produce(arrivals.map(({ interactionId, event }) => ({ key: interactionId, value: event })));

    const queued = () => new Map(routed.map((record) => record.json<Record<string, unknown>>()).map((event) => [event.interactionId, event]));
    await expectEventually(() => expect(queued().size).toBe(CASES.length), { timeoutMs: 60_000 });

    const byId = queued();
    for (const { interactionId, expected } of arrivals) {
      const event = byId.get(interactionId)!;
      expect({ text: expected.text, sector: event.sector, emergency: event.emergency }).toEqual({
        text: expected.text,
        sector: expected.sector,
        emergency: expected.emergency,
      });
      expect(event.confidence as number).toBeGreaterThan(0);
    }
    const emergencies = [...byId.values()].filter((event) => event.emergency);
    const ordinary = [...byId.values()].filter((event) => !event.emergency);
    expect(Math.min(...emergencies.map((event) => event.priority as number))).toBeGreaterThan(Math.max(...ordinary.map((event) => event.priority as number)));
  });
});
