import Redis from 'ioredis';
import {
  countLegacyQueueKeys,
  domainRegistryKey,
  DomainKeys,
  hasLegacyQueueKeys,
  LegacyMigrationReport,
  migrateLegacyQueueKeys,
  NO_LEGACY_STATE,
} from '@conmutador/redis-queues';
import { RulesetStore } from '@conmutador/ruleset-store';
import { main } from '../apps/ops-cli/src/migrate-queue-keys.command';
import { testNamespace } from './support/test-namespace';

/**
 * The move of queue state from the layout before routing domains to the domain layout, on a real
 * Redis: an old-layout dataset written by hand with raw commands, as the old engine left it.
 */

const DOMAINS: Record<string, string> = { banking: 'bank', health: 'care' };
const domainOf = (queue: string): string => DOMAINS[queue] ?? 'default';

const PROFILE_A = JSON.stringify(['banking', 'card_block', 'cards', 'banking-cards', '3', '[{"afterSeconds":60,"raisePriorityBy":5}]']);
const PROFILE_B = JSON.stringify(['health', 'appointment', 'nurse', 'health-appointments', '3', '']);
const T0 = 1_700_000_000_000;

const HASHES: Record<string, Record<string, string>> = {
  w1: { st: 'w', q: 'banking', p: '10', t: String(T0), pm: '60000', pf: 'pfA', c: '0.91', tn: 'acme', ch: 'voice', 'ev:e-w1': 'p' },
  w2: { st: 'w', q: 'health', p: '5', t: String(T0 + 1000), pm: '60000', pf: 'pfB', c: '0.8', tn: 'acme', ch: 'chat', 'ev:e-w2': 'a', fq: 'banking' },
  w3: { st: 'w', q: 'banking', p: '20', t: String(T0 + 2000), pm: '60000', pf: 'pfA', c: '0.7', tn: 'beta', ch: 'voice', 'ev:e-w3': 'p' },
  d1: { st: 'd', q: 'banking', p: '10', t: String(T0 - 5000), pm: '60000', pf: 'pfA', 'ev:e-d1': 'p', 'ev:e-d1-answer': 'p' },
  // Finished before it had a queue: no q, so domain `default`.
  d2: { st: 'd', p: '0', t: String(T0 - 9000), 'ev:e-d2': 'p' },
};
const TRACE_W2 = [
  JSON.stringify({ kind: 'routed', atMs: T0 + 1000, queue: 'banking' }),
  JSON.stringify({ kind: 'transferred', atMs: T0 + 5000, queue: 'health' }),
];
const TRACE_D1 = [JSON.stringify({ kind: 'routed', atMs: T0 - 5000, queue: 'banking' }), JSON.stringify({ kind: 'dequeued', atMs: T0 - 1000 })];
const TRACE_GONE = [JSON.stringify({ kind: 'routed', atMs: T0 - 90_000, queue: 'health' })];
const OUTBOX_W2 = JSON.stringify({ interactionId: 'w2', step: 1, q: 'health', p: 5, position: 1, firedAtMs: T0 + 60_000 });
const OUTBOX_W1 = JSON.stringify({ interactionId: 'w1', step: 1, q: 'banking', p: 15, position: 2, firedAtMs: T0 + 61_000 });
const STATS_BANKING = { answered: '5', ewma: '1200', last: String(T0 - 1000) };
const STATS_HEALTH = { answered: '1', last: String(T0 - 2000) };

/** The old layout as the old engine left it, beside ruleset keys of both layouts, which are not queue state. */
async function seedLegacyLayout(redis: Redis, p: string): Promise<void> {
  const seed = redis.multi();
  seed.hset(`${p}profiles`, 'pfA', PROFILE_A, 'pfB', PROFILE_B);
  for (const [id, fields] of Object.entries(HASHES)) seed.hset(`${p}i:${id}`, fields);
  seed.expire(`${p}i:d1`, 3600).expire(`${p}i:d2`, 3600);
  seed.rpush(`${p}t:w2`, ...TRACE_W2);
  seed.rpush(`${p}t:d1`, ...TRACE_D1).expire(`${p}t:d1`, 3600);
  // A trace whose hash has expired already.
  seed.rpush(`${p}t:gone`, ...TRACE_GONE).expire(`${p}t:gone`, 600);
  seed.zadd(`${p}q:banking`, 100, 'w1', 50, 'w3');
  seed.zadd(`${p}q:health`, 200, 'w2');
  seed.hset(`${p}qs:banking`, STATS_BANKING);
  seed.hset(`${p}qs:health`, STATS_HEALTH);
  seed.sadd(`${p}queues`, 'banking', 'health');
  seed.zadd(`${p}timers`, T0 + 60_000, 'w1|1', T0 + 30_000, 'w2|1', T0 + 90_000, 'w2|2');
  seed.xgroup('CREATE', `${p}outbox`, 'relay', '0', 'MKSTREAM');
  seed.xadd(`${p}outbox`, '*', 'decision', OUTBOX_W2);
  seed.xadd(`${p}outbox`, '*', 'decision', OUTBOX_W1);
  seed.set(`${p}{rules}:current`, '3');
  seed.hset(`${p}{rules}:v:3`, 'document', '{"queues":[]}', 'status', 'published');
  seed.set(`${p}rules:current`, '2');
  await seed.exec();
  // The first entry was handed to a replica that never acknowledged it: pending in the old group.
  await redis.xreadgroup('GROUP', 'relay', 'old-replica', 'COUNT', 1, 'STREAMS', `${p}outbox`, '>');
}

const isRulesetKey = (p: string, key: string): boolean => key.startsWith(`${p}{rules}:`) || key.startsWith(`${p}rules:`);

async function keysUnder(redis: Redis, p: string): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, page] = await redis.scan(cursor, 'MATCH', `${p}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of page) keys.add(key);
  } while (cursor !== '0');
  return [...keys].sort();
}

/**
 * Everything under the prefix but the ruleset keys, names relative to it: type, content, and
 * whether it expires. Stream entries without their ids (a moved entry gets a new one), groups by name.
 */
async function snapshot(redis: Redis, p: string): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const key of await keysUnder(redis, p)) {
    if (isRulesetKey(p, key)) continue;
    const type = await redis.type(key);
    const expires = (await redis.pttl(key)) > 0;
    let content: unknown;
    if (type === 'hash') content = await redis.hgetall(key);
    else if (type === 'list') content = await redis.lrange(key, 0, -1);
    else if (type === 'set') content = (await redis.smembers(key)).sort();
    else if (type === 'zset') content = await redis.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'stream') {
      const groups = (await redis.xinfo('GROUPS', key)) as unknown[][];
      content = {
        entries: (await redis.xrange(key, '-', '+')).map(([, fields]) => fields),
        groups: groups.map((group) => String(group[group.indexOf('name') + 1])).sort(),
      };
    } else content = await redis.get(key);
    state[key.slice(p.length)] = { type, expires, content };
  }
  return state;
}

const ZERO: Omit<LegacyMigrationReport, 'domains'> = { ...NO_LEGACY_STATE, existingTargetsKept: 0 };

describe('moving queue keys from the old layout to the routing-domain layout (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL!);
  /** The state a clean run leaves, which every interrupted-then-resumed run must reach too. */
  let cleanState: Record<string, unknown>;

  afterAll(() => {
    redis.disconnect();
  });

  it('moves every kind of key to its domain, keeping contents, scores and times to live, and leaves the ruleset keys alone', async () => {
    const p = testNamespace('legacykeys').keyPrefix;
    await seedLegacyLayout(redis, p);
    expect(await hasLegacyQueueKeys(redis, p)).toBe(true);
    expect(await countLegacyQueueKeys(redis, p)).toEqual({
      interactions: 5,
      traces: 3,
      queues: 2,
      queueEntries: 3,
      queueStats: 2,
      queueIndexEntries: 2,
      timers: 3,
      outboxEntries: 2,
      profiles: 2,
      queueNames: ['banking', 'health'],
    });

    const report = await migrateLegacyQueueKeys(redis, p, domainOf);
    expect(report).toEqual({
      interactions: 5,
      traces: 3,
      queues: 2,
      queueEntries: 3,
      queueStats: 2,
      queueIndexEntries: 2,
      timers: 3,
      outboxEntries: 2,
      profiles: 2,
      existingTargetsKept: 0,
      domains: ['bank', 'care', 'default'],
    });

    const bank = new DomainKeys(p, 'bank');
    const care = new DomainKeys(p, 'care');
    const fallback = new DomainKeys(p, 'default');
    // Interaction hashes, whole, in the domain of their queue; tombstones still expire.
    expect(await redis.hgetall(bank.interaction('w1'))).toEqual(HASHES.w1);
    expect(await redis.hgetall(bank.interaction('w3'))).toEqual(HASHES.w3);
    expect(await redis.hgetall(care.interaction('w2'))).toEqual(HASHES.w2);
    expect(await redis.hgetall(bank.interaction('d1'))).toEqual(HASHES.d1);
    expect(await redis.hgetall(fallback.interaction('d2'))).toEqual(HASHES.d2);
    expect(await redis.ttl(bank.interaction('w1'))).toBe(-1);
    for (const key of [bank.interaction('d1'), fallback.interaction('d2'), bank.trace('d1')]) {
      expect(await redis.ttl(key)).toBeGreaterThan(3500);
    }
    // Traces: with their interaction, and one whose hash had expired in the default domain.
    expect(await redis.lrange(care.trace('w2'), 0, -1)).toEqual(TRACE_W2);
    expect(await redis.lrange(bank.trace('d1'), 0, -1)).toEqual(TRACE_D1);
    expect(await redis.lrange(fallback.trace('gone'), 0, -1)).toEqual(TRACE_GONE);
    expect(await redis.ttl(fallback.trace('gone'))).toBeGreaterThan(0);
    // Queues with their scores, service histories, and each domain's index.
    expect(await redis.zrange(bank.queue('banking'), 0, -1, 'WITHSCORES')).toEqual(['w3', '50', 'w1', '100']);
    expect(await redis.zrange(care.queue('health'), 0, -1, 'WITHSCORES')).toEqual(['w2', '200']);
    expect(await redis.hgetall(bank.queueStats('banking'))).toEqual(STATS_BANKING);
    expect(await redis.hgetall(care.queueStats('health'))).toEqual(STATS_HEALTH);
    expect(await redis.smembers(bank.queueIndex)).toEqual(['banking']);
    expect(await redis.smembers(care.queueIndex)).toEqual(['health']);
    // Timers to the domain of their interaction, due times kept.
    expect(await redis.zrange(bank.timers, 0, -1, 'WITHSCORES')).toEqual(['w1|1', String(T0 + 60_000)]);
    expect(await redis.zrange(care.timers, 0, -1, 'WITHSCORES')).toEqual(['w2|1', String(T0 + 30_000), 'w2|2', String(T0 + 90_000)]);
    // Outbox entries, the one left pending included, deliverable to the domain's relay group.
    const relayed = (await redis.xreadgroup('GROUP', 'relay', 'new-replica', 'COUNT', 10, 'STREAMS', care.outbox, bank.outbox, '>', '>')) as [
      string,
      [string, string[]][],
    ][];
    expect(Object.fromEntries(relayed.map(([stream, entries]) => [stream, entries.map(([, fields]) => fields)]))).toEqual({
      [care.outbox]: [['decision', OUTBOX_W2]],
      [bank.outbox]: [['decision', OUTBOX_W1]],
    });
    // Profiles in every domain that received state, and every such domain registered.
    for (const keys of [bank, care, fallback]) expect(await redis.hgetall(keys.profiles)).toEqual({ pfA: PROFILE_A, pfB: PROFILE_B });
    expect((await redis.smembers(domainRegistryKey(p))).sort()).toEqual(['bank', 'care', 'default']);

    // Nothing of the old layout remains; the ruleset keys of both layouts are as they were.
    expect(await hasLegacyQueueKeys(redis, p)).toBe(false);
    const remaining = await keysUnder(redis, p);
    expect(remaining.filter((key) => !key.startsWith(`${p}{`) && key !== domainRegistryKey(p) && !isRulesetKey(p, key))).toEqual([]);
    expect(await redis.get(`${p}{rules}:current`)).toBe('3');
    expect(await redis.hgetall(`${p}{rules}:v:3`)).toEqual({ document: '{"queues":[]}', status: 'published' });
    expect(await redis.get(`${p}rules:current`)).toBe('2');

    // A second run finds nothing and changes nothing.
    const before = await snapshot(redis, p);
    expect(await migrateLegacyQueueKeys(redis, p, domainOf)).toEqual({ ...ZERO, domains: [] });
    expect(await snapshot(redis, p)).toEqual(before);

    // The state every other scenario must end in: the clean run's, before the relay read above.
    const reference = testNamespace('legacykeys').keyPrefix;
    await seedLegacyLayout(redis, reference);
    await migrateLegacyQueueKeys(redis, reference, domainOf);
    cleanState = await snapshot(redis, reference);
    expect(Object.keys(cleanState).sort()).toEqual(
      [
        'domains',
        ...['i:w1', 'i:w3', 'i:d1', 't:d1', 'q:banking', 'qs:banking', 'queues', 'timers', 'outbox', 'profiles'].map((key) => `{bank}:${key}`),
        ...['i:w2', 't:w2', 'q:health', 'qs:health', 'queues', 'timers', 'outbox', 'profiles'].map((key) => `{care}:${key}`),
        ...['i:d2', 't:gone', 'profiles'].map((key) => `{default}:${key}`),
      ].sort(),
    );
  });

  it('ends in the same state as an uninterrupted run when cut short at any point and run again', async () => {
    // How many times an uninterrupted run asks for a domain, one unit per batch.
    let calls = 0;
    const counting = testNamespace('legacykeys').keyPrefix;
    await seedLegacyLayout(redis, counting);
    await migrateLegacyQueueKeys(redis, counting, (queue) => ((calls += 1), domainOf(queue)), { batchSize: 1 });
    expect(await snapshot(redis, counting)).toEqual(cleanState);
    expect(calls).toBeGreaterThan(10);

    for (let crashAfter = 0; crashAfter < calls; crashAfter += 1) {
      const p = testNamespace('legacykeys').keyPrefix;
      await seedLegacyLayout(redis, p);
      let asked = 0;
      const crashing = (queue: string): string => {
        if (asked++ === crashAfter) throw new Error(`crash after ${crashAfter} domains`);
        return domainOf(queue);
      };
      await expect(migrateLegacyQueueKeys(redis, p, crashing, { batchSize: 1 })).rejects.toThrow(`crash after ${crashAfter} domains`);
      await migrateLegacyQueueKeys(redis, p, domainOf);
      expect({ crashAfter, state: await snapshot(redis, p) }).toEqual({ crashAfter, state: cleanState });
      expect(await hasLegacyQueueKeys(redis, p)).toBe(false);
    }
  });

  it('finishes what a run cut short between the writes of one move left, keeping the new keys already written', async () => {
    const p = testNamespace('legacykeys').keyPrefix;
    await seedLegacyLayout(redis, p);
    const bank = new DomainKeys(p, 'bank');
    const care = new DomainKeys(p, 'care');
    const fallback = new DomainKeys(p, 'default');
    // As a run that copied before deleting would have left it: targets written, sources still there.
    const half = redis.multi();
    half.sadd(domainRegistryKey(p), 'bank');
    half.hset(bank.profiles, 'pfA', PROFILE_A);
    half.hset(bank.interaction('w1'), HASHES.w1);
    half.zadd(bank.queue('banking'), 100, 'w1');
    half.zadd(care.timers, T0 + 30_000, 'w2|1');
    half.hset(bank.queueStats('banking'), 'answered', STATS_BANKING.answered);
    half.sadd(care.queueIndex, 'health');
    // One interaction moved whole already, and one whose hash moved but not yet its trace, timers
    // and outbox entry: they must find it in its domain, as its old hash is gone.
    half.sadd(domainRegistryKey(p), 'default', 'care');
    half.rename(`${p}i:d2`, fallback.interaction('d2'));
    half.hset(care.profiles, 'pfA', PROFILE_A, 'pfB', PROFILE_B);
    half.rename(`${p}i:w2`, care.interaction('w2'));
    await half.exec();

    const report = await migrateLegacyQueueKeys(redis, p, domainOf);
    expect(report).toMatchObject({ interactions: 3, traces: 3, existingTargetsKept: 2, queueStats: 2, timers: 3, outboxEntries: 2 });
    expect(await snapshot(redis, p)).toEqual(cleanState);
    expect(await hasLegacyQueueKeys(redis, p)).toBe(false);
    expect(await migrateLegacyQueueKeys(redis, p, domainOf)).toEqual({ ...ZERO, domains: [] });
  });

  it('sees any old key that remains, and none of the new layout or the ruleset keys', async () => {
    const p = testNamespace('legacykeys').keyPrefix;
    await redis.set(`${p}{rules}:current`, '1');
    await redis.set(`${p}rules:current`, '1');
    await redis.hset(new DomainKeys(p, 'bank').interaction('w1'), 'st', 'w');
    await redis.sadd(domainRegistryKey(p), 'bank');
    expect(await hasLegacyQueueKeys(redis, p)).toBe(false);
    for (const key of ['i:x', 't:x', 'q:banking', 'qs:banking', 'queues', 'timers', 'profiles', 'outbox']) {
      await redis.set(`${p}${key}`, '1');
      expect({ key, found: await hasLegacyQueueKeys(redis, p) }).toEqual({ key, found: true });
      await redis.del(`${p}${key}`);
    }
  });

  it('migrates from the command line, each queue to the domain the published ruleset gives it', async () => {
    const p = testNamespace('legacykeys').keyPrefix;
    const store = new RulesetStore(redis, p);
    const ruleset = {
      queues: [
        { name: 'banking', domain: 'bank' },
        { name: 'health', domain: 'care' },
      ],
      rules: [{ id: 'health', when: 'sector == "health"', then: { queue: 'health', priority: 10 } }],
      fallback: { queue: 'banking', priority: 1 },
    };
    await store.publish((await store.createDraft(ruleset, 'test')).version, 'test');
    await seedLegacyLayout(redis, p);
    // The seed's own ruleset keys stand for other tests' data; the published ones are what the command reads.
    await redis.del(`${p}{rules}:v:3`);
    await redis.set(`${p}{rules}:current`, '1');
    const env = { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: p };
    const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(argv, env, { out: (text) => out.push(text), err: (text) => err.push(text) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    const dryRun = await run('--dry-run', '--json');
    expect(dryRun).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(dryRun.out)).toMatchObject({
      dryRun: true,
      legacyKeys: true,
      ruleset: { version: 1, from: 'ruleset-store', domains: ['bank', 'care'] },
      count: { interactions: 5, queues: 2, timers: 3, outboxEntries: 2 },
      plan: [
        { queue: 'banking', domain: 'bank' },
        { queue: 'health', domain: 'care' },
      ],
    });
    expect(await hasLegacyQueueKeys(redis, p)).toBe(true);

    const migrated = await run('--json');
    expect(migrated).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(migrated.out)).toMatchObject({ legacyKeys: true, remaining: false, report: { interactions: 5, domains: ['bank', 'care', 'default'] } });
    expect(await snapshot(redis, p)).toEqual(cleanState);

    const again = await run();
    expect(again).toMatchObject({ code: 0, err: '' });
    expect(again.out).toMatch(/nothing to migrate/);
    expect(await run('--bogus')).toMatchObject({ code: 2 });
  });
});
