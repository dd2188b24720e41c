import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { arrival, lifecycle } from './support/contract-events';
import { KafkaTestClient } from './support/kafka-test-client';
import { opsApiCaller, opsApiKeys, waitForDryRunReplays } from './support/ops-api-client';
import { ServiceProcess } from './support/service-process';
import { testNamespace } from './support/test-namespace';

/** Published: one queue per sector that matters here, the rest to triage. */
const published = {
  queues: [{ name: 'banking' }, { name: 'oxygen' }, { name: 'general_triage' }],
  rules: [
    { id: 'oxygen', when: 'sector == "oxygen"', then: { queue: 'oxygen', priority: 300 } },
    { id: 'banking', when: 'sector == "banking"', then: { queue: 'banking', priority: 100 } },
  ],
  fallback: { queue: 'general_triage', priority: 50 },
};
/** The draft: banking relief gets a desk of its own; nothing else changes. */
const draft = {
  ...published,
  queues: [...published.queues, { name: 'banking_relief' }],
  rules: [
    { id: 'banking-relief', when: 'sector == "banking" and intent == "financial_relief"', then: { queue: 'banking_relief', priority: 100 } },
    ...published.rules,
  ],
};

// The production mappings (deploy/config/classifier-mappings.json) fix sector and intent by line and
// IVR option; the text rides along as callers' messages do.
const BANK_LINE = '+576014443000';
const OXYGEN_LINE = '+576014442000';
const HEALTH_LINE = '+576014441000';

interface DryRunAnswer {
  draftVersion: number;
  publishedVersion: number;
  source: { kind: string; interactions: number; recordsRead: number; otherEvents: number; invalidRecords: number; duplicateArrivals: number };
  report: {
    interactions: number;
    moved: number;
    priorityChanged: number;
    queues: { queue: string; before: number; after: number; delta: number }[];
    moves: { fromQueue: string; toQueue: string; count: number; exampleIds: string[] }[];
    ruleMatches: { ruleId: string; before: number; after: number }[];
  };
}

describe('dry run replaying the last hours of interactions.inbound', () => {
  const { namespace, keyPrefix } = testNamespace('replay');
  const consumerGroup = `${namespace}-ops-api`;
  const keys = opsApiKeys();
  const client = new KafkaTestClient(namespace);
  const kafka = new Kafka({ clientId: `test-${namespace}-admin`, brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  let api: ServiceProcess;
  let call: ReturnType<typeof opsApiCaller>;

  const relief = [1, 2, 3, 4].map((i) =>
    arrival(i, { entryPoint: BANK_LINE, ivrPath: ['1'], channel: 'voice', text: 'necesito un alivio financiero, no alcanzo a pagar la cuota del crédito' }),
  );
  const refinancing = [5, 6, 7].map((i) =>
    arrival(i, { entryPoint: BANK_LINE, ivrPath: ['3'], channel: 'voice', text: 'quiero refinanciar la deuda de mi tarjeta' }),
  );
  const oxygen = [8, 9].map((i) =>
    arrival(i, { entryPoint: OXYGEN_LINE, ivrPath: ['1'], channel: 'voice', text: 'quiero pedir la recarga de oxígeno del próximo mes' }),
  );
  const health = [10].map((i) => arrival(i, { entryPoint: HEALTH_LINE, channel: 'whatsapp', text: 'quisiera pedir una cita con medicina general' }));
  const arrivals = [...relief, ...refinancing, ...oxygen, ...health];
  // Two hours old: outside the window, whether it sits before the window's records or among them.
  const stale = [
    arrival(11, { entryPoint: BANK_LINE, ivrPath: ['1'], text: 'alivio financiero' }),
    arrival(12, { entryPoint: BANK_LINE, ivrPath: ['1'], text: 'alivio' }),
  ];

  beforeAll(async () => {
    // Started first: replays wait until its classifier has trained (seconds), and nothing below needs the API.
    api = await ServiceProcess.startReady('ops-api', {
      KAFKA_TOPIC_NAMESPACE: namespace,
      KAFKA_CONSUMER_GROUP: consumerGroup,
      REDIS_KEY_PREFIX: keyPrefix,
      OPS_API_KEYS: keys.env,
    });
    call = opsApiCaller(api.port);
    await waitForDryRunReplays(api.port);
    await client.createTopics(3);
    const keyed = (event: Record<string, unknown>) => ({ key: event.interactionId as string, value: event });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const twoHoursAgo = String(Date.now() - 2 * 3_600_000);
    const sendStale = (event: Record<string, unknown>) =>
      producer.send({ topic: client.topics.inbound, messages: [{ key: event.interactionId as string, value: JSON.stringify(event), timestamp: twoHoursAgo }] });
    await sendStale(stale[0]);
    await client.produce([
      ...arrivals.map(keyed),
      keyed(relief[0]), // re-delivered: the router applies an interaction's first arrival only
      keyed(lifecycle('interaction.abandoned', refinancing[0].interactionId as string)),
      { key: 'broken', value: '{"specVersion":"1","type":' },
    ]);
    await sendStale(stale[1]);
    await producer.disconnect();
  });

  afterAll(async () => {
    await api?.stop();
    await client.close();
  });

  it('reports exactly the relief arrivals moving to the new desk, and nothing else changing', async () => {
    const baseline = await call<{ version: number }>('POST', '/v1/rulesets', { key: keys.editor, body: { document: published } });
    expect(await call('POST', `/v1/rulesets/${baseline.body.version}/publish`, { key: keys.admin })).toMatchObject({ status: 200 });
    const candidate = await call<{ version: number }>('POST', '/v1/rulesets', { key: keys.editor, body: { document: draft, note: 'relief desk' } });
    expect(candidate.status).toBe(201);

    const dryRun = await call<DryRunAnswer>('POST', `/v1/rulesets/${candidate.body.version}/dry-run`, { key: keys.editor, body: { replayHours: 1 } });
    expect(dryRun.status).toBe(200);
    const { source, report } = dryRun.body;
    expect(dryRun.body).toMatchObject({ draftVersion: candidate.body.version, publishedVersion: baseline.body.version });
    expect(source).toMatchObject({
      kind: 'replay',
      interactions: arrivals.length,
      recordsRead: arrivals.length + 3,
      otherEvents: 1,
      invalidRecords: 1,
      duplicateArrivals: 1,
    });

    expect(report.interactions).toBe(arrivals.length);
    expect(report.moved).toBe(relief.length);
    expect(report.priorityChanged).toBe(0);
    expect(report.moves).toEqual([{ fromQueue: 'banking', toQueue: 'banking_relief', count: relief.length, exampleIds: expect.any(Array) }]);
    expect(new Set(report.moves[0].exampleIds)).toEqual(new Set(relief.map((event) => event.interactionId)));
    expect(report.queues).toEqual([
      { queue: 'banking', before: relief.length + refinancing.length, after: refinancing.length, delta: -relief.length },
      { queue: 'banking_relief', before: 0, after: relief.length, delta: relief.length },
      { queue: 'general_triage', before: health.length, after: health.length, delta: 0 },
      { queue: 'oxygen', before: oxygen.length, after: oxygen.length, delta: 0 },
    ]);
    expect(report.ruleMatches).toEqual([
      { ruleId: 'banking', before: relief.length + refinancing.length, after: refinancing.length },
      { ruleId: 'banking-relief', before: 0, after: relief.length },
      { ruleId: 'fallback', before: health.length, after: health.length },
      { ruleId: 'oxygen', before: oxygen.length, after: oxygen.length },
    ]);

    // A dry run changes nothing: the published version stands and the replay's consumer group is gone.
    expect(await call('GET', '/v1/rulesets/published', { key: keys.viewer })).toMatchObject({ body: { version: baseline.body.version } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.listGroups();
      expect(groups.map((group) => group.groupId).filter((groupId) => groupId.startsWith(consumerGroup))).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses a window longer than DRY_RUN_MAX_REPLAY_HOURS', async () => {
    const candidate = await call<{ version: number }>('POST', '/v1/rulesets', { key: keys.editor, body: { document: draft } });
    const answer = await call<{ message: string }>('POST', `/v1/rulesets/${candidate.body.version}/dry-run`, { key: keys.editor, body: { replayHours: 25 } });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain('replayHours must be at most 24');
  });
});
