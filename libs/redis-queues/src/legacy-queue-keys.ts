import { Cluster } from 'ioredis';
import type { ChainableCommander, Redis } from 'ioredis';
import { DomainKeys, domainRegistryKey } from './queue-keys';

/**
 * The queue state of the layout before routing domains, and its move to the domain layout
 * (queue-keys.ts). With the same prefix `p`, the old layout was:
 *
 *   p i:<interactionId>   interaction hash (field q: its queue; done hashes expire: tombstones)
 *   p t:<interactionId>   decision trace (list; may expire)
 *   p q:<queue>           skill queue (sorted set of waiting interaction ids)
 *   p qs:<queue>          the queue's service history (hash)
 *   p queues              queue names (set)
 *   p timers              escalation timers (sorted set, member <interactionId>|<step>, score = due ms)
 *   p outbox              fired escalations to publish (stream, consumer group `relay`, field
 *                         `decision`: JSON with the interactionId)
 *   p profiles            routing profiles shared by interactions (hash id -> JSON)
 *
 * Only ever on a single Redis (its scripts took undeclared keys, which a cluster refuses), so the
 * move uses commands across slots freely. The ruleset keys (`p rules:…`, `p {rules}:…`) are not
 * queue state: neither the check nor the move touches them.
 */

/** The domain of a queue the ruleset does not name, and of an interaction with no queue (DEFAULT_ROUTING_DOMAIN). */
const DEFAULT_DOMAIN = 'default';
/** The consumer group that relays a domain's outbox, as on the old stream. */
const OUTBOX_GROUP = 'relay';
/** Keys asked of one SCAN call. */
const SCAN_COUNT = 500;

/** Old-layout state per kind: what a run moved, or what remains. */
export interface LegacyStateCounts {
  /** Interaction hashes (waiting and finished). */
  interactions: number;
  /** Trace lists. */
  traces: number;
  /** Queue sorted sets, and the interaction ids they held. */
  queues: number;
  queueEntries: number;
  /** Queue service histories. */
  queueStats: number;
  /** Names of the old queue index, now in their domain's index. */
  queueIndexEntries: number;
  /** Escalation timers. */
  timers: number;
  /** Outbox entries, added again to their domain's outbox. */
  outboxEntries: number;
  /** Entries of the old profiles hash, copied into the profiles of every domain this run wrote to. */
  profiles: number;
}

/** Nothing of any kind: a run over migrated data reports this. */
export const NO_LEGACY_STATE: Readonly<LegacyStateCounts> = {
  interactions: 0,
  traces: 0,
  queues: 0,
  queueEntries: 0,
  queueStats: 0,
  queueIndexEntries: 0,
  timers: 0,
  outboxEntries: 0,
  profiles: 0,
};

/** What one run moved, per kind of state. A run that finds nothing to move reports zeros. */
export interface LegacyMigrationReport extends LegacyStateCounts {
  /**
   * Old keys dropped because their new key already existed (kept as it is; a stats hash gets the
   * old one's missing fields): what a run cut short, or the new engine, had already written.
   */
  existingTargetsKept: number;
  /** The domains that received state in this run, sorted; each is in the domain registry. */
  domains: string[];
}

/** How much state of the old layout remains, per kind (the dry run's answer). */
export interface LegacyKeyCount extends LegacyStateCounts {
  /** Every queue named by an old queue, stats hash or the old index, sorted. */
  queueNames: string[];
}

export interface LegacyMigrationOptions {
  /** Units moved per pipeline (keys of a SCAN page, members, stream entries); 500 by default. */
  batchSize?: number;
}

type LegacyKind = 'interaction' | 'trace' | 'queue' | 'queueStats';

const KIND_PREFIXES: readonly [LegacyKind, string][] = [
  ['interaction', 'i:'],
  ['trace', 't:'],
  ['queue', 'q:'],
  ['queueStats', 'qs:'],
];

/** The old layout's keys under `prefix`. */
class LegacyKeys {
  constructor(readonly prefix: string) {}

  interaction(id: string): string {
    return `${this.prefix}i:${id}`;
  }

  trace(id: string): string {
    return `${this.prefix}t:${id}`;
  }

  queueStats(queue: string): string {
    return `${this.prefix}qs:${queue}`;
  }

  get queueIndex(): string {
    return `${this.prefix}queues`;
  }

  get timers(): string {
    return `${this.prefix}timers`;
  }

  get outbox(): string {
    return `${this.prefix}outbox`;
  }

  get profiles(): string {
    return `${this.prefix}profiles`;
  }

  /** The SCAN pattern of every key whose name starts with `<prefix><start>`. */
  pattern(start: string): string {
    return `${escapeGlob(this.prefix)}${start}*`;
  }

  /** The kind of an old per-interaction or per-queue key and the id or queue it names, or null. */
  kindOf(key: string): { kind: LegacyKind; name: string } | null {
    if (!key.startsWith(this.prefix)) return null;
    const rest = key.slice(this.prefix.length);
    for (const [kind, start] of KIND_PREFIXES) {
      if (rest.startsWith(start)) return { kind, name: rest.slice(start.length) };
    }
    return null;
  }
}

/** A key prefix, literally, in a SCAN MATCH pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, (character) => `\\${character}`);
}

/**
 * Each move is one script: it happens whole or not at all, and its source is gone in the same
 * step its content lands at the target, so a run cut short leaves no unit half moved.
 */
const SCRIPTS = {
  /**
   * An interaction's hash and trace. RENAME keeps the time to live of tombstones and traces;
   * where the new key already exists it is kept and the old one dropped.
   * Returns {hash, trace}: 0 absent, 1 moved, 2 dropped for an existing target.
   */
  legacyQueueKeysMoveKeysV1: {
    numberOfKeys: 4,
    lua: `
local function move(source, target)
  if redis.call('EXISTS', source) == 0 then return 0 end
  if redis.call('EXISTS', target) == 1 then
    redis.call('DEL', source)
    return 2
  end
  redis.call('RENAME', source, target)
  return 1
end
return {move(KEYS[1], KEYS[2]), move(KEYS[3], KEYS[4])}`,
  },
  /** Members with their scores (ARGV score, member, …) from one sorted set to another. Returns how many left the source. */
  legacyQueueKeysMoveMembersV1: {
    numberOfKeys: 2,
    lua: `
local members = {}
for i = 2, #ARGV, 2 do members[#members + 1] = ARGV[i] end
redis.call('ZADD', KEYS[2], unpack(ARGV))
return redis.call('ZREM', KEYS[1], unpack(members))`,
  },
  /** Set members (ARGV) from one set to another. Returns how many left the source. */
  legacyQueueKeysMoveSetMembersV1: {
    numberOfKeys: 2,
    lua: `
redis.call('SADD', KEYS[2], unpack(ARGV))
return redis.call('SREM', KEYS[1], unpack(ARGV))`,
  },
  /**
   * A stats hash: renamed when the target is absent, else merged field by field, the target's
   * fields kept. Returns 0 absent, 1 moved, 2 merged into an existing target.
   */
  legacyQueueKeysMoveStatsV1: {
    numberOfKeys: 2,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  return 1
end
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do redis.call('HSETNX', KEYS[2], fields[i], fields[i + 1]) end
redis.call('DEL', KEYS[1])
return 2`,
  },
  /**
   * One outbox entry (ARGV id, field, value, …): added to the target stream with a new id and
   * deleted from the source in one step, so it is relayed once. Returns 1 moved, 0 already gone.
   */
  legacyQueueKeysMoveEntryV1: {
    numberOfKeys: 2,
    lua: `
if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
return 1`,
  },
  /** Deletes a stream once it holds no entry (its consumer groups with it). Returns 1 deleted. */
  legacyQueueKeysDropEmptyStreamV1: {
    numberOfKeys: 1,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('XLEN', KEYS[1]) == 0 then return redis.call('DEL', KEYS[1]) end
return 0`,
  },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type Scripted<T> = T & Record<ScriptName, (...args: (string | number)[]) => T>;

function defineScripts(redis: Redis): Scripted<Redis> {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    if (typeof (redis as unknown as Record<string, unknown>)[name] !== 'function') redis.defineCommand(name, script);
  }
  return redis as Scripted<Redis>;
}

/** Runs a pipeline and returns its replies, throwing the first error. */
async function execute(pipeline: ChainableCommander): Promise<unknown[]> {
  const replies = await pipeline.exec();
  if (!replies) throw new Error('redis pipeline was discarded');
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}

async function* scanKeys(redis: Redis, pattern: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== '0');
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** `<interactionId>|<step>` → the interaction id. */
function timerInteraction(member: string): string {
  const separator = member.lastIndexOf('|');
  return separator < 0 ? member : member.slice(0, separator);
}

/** The interaction id and queue of an outbox entry's decision, when it carries them. */
function outboxDecision(fields: string[]): { interactionId?: string; queue?: string } {
  const index = fields.findIndex((field, position) => position % 2 === 0 && field === 'decision');
  if (index < 0) return {};
  try {
    const decision = JSON.parse(fields[index + 1]) as { interactionId?: unknown; q?: unknown };
    return {
      ...(typeof decision.interactionId === 'string' && decision.interactionId !== '' ? { interactionId: decision.interactionId } : {}),
      ...(typeof decision.q === 'string' && decision.q !== '' ? { queue: decision.q } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * The boot check: whether the old layout's fixed keys (its queue index above all, which the old
 * engine kept for good) exist under `prefix`. One EXISTS, however large the keyspace; a Redis
 * Cluster never held the old layout (its scripts could not run there).
 */
export async function hasLegacyQueueIndex(redis: Redis | Cluster, prefix: string): Promise<boolean> {
  if (redis instanceof Cluster) return false;
  const legacy = new LegacyKeys(prefix);
  return (await redis.exists(legacy.queueIndex, legacy.timers, legacy.profiles, legacy.outbox)) > 0;
}

/**
 * Whether any key of the old layout remains under `prefix`: one EXISTS of the four fixed keys,
 * which answers at once while old state remains (the old engine keeps its queue index for good,
 * and the migration drops the profiles last). Only when none exists does it look further: a SCAN
 * of the keys starting with `p i`, `p q` or `p t`, which stops at the first old one, and walks
 * the whole keyspace when there is none.
 */
export async function hasLegacyQueueKeys(redis: Redis, prefix: string): Promise<boolean> {
  const legacy = new LegacyKeys(prefix);
  if ((await redis.exists(legacy.queueIndex, legacy.timers, legacy.profiles, legacy.outbox)) > 0) return true;
  for await (const keys of scanKeys(redis, `${escapeGlob(prefix)}[iqt]*`)) {
    if (keys.some((key) => legacy.kindOf(key) !== null)) return true;
  }
  return false;
}

/**
 * Counts what remains of the old layout under `prefix` (one SCAN of the keyspace); changes
 * nothing. SCAN may return a key twice while the keyspace grows, so interactions and traces may
 * be slightly overcounted: a plan, not an inventory.
 */
export async function countLegacyQueueKeys(redis: Redis, prefix: string): Promise<LegacyKeyCount> {
  const legacy = new LegacyKeys(prefix);
  const count: LegacyKeyCount = { ...NO_LEGACY_STATE, queueNames: [] };
  const queueNames = new Set<string>();
  const queueKeys: string[] = [];
  for await (const keys of scanKeys(redis, `${escapeGlob(prefix)}[iqt]*`)) {
    for (const key of keys) {
      const found = legacy.kindOf(key);
      if (!found) continue;
      if (found.kind === 'interaction') count.interactions += 1;
      else if (found.kind === 'trace') count.traces += 1;
      else {
        queueNames.add(found.name);
        if (found.kind === 'queueStats') count.queueStats += 1;
        else queueKeys.push(key);
      }
    }
  }
  const uniqueQueueKeys = [...new Set(queueKeys)];
  count.queues = uniqueQueueKeys.length;
  for (const batch of chunks(uniqueQueueKeys, SCAN_COUNT)) {
    const pipeline = redis.pipeline();
    for (const key of batch) pipeline.zcard(key);
    for (const members of await execute(pipeline)) count.queueEntries += Number(members);
  }
  const [indexEntries, timers, outboxEntries, profiles] = await execute(
    redis.pipeline().scard(legacy.queueIndex).zcard(legacy.timers).exists(legacy.outbox).hlen(legacy.profiles),
  );
  count.queueIndexEntries = Number(indexEntries);
  count.timers = Number(timers);
  count.outboxEntries = Number(outboxEntries) > 0 ? await redis.xlen(legacy.outbox) : 0;
  count.profiles = Number(profiles);
  let cursor = '0';
  do {
    const [next, members] = await redis.sscan(legacy.queueIndex, cursor, 'COUNT', SCAN_COUNT);
    cursor = next;
    for (const member of members) queueNames.add(member);
  } while (cursor !== '0');
  count.queueNames = [...queueNames].sort();
  return count;
}

/**
 * Moves every key of the old layout under `prefix` to its routing domain's keys
 * (queue-keys.ts), deleting the old ones. A queue's domain is `domainOf(queue)`; an
 * interaction's (its hash, trace, timers and outbox entries) is that of the queue in its hash's
 * `q`, `default` when it has none.
 *
 * Order: the old profiles are read first and copied (HSETNX) into a domain's profiles, and the
 * domain added to the registry, before anything moves into that domain; then timers, outbox
 * entries, interaction hashes with their traces, traces left without a hash, queues, their
 * service histories and the queue index move; the old profiles are deleted last.
 *
 * Idempotent and restartable: each unit (an interaction's hash and trace, a batch of members,
 * one outbox entry, a stats hash) moves in one script, its source deleted in the same step, and a
 * rerun finds only what is left: an interaction whose hash already moved is found in its domain.
 * A run cut short at any point and run again ends as one uninterrupted run; a run over migrated
 * data moves nothing and reports zeros. The engine must not write the old keys meanwhile.
 */
export async function migrateLegacyQueueKeys(
  redis: Redis,
  prefix: string,
  domainOf: (queue: string) => string,
  options: LegacyMigrationOptions = {},
): Promise<LegacyMigrationReport> {
  return new LegacyQueueKeyMigration(redis, prefix, domainOf, Math.max(1, Math.floor(options.batchSize ?? SCAN_COUNT))).run();
}

class LegacyQueueKeyMigration {
  private readonly redis: Scripted<Redis>;
  private readonly legacy: LegacyKeys;
  private readonly registry: string;
  private readonly report: LegacyMigrationReport = {
    ...NO_LEGACY_STATE,
    existingTargetsKept: 0,
    domains: [],
  };
  /** The old profiles (id → JSON), read once before anything moves; the old key stays until the end. */
  private profiles = new Map<string, string>();
  /** Domains registered and given the profiles in this run. */
  private readonly readyDomains = new Set<string>();
  /** Domains whose outbox has its consumer group. */
  private readonly outboxesReady = new Set<string>();

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly domainOfQueue: (queue: string) => string,
    private readonly batchSize: number,
  ) {
    this.redis = defineScripts(redis);
    this.legacy = new LegacyKeys(prefix);
    this.registry = domainRegistryKey(prefix);
  }

  async run(): Promise<LegacyMigrationReport> {
    await this.readProfiles();
    await this.moveTimers();
    await this.moveOutbox();
    await this.moveInteractions();
    await this.moveOrphanTraces();
    await this.moveQueues();
    await this.moveQueueStats();
    await this.moveQueueIndex();
    // Last: while any hash could still move, its profile had to stay readable.
    if ((await this.redis.del(this.legacy.profiles)) > 0) this.report.profiles = this.profiles.size;
    this.report.domains = [...this.readyDomains].sort();
    return this.report;
  }

  private keys(domain: string): DomainKeys {
    return new DomainKeys(this.prefix, domain);
  }

  private domainOf(queue: string | null | undefined): string {
    if (queue === null || queue === undefined || queue === '') return DEFAULT_DOMAIN;
    const domain = this.domainOfQueue(queue);
    if (typeof domain !== 'string' || domain === '' || /[{}]/.test(domain)) {
      throw new Error(`the domain of queue ${JSON.stringify(queue)} must be a non-empty name without braces, got ${JSON.stringify(domain)}`);
    }
    return domain;
  }

  private async readProfiles(): Promise<void> {
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(this.legacy.profiles, cursor, 'COUNT', SCAN_COUNT);
      cursor = next;
      for (let index = 0; index < entries.length; index += 2) this.profiles.set(entries[index], entries[index + 1]);
    } while (cursor !== '0');
  }

  /**
   * Before anything moves into a domain: the domain joins the registry, and its profiles hash
   * gets every old profile it lacks (HSETNX: a profile id is its content's hash, so an existing
   * field already holds the same profile).
   */
  private async ensureDomains(domains: Iterable<string>): Promise<void> {
    for (const domain of domains) {
      if (this.readyDomains.has(domain)) continue;
      await this.redis.sadd(this.registry, domain);
      const profilesKey = this.keys(domain).profiles;
      for (const batch of chunks([...this.profiles], this.batchSize)) {
        const pipeline = this.redis.pipeline();
        for (const [id, profile] of batch) pipeline.hsetnx(profilesKey, id, profile);
        await execute(pipeline);
      }
      this.readyDomains.add(domain);
    }
  }

  /**
   * The domain of each interaction: that of the queue in its old hash; for one whose hash
   * already moved (a rerun), the registered domain that holds it; else `fallback(id)`.
   */
  private async interactionDomains(ids: readonly string[], fallback: (id: string) => string): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    const domains = new Map<string, string>();
    if (unique.length === 0) return domains;
    const pipeline = this.redis.pipeline();
    for (const id of unique) pipeline.exists(this.legacy.interaction(id)).hget(this.legacy.interaction(id), 'q');
    const replies = await execute(pipeline);
    const moved: string[] = [];
    unique.forEach((id, index) => {
      if (Number(replies[2 * index]) === 1) domains.set(id, this.domainOf(replies[2 * index + 1] as string | null));
      else moved.push(id);
    });
    if (moved.length > 0) {
      const registered = (await this.redis.smembers(this.registry)).sort();
      if (registered.length > 0) {
        const lookup = this.redis.pipeline();
        for (const id of moved) for (const domain of registered) lookup.exists(this.keys(domain).interaction(id));
        const found = await execute(lookup);
        moved.forEach((id, index) => {
          const at = registered.findIndex((_, position) => Number(found[index * registered.length + position]) === 1);
          if (at >= 0) domains.set(id, registered[at]);
        });
      }
    }
    for (const id of unique) if (!domains.has(id)) domains.set(id, fallback(id));
    return domains;
  }

  /** Each timer to its interaction's domain; each batch leaves the old set as it moves, so the loop reads from the start. */
  private async moveTimers(): Promise<void> {
    for (;;) {
      const flat = await this.redis.zrange(this.legacy.timers, 0, this.batchSize - 1, 'WITHSCORES');
      if (flat.length === 0) return;
      const timers: { member: string; score: string }[] = [];
      for (let index = 0; index < flat.length; index += 2) timers.push({ member: flat[index], score: flat[index + 1] });
      const domains = await this.interactionDomains(
        timers.map(({ member }) => timerInteraction(member)),
        () => DEFAULT_DOMAIN,
      );
      await this.ensureDomains(domains.values());
      const pipeline = this.redis.pipeline() as Scripted<ChainableCommander>;
      for (const { member, score } of timers) {
        pipeline.legacyQueueKeysMoveMembersV1(this.legacy.timers, this.keys(domains.get(timerInteraction(member))!).timers, score, member);
      }
      for (const removed of await execute(pipeline)) this.report.timers += Number(removed);
    }
  }

  /**
   * Each entry, pending ones included, to its interaction's outbox (its consumer group created
   * first, from the start of the stream), then the emptied old stream is deleted.
   */
  private async moveOutbox(): Promise<void> {
    for (;;) {
      const entries = await this.redis.xrange(this.legacy.outbox, '-', '+', 'COUNT', this.batchSize);
      if (entries.length === 0) break;
      const decisions = entries.map(([, fields]) => outboxDecision(fields));
      const withInteraction = decisions.map(({ interactionId }) => interactionId).filter((id): id is string => id !== undefined);
      const byQueue = new Map<string, string>();
      decisions.forEach(({ interactionId, queue }) => {
        if (interactionId !== undefined && queue !== undefined) byQueue.set(interactionId, queue);
      });
      const domains = await this.interactionDomains(withInteraction, (id) => this.domainOf(byQueue.get(id)));
      const targets = decisions.map(({ interactionId, queue }) => (interactionId !== undefined ? domains.get(interactionId)! : this.domainOf(queue)));
      await this.ensureDomains(targets);
      for (const domain of new Set(targets)) await this.ensureOutboxGroup(domain);
      const pipeline = this.redis.pipeline() as Scripted<ChainableCommander>;
      entries.forEach(([id, fields], index) => {
        pipeline.legacyQueueKeysMoveEntryV1(this.legacy.outbox, this.keys(targets[index]).outbox, id, ...fields);
      });
      for (const moved of await execute(pipeline)) this.report.outboxEntries += Number(moved);
    }
    await this.redis.legacyQueueKeysDropEmptyStreamV1(this.legacy.outbox);
  }

  private async ensureOutboxGroup(domain: string): Promise<void> {
    if (this.outboxesReady.has(domain)) return;
    try {
      await this.redis.xgroup('CREATE', this.keys(domain).outbox, OUTBOX_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!/BUSYGROUP/.test((error as Error).message)) throw error;
    }
    this.outboxesReady.add(domain);
  }

  /** Each interaction hash with its trace, to the domain of the queue in the hash. */
  private async moveInteractions(): Promise<void> {
    for await (const page of scanKeys(this.redis, this.legacy.pattern('i:'))) {
      const ids = page.map((key) => this.legacy.kindOf(key)).flatMap((found) => (found?.kind === 'interaction' ? [found.name] : []));
      for (const batch of chunks(ids, this.batchSize)) {
        const reads = this.redis.pipeline();
        for (const id of batch) reads.exists(this.legacy.interaction(id)).hget(this.legacy.interaction(id), 'q');
        const replies = await execute(reads);
        // A key SCAN returned twice, or a tombstone that expired since, is no longer there.
        const present = batch.flatMap((id, index) =>
          Number(replies[2 * index]) === 1 ? [{ id, domain: this.domainOf(replies[2 * index + 1] as string | null) }] : [],
        );
        if (present.length === 0) continue;
        await this.ensureDomains(present.map(({ domain }) => domain));
        const moves = this.redis.pipeline() as Scripted<ChainableCommander>;
        for (const { id, domain } of present) {
          const keys = this.keys(domain);
          moves.legacyQueueKeysMoveKeysV1(this.legacy.interaction(id), keys.interaction(id), this.legacy.trace(id), keys.trace(id));
        }
        for (const reply of await execute(moves)) {
          const [hash, trace] = (reply as unknown[]).map(Number);
          this.count(hash, 'interactions');
          this.count(trace, 'traces');
        }
      }
    }
  }

  /** Traces whose hash was gone (expired, or moved by a run cut short between the two): to their interaction's domain. */
  private async moveOrphanTraces(): Promise<void> {
    for await (const page of scanKeys(this.redis, this.legacy.pattern('t:'))) {
      const ids = page.map((key) => this.legacy.kindOf(key)).flatMap((found) => (found?.kind === 'trace' ? [found.name] : []));
      for (const batch of chunks(ids, this.batchSize)) {
        // A key SCAN returned twice, or a trace that expired since, is no longer there.
        const exists = this.redis.pipeline();
        for (const id of batch) exists.exists(this.legacy.trace(id));
        const flags = await execute(exists);
        const remaining = batch.filter((_, index) => Number(flags[index]) === 1);
        if (remaining.length === 0) continue;
        const domains = await this.interactionDomains(remaining, () => DEFAULT_DOMAIN);
        await this.ensureDomains(domains.values());
        const moves = this.redis.pipeline() as Scripted<ChainableCommander>;
        for (const id of remaining) {
          const keys = this.keys(domains.get(id)!);
          // The hash part finds no old hash (an interaction with one moved its trace with it).
          moves.legacyQueueKeysMoveKeysV1(this.legacy.interaction(id), keys.interaction(id), this.legacy.trace(id), keys.trace(id));
        }
        for (const reply of await execute(moves)) {
          const [hash, trace] = (reply as unknown[]).map(Number);
          this.count(hash, 'interactions');
          this.count(trace, 'traces');
        }
      }
    }
  }

  /** Each queue's members with their scores, merged into the domain's queue batch by batch. */
  private async moveQueues(): Promise<void> {
    for await (const page of scanKeys(this.redis, this.legacy.pattern('q:'))) {
      for (const key of page) {
        const found = this.legacy.kindOf(key);
        if (found?.kind !== 'queue') continue;
        const domain = this.domainOf(found.name);
        let moved = 0;
        for (;;) {
          const flat = await this.redis.zrange(key, 0, this.batchSize - 1, 'WITHSCORES');
          if (flat.length === 0) break;
          await this.ensureDomains([domain]);
          const pairs: string[] = [];
          for (let index = 0; index < flat.length; index += 2) pairs.push(flat[index + 1], flat[index]);
          moved += Number(await this.redis.legacyQueueKeysMoveMembersV1(key, this.keys(domain).queue(found.name), ...pairs));
        }
        if (moved > 0) this.report.queues += 1;
        this.report.queueEntries += moved;
      }
    }
  }

  /** Each service history to its queue's domain, merged into one already there. */
  private async moveQueueStats(): Promise<void> {
    for await (const page of scanKeys(this.redis, this.legacy.pattern('qs:'))) {
      const queues = page.map((key) => this.legacy.kindOf(key)).flatMap((found) => (found?.kind === 'queueStats' ? [found.name] : []));
      for (const batch of chunks(queues, this.batchSize)) {
        const domains = batch.map((queue) => this.domainOf(queue));
        await this.ensureDomains(domains);
        const moves = this.redis.pipeline() as Scripted<ChainableCommander>;
        batch.forEach((queue, index) => moves.legacyQueueKeysMoveStatsV1(this.legacy.queueStats(queue), this.keys(domains[index]).queueStats(queue)));
        for (const reply of await execute(moves)) this.count(Number(reply), 'queueStats');
      }
    }
  }

  /** Each name of the old queue index into its domain's index. */
  private async moveQueueIndex(): Promise<void> {
    const names = new Set<string>();
    let cursor = '0';
    do {
      const [next, members] = await this.redis.sscan(this.legacy.queueIndex, cursor, 'COUNT', SCAN_COUNT);
      cursor = next;
      for (const member of members) names.add(member);
    } while (cursor !== '0');
    const byDomain = new Map<string, string[]>();
    for (const name of names) {
      const domain = this.domainOf(name);
      byDomain.set(domain, [...(byDomain.get(domain) ?? []), name]);
    }
    await this.ensureDomains(byDomain.keys());
    for (const [domain, members] of byDomain) {
      for (const batch of chunks(members, this.batchSize)) {
        this.report.queueIndexEntries += Number(
          await this.redis.legacyQueueKeysMoveSetMembersV1(this.legacy.queueIndex, this.keys(domain).queueIndex, ...batch),
        );
      }
    }
  }

  /** Tallies a move script's answer: 1 moved, 2 dropped or merged for an existing target. */
  private count(outcome: number, kind: 'interactions' | 'traces' | 'queueStats'): void {
    if (outcome === 0) return;
    this.report[kind] += 1;
    if (outcome === 2) this.report.existingTargetsKept += 1;
  }
}
