import Redis from 'ioredis';
import { PublishedVersionWatcher, RulesetConflictError, RulesetNotFoundError, RulesetStore } from '@conmutador/ruleset-store';
import { expectEventually } from './support/expect-eventually';
import { testNamespace } from './support/test-namespace';

/** Small stand-ins: the store keeps documents verbatim and never interprets them. */
const rulesetA = { name: 'baseline', rules: [{ id: 'banking', match: { sector: 'banking' }, queue: 'banking' }], emptyList: [] };
const rulesetB = { name: 'relief-desk', rules: [{ id: 'banking-relief', match: { intent: 'financial_relief' }, queue: 'relief' }], emptyList: [] };

describe('ruleset store (Lua scripts on a real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL!);
  const connections: Redis[] = [];
  let prefix: string;
  let store: RulesetStore;

  beforeEach(() => {
    prefix = testNamespace('rules').keyPrefix;
    store = new RulesetStore(redis, prefix);
  });

  afterAll(() => {
    redis.disconnect();
    for (const connection of connections) connection.disconnect();
  });

  it('numbers drafts from 1, keeps documents verbatim and lists them without publishing anything', async () => {
    const first = await store.createDraft(rulesetA, 'ana', 'initial rules');
    const second = await store.createDraft(rulesetB, 'luis');
    expect([first.version, second.version]).toEqual([1, 2]);

    const stored = await store.get(1);
    expect(stored).toMatchObject({ version: 1, status: 'draft', author: 'ana', note: 'initial rules', document: rulesetA });
    expect(Date.parse(stored!.createdAt)).not.toBeNaN();
    expect(await store.get(3)).toBeNull();
    expect((await store.list()).map(({ version, status, author }) => ({ version, status, author }))).toEqual([
      { version: 1, status: 'draft', author: 'ana' },
      { version: 2, status: 'draft', author: 'luis' },
    ]);
    expect(await store.current()).toBeNull();
    expect(await store.pollCurrentVersion()).toBeNull();
  });

  it('publishes and rolls back atomically, retiring the replaced version and auditing who did what to which version', async () => {
    await store.createDraft(rulesetA, 'ana');
    await store.createDraft(rulesetB, 'ana');

    expect(await store.publish(1, 'maria')).toEqual({ version: 1, previousVersion: null });
    expect(await store.current()).toEqual({ version: 1, document: rulesetA });
    expect(await store.publish(2, 'maria')).toEqual({ version: 2, previousVersion: 1 });
    expect(await store.get(1)).toMatchObject({ status: 'retired' });
    expect(await store.get(2)).toMatchObject({ status: 'published', publishedBy: 'maria' });

    expect(await store.rollback(1, 'jorge')).toEqual({ version: 1, previousVersion: 2 });
    expect(await store.pollCurrentVersion()).toBe(1);
    expect((await store.get(1))?.status).toBe('published');
    expect((await store.get(2))?.status).toBe('retired');

    const audit = await store.audit(10);
    expect(audit.map(({ action, version, previousVersion, actor }) => ({ action, version, previousVersion, actor }))).toEqual([
      { action: 'rolled_back', version: 1, previousVersion: 2, actor: 'jorge' },
      { action: 'published', version: 2, previousVersion: 1, actor: 'maria' },
      { action: 'published', version: 1, previousVersion: null, actor: 'maria' },
      { action: 'created', version: 2, previousVersion: null, actor: 'ana' },
      { action: 'created', version: 1, previousVersion: null, actor: 'ana' },
    ]);
    expect(audit.map((entry) => entry.changes)).toEqual([null, null, null, null, null]);
    expect(await store.audit(2)).toHaveLength(2);

    // Each document is stored once, in its version; the audit stream refers to versions.
    const stored = await redis.xrange(store.auditKey, '-', '+');
    expect(stored).toHaveLength(5);
    for (const [, fields] of stored) {
      expect(Object.keys(JSON.parse(fields[fields.indexOf('entry') + 1]) as object).sort()).toEqual(
        ['action', 'actor', 'at', 'changes', 'previousVersion', 'version'].sort(),
      );
    }
    // Documents survive the trip through Lua exactly, empty arrays included.
    expect(await store.get(audit[0].version)).toMatchObject({ document: rulesetA });
    expect(await store.get(audit[0].previousVersion!)).toMatchObject({ document: rulesetB });
  });

  it("keeps the caller's counts of what changed, and refuses a publication counted from a version no longer in force", async () => {
    const counted = { from: null, rulesAdded: 1 };
    await store.createDraft(rulesetA, 'ana', 'first', counted);
    await store.createDraft(rulesetB, 'ana');
    await store.createDraft(rulesetB, 'ana');
    expect(await store.publish(1, 'maria', { expectedPrevious: null, changes: { from: null, rulesAdded: 1 } })).toEqual({ version: 1, previousVersion: null });
    expect(await store.publish(2, 'maria', { expectedPrevious: 1, changes: { from: 1, rulesRemoved: 1, rulesAdded: 1 } })).toEqual({
      version: 2,
      previousVersion: 1,
    });
    const auditLength = (await store.audit(100)).length;

    // Counted from version 1, but version 2 came first: nothing changes.
    await expect(store.publish(3, 'luis', { expectedPrevious: 1, changes: { from: 1 } })).rejects.toMatchObject({ reason: 'published_version_moved' });
    await expect(store.rollback(1, 'luis', { expectedPrevious: null, changes: { from: null } })).rejects.toMatchObject({
      reason: 'published_version_moved',
    });
    expect(await store.pollCurrentVersion()).toBe(2);
    expect((await store.get(3))?.status).toBe('draft');
    expect((await store.audit(100)).length).toBe(auditLength);

    expect(await store.rollback(1, 'luis', { expectedPrevious: 2, changes: { from: 2, rulesRemoved: 1, rulesAdded: 1 } })).toEqual({
      version: 1,
      previousVersion: 2,
    });
    expect((await store.audit(10)).map(({ action, version, changes }) => ({ action, version, changes }))).toEqual([
      { action: 'rolled_back', version: 1, changes: { from: 2, rulesRemoved: 1, rulesAdded: 1 } },
      { action: 'published', version: 2, changes: { from: 1, rulesRemoved: 1, rulesAdded: 1 } },
      { action: 'published', version: 1, changes: { from: null, rulesAdded: 1 } },
      { action: 'created', version: 3, changes: null },
      { action: 'created', version: 2, changes: null },
      { action: 'created', version: 1, changes: counted },
    ]);
  });

  it('reads audit entries written in the first shape, with document copies, as entries of the current one', async () => {
    await store.createDraft(rulesetA, 'ana');
    await store.createDraft(rulesetB, 'ana');
    await store.createDraft(rulesetA, 'ana');
    await store.publish(1, 'maria');
    // What the first scripts wrote for a draft and a publication of version 2.
    const firstShape = (action: string, previousVersion: number | null, before: unknown) =>
      JSON.stringify({ at: '2026-03-01T10:00:00.000Z', actor: 'jorge', action, version: 2, previousVersion, before, after: rulesetB });
    await redis.xadd(store.auditKey, '*', 'entry', firstShape('created', null, null));
    await redis.xadd(store.auditKey, '*', 'entry', firstShape('published', 1, rulesetA));
    await store.publish(3, 'maria');

    expect(await store.audit(3)).toEqual([
      expect.objectContaining({ action: 'published', version: 3, previousVersion: 1, actor: 'maria', changes: null }),
      { id: expect.any(String), at: '2026-03-01T10:00:00.000Z', actor: 'jorge', action: 'published', version: 2, previousVersion: 1, changes: null },
      { id: expect.any(String), at: '2026-03-01T10:00:00.000Z', actor: 'jorge', action: 'created', version: 2, previousVersion: null, changes: null },
    ]);
  });

  it('refuses publications that make no sense, changing nothing', async () => {
    await store.createDraft(rulesetA, 'ana');
    await store.createDraft(rulesetB, 'ana');
    await store.publish(1, 'maria');
    const auditLength = (await store.audit(100)).length;

    await expect(store.publish(9, 'maria')).rejects.toBeInstanceOf(RulesetNotFoundError);
    await expect(store.publish(1, 'maria')).rejects.toMatchObject({ reason: 'already_published' });
    await expect(store.rollback(2, 'maria')).rejects.toMatchObject({ reason: 'never_published' });
    await store.publish(2, 'maria');
    await expect(store.publish(1, 'maria')).rejects.toMatchObject({ reason: 'previously_published' });
    await expect(store.rollback(2, 'maria')).rejects.toBeInstanceOf(RulesetConflictError);

    expect(await store.pollCurrentVersion()).toBe(2);
    expect((await store.audit(100)).length).toBe(auditLength + 1);
  });

  it('seeds exactly one version when many routers start at once, and never replaces a publication', async () => {
    const routers = Array.from({ length: 8 }, () => {
      const connection = new Redis(process.env.REDIS_URL!);
      connections.push(connection);
      return new RulesetStore(connection, prefix);
    });
    const results = await Promise.all(routers.map((router, index) => router.seedIfEmpty(rulesetA, `router-${index}`)));

    expect(results.filter((result) => result.seeded)).toHaveLength(1);
    expect(new Set(results.map((result) => result.version))).toEqual(new Set([1]));
    expect(await store.list()).toHaveLength(1);
    expect(await store.current()).toEqual({ version: 1, document: rulesetA });
    expect((await store.audit(10)).map((entry) => entry.action)).toEqual(['published', 'created']);

    await store.createDraft(rulesetB, 'ana');
    await store.publish(2, 'ana');
    expect(await store.seedIfEmpty(rulesetA, 'late-router')).toEqual({ version: 2, seeded: false });
    expect(await store.pollCurrentVersion()).toBe(2);
  });

  it('announces every published version to subscribers', async () => {
    await store.createDraft(rulesetA, 'ana');
    await store.createDraft(rulesetB, 'ana');
    const announced: number[] = [];
    const unsubscribe = store.subscribeToPublications((version) => announced.push(version));
    try {
      await expectEventually(
        async () => {
          const [, subscribers] = (await redis.pubsub('NUMSUB', store.publicationsChannel)) as [string, number];
          expect(Number(subscribers)).toBe(1);
        },
        { timeoutMs: 5_000, intervalMs: 20 },
      );

      await store.publish(1, 'ana');
      await store.publish(2, 'ana');
      await store.rollback(1, 'ana');
      await expectEventually(() => expect(announced).toEqual([1, 2, 1]), { timeoutMs: 5_000, intervalMs: 20 });
    } finally {
      unsubscribe();
    }
  });

  it('lets a watcher switch on the announcement of a publication, and by polling when an announcement is lost', async () => {
    await store.createDraft(rulesetA, 'ana');
    await store.createDraft(rulesetB, 'ana');
    await store.publish(1, 'ana');
    // Its backstop poll is an hour away: within this test only an announcement can switch it.
    const announcedSwitches: number[] = [];
    const announced = new PublishedVersionWatcher(store, (version) => announcedSwitches.push(version), { pollIntervalMs: 3_600_000 });
    // Polls often: it finds a change of the pointer that nobody announced.
    const polledSwitches: number[] = [];
    const polling = new PublishedVersionWatcher(store, (version) => polledSwitches.push(version), { pollIntervalMs: 100 });
    try {
      expect(await announced.start()).toBe(1);
      await expectEventually(async () => {
        const [, subscribers] = (await redis.pubsub('NUMSUB', store.publicationsChannel)) as [string, number];
        expect(Number(subscribers)).toBe(1);
      });
      await store.publish(2, 'ana');
      await expectEventually(() => expect(announcedSwitches).toEqual([2]));

      expect(await polling.start()).toBe(2);
      // Moving the pointer without an announcement stands for a message lost during a reconnect.
      await redis.set(store.currentKey, '1');
      await expectEventually(() => expect(polledSwitches).toEqual([1]));
      // Nothing was announced, so the watcher that relies on announcements is still on 2.
      expect(announcedSwitches).toEqual([2]);
    } finally {
      announced.stop();
      polling.stop();
    }
  });

  it('gives concurrent editors distinct versions with no gap in the numbers', async () => {
    const editors = Array.from({ length: 6 }, () => {
      const connection = new Redis(process.env.REDIS_URL!);
      connections.push(connection);
      return new RulesetStore(connection, prefix);
    });
    const versions = await Promise.all(editors.map((editor, index) => editor.createDraft({ ...rulesetA, editor: index }, `editor-${index}`)));
    expect(versions.map(({ version }) => version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await store.list()).map(({ version }) => version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps every key a script touches in one Redis Cluster slot', async () => {
    await store.createDraft(rulesetA, 'ana');
    await store.publish(1, 'ana');
    await store.createDraft(rulesetB, 'ana');
    await store.publish(2, 'ana');
    // A key's slot is its hash tag's when it has one: keys that share the tag share the slot
    // (test/ruleset-store-cluster.test.ts reads the slots from a real cluster).
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThanOrEqual(5);
    expect(keys.filter((key) => !key.startsWith(`${prefix}{rules}:`))).toEqual([]);
  });

  it('moves rulesets stored before the hash tag, and finishes a move that was cut short', async () => {
    // An earlier release's layout, as its scripts wrote it.
    const legacy = (name: string) => `${prefix}rules:${name}`;
    await redis.hset(legacy('v:1'), { document: JSON.stringify(rulesetA), author: 'ana', createdAt: '2026-01-01T00:00:00Z', note: '', status: 'retired' });
    await redis.hset(legacy('v:2'), { document: JSON.stringify(rulesetB), author: 'luis', createdAt: '2026-01-02T00:00:00Z', note: '', status: 'published' });
    await redis.set(legacy('seq'), '2');
    await redis.set(legacy('current'), '2');
    const ids = [
      await redis.xadd(legacy('audit'), '*', 'entry', '{"action":"created","version":1}'),
      await redis.xadd(legacy('audit'), '*', 'entry', '{"action":"created","version":2}'),
    ];
    // A move cut short after the first version and the first audit entry.
    await redis.set(store.sequenceKey, '2');
    await redis.hset(store.versionKey(1), await redis.hgetall(legacy('v:1')));
    await redis.xadd(store.auditKey, ids[0]!, 'entry', '{"action":"created","version":1}');

    expect(await store.migrateLegacyKeys()).toEqual({ versions: 1, auditEntries: 1 });
    expect(await store.current()).toEqual({ version: 2, document: rulesetB });
    expect((await store.list()).map(({ version, status }) => [version, status])).toEqual([
      [1, 'retired'],
      [2, 'published'],
    ]);
    expect((await redis.xrange(store.auditKey, '-', '+')).map(([id]) => id)).toEqual(ids);
    expect(await redis.exists(legacy('seq'), legacy('current'), legacy('audit'), legacy('v:1'), legacy('v:2'))).toBe(0);
    // Numbering goes on after the moved versions, and a second move finds nothing to do.
    expect(await store.createDraft(rulesetA, 'ana')).toEqual({ version: 3 });
    expect(await store.migrateLegacyKeys()).toBeNull();
  });
});
