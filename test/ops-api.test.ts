import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis, { Cluster } from 'ioredis';
import { QueueCommand, RedisQueueStore } from '@conmutador/redis-queues';
import { RulesetStore } from '@conmutador/ruleset-store';
import { expectEventually } from './support/expect-eventually';
import { arrival } from './support/contract-events';
import { REPO_ROOT } from './support/infrastructure';
import { KafkaTestClient } from './support/kafka-test-client';
import { opsApiCaller, opsApiKeys, waitForDryRunReplays } from './support/ops-api-client';
import { ServiceProcess } from './support/service-process';
import { connectRedisTarget, RedisTarget } from './support/redis-targets';
import { testNamespace } from './support/test-namespace';

/** Two small, valid rulesets: v2 gives banking relief a desk of its own. */
const baseline = {
  description: 'one queue per sector',
  queues: [{ name: 'banking' }, { name: 'oxygen' }, { name: 'general_triage' }],
  rules: [
    { id: 'oxygen', when: 'sector == "oxygen"', then: { queue: 'oxygen', priority: 300 } },
    { id: 'banking', when: 'sector == "banking"', then: { queue: 'banking', priority: 100 } },
  ],
  fallback: { queue: 'general_triage', priority: 50 },
};
const reliefDesk = {
  ...baseline,
  description: 'banking relief has its own desk',
  queues: [...baseline.queues, { name: 'banking_relief' }],
  rules: [
    { id: 'banking-relief', when: 'sector == "banking" and intent == "financial_relief"', then: { queue: 'banking_relief', priority: 150 } },
    ...baseline.rules,
  ],
};
const misspelt = {
  ...baseline,
  rules: [{ id: 'oxygen-typo', when: 'secotr == "oxygen"', then: { queue: 'oxygen', priority: 300 } }, baseline.rules[1]],
};

/** Valid, and as large as the default bounds allow: one desk per tenant, each with a skill of its own. */
function manyDesks(queues: number, skills: number) {
  return {
    queues: Array.from({ length: queues }, (_, index) => ({ name: `desk_${index}` })),
    rules: Array.from({ length: skills }, (_, index) => ({
      id: `tenant-${index}`,
      when: `tenant == "tenant-${index}"`,
      then: { queue: `desk_${index}`, priority: 100, requiredSkills: [`skill_${index}`] },
    })),
    fallback: { queue: 'desk_0', priority: 10 },
  };
}

// The matrix's Redis dimension: the same API over one Redis and over a Redis Cluster.
describe.each<RedisTarget>(['one Redis', 'a Redis Cluster'])('ops API on %s', (redisTarget) => {
  const { namespace, keyPrefix } = testNamespace('opsapi');
  const keys = opsApiKeys();
  let redis: Redis | Cluster;
  let api: ServiceProcess;
  let call: ReturnType<typeof opsApiCaller>;

  beforeAll(async () => {
    const target = await connectRedisTarget(redisTarget);
    redis = target.redis;
    api = await ServiceProcess.startReady('ops-api', {
      ...target.env,
      KAFKA_TOPIC_NAMESPACE: namespace,
      REDIS_KEY_PREFIX: keyPrefix,
      OPS_API_KEYS: keys.env,
      // These tests present wrong keys on purpose, dozens of times; the throttle has tests of its own.
      OPS_API_AUTH_FAILURE_LIMIT: '1000',
    });
    call = opsApiCaller(api.port);
  });

  afterAll(async () => {
    await api?.stop();
    redis.disconnect();
  });

  it('describes itself at /openapi.json, with every endpoint, and serves Swagger UI at /docs', async () => {
    const { status, body } = await call<{ paths: Record<string, Record<string, unknown>>; components: { securitySchemes: Record<string, unknown> } }>(
      'GET',
      '/openapi.json',
    );
    expect(status).toBe(200);
    const operations = Object.entries(body.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations).toEqual(
      expect.arrayContaining([
        'GET /v1/rulesets',
        'POST /v1/rulesets',
        'GET /v1/rulesets/published',
        'GET /v1/rulesets/{version}',
        'POST /v1/rulesets/validate',
        'POST /v1/rulesets/{version}/dry-run',
        'POST /v1/rulesets/{version}/publish',
        'POST /v1/rulesets/rollback',
        'GET /v1/rulesets/diff',
        'GET /v1/queues',
        'GET /v1/queues/{queue}/interactions',
        'GET /v1/interactions/{interactionId}',
        'GET /v1/audit',
      ]),
    );
    expect(Object.keys(body.components.securitySchemes)).toContain('bearer');
    const docs = await fetch(`http://127.0.0.1:${api.port}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });

  it('sends security headers on every answer, refusals included', async () => {
    for (const answer of [
      await call('GET', '/v1/rulesets', { key: keys.viewer }),
      await call('GET', '/v1/rulesets'),
      await call('GET', '/health/ready'),
      await fetch(`http://127.0.0.1:${api.port}/docs`),
    ]) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(answer.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(answer.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(answer.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('answers 401 on every /v1 endpoint without a key or with an unknown one, and stays open for health probes', async () => {
    const { body } = await call<{ paths: Record<string, Record<string, unknown>> }>('GET', '/openapi.json');
    const operations = Object.entries(body.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => ({ method: method.toUpperCase() as 'GET' | 'POST', path: path.replace(/\{[^}]+\}/g, '1') })),
      );
    expect(operations.length).toBeGreaterThanOrEqual(13);
    for (const { method, path } of operations) {
      const anonymous = await call(method, path);
      expect({ method, path, status: anonymous.status }).toEqual({ method, path, status: 401 });
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const wrong = await call(method, path, { key: `${keys.admin}x` });
      expect({ method, path, status: wrong.status }).toEqual({ method, path, status: 401 });
    }
    expect((await call('GET', '/health/ready')).status).toBe(200);
  });

  it('answers 403 when the role is too low, before doing anything', async () => {
    const created = await call<{ version: number }>('POST', '/v1/rulesets', { key: keys.editor, body: { document: baseline } });
    expect(created.status).toBe(201);

    const viewerCreates = await call('POST', '/v1/rulesets', { key: keys.viewer, body: { document: baseline } });
    expect(viewerCreates.status).toBe(403);
    expect(viewerCreates.body.message).toContain('editor');
    const viewerPublishes = await call('POST', `/v1/rulesets/${created.body.version}/publish`, { key: keys.viewer });
    expect(viewerPublishes.status).toBe(403);
    expect(viewerPublishes.body.message).toContain('admin');
    expect((await call('POST', `/v1/rulesets/${created.body.version}/publish`, { key: keys.editor })).status).toBe(403);
    expect((await call('POST', '/v1/rulesets/rollback', { key: keys.editor, body: { version: created.body.version } })).status).toBe(403);
    expect((await call('POST', `/v1/rulesets/${created.body.version}/dry-run`, { key: keys.viewer, body: { replayHours: 1 } })).status).toBe(403);

    const listed = await call<{ version: number; status: string }[]>('GET', '/v1/rulesets', { key: keys.viewer });
    expect(listed.body.find((ruleset) => ruleset.version === created.body.version)?.status).toBe('draft');
  });

  it('answers 400 naming the field when a request is malformed', async () => {
    const messages = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const answer = await call<{ message: string | string[] }>(method, path, { key: keys.admin, body });
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      return ([] as string[]).concat(answer.body.message).join('\n');
    };
    expect(await messages('POST', '/v1/rulesets', { note: 'no document' })).toMatch(/^document must be an object/m);
    expect(await messages('POST', '/v1/rulesets', { document: baseline, note: 7 })).toMatch(/^note must be a string/m);
    expect(await messages('POST', '/v1/rulesets', { document: baseline, author: 'someone else' })).toMatch(/property author should not exist/);
    expect(await messages('POST', '/v1/rulesets/rollback', { version: 'latest' })).toMatch(/^version must be an integer/m);
    expect(await messages('GET', '/v1/rulesets/latest')).toMatch(/^version must be a positive integer/);
    expect(await messages('GET', '/v1/rulesets/diff?from=1&to=two')).toMatch(/^to must be an integer/m);
    expect(await messages('POST', '/v1/rulesets/1/dry-run', { interactions: [{ sector: 'banking', channel: 'voice' }] })).toMatch(
      /^interactions\.0\.intent must be a string/m,
    );
    expect(await messages('POST', '/v1/rulesets/1/dry-run', { replayHours: -1 })).toMatch(/^replayHours must be a positive number/m);
    expect(await messages('POST', '/v1/rulesets/1/dry-run', {})).toMatch(/interactions or replayHours/);
  });

  it('refuses an invalid ruleset with every issue, naming the rule and the field', async () => {
    const before = await call<unknown[]>('GET', '/v1/rulesets', { key: keys.viewer });

    const refused = await call<{ message: string; issues: { path: string; ruleId?: string; message: string; severity: string }[] }>('POST', '/v1/rulesets', {
      key: keys.editor,
      body: { document: misspelt },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.issues).toContainEqual(
      expect.objectContaining({ path: 'rules[0].when', ruleId: 'oxygen-typo', severity: 'error', message: expect.stringContaining('secotr') }),
    );
    expect((await call<unknown[]>('GET', '/v1/rulesets', { key: keys.viewer })).body).toHaveLength(before.body.length);

    const checked = await call<{ valid: boolean; issues: { path: string; ruleId?: string }[] }>('POST', '/v1/rulesets/validate', {
      key: keys.viewer,
      body: { document: misspelt },
    });
    expect(checked.status).toBe(200);
    expect(checked.body.valid).toBe(false);
    expect(checked.body.issues).toContainEqual(expect.objectContaining({ path: 'rules[0].when', ruleId: 'oxygen-typo' }));
    expect((await call<{ valid: boolean }>('POST', '/v1/rulesets/validate', { key: keys.viewer, body: { document: reliefDesk } })).body.valid).toBe(true);
  });

  it('refuses to publish a stored version whose document does not validate', async () => {
    // Saved behind the API's back, as a document from before a stricter validator would be.
    const { version } = await new RulesetStore(redis, keyPrefix).createDraft(misspelt, 'legacy-import');
    const currentBefore = await call('GET', '/v1/rulesets/published', { key: keys.viewer });

    const refused = await call<{ issues: { path: string; ruleId?: string }[] }>('POST', `/v1/rulesets/${version}/publish`, { key: keys.admin });
    expect(refused.status).toBe(422);
    expect(refused.body.issues).toContainEqual(expect.objectContaining({ path: 'rules[0].when', ruleId: 'oxygen-typo' }));
    const currentAfter = await call('GET', '/v1/rulesets/published', { key: keys.viewer });
    expect(currentAfter.status).toBe(currentBefore.status);
    expect(currentAfter.body).toEqual(currentBefore.body);
  });

  it('refuses a ruleset over a bound with 400 naming the bound, and a body over the size bound with 413', async () => {
    const refusal = async (document: unknown) => {
      const answer = await call<{ message: string }>('POST', '/v1/rulesets', { key: keys.editor, body: { document } });
      expect(answer.status).toBe(400);
      const checked = await call<{ message: string }>('POST', '/v1/rulesets/validate', { key: keys.viewer, body: { document } });
      expect(checked).toEqual({ status: 400, headers: expect.anything(), body: expect.objectContaining({ message: answer.body.message }) });
      return answer.body.message;
    };
    const versionsBefore = (await call<unknown[]>('GET', '/v1/rulesets', { key: keys.viewer })).body.length;

    expect(await refusal(manyDesks(5_001, 300))).toBe('ruleset has 5,001 queues; the bound OPS_API_MAX_QUEUES is 5,000');
    expect(await refusal(manyDesks(2_001, 2_001))).toBe('ruleset has 2,001 rules; the bound OPS_API_MAX_RULES is 2,000');
    const steps = Array.from({ length: 21 }, (_, index) => ({ afterSeconds: 60 * (index + 1), raisePriorityBy: 1 }));
    const longCondition = Array.from({ length: 100 }, () => 'sector == "banking"').join(' or ');
    expect(
      await refusal({
        ...baseline,
        rules: [
          { ...baseline.rules[0], when: longCondition },
          { ...baseline.rules[1], then: { ...baseline.rules[1].then, escalations: steps } },
        ],
      }),
    ).toBe(
      `rules[0].when has ${longCondition.length.toLocaleString('en-US')} characters; the bound OPS_API_MAX_CONDITION_LENGTH is 2,000; ` +
        'rules[1].then.escalations has 21 escalation steps; the bound OPS_API_MAX_ESCALATION_STEPS is 20',
    );

    const tooLarge = await call<{ message: string }>('POST', '/v1/rulesets', {
      key: keys.editor,
      body: { document: { description: 'x'.repeat(6 * 1024 * 1024) } },
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.message).toMatch(/the bound OPS_API_MAX_BODY_BYTES is 5242880$/);
    expect((await call<unknown[]>('GET', '/v1/rulesets', { key: keys.viewer })).body).toHaveLength(versionsBefore);

    // The defaults take 5,000 queues and 300 distinct skills.
    const largest = await call<{ version: number }>('POST', '/v1/rulesets', { key: keys.editor, body: { document: manyDesks(5_000, 300) } });
    expect(largest.status).toBe(201);
    const stored = await call<{ document: { queues: unknown[] } }>('GET', `/v1/rulesets/${largest.body.version}`, { key: keys.viewer });
    expect(stored.body.document.queues).toHaveLength(5_000);
  });

  it('creates, publishes and rolls back, auditing who changed which version and what changed', async () => {
    const first = await call<{ version: number; status: string }>('POST', '/v1/rulesets', { key: keys.editor, body: { document: baseline, note: 'baseline' } });
    const second = await call<{ version: number }>('POST', '/v1/rulesets', { key: keys.editor, body: { document: reliefDesk, note: 'relief desk' } });
    expect(first).toMatchObject({ status: 201, body: { status: 'draft' } });
    const [v1, v2] = [first.body.version, second.body.version];

    expect(await call('POST', `/v1/rulesets/${v1}/publish`, { key: keys.admin })).toMatchObject({ status: 200, body: { version: v1 } });
    expect(await call('POST', `/v1/rulesets/${v2}/publish`, { key: keys.admin })).toMatchObject({ status: 200, body: { version: v2, previousVersion: v1 } });
    expect(await call('GET', '/v1/rulesets/published', { key: keys.viewer })).toMatchObject({ status: 200, body: { version: v2, document: reliefDesk } });
    expect(await call('POST', `/v1/rulesets/${v2}/publish`, { key: keys.admin })).toMatchObject({ status: 409 });

    const diff = await call<{ from: number; to: number; diff: unknown }>('GET', `/v1/rulesets/diff?from=${v1}&to=${v2}`, { key: keys.viewer });
    expect(diff).toMatchObject({ status: 200, body: { from: v1, to: v2 } });
    expect(JSON.stringify(diff.body.diff)).toContain('banking-relief');

    expect(await call('POST', '/v1/rulesets/rollback', { key: keys.admin, body: { version: v1 } })).toMatchObject({
      status: 200,
      body: { version: v1, previousVersion: v2 },
    });
    expect(await call('GET', '/v1/rulesets/published', { key: keys.viewer })).toMatchObject({ body: { version: v1 } });
    const versions = await call<{ version: number; status: string; author: string; note: string }[]>('GET', '/v1/rulesets', { key: keys.viewer });
    expect(versions.body.filter((ruleset) => [v1, v2].includes(ruleset.version))).toEqual([
      expect.objectContaining({ version: v1, status: 'published', author: 'eddie', note: 'baseline' }),
      expect.objectContaining({ version: v2, status: 'retired', author: 'eddie', note: 'relief desk' }),
    ]);
    expect(await call('GET', `/v1/rulesets/${v2}`, { key: keys.viewer })).toMatchObject({
      status: 200,
      body: { version: v2, document: reliefDesk, publishedBy: 'ada' },
    });
    expect((await call('GET', '/v1/rulesets/9999', { key: keys.viewer })).status).toBe(404);

    const audit = await call<Record<string, unknown>[]>('GET', '/v1/audit?limit=5', { key: keys.viewer });
    expect(audit.status).toBe(200);
    const counts = (changes: Record<string, unknown>) => ({
      rulesAdded: 0,
      rulesRemoved: 0,
      rulesChanged: 0,
      rulesMoved: 0,
      queuesAdded: 0,
      queuesRemoved: 0,
      queuesChanged: 0,
      fallbackChanged: false,
      descriptionChanged: false,
      ...changes,
    });
    const entry = (fields: Record<string, unknown>) => ({ id: expect.any(String), at: expect.any(String), ...fields });
    expect(audit.body).toEqual([
      entry({
        action: 'rolled_back',
        version: v1,
        previousVersion: v2,
        actor: 'ada',
        changes: counts({ from: v2, rulesRemoved: 1, queuesRemoved: 1, descriptionChanged: true }),
      }),
      entry({
        action: 'published',
        version: v2,
        previousVersion: v1,
        actor: 'ada',
        changes: counts({ from: v1, rulesAdded: 1, queuesAdded: 1, descriptionChanged: true }),
      }),
      entry({ action: 'published', version: v1, previousVersion: null, actor: 'ada', changes: expect.objectContaining({ from: null, rulesAdded: 2 }) }),
      entry({ action: 'created', version: v2, previousVersion: null, actor: 'eddie', changes: expect.objectContaining({ from: null, rulesAdded: 3 }) }),
      entry({ action: 'created', version: v1, previousVersion: null, actor: 'eddie', changes: expect.objectContaining({ from: null, rulesAdded: 2 }) }),
    ]);
    // The stream holds references and counts; each document is stored once, in its version.
    const stored = await redis.xrevrange(`${keyPrefix}{rules}:audit`, '+', '-', 'COUNT', 5);
    for (const [, fields] of stored) expect(fields[fields.indexOf('entry') + 1]).not.toContain('"queues"');
    expect(await call('GET', `/v1/rulesets/${v1}`, { key: keys.viewer })).toMatchObject({ status: 200, body: { document: baseline } });
  });

  it('shows the queues, who waits in them in serve order, and where one interaction is and why', async () => {
    const queues = new RedisQueueStore(redis, keyPrefix, 3600);
    const now = Date.now();
    const arrive = (interactionId: string, priority: number, waitedMs: number, intent = 'refinancing'): QueueCommand => ({
      kind: 'enqueue',
      eventId: `evt-${interactionId}`,
      interactionId,
      queue: 'banking',
      priority,
      enqueuedAtMs: now - waitedMs,
      msPerPriorityPoint: 2 ** 41,
      escalations: [],
      snapshot: {
        sector: 'banking',
        intent,
        emergency: false,
        confidence: 0.9,
        tenant: 'banco-uno',
        channel: 'voice',
        requiredSkills: ['banking', `banking.${intent}`],
        ruleId: 'banking',
        rulesetVersion: 1,
      },
      classification: {
        sector: 'banking',
        intent,
        emergency: false,
        confidence: 0.9,
        evidence: [{ source: 'entry_point', detail: 'entry point +576014443000 → banking', weight: 1 }],
      },
      nowMs: now,
    });
    await queues.execute([arrive('old-standard', 100, 300_000), arrive('new-vip', 200, 10_000, 'corporate'), arrive('mid-standard', 100, 60_000)]);

    const overview = await call<{ queue: string; depth: number; oldestWaitSeconds: number; estimatedWaitSeconds: number | null }[]>('GET', '/v1/queues', {
      key: keys.viewer,
    });
    expect(overview.status).toBe(200);
    const banking = overview.body.find((queue) => queue.queue === 'banking');
    expect(banking).toMatchObject({ depth: 3, estimatedWaitSeconds: null });
    // The oldest wait is the low-priority interaction's, though it is not first in line.
    expect(banking!.oldestWaitSeconds).toBeGreaterThanOrEqual(300);
    expect(banking!.oldestWaitSeconds).toBeLessThan(330);

    const waiting = await call<{ depth: number; interactions: { position: number; interactionId: string; priority: number; waitedSeconds: number }[] }>(
      'GET',
      '/v1/queues/banking/interactions',
      { key: keys.viewer },
    );
    expect(waiting.body.depth).toBe(3);
    expect(waiting.body.interactions.map(({ position, interactionId, priority }) => ({ position, interactionId, priority }))).toEqual([
      { position: 1, interactionId: 'new-vip', priority: 200 },
      { position: 2, interactionId: 'old-standard', priority: 100 },
      { position: 3, interactionId: 'mid-standard', priority: 100 },
    ]);
    expect(waiting.body.interactions[1].waitedSeconds).toBeGreaterThanOrEqual(300);
    expect((await call('GET', '/v1/queues/nowhere/interactions', { key: keys.viewer })).status).toBe(404);

    const one = await call<Record<string, unknown> & { trace: { kind: string; queue: string; ruleId?: string }[] }>('GET', '/v1/interactions/mid-standard', {
      key: keys.viewer,
    });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      interactionId: 'mid-standard',
      state: 'waiting',
      queue: 'banking',
      position: 3,
      priority: 100,
      classification: { sector: 'banking', intent: 'refinancing', emergency: false, confidence: 0.9 },
      requiredSkills: ['banking', 'banking.refinancing'],
      ruleId: 'banking',
      rulesetVersion: 1,
      events: [{ eventId: 'evt-mid-standard', published: false }],
    });
    expect(one.body.trace).toEqual([expect.objectContaining({ kind: 'queued', queue: 'banking', ruleId: 'banking' })]);
    expect((await call('GET', '/v1/interactions/nobody', { key: keys.viewer })).status).toBe(404);
  });

  it('refuses to publish a queue in another routing domain than the one its state lives in, naming both', async () => {
    // The previous test queued interactions in "banking", in the default domain.
    const movedBanking = { ...baseline, queues: [{ name: 'banking', domain: 'bogota' }, { name: 'oxygen' }, { name: 'general_triage' }] };
    const draft = await call<{ version: number }>('POST', '/v1/rulesets', { key: keys.editor, body: { document: movedBanking, note: 'banking to bogota' } });
    expect(draft.status).toBe(201);
    const refused = await call<{ reason: string; message: string[] }>('POST', `/v1/rulesets/${draft.body.version}/publish`, { key: keys.admin });
    expect(refused.status).toBe(409);
    expect(refused.body.reason).toBe('queue_domain_changed');
    expect(refused.body.message).toEqual([expect.stringMatching(/queue "banking" in domain "bogota", but its state lives in domain "default"/)]);

    // A new queue in the other domain is fine.
    const newDesk = { ...baseline, queues: [...baseline.queues, { name: 'banking_bogota', domain: 'bogota' }] };
    const accepted = await call<{ version: number }>('POST', '/v1/rulesets', { key: keys.editor, body: { document: newDesk } });
    expect(await call('POST', `/v1/rulesets/${accepted.body.version}/publish`, { key: keys.admin })).toMatchObject({ status: 200 });
  });

  it('lets a pipeline validate, diff, apply and dry-run ruleset files with the rules CLI', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'rules-'));
    const goodFile = join(directory, 'routing.json');
    const badFile = join(directory, 'broken.json');
    const fromGit = { ...reliefDesk, description: 'kept in git' };
    writeFileSync(goodFile, JSON.stringify(fromGit, null, 2));
    writeFileSync(badFile, JSON.stringify(misspelt));
    const rules = (args: string[], key?: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const env = { ...process.env, OPS_API_URL: `http://127.0.0.1:${api.port}`, OPS_API_KEY: key ?? '' };
        execFile(process.execPath, [join(REPO_ROOT, 'dist/apps/ops-cli/src/rules.command.js'), ...args], { env }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
      });

    const oversizedFile = join(directory, 'oversized.json');
    writeFileSync(oversizedFile, JSON.stringify(manyDesks(5_001, 1)));
    const oversized = await rules(['validate', oversizedFile]);
    expect(oversized).toMatchObject({ code: 1, stderr: expect.stringContaining('ruleset has 5,001 queues; the bound OPS_API_MAX_QUEUES is 5,000') });

    const broken = await rules(['validate', badFile]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('error at rules[0].when (rule "oxygen-typo")');
    const good = await rules(['validate', goodFile, '--json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ valid: true });

    const versionsBefore = (await call<unknown[]>('GET', '/v1/rulesets', { key: keys.viewer })).body.length;
    expect(await rules(['apply', badFile], keys.admin)).toMatchObject({ code: 1 });
    expect((await rules(['apply', goodFile], keys.viewer)).stderr).toContain('403');
    // Refused before anything was saved: the file locally, the viewer's key by the API.
    expect((await call<unknown[]>('GET', '/v1/rulesets', { key: keys.viewer })).body).toHaveLength(versionsBefore);

    const changes = await rules(['diff', goodFile], keys.viewer);
    expect(changes.code).toBe(0);
    expect(changes.stdout).toContain('description changed');

    const applied = await rules(['apply', goodFile, '--note', 'commit 1a2b3c', '--json'], keys.admin);
    expect(applied.code).toBe(0);
    const { version, changed } = JSON.parse(applied.stdout) as { version: number; changed: boolean };
    expect(changed).toBe(true);
    expect(await call('GET', '/v1/rulesets/published', { key: keys.viewer })).toMatchObject({ body: { version, document: fromGit } });
    expect(await call('GET', `/v1/rulesets/${version}`, { key: keys.viewer })).toMatchObject({ body: { note: 'commit 1a2b3c', author: 'ada' } });

    const again = await rules(['apply', goodFile], keys.admin);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining(`already published as version ${version}`) });
    expect((await rules(['diff', goodFile], keys.viewer)).stdout).toContain('no changes');

    const client = new KafkaTestClient(namespace);
    try {
      await waitForDryRunReplays(api.port);
      await client.createTopics(1);
      const dryRun = await rules(['dry-run', goodFile, '--hours', '1', '--json'], keys.editor);
      expect({ code: dryRun.code, stderr: dryRun.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
      expect(JSON.parse(dryRun.stdout)).toMatchObject({ publishedVersion: version, source: { kind: 'replay', interactions: 0 }, report: { moved: 0 } });
    } finally {
      await client.close();
    }
  });

  it('refuses to boot with a bad OPS_API_KEYS entry, naming the key and the entry but not the secret', async () => {
    const secret = 'correct-horse-battery-staple';
    const misconfigured = await ServiceProcess.start('ops-api', { OPS_API_KEYS: `ana:viewer:${secret},luis:root:${secret}-2`, REDIS_KEY_PREFIX: keyPrefix });
    const { code } = await misconfigured.exited;
    expect(code).toBe(2);
    expect(misconfigured.logs()).toContain('OPS_API_KEYS entry 2 ("luis"): the role must be one of viewer, editor, admin');
    expect(misconfigured.logs()).not.toContain(secret);
  });
});

describe('ops API while its replay classifier trains', () => {
  const { namespace, keyPrefix } = testNamespace('opsapi-train');
  const keys = opsApiKeys();
  const kafka = new KafkaTestClient(namespace);
  let api: ServiceProcess;
  let call: ReturnType<typeof opsApiCaller>;
  const dryRunState = async () => (await call<{ status: string; details: { dryRun: string } }>('GET', '/health/ready')).body.details.dryRun;

  beforeAll(async () => {
    await kafka.createTopics(1);
    // A banking relief call (the bank's line, IVR option 1): the relief desk takes it from banking.
    const relief = arrival(1, { entryPoint: '+576014443000', ivrPath: ['1'], channel: 'voice', text: 'necesito un alivio financiero' });
    await kafka.produce([{ key: relief.interactionId as string, value: relief }]);
    // No model file: the replay classifier trains (tens of seconds) instead of reading one in well
    // under a second, so the calls below surely meet it training.
    api = await ServiceProcess.startReady('ops-api', {
      KAFKA_TOPIC_NAMESPACE: namespace,
      REDIS_KEY_PREFIX: keyPrefix,
      OPS_API_KEYS: keys.env,
      CLASSIFIER_MODEL_FILE: join(mkdtempSync(join(tmpdir(), 'no-model-')), 'text-model.bin'),
    });
    call = opsApiCaller(api.port);
  });

  afterAll(async () => {
    await api?.stop();
    await kafka.close();
  });

  it('is ready for rules work at once, refuses replays with Retry-After until trained, then replays', async () => {
    const statesSeen = [await dryRunState()];
    expect(statesSeen).toEqual(['training']);

    // Ops publish while the classifier trains: the API is ready and its event loop answers.
    const draft = await call<{ version: number }>('POST', '/v1/rulesets', { key: keys.editor, body: { document: baseline } });
    expect(draft.status).toBe(201);
    expect(await call('POST', `/v1/rulesets/${draft.body.version}/publish`, { key: keys.admin })).toMatchObject({ status: 200 });
    const candidate = await call<{ version: number }>('POST', '/v1/rulesets', { key: keys.editor, body: { document: reliefDesk } });
    const early = await call<{ message: string }>('POST', `/v1/rulesets/${candidate.body.version}/dry-run`, { key: keys.editor, body: { replayHours: 1 } });
    expect(early.status).toBe(503);
    expect(early.body.message).toMatch(/replay classifier has been training/);
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0);
    // Given interactions need no classifier.
    const inline = await call('POST', `/v1/rulesets/${candidate.body.version}/dry-run`, {
      key: keys.editor,
      body: { interactions: [{ sector: 'banking', intent: 'financial_relief', channel: 'voice' }] },
    });
    expect(inline).toMatchObject({ status: 200, body: { report: { moved: 1 } } });
    // All of that happened before training ended.
    expect(await dryRunState()).toBe('training');

    await expectEventually(
      async () => {
        const state = await dryRunState();
        if (state !== statesSeen[statesSeen.length - 1]) statesSeen.push(state);
        expect(state).not.toBe('training');
      },
      { timeoutMs: 180_000, intervalMs: 250 },
    );
    expect(statesSeen).toEqual(['training', 'ready']);

    const replayed = await call('POST', `/v1/rulesets/${candidate.body.version}/dry-run`, { key: keys.editor, body: { replayHours: 1 } });
    expect(replayed).toMatchObject({ status: 200, body: { source: { kind: 'replay', interactions: 1 }, report: { moved: 1 } } });
  });
});

describe('ops API keys rotated through OPS_API_KEYS_FILE', () => {
  const { namespace, keyPrefix } = testNamespace('opsapi-keys');
  const keys = opsApiKeys();
  const [oldKey, newKey] = [randomBytes(18).toString('base64url'), randomBytes(18).toString('base64url')];
  const keysFile = join(mkdtempSync(join(tmpdir(), 'ops-keys-')), 'keys');
  let api: ServiceProcess;
  let call: ReturnType<typeof opsApiCaller>;
  const statusWith = async (key: string) => (await call('GET', '/v1/rulesets', { key })).status;

  beforeAll(async () => {
    writeFileSync(keysFile, `# CI keys, rotated monthly\nci-2026-03:admin:${oldKey}\n`);
    api = await ServiceProcess.startReady('ops-api', {
      KAFKA_TOPIC_NAMESPACE: namespace,
      REDIS_KEY_PREFIX: keyPrefix,
      OPS_API_KEYS: keys.env,
      OPS_API_KEYS_FILE: keysFile,
      OPS_API_KEYS_FILE_POLL_MS: '100',
    });
    call = opsApiCaller(api.port);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('takes a key added to the file and refuses one removed, without a restart', async () => {
    expect(await statusWith(oldKey)).toBe(200);
    expect(await statusWith(newKey)).toBe(401);

    writeFileSync(keysFile, `ci-2026-03:admin:${oldKey}\nci-2026-04:admin:${newKey}\n`);
    await expectEventually(async () => expect(await statusWith(newKey)).toBe(200), { timeoutMs: 10_000 });
    const created = await call('POST', '/v1/rulesets', { key: newKey, body: { document: baseline } });
    expect(created.status).toBe(201);
    expect(await call('GET', `/v1/rulesets/${created.body.version as number}`, { key: newKey })).toMatchObject({ body: { author: 'ci-2026-04' } });

    writeFileSync(keysFile, `ci-2026-04:admin:${newKey}\n`);
    await expectEventually(async () => expect(await statusWith(oldKey)).toBe(401), { timeoutMs: 10_000 });
    expect(await statusWith(newKey)).toBe(200);
    // OPS_API_KEYS stand throughout.
    expect(await statusWith(keys.viewer)).toBe(200);
  });

  it('keeps the last good keys when the file turns malformed, and says so in its log', async () => {
    const secret = randomBytes(18).toString('base64url');
    writeFileSync(keysFile, `ci-2026-04:admin:${newKey}\nci-2026-05:superuser:${secret}\n`);
    await expectEventually(() => expect(api.logs()).toContain(`OPS_API_KEYS_FILE (${keysFile}) line 2 (\\"ci-2026-05\\"): the role must be one of`), {
      timeoutMs: 10_000,
    });
    expect(api.logs()).not.toContain(secret);
    expect(await statusWith(newKey)).toBe(200);
    expect(await statusWith(secret)).toBe(401);
  });

  it('refuses to boot with a malformed keys file, naming the key, the file and the line but not the secret', async () => {
    const secret = randomBytes(18).toString('base64url');
    const malformed = join(mkdtempSync(join(tmpdir(), 'ops-keys-')), 'keys');
    writeFileSync(malformed, `ok:viewer:${randomBytes(18).toString('base64url')}\nluis:root:${secret}\n`);
    const misconfigured = await ServiceProcess.start('ops-api', { OPS_API_KEYS: '', OPS_API_KEYS_FILE: malformed, REDIS_KEY_PREFIX: keyPrefix });
    expect((await misconfigured.exited).code).toBe(2);
    expect(misconfigured.logs()).toContain(`OPS_API_KEYS_FILE (${malformed}) line 2 ("luis"): the role must be one of viewer, editor, admin`);
    expect(misconfigured.logs()).not.toContain(secret);
  });
});

describe('ops API throttling failed authentications', () => {
  const { namespace, keyPrefix } = testNamespace('opsapi-throttle');
  const keys = opsApiKeys();
  let api: ServiceProcess;
  let call: ReturnType<typeof opsApiCaller>;
  // The test runs behind a proxy it trusts (loopback), so it can speak for several clients.
  const from = (client: string, key: string) => call<{ message: string }>('GET', '/v1/rulesets', { key, headers: { 'x-forwarded-for': client } });

  beforeAll(async () => {
    api = await ServiceProcess.startReady('ops-api', {
      KAFKA_TOPIC_NAMESPACE: namespace,
      REDIS_KEY_PREFIX: keyPrefix,
      OPS_API_KEYS: keys.env,
      OPS_API_AUTH_FAILURE_LIMIT: '3',
      OPS_API_AUTH_FAILURE_WINDOW_MS: '60000',
      OPS_API_AUTH_BLOCK_MS: '3000',
      OPS_API_TRUSTED_PROXIES: 'loopback',
    });
    call = opsApiCaller(api.port);
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('answers 429 with Retry-After past the limit of failures from one client, never counting valid keys', async () => {
    const guesser = '203.0.113.7';
    const neighbour = '203.0.113.8';
    for (let request = 0; request < 10; request++) expect((await from(guesser, keys.viewer)).status).toBe(200);

    for (let guess = 0; guess < 3; guess++) expect((await from(guesser, `${keys.admin}${guess}`)).status).toBe(401);
    const refused = await from(guesser, `${keys.admin}x`);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/^too many failed authentications from this client/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Blocked means blocked: a right guess must not stand out from the wrong ones.
    expect((await from(guesser, keys.admin)).status).toBe(429);

    // Another client is neither blocked nor charged for the guesser's failures.
    expect((await from(neighbour, keys.viewer)).status).toBe(200);
    expect((await from(neighbour, `${keys.admin}x`)).status).toBe(401);

    await expectEventually(async () => expect((await from(guesser, keys.viewer)).status).toBe(200), { timeoutMs: 15_000, intervalMs: 250 });
  });
});
