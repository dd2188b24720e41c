/**
 * Every Lua script the engine runs declares every key it touches, and the keys of one call share
 * one hash tag: what Redis Cluster requires (one slot per script call), which a single Redis does
 * not enforce. Checked on a real Redis by watching MONITOR while the queue and ruleset stores
 * run every one of their scripts, and asking Redis (COMMAND GETKEYS) which arguments of each
 * command a script ran are keys.
 *
 * MONITOR prints a script call (EVAL/EVALSHA, from the client's address) before the commands the
 * script runs (source `lua`); Redis runs one script at a time, so nothing comes between them.
 * Other clients' lines may come between two script calls: only calls declaring this test's keys
 * are checked.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadLuaScript } from '@conmutador/redis-lua';
import { EnqueueCommand, InteractionSnapshot, MoveCommand, QueueOutcome, RedisQueueStore } from '@conmutador/redis-queues';
import { PRIORITY_SCORE_STRIDE } from '@conmutador/routing';
import { RulesetStore } from '@conmutador/ruleset-store';
import { expectEventually } from './support/expect-eventually';
import { testNamespace } from './support/test-namespace';

// ---------------------------------------------------------------------------------------------
// The checker.

/** One line MONITOR printed: who sent it (`lua` for a script's own commands) and its arguments. */
interface MonitorLine {
  source: string;
  args: string[];
}

/** A script call of this test and the commands the script ran. */
interface ScriptCall {
  sha: string;
  keys: string[];
  commands: string[][];
}

const SCRIPT_CALLS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro']);
const ESCAPES: Record<string, number> = { '\\': 0x5c, '"': 0x22, n: 0x0a, r: 0x0d, t: 0x09, a: 0x07, b: 0x08 };

const sha1 = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex');

/**
 * An argument as ioredis hands it from a MONITOR line, back to what the client sent. Redis
 * escapes arguments (sdscatrepr: `\\`, `\"`, `\n`, `\r`, `\t`, `\a`, `\b`, `\xHH` for every other
 * unprintable byte, UTF-8 included); ioredis undoes only `\"`. A script's text must come back
 * byte for byte, for its SHA-1.
 */
function decodeMonitorArg(raw: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\' && i + 1 < raw.length) {
      const simple = ESCAPES[raw[i + 1]];
      if (simple !== undefined) {
        bytes.push(simple);
        i += 1;
        continue;
      }
      const hex = raw.slice(i + 2, i + 4);
      if (raw[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 3;
        continue;
      }
    }
    bytes.push(...Buffer.from(raw[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Redis Cluster's rule: what lies between the first `{` and the first `}` after it, when not empty; else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  return close <= open + 1 ? key : key.slice(open + 1, close);
}

/**
 * The script calls declaring at least one key under `prefix`, each with the commands it ran;
 * `strays`: script commands naming the prefix that no script call of this test precedes (MONITOR
 * would then not print what this checker assumes).
 */
function groupScriptCalls(lines: MonitorLine[], prefix: string): { calls: ScriptCall[]; strays: string[][] } {
  const calls: ScriptCall[] = [];
  const strays: string[][] = [];
  let current: ScriptCall | 'foreign' | null = null;
  for (const { source, args } of lines) {
    if (source === 'lua') {
      if (current === null) {
        if (args.some((arg) => arg.includes(prefix))) strays.push(args);
      } else if (current !== 'foreign') {
        current.commands.push(args);
      }
      continue;
    }
    const name = args[0].toLowerCase();
    if (!SCRIPT_CALLS.has(name)) {
      current = null;
      continue;
    }
    const keys = args.slice(3, 3 + Number(args[2]));
    if (!keys.some((key) => key.startsWith(prefix))) {
      current = 'foreign';
      continue;
    }
    current = { sha: name.startsWith('evalsha') ? args[1].toLowerCase() : sha1(args[1]), keys, commands: [] };
    calls.push(current);
  }
  return { calls, strays };
}

/** Keyless commands (COMMAND INFO: first key 0 and no key specs) among those named. */
async function keylessCommands(redis: Redis, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const infos = (await redis.call('COMMAND', 'INFO', ...names)) as (unknown[] | null)[];
  return new Set(
    names.filter((_, index) => {
      const info = infos[index];
      return info !== null && Number(info[3]) === 0 && (!Array.isArray(info[8]) || info[8].length === 0);
    }),
  );
}

/**
 * What breaks the rule, one line per script, command and key: a key a script touched that its
 * call did not declare, KEYS spanning hash tags, a command whose keys Redis cannot tell.
 */
async function scriptKeyProblems(redis: Redis, calls: ScriptCall[], nameOf: (sha: string) => string): Promise<string[]> {
  const pipeline = redis.pipeline();
  for (const call of calls) for (const command of call.commands) pipeline.call('COMMAND', 'GETKEYS', ...command);
  const replies = (await pipeline.exec()) ?? [];
  const failedNames = new Set<string>();
  let next = 0;
  const touched = calls.map((call) =>
    call.commands.map((command) => {
      const [error, keys] = replies[next++];
      if (!error) return { command, keys: keys as string[], error: null };
      failedNames.add(command[0].toLowerCase());
      return { command, keys: [] as string[], error };
    }),
  );
  const keyless = await keylessCommands(redis, [...failedNames]);
  const problems = new Set<string>();
  calls.forEach((call, index) => {
    const script = nameOf(call.sha);
    const tags = [...new Set(call.keys.map(hashTag))];
    if (tags.length > 1) problems.add(`${script}: KEYS span hash tags ${tags.map((tag) => `{${tag}}`).join(', ')}`);
    const declared = new Set(call.keys);
    for (const { command, keys, error } of touched[index]) {
      const name = command[0].toUpperCase();
      if (error && !keyless.has(command[0].toLowerCase())) problems.add(`${script}: cannot tell the keys of ${name} (${error.message})`);
      for (const key of keys) if (!declared.has(key)) problems.add(`${script}: ${name} touches ${key}, not in its KEYS`);
    }
  });
  return [...problems].sort();
}

// ---------------------------------------------------------------------------------------------
// The scripts.

const SCRIPT_DIRECTORIES = [
  join(__dirname, '..', 'libs', 'redis-queues', 'src', 'commands'),
  join(__dirname, '..', 'libs', 'ruleset-store', 'src', 'commands'),
];

/** SHA-1 → file name of every script in the stores' command directories. */
const SCRIPT_FILES = new Map(
  SCRIPT_DIRECTORIES.flatMap((directory) =>
    readdirSync(directory)
      .filter((file) => file.endsWith('.lua'))
      .map((file) => [sha1(loadLuaScript(directory, file)), file] as const),
  ),
);
const scriptName = (sha: string): string => SCRIPT_FILES.get(sha) ?? `unknown script ${sha}`;

// ---------------------------------------------------------------------------------------------
// The scenario's commands.

const snapshot: InteractionSnapshot = {
  sector: 'banking',
  intent: 'card_block',
  emergency: false,
  confidence: 0.9,
  tenant: 't1',
  channel: 'voice',
  requiredSkills: ['banking'],
  ruleId: 'r1',
  rulesetVersion: 1,
};

function enqueue(interactionId: string, domain: string, queue: string, enqueuedAtMs: number, overrides: Partial<EnqueueCommand> = {}): EnqueueCommand {
  return {
    kind: 'enqueue',
    eventId: `e-${interactionId}`,
    interactionId,
    queue,
    domain,
    priority: 100,
    enqueuedAtMs,
    msPerPriorityPoint: PRIORITY_SCORE_STRIDE,
    escalations: [],
    snapshot,
    classification: {
      sector: 'banking',
      intent: 'card_block',
      emergency: false,
      confidence: 0.9,
      evidence: [{ source: 'text', detail: 'tarjeta', weight: 0.9 }],
    },
    nowMs: enqueuedAtMs,
    ...overrides,
  };
}

function move(interactionId: string, eventId: string, domain: string, targetQueue: string): MoveCommand {
  return {
    kind: 'move',
    eventId,
    interactionId,
    targetQueue,
    domain,
    msPerPriorityPoint: PRIORITY_SCORE_STRIDE,
    escalations: [],
    reason: 'transfer',
    nowMs: Date.now(),
  };
}

const rulesetA = { name: 'baseline', rules: [{ id: 'banking', match: { sector: 'banking' }, queue: 'banking' }] };
const rulesetB = { name: 'relief-desk', rules: [{ id: 'relief', match: { intent: 'financial_relief' }, queue: 'relief' }] };

describe('Lua scripts declare every key they touch, all under one hash tag (MONITOR on a real Redis)', () => {
  // A client of its own: ioredis sends each script's text (EVAL) on its first use per connection.
  const redis = new Redis(process.env.REDIS_URL!);

  afterAll(() => redis.disconnect());

  it('finds an undeclared key, KEYS spanning hash tags, and ignores other clients and keyless commands (synthetic lines)', async () => {
    expect(decodeMonitorArg('a\\\\b\\n\\x41\\xc3\\xa1"q"')).toBe('a\\b\nAá"q"');
    expect(['{user1000}.following', 'foo{}{bar}', 'foo{{bar}}zap', 'foo{bar}{zap}', 'plain'].map(hashTag)).toEqual([
      'user1000',
      'foo{}{bar}',
      '{bar',
      'bar',
      'plain',
    ]);

    const p = testNamespace('script-keys-synthetic').keyPrefix;
    const shaA = 'a'.repeat(40);
    const shaB = 'b'.repeat(40);
    const plainScript = "return redis.call('GET', KEYS[1])";
    const lines: MonitorLine[] = [
      { source: '127.0.0.1:5000', args: ['evalsha', shaA, '2', `${p}{d}:i:1`, `${p}{d}:q:x`, 'argv'] },
      { source: 'lua', args: ['hset', `${p}{d}:i:1`, 'st', 'w'] },
      { source: 'lua', args: ['zadd', `${p}{d}:q:y`, '1', 'member'] },
      { source: 'lua', args: ['publish', `${p}channel`, 'message'] },
      { source: 'lua', args: ['time'] },
      { source: '127.0.0.1:6000', args: ['get', 'another-test:key'] },
      { source: '127.0.0.1:5000', args: ['EVALSHA', shaB, '2', `${p}{d}:i:1`, `${p}{e}:q:x`] },
      { source: 'lua', args: ['zscore', `${p}{e}:q:x`, 'member'] },
      { source: '127.0.0.1:6000', args: ['evalsha', 'c'.repeat(40), '1', 'another-test:key'] },
      { source: 'lua', args: ['del', `${p}{d}:whatever`] },
      { source: '127.0.0.1:5000', args: ['eval', plainScript, '1', `${p}plain`] },
      { source: 'lua', args: ['get', `${p}plain`] },
      { source: '127.0.0.1:6000', args: ['ping'] },
      { source: 'lua', args: ['get', `${p}stray`] },
    ];
    const { calls, strays } = groupScriptCalls(lines, p);
    expect(calls.map((call) => [call.sha, call.commands.length])).toEqual([
      [shaA, 4],
      [shaB, 1],
      [sha1(plainScript), 1],
    ]);
    expect(strays).toEqual([['get', `${p}stray`]]);
    const names = new Map([
      [shaA, 'a.lua'],
      [shaB, 'b.lua'],
      [sha1(plainScript), 'plain.lua'],
    ]);
    expect(await scriptKeyProblems(redis, calls, (sha) => names.get(sha)!)).toEqual([
      'a.lua: ZADD touches ' + `${p}{d}:q:y, not in its KEYS`,
      'b.lua: KEYS span hash tags {d}, {e}',
    ]);
  });

  it('holds for every script of the queue and ruleset stores, through arrivals, answers, transfers, escalations and ruleset changes', async () => {
    const started = Date.now();
    const { keyPrefix: prefix } = testNamespace('script-keys');
    const lines: MonitorLine[] = [];
    const monitor = await redis.monitor();
    try {
      monitor.on('monitor', (_time: string, args: string[], source: string) => lines.push({ source, args: args.map(decodeMonitorArg) }));

      // ---- queues, in two routing domains
      const store = new RedisQueueStore(redis, prefix, 3600);
      const T0 = Date.now() - 60_000;
      const bogotaOverflow = { queue: 'banking_bog_overflow', maxWaiting: 1, msPerPriorityPoint: PRIORITY_SCORE_STRIDE };
      const medellinOverflow = { queue: 'banking_med_overflow', maxWaiting: 1, msPerPriorityPoint: PRIORITY_SCORE_STRIDE };
      const arrived = await store.execute([
        enqueue('bog-1', 'bogota', 'banking_bog', T0, { overflow: bogotaOverflow }),
        enqueue('bog-2', 'bogota', 'banking_bog', T0 + 1, { overflow: bogotaOverflow }),
        enqueue('med-1', 'medellin', 'banking_med', T0 + 2, { overflow: medellinOverflow }),
        enqueue('med-2', 'medellin', 'banking_med', T0 + 3, { overflow: medellinOverflow }),
      ]);
      expect(arrived.map((result) => ('placement' in result ? [result.outcome, result.placement.queue, result.placement.overflowed] : result))).toEqual([
        [QueueOutcome.Applied, 'banking_bog', false],
        [QueueOutcome.Applied, 'banking_bog_overflow', true],
        [QueueOutcome.Applied, 'banking_med', false],
        [QueueOutcome.Applied, 'banking_med_overflow', true],
      ]);

      // A re-sent arrival: applied but unpublished, then a plain duplicate once published.
      expect((await store.execute([enqueue('bog-1', 'bogota', 'banking_bog', T0)]))[0].outcome).toBe(QueueOutcome.AppliedUnpublished);
      await store.markPublished([{ interactionId: 'bog-1', eventId: 'e-bog-1', domain: 'bogota' }]);
      expect((await store.execute([enqueue('bog-1', 'bogota', 'banking_bog', T0)]))[0].outcome).toBe(QueueOutcome.Duplicate);

      // An answer.
      expect(
        (await store.execute([{ kind: 'dequeue', eventId: 'ans-med-2', interactionId: 'med-2', reason: 'answered', occurredAtMs: Date.now() }]))[0],
      ).toMatchObject({
        outcome: QueueOutcome.Applied,
        domain: 'medellin',
      });

      // A transfer inside a domain, and one to a queue of the other domain (hand over, then adopt).
      const [inside] = await store.execute([move('bog-2', 'tr-bog-2', 'bogota', 'banking_bog')]);
      expect(inside).toMatchObject({ outcome: QueueOutcome.Applied, domain: 'bogota', placement: { queue: 'banking_bog', fromQueue: 'banking_bog_overflow' } });
      const [across] = await store.execute([move('med-1', 'tr-med-1', 'bogota', 'banking_bog')]);
      expect(across).toMatchObject({
        outcome: QueueOutcome.Applied,
        domain: 'bogota',
        placement: { queue: 'banking_bog', fromQueue: 'banking_med', enqueuedAtMs: T0 + 2 },
      });
      expect(await store.waiting('banking_bog')).toEqual(['bog-1', 'bog-2', 'med-1']);
      expect(await store.queueLength('banking_med')).toBe(0);
      expect(await redis.hget(store.keysOf('medellin').interaction('med-1'), 'st')).toBe('m');

      // A transfer the engine refuses: it stays where it is.
      const [refused] = await store.execute([
        {
          kind: 'refuse-transfer',
          eventId: 'tr-nowhere',
          interactionId: 'bog-1',
          targetQueue: 'nowhere',
          problems: ['unknown queue "nowhere"'],
          rulesetVersion: 1,
          nowMs: Date.now(),
        },
      ]);
      expect(refused).toMatchObject({ outcome: QueueOutcome.Applied, placement: { queue: 'banking_bog' } });

      // Decision traces.
      expect((await store.trace('bog-1')).map((entry) => entry.kind)).toEqual(['queued', 'transfer_refused']);
      expect((await store.trace('med-1')).map((entry) => [entry.kind, entry.queue, entry.fromDomain])).toEqual([
        ['queued', 'banking_med', undefined],
        ['transferred', 'banking_bog', 'medellin'],
      ]);

      // Escalations: a raise, then a move to another queue of the same domain (declared on asking again).
      await store.execute([
        enqueue('esc-1', 'medellin', 'banking_med', T0 + 4, {
          escalations: [
            { afterSeconds: 0, raisePriorityBy: 10 },
            { afterSeconds: 0, moveToQueue: 'banking_med_priority' },
          ],
        }),
      ]);
      expect(await store.fireDueEscalations(Date.now() + 1000)).toBe(2);
      expect(await store.waiting('banking_med_priority')).toEqual(['esc-1']);
      expect(await store.interaction('esc-1')).toMatchObject({ q: 'banking_med_priority', p: '110', t: String(T0 + 4) });
      const outbox = await store.readOutbox();
      expect(outbox.map((entry) => [entry.domain, entry.step, entry.placement.queue])).toEqual([
        ['medellin', 1, 'banking_med'],
        ['medellin', 2, 'banking_med_priority'],
      ]);
      await store.acknowledgeOutbox(outbox);
      expect(await store.readOutbox()).toEqual([]);

      // ---- rulesets
      const rules = new RulesetStore(redis, prefix);
      expect(await rules.seedIfEmpty(rulesetA, 'router')).toEqual({ version: 1, seeded: true });
      expect(await rules.createDraft(rulesetB, 'ana')).toEqual({ version: 2 });
      expect(await rules.publish(2, 'maria')).toEqual({ version: 2, previousVersion: 1 });
      expect(await rules.rollback(1, 'jorge')).toEqual({ version: 1, previousVersion: 2 });
      expect(await rules.current()).toEqual({ version: 1, document: rulesetA });

      // MONITOR lines arrive in order: once this one is in, every line before it is.
      const sentinel = `${prefix}monitor-sentinel`;
      await redis.exists(sentinel);
      await expectEventually(() => expect(lines.some(({ source, args }) => source !== 'lua' && args[0] === 'exists' && args[1] === sentinel)).toBe(true));
    } finally {
      monitor.disconnect();
    }

    const { calls, strays } = groupScriptCalls(lines, prefix);
    expect(strays).toEqual([]);
    expect(await scriptKeyProblems(redis, calls, scriptName)).toEqual([]);
    // Every script file ran (and did something), and nothing else did: a new script cannot escape the check.
    const ran = new Set(calls.filter((call) => call.commands.length > 0).map((call) => scriptName(call.sha)));
    expect([...ran].sort()).toEqual([...SCRIPT_FILES.values()].sort());
    process.stderr.write(
      `[script-keys] ${calls.length} script calls (${ran.size} scripts), ${calls.reduce((sum, call) => sum + call.commands.length, 0)} script commands checked in ${Date.now() - started} ms\n`,
    );
  });
});
