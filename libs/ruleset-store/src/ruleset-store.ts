import { join } from 'node:path';
import Redis from 'ioredis';
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
 */
const SCRIPTS = {
  createRulesetDraftV2: { file: 'createRulesetDraft-2.lua', keys: 2 },
  publishRulesetV2: { file: 'publishRuleset-3.lua', keys: 3 },
  rollbackRulesetV2: { file: 'rollbackRuleset-3.lua', keys: 3 },
  seedRulesetV2: { file: 'seedRuleset-3.lua', keys: 3 },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type ScriptedRedis = Redis & Record<ScriptName, (...args: (string | number)[]) => Promise<unknown>>;

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
    redis: Redis,
    private readonly prefix: string,
  ) {
    defineLuaCommands(redis, join(__dirname, 'commands'), SCRIPTS);
    this.redis = redis as ScriptedRedis;
  }

  get sequenceKey(): string {
    return `${this.prefix}rules:seq`;
  }

  get currentKey(): string {
    return `${this.prefix}rules:current`;
  }

  get auditKey(): string {
    return `${this.prefix}rules:audit`;
  }

  /** The pub/sub channel on which every publish, rollback and seed announces its version. */
  get publicationsChannel(): string {
    return `${this.prefix}rules:published`;
  }

  versionKey(version: number): string {
    return `${this.prefix}rules:v:${version}`;
  }

  /** `changes`: what the caller counted the draft as changing, kept in the audit entry. */
  async createDraft(document: unknown, actor: string, note = '', changes: RulesetAuditChanges | null = null): Promise<{ version: number }> {
    const version = await this.redis.createRulesetDraftV2(
      this.sequenceKey,
      this.auditKey,
      this.prefix,
      serializeDocument(document),
      actor,
      new Date().toISOString(),
      note,
      serializeChanges(changes),
    );
    return { version: Number(version) };
  }

  /** The version with its document, or null when it does not exist. */
  async get(version: number): Promise<StoredRuleset | null> {
    const [document, ...fields] = await this.redis.hmget(this.versionKey(version), 'document', ...SUMMARY_FIELDS);
    if (document === null) return null;
    return { ...toSummary(version, fields), document: JSON.parse(document) };
  }

  /** Every version, oldest first, without documents. Versions are never deleted, so 1..seq is all of them. */
  async list(): Promise<RulesetSummary[]> {
    const last = parseVersion(await this.redis.get(this.sequenceKey)) ?? 0;
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
    const reply = (await this.redis.publishRulesetV2(
      this.currentKey,
      this.versionKey(version),
      this.auditKey,
      version,
      actor,
      new Date().toISOString(),
      this.prefix,
      this.publicationsChannel,
      ...publicationAuditArgs(audit),
    )) as [number, string];
    return this.publicationResult('publish', version, reply);
  }

  /** `audit` as for {@link publish}. */
  async rollback(toVersion: number, actor: string, audit?: PublicationAudit): Promise<PublicationChange> {
    const reply = (await this.redis.rollbackRulesetV2(
      this.currentKey,
      this.versionKey(toVersion),
      this.auditKey,
      toVersion,
      actor,
      new Date().toISOString(),
      this.prefix,
      this.publicationsChannel,
      ...publicationAuditArgs(audit),
    )) as [number, string];
    return this.publicationResult('rollback', toVersion, reply);
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
    const [seeded, version] = (await this.redis.seedRulesetV2(
      this.sequenceKey,
      this.currentKey,
      this.auditKey,
      this.prefix,
      serializeDocument(document),
      actor,
      new Date().toISOString(),
      note,
      this.publicationsChannel,
    )) as [number, number];
    return { version: Number(version), seeded: Number(seeded) === 1 };
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
