import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { hasErrors, validateRuleset } from '@conmutador/rules';
import { RedisQueueStore } from '@conmutador/redis-queues';
import { RulesetStore } from '@conmutador/ruleset-store';
import { expectEventually } from './support/expect-eventually';
import { arrival } from './support/contract-events';
import { REPO_ROOT } from './support/infrastructure';
import { CollectedRecord, KafkaTestClient } from './support/kafka-test-client';
import { ServiceProcess } from './support/service-process';
import { testNamespace } from './support/test-namespace';

type RoutedEvent = Record<string, unknown> & { interactionId: string; eventId: string; type: string; queue: string };
type Ruleset = { rules: { id: string; when: string; then: Record<string, unknown> }[] } & Record<string, unknown>;

const defaultRuleset = (): Ruleset => JSON.parse(readFileSync(join(REPO_ROOT, 'deploy/rules/default-ruleset.json'), 'utf8'));

describe('routing rules with two router replicas', () => {
  const { namespace, keyPrefix } = testNamespace('rules');
  const env = { KAFKA_TOPIC_NAMESPACE: namespace, REDIS_KEY_PREFIX: keyPrefix, ROUTER_ESCALATION_POLL_MS: '100' };
  const client = new KafkaTestClient(namespace);
  const redis = new Redis(process.env.REDIS_URL!);
  const rulesets = new RulesetStore(redis, keyPrefix);
  let routed: CollectedRecord[];
  let replicaA: ServiceProcess;
  let replicaB: ServiceProcess;

  const events = () => routed.map((record) => record.json<RoutedEvent>());
  const versionOf = async (replica: ServiceProcess) =>
    ((await (await fetch(`http://127.0.0.1:${replica.port}/status`)).json()) as { rulesetVersion: number }).rulesetVersion;

  /** Publishes, then waits until both replicas route with the published version; returns it. */
  async function publishAndAwaitSwitch(publish: () => Promise<number>): Promise<number> {
    const version = await publish();
    await expectEventually(async () => {
      expect(await versionOf(replicaA)).toBe(version);
      expect(await versionOf(replicaB)).toBe(version);
    });
    return version;
  }

  async function publishDraft(document: unknown): Promise<number> {
    // The store publishes what it is given; routers refuse a version that does not compile.
    expect(validateRuleset(document).filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(hasErrors(validateRuleset(document))).toBe(false);
    const { version } = await rulesets.createDraft(document, 'test-ops');
    await rulesets.publish(version, 'test-ops');
    return version;
  }

  beforeAll(async () => {
    await client.createTopics();
    routed = await client.collect(client.topics.routed);
    await ServiceProcess.startReady('classifier', env, 120_000);
    [replicaA, replicaB] = await Promise.all([ServiceProcess.startReady('router', env), ServiceProcess.startReady('router', env)]);
  });

  afterAll(async () => {
    await ServiceProcess.killAll();
    await client.close();
    redis.disconnect();
  });

  it('starts both replicas on the same seeded default ruleset', async () => {
    const current = await rulesets.current();
    expect(current).not.toBeNull();
    expect(await versionOf(replicaA)).toBe(current!.version);
    expect(await versionOf(replicaB)).toBe(current!.version);
  });

  it('switches both replicas to a published version, and back on rollback', async () => {
    const seeded = (await rulesets.current())!.version;
    const draft = defaultRuleset();
    // Ops divert oxygen supply calls to the online doctors' queue during a surge.
    const oxygenSupply = draft.rules.find((rule) => rule.id === 'oxygen-supply')!;
    oxygenSupply.then = { ...oxygenSupply.then, queue: 'online_doctor', priority: 500 };

    const published = await publishAndAwaitSwitch(() => publishDraft(draft));
    expect(published).not.toBe(seeded);

    const oxygenCall = arrival(1, { entryPoint: '+576014442000', ivrPath: ['1'], channel: 'voice' });
    await client.produce([{ key: oxygenCall.interactionId as string, value: oxygenCall }]);
    await expectEventually(() =>
      expect(events().find((event) => event.interactionId === oxygenCall.interactionId)).toMatchObject({
        queue: 'online_doctor',
        ruleId: 'oxygen-supply',
        priority: 500,
        rulesetVersion: published,
      }),
    );

    await publishAndAwaitSwitch(async () => {
      await rulesets.rollback(seeded, 'test-ops');
      return seeded;
    });
    const afterRollback = arrival(2, { entryPoint: '+576014442000', ivrPath: ['1'], channel: 'voice' });
    await client.produce([{ key: afterRollback.interactionId as string, value: afterRollback }]);
    await expectEventually(() =>
      expect(events().find((event) => event.interactionId === afterRollback.interactionId)).toMatchObject({ queue: 'oxygen_supply', rulesetVersion: seeded }),
    );
  });

  it('transfers keep the original age: a COVID triage call passes newer calls already at the online doctor', async () => {
    const now = Date.now();
    const triaged = arrival(3, { entryPoint: '+576014446000', channel: 'voice', occurredAt: new Date(now - 10 * 60_000).toISOString() });
    const newerAtDoctor = arrival(4, { entryPoint: '+576014446000', channel: 'video', occurredAt: new Date(now - 60_000).toISOString() });
    await client.produce([triaged, newerAtDoctor].map((event) => ({ key: event.interactionId as string, value: event })));
    await expectEventually(() => {
      expect(events().find((event) => event.interactionId === triaged.interactionId)?.queue).toBe('health_covid_triage');
      expect(events().find((event) => event.interactionId === newerAtDoctor.interactionId)?.queue).toBe('online_doctor');
    });

    const transfer = {
      specVersion: '1',
      eventId: `transfer-${triaged.interactionId}`,
      type: 'interaction.transferred',
      interactionId: triaged.interactionId,
      occurredAt: new Date().toISOString(),
      tenant: 'test',
      targetQueue: 'online_doctor',
      reason: 'triage_done',
    };
    await client.produce([{ key: transfer.interactionId as string, value: transfer }]);
    await expectEventually(() =>
      expect(events().find((event) => event.interactionId === triaged.interactionId && event.reason === 'transfer')).toMatchObject({
        queue: 'online_doctor',
        reason: 'transfer',
        causationId: transfer.eventId,
        enqueuedAt: triaged.occurredAt,
      }),
    );
    const doctorQueue = await redis.zrange(`${keyPrefix}{default}:q:online_doctor`, 0, -1);
    expect(doctorQueue.indexOf(triaged.interactionId as string)).toBeLessThan(doctorQueue.indexOf(newerAtDoctor.interactionId as string));

    // Why it is where it is: classification with evidence, the rule and version, then each move.
    const trace = await new RedisQueueStore(redis, keyPrefix, 3600).trace(triaged.interactionId as string);
    expect(trace[0]).toMatchObject({
      kind: 'queued',
      queue: 'health_covid_triage',
      ruleId: 'health-covid',
      rulesetVersion: expect.any(Number),
      classification: { sector: 'health', intent: 'covid', evidence: expect.arrayContaining([expect.objectContaining({ source: expect.any(String) })]) },
    });
    expect(trace[trace.length - 1]).toMatchObject({ kind: 'transferred', queue: 'online_doctor', causationId: transfer.eventId, at: expect.any(String) });
  });

  it('fires each escalation step once across replicas, even when one replica is killed', async () => {
    const draft = defaultRuleset();
    const assistance = draft.rules.find((rule) => rule.id === 'insurance-assistance')!;
    assistance.then = {
      ...assistance.then,
      queue: 'insurance_assistance',
      priority: 100,
      escalations: [
        { afterSeconds: 5, raisePriorityBy: 100 },
        { afterSeconds: 7, moveToQueue: 'insurance_emergency' },
      ],
    };
    await publishAndAwaitSwitch(() => publishDraft(draft));

    const calls = Array.from({ length: 20 }, (_, i) =>
      arrival(100 + i, {
        entryPoint: '+576014444000',
        channel: 'voice',
        occurredAt: new Date().toISOString(),
        text: 'necesito una grúa, el carro no prende',
        customer: { segment: 'standard', region: 'bogota' },
      }),
    );
    const ids = new Set(calls.map((call) => call.interactionId as string));
    await client.produce(calls.map((call) => ({ key: call.interactionId as string, value: call })));
    await expectEventually(() => expect(events().filter((event) => ids.has(event.interactionId) && event.type === 'interaction.queued')).toHaveLength(20));

    await replicaA.kill();

    const escalations = () => events().filter((event) => ids.has(event.interactionId) && event.type === 'interaction.requeued');
    await expectEventually(() => expect(new Set(escalations().map((event) => event.eventId)).size).toBe(40), { timeoutMs: 60_000 });
    for (const id of ids) {
      const mine = escalations().filter((event) => event.interactionId === id);
      expect(new Set(mine.map((event) => event.causationId))).toEqual(new Set([`timer:${id}:1`, `timer:${id}:2`]));
      expect(mine.every((event) => event.reason === 'escalation')).toBe(true);
      const trace = (await redis.lrange(`${keyPrefix}{default}:t:${id}`, 0, -1)).map((entry) => JSON.parse(entry) as { kind: string });
      expect(trace.filter((entry) => entry.kind === 'escalated')).toHaveLength(2);
    }
    expect(await redis.zcard(`${keyPrefix}{default}:q:insurance_emergency`)).toBe(20);
    const final = escalations().find((event) => event.causationId === `timer:${calls[0].interactionId}:2`)!;
    expect(final).toMatchObject({ queue: 'insurance_emergency', priority: 200, enqueuedAt: calls[0].occurredAt });
  });
});
