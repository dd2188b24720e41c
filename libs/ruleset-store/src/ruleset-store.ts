import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { defineLuaCommands } from '@conmutador/redis-lua';
import {
  AuditAction,
  PublicationAudit,
  PublicationChange,
  PublishedRuleset,
  RulesetAuditChanges,
  RulesetAuditEntry,
  RulesetConflictError,
  RulesetConflictReason,
  RulesetNotFoundError,
  RulesetStatus,
  RulesetSummary,
  StoredRuleset,
} from './ruleset-records';

/**
 * Script name → file. The version suffix lets two releases run side by side during a rollout.
 * V2: audit entries refer to versions and carry counts of changes instead of copying documents.
 * V3: every key declared, all under the {rules} hash tag (one Redis Cluster slot): the caller
 * proposes the next version number from the counter it read, and a publication declares the
 * version it replaces from the pointer it read; either script changes nothing and asks again
 * when another writer came first.
 */
const SCRIPTS = {
  createRulesetDraftV3: { file: 'createRulesetDraft-3.lua', keys: 3 },
  publishRulesetV3: { file: 'publishRuleset-4.lua', keys: 4 },
  rollbackRulesetV3: { file: 'rollbackRuleset-4.lua', keys: 4 },
  seedRulesetV3: { file: 'seedRuleset-4.lua', keys: 4 },
} as const;

/** Sets the counter to ARGV[1] unless it is already higher: atomic against a draft saved meanwhile. */
const RAISE_COUNTER = "if (tonumber(redis.call('GET', KEYS[1])) or 0) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end";

/** How many times in a row a writer may find that another came first before it gives up: a storm, not contention. */
const PROPOSAL_ATTEMPTS = 20;
/** The publication scripts' answer when the pointer moved between the read and the script. */
const POINTER_MOVED = 5;
/** The draft and seed scripts' answer when the counter moved between the read and the script. */
const COUNTER_MOVED = -1;
/** What an attempt returns when its script changed nothing because another writer came first. */
const ASK_AGAIN = Symbol('ask again');

/** Runs `attempt` until it settles; another writer coming first PROPOSAL_ATTEMPTS times in a row is a storm, and an error. */
async function untilSettled<T>(what: string, attempt: () => Promise<T | typeof ASK_AGAIN>): Promise<T> {
  for (let tries = 1; tries <= PROPOSAL_ATTEMPTS; tries += 1) {
    const outcome = await attempt();
    if (outcome !== ASK_AGAIN) return outcome;
  }
  throw new Error(`${what}: another writer came first ${PROPOSAL_ATTEMPTS} times in a row`);
}

type ScriptName = keyof typeof SCRIPTS;
/** A single Redis or a Redis Cluster: every script's keys share the {rules} slot, so either serves. */
type RedisClient = Redis | Cluster;
type ScriptedRedis = RedisClient & Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;

const SUMMARY_FIELDS = ['status', 'author', 'createdAt', 'note', 'publishedAt', 'publishedBy', 'retiredAt'] as const;

/** Script codes shared by publish and rollback (see their headers). */
const PUBLICATION_REFUSALS: Record<'publish' | 'rollback', Record<number, RulesetConflictReason>> = {
  publish: { 2: 'already_published', 3: 'previously_published', 4: 'published_version_moved' },
  rollback: { 2: 'already_published', 3: 'never_published', 4: 'published_version_moved' },
};

/** The script arguments of a publication's audit: '' skips the check, '0' expects nothing in force. */
function publicationAuditArgs(audit: PublicationAudit | undefined): [string, string] {
  if (!audit) return ['', 'null'];
  return [String(audit.expectedPrevious ?? 0), serializeChanges(audit.changes)];
}

function serializeChanges(changes: RulesetAuditChanges | null | undefined): string {
  return changes ? JSON.stringify(changes) : 'null';
}

/**
 * An entry as stored, in either shape: since V2 `changes`, before it `before` and `after`, full
 * copies of the documents of `previousVersion` and `version`.
 */
interface StoredAuditEntry {
  at: string;
  actor: string;
  action: AuditAction;
  version: number;
  previousVersion: number | null;
  changes?: RulesetAuditChanges | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Reads both shapes into the current one. An entry of the first shape loses only its document
 * copies, which repeat what the versions it names hold; it has no counts (`changes` is null).
 */
function toAuditEntry(id: string, json: string): RulesetAuditEntry {
  const { at, actor, action, version, previousVersion, changes } = JSON.parse(json) as StoredAuditEntry;
  return { id, at, actor, action, version, previousVersion: previousVersion ?? null, changes: changes ?? null };
}

function toSummary(version: number, fields: (string | null)[]): RulesetSummary {
  const [status, author, createdAt, note, publishedAt, publishedBy, retiredAt] = fields;
  return {
    version,
    status: status as RulesetStatus,
    author: author ?? '',
    createdAt: createdAt ?? '',
    note: note ?? '',
    ...(publishedAt ? { publishedAt } : {}),
    ...(publishedBy ? { publishedBy } : {}),
    ...(retiredAt ? { retiredAt } : {}),
  };
}

function serializeDocument(document: unknown): string {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new TypeError('a ruleset document must be a JSON object');
  }
  return JSON.stringify(document);
}

function parseVersion(raw: string | null): number | null {
  if (raw === null || raw === '') return null;
  const version = Number(raw);
  return Number.isSafeInteger(version) && version > 0 ? version : null;
}

/**
 * Versioned routing rulesets in Redis. Versions are immutable documents; which one is in force is
 * a single pointer, moved only by Lua scripts that also update statuses, write the audit entry
 * and announce the change, all in one atomic step.
 *
 * Keys (all under the deployment's prefix):
 *   rules:seq        version counter
 *   rules:v:<n>      hash: document, author, createdAt, note, status, publishedAt, publishedBy, retiredAt
 *   rules:current    the published version
 *   rules:audit      stream of JSON entries (field `entry`): versions, actor, time and counts of
 *                    changes, never documents (each is stored once, in its version); never trimmed
 *   rules:published  pub/sub channel carrying each newly published version
 *
 * It does not judge documents: checking a ruleset before it is published is the caller's job.
 */
export class RulesetStore {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
  ) {
    defineLuaCommands(redis, join(__dirname, 'commands'), SCRIPTS);
    this.redis = redis as ScriptedRedis;
  }

  // Every ruleset key carries the {rules} hash tag: one slot, so each script's keys live together
  // on a Redis Cluster. Rulesets from before the tag are moved by migrateLegacyKeys().
  get sequenceKey(): string {
    return `${this.prefix}{rules}:seq`;
  }

  get currentKey(): string {
    return `${this.prefix}{rules}:current`;
  }

  get auditKey(): string {
    return `${this.prefix}{rules}:audit`;
  }

  /** The pub/sub channel on which every publish, rollback and seed announces its version. */
  get publicationsChannel(): string {
    return `${this.prefix}rules:published`;
  }

  versionKey(version: number): string {
    return `${this.prefix}{rules}:v:${version}`;
  }

  /**
   * Moves rulesets stored before the {rules} hash tag (`<prefix>rules:seq`, `:current`, `:audit`,
   * `:v:<n>`) to the tagged keys, then deletes the old ones. Every service that opens the store
   * calls it at start-up, before anything else reads or writes rulesets; it returns at once
   * when there is nothing to move. Idempotent and restartable: the counter is raised first (so a
   * draft saved meanwhile cannot take an old number), versions are copied only where the new
   * key is absent, audit entries only after the last one copied (their ids kept), the pointer
   * only where none is set, and the old counter is deleted last, so a move cut short is finished
   * by the next start. The old layout exists only on a single Redis (its scripts could not run
   * on a cluster), where these cross-slot commands are allowed.
   */
  async migrateLegacyKeys(): Promise<{ versions: number; auditEntries: number } | null> {
    const legacy = (name: string): string => `${this.prefix}rules:${name}`;
    const legacySequence = parseVersion(await this.redis.get(legacy('seq')));
    if (legacySequence === null) return null;
    await this.redis.eval(RAISE_COUNTER, 1, this.sequenceKey, legacySequence);
    let versions = 0;
    for (let version = 1; version <= legacySequence; version += 1) {
      const fields = await this.redis.hgetall(legacy(`v:${version}`));
      if (Object.keys(fields).length === 0 || (await this.redis.exists(this.versionKey(version))) === 1) continue;
      await this.redis.hset(this.versionKey(version), fields);
      versions += 1;
    }
    const [last] = await this.redis.xrevrange(this.auditKey, '+', '-', 'COUNT', 1);
    const entries = await this.redis.xrange(legacy('audit'), last ? `(${last[0]}` : '-', '+');
    for (const [id, fields] of entries) await this.redis.xadd(this.auditKey, id, ...fields);
    const current = await this.redis.get(legacy('current'));
    if (current !== null) await this.redis.set(this.currentKey, current, 'NX');
    const legacyVersions = Array.from({ length: legacySequence }, (_, index) => legacy(`v:${index + 1}`));
    for (let start = 0; start < legacyVersions.length; start += 500) await this.redis.del(...legacyVersions.slice(start, start + 500));
    await this.redis.del(legacy('audit'), legacy('current'));
    await this.redis.del(legacy('seq'));
    return { versions, auditEntries: entries.length };
  }

  /** `changes`: what the caller counted the draft as changing, kept in the audit entry. */
  async createDraft(document: unknown, actor: string, note = '', changes: RulesetAuditChanges | null = null): Promise<{ version: number }> {
    return untilSettled('saving a ruleset draft', async () => {
      const proposed = (await this.lastVersion()) + 1;
      const version = Number(
        await this.redis.createRulesetDraftV3(
          this.sequenceKey,
          this.versionKey(proposed),
          this.auditKey,
          proposed,
          serializeDocument(document),
          actor,
          new Date().toISOString(),
          note,
          serializeChanges(changes),
        ),
      );
      return version === COUNTER_MOVED ? ASK_AGAIN : { version };
    });
  }

  /** The version with its document, or null when it does not exist. */
  async get(version: number): Promise<StoredRuleset | null> {
    const [document, ...fields] = await this.redis.hmget(this.versionKey(version), 'document', ...SUMMARY_FIELDS);
    if (document === null) return null;
    return { ...toSummary(version, fields), document: JSON.parse(document) };
  }

  /** Every version, oldest first, without documents. Versions are never deleted, so 1..seq is all of them. */
  async list(): Promise<RulesetSummary[]> {
    const last = await this.lastVersion();
    if (last === 0) return [];
    const pipeline = this.redis.pipeline();
    for (let version = 1; version <= last; version++) pipeline.hmget(this.versionKey(version), ...SUMMARY_FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    const summaries: RulesetSummary[] = [];
    replies.forEach(([error, fields], index) => {
      if (error) throw error;
      const values = fields as (string | null)[];
      if (values[0] !== null) summaries.push(toSummary(index + 1, values));
    });
    return summaries;
  }

  /** The published version number only: one GET, cheap enough to poll every few hundred ms. */
  async pollCurrentVersion(): Promise<number | null> {
    return parseVersion(await this.redis.get(this.currentKey));
  }

  /** The published version and its document, or null when nothing was ever published. */
  async current(): Promise<PublishedRuleset | null> {
    const version = await this.pollCurrentVersion();
    if (version === null) return null;
    // A version's document never changes, so reading it after the pointer cannot mix two versions.
    const document = await this.redis.hget(this.versionKey(version), 'document');
    if (document === null) return null;
    return { version, document: JSON.parse(document) };
  }

  /** With `audit`, refused (`published_version_moved`) unless `audit.expectedPrevious` is in force; its counts go in the entry. */
  async publish(version: number, actor: string, audit?: PublicationAudit): Promise<PublicationChange> {
    return this.switchPublished('publish', version, actor, audit);
  }

  /** `audit` as for {@link publish}. */
  async rollback(toVersion: number, actor: string, audit?: PublicationAudit): Promise<PublicationChange> {
    return this.switchPublished('rollback', toVersion, actor, audit);
  }

  /**
   * The pointer is read first, so that the script can declare the version it replaces; when it
   * moved before the script ran, the script changes nothing and the pointer is read again.
   */
  private async switchPublished(kind: 'publish' | 'rollback', version: number, actor: string, audit: PublicationAudit | undefined): Promise<PublicationChange> {
    const call = kind === 'publish' ? this.redis.publishRulesetV3.bind(this.redis) : this.redis.rollbackRulesetV3.bind(this.redis);
    return untilSettled(`switching to ruleset version ${version}`, async () => {
      const pointer = (await this.pollCurrentVersion()) ?? 0;
      const reply = (await call(
        this.currentKey,
        this.versionKey(version),
        this.auditKey,
        this.versionKey(pointer),
        version,
        actor,
        new Date().toISOString(),
        pointer,
        this.publicationsChannel,
        ...publicationAuditArgs(audit),
      )) as [number, string];
      return Number(reply[0]) === POINTER_MOVED ? ASK_AGAIN : this.publicationResult(kind, version, reply);
    });
  }

  private publicationResult(kind: 'publish' | 'rollback', version: number, [code, previous]: [number, string]): PublicationChange {
    if (Number(code) === 1) throw new RulesetNotFoundError(version);
    const refusal = PUBLICATION_REFUSALS[kind][Number(code)];
    if (refusal) throw new RulesetConflictError(version, refusal);
    return { version, previousVersion: parseVersion(previous) };
  }

  /**
   * Publishes `document` as the first ruleset when none is published; otherwise leaves everything
   * as it is. Safe when several routers start at once: exactly one of them seeds.
   */
  async seedIfEmpty(document: unknown, actor: string, note = 'seeded at start-up'): Promise<{ version: number; seeded: boolean }> {
    return untilSettled('seeding the first ruleset', async () => {
      const published = await this.pollCurrentVersion();
      if (published !== null) return { version: published, seeded: false };
      const proposed = (await this.lastVersion()) + 1;
      const [seeded, version] = (await this.redis.seedRulesetV3(
        this.sequenceKey,
        this.currentKey,
        this.versionKey(proposed),
        this.auditKey,
        proposed,
        serializeDocument(document),
        actor,
        new Date().toISOString(),
        note,
        this.publicationsChannel,
      )) as [number, number];
      return Number(seeded) === COUNTER_MOVED ? ASK_AGAIN : { version: Number(version), seeded: Number(seeded) === 1 };
    });
  }

  /** The highest version number given so far (0 before the first). */
  private async lastVersion(): Promise<number> {
    return parseVersion(await this.redis.get(this.sequenceKey)) ?? 0;
  }

  /** The latest audit entries, newest first, whichever shape they were written in. */
  async audit(limit = 50): Promise<RulesetAuditEntry[]> {
    const entries = await this.redis.xrevrange(this.auditKey, '+', '-', 'COUNT', limit);
    return entries.map(([id, fields]) => toAuditEntry(id, fields[fields.indexOf('entry') + 1]));
  }

  /**
   * Calls `listener` with every version announced on the publications channel. Uses a connection
   * of its own (a subscribed connection can do nothing else); ioredis re-subscribes after a
   * reconnect, and messages sent while disconnected are lost, which is why routers also poll
   * {@link pollCurrentVersion}. Returns the function that ends the subscription.
   */
  subscribeToPublications(listener: (version: number) => void, onError: (error: Error) => void = () => undefined): () => void {
    const subscriber = this.redis.duplicate();
    const channel = this.publicationsChannel;
    subscriber.on('error', onError);
    subscriber.on('message', (from: string, message: string) => {
      if (from !== channel) return;
      const version = parseVersion(message);
      if (version !== null) listener(version);
    });
    subscriber.subscribe(channel).catch(onError);
    return () => subscriber.disconnect();
  }
}
