import { arrival } from './support/contract-events';
import { expectEventually } from './support/expect-eventually';
import { CollectedRecord, KafkaTestClient } from './support/kafka-test-client';
import { ServiceProcess } from './support/service-process';
import { testNamespace } from './support/test-namespace';

interface DeadLetter {
  reason: string;
  errors: string[];
  original: { key: string; value: string };
}

/** Personal data as callers and platforms send it, in the forms the masks are checked against. */
const PHONE = '+57 300 123 4567';
const NATIONAL_PHONE = '300 123 4567';
const EMAIL = 'ana.gomez@example.com';
const CEDULA = '1.023.456.789';
const SECRETS = [PHONE, '3001234567', NATIONAL_PHONE, EMAIL, CEDULA, '1023456789'];

describe('personal data on real Kafka: dead-letter errors are masked, the original is kept', () => {
  const { namespace, keyPrefix } = testNamespace('personal-data');
  const client = new KafkaTestClient(namespace);
  let engine: ServiceProcess;
  let deadLetters: CollectedRecord[];

  beforeAll(async () => {
    await client.createTopics();
    deadLetters = await client.collect(client.topics.deadLetter);
    engine = await ServiceProcess.startReady('engine', { KAFKA_TOPIC_NAMESPACE: namespace, REDIS_KEY_PREFIX: keyPrefix });
  });

  afterAll(async () => {
    await engine?.kill();
    await client.close();
  });

  it('dead-letters invalid events whose errors quote a phone number, an e-mail address or a cédula with those masked', async () => {
    const records = [
      { key: 'pd-unknown-type', value: JSON.stringify({ ...arrival(1), type: `llamar al ${PHONE} o escribir a ${EMAIL}` }), reason: 'unknown_type' },
      { key: 'pd-spec-version', value: JSON.stringify({ ...arrival(2), specVersion: `CC ${CEDULA}` }), reason: 'unsupported_version' },
      { key: 'pd-not-json', value: `hola ${NATIONAL_PHONE.replaceAll(' ', '')}`, reason: 'invalid_json' },
      {
        key: 'pd-invalid-fields',
        value: JSON.stringify({ ...arrival(3), customer: { phone: NATIONAL_PHONE }, attributes: { contacto: { correo: EMAIL } } }),
        reason: 'validation_failed',
      },
    ];
    await client.produce(records.map(({ key, value }) => ({ key, value })));

    const byKey = await expectEventually(
      () => {
        const dead = new Map(deadLetters.map((record) => [record.key, record.json<DeadLetter>()]));
        for (const { key } of records) expect(dead.has(key)).toBe(true);
        return dead;
      },
      { timeoutMs: 60_000 },
    );

    for (const { key, value, reason } of records) {
      const dead = byKey.get(key)!;
      expect(dead.reason).toBe(reason);
      expect(dead.errors.length).toBeGreaterThan(0);
      for (const secret of SECRETS) expect(dead.errors.join('\n')).not.toContain(secret);
      // Replays need the record as it came.
      expect(dead.original).toEqual(expect.objectContaining({ key, value }));
    }
    expect(byKey.get('pd-unknown-type')!.errors[0]).toMatch(/^type "llamar al \[phone\] o escribir a \[email\]" is not one of /);
    expect(byKey.get('pd-spec-version')!.errors[0]).toMatch(/^specVersion "CC \[id\]" is not supported/);
    expect(byKey.get('pd-not-json')!.errors[0]).toContain('"hola [phone]"');
    expect(byKey.get('pd-invalid-fields')!.errors.join('\n')).toMatch(/^customer\.phone must be an E\.164 number/m);
    expect(byKey.get('pd-unknown-type')!.original.value).toContain(PHONE);
    expect(byKey.get('pd-unknown-type')!.original.value).toContain(EMAIL);
  });

  it('masks a configuration error that quotes personal data, written before the logger exists', async () => {
    const router = await ServiceProcess.start('router', { KAFKA_TOPIC_NAMESPACE: namespace, KAFKA_SESSION_TIMEOUT_MS: `llamar al ${NATIONAL_PHONE}` });
    const { code } = await router.exited;
    expect(code).toBe(2);
    expect(router.logs()).toContain('KAFKA_SESSION_TIMEOUT_MS must be an integer');
    expect(router.logs()).toContain('llamar al [phone]');
    expect(router.logs()).not.toContain(NATIONAL_PHONE);
  });
});
