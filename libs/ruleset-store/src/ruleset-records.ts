/**
 * A ruleset version's life: saved as a `draft`, `published` while it is the one routers apply,
 * `retired` once another version replaced it (it can come back by rollback).
 */
export type RulesetStatus = 'draft' | 'published' | 'retired';

/** A version without its document: what listings show. */
export interface RulesetSummary {
  version: number;
  status: RulesetStatus;
  author: string;
  /** ISO-8601. */
  createdAt: string;
  note: string;
  publishedAt?: string;
  publishedBy?: string;
  retiredAt?: string;
}

export interface StoredRuleset extends RulesetSummary {
  /** The ruleset document exactly as it was saved (parsed JSON). */
  document: unknown;
}

export interface PublishedRuleset {
  version: number;
  document: unknown;
}

export type AuditAction = 'created' | 'published' | 'rolled_back';

/**
 * What a change did, in numbers, as its writer counted it. The store keeps it verbatim and never
 * computes it (it does not read documents); the ops API writes the diff counts of libs/rules
 * (`diffStats`) and the version they were counted from.
 */
export type RulesetAuditChanges = Readonly<Record<string, unknown>>;

/**
 * One change to the rulesets, as recorded (atomically with the change) in `<prefix>{rules}:audit`.
 * It refers to versions instead of copying documents: `version` and `previousVersion` are both
 * stored versions, and a diff of the two shows in full what `changes` counts.
 */
export interface RulesetAuditEntry {
  /** Redis stream id: orders entries and encodes when they were written. */
  id: string;
  at: string;
  actor: string;
  action: AuditAction;
  version: number;
  /** The version in force before a publish or rollback; null for `created` and for the first publish. */
  previousVersion: number | null;
  /**
   * Counts of what changed; null when none were recorded: versions seeded by a router, and
   * entries written before entries carried counts (they copied both documents instead).
   */
  changes: RulesetAuditChanges | null;
}

/**
 * The caller's view of a publication, checked atomically with it: the version it believes is in
 * force, and what it counted as changing from there. A publication that found another version
 * in force changes nothing (RulesetConflictError `published_version_moved`).
 */
export interface PublicationAudit {
  expectedPrevious: number | null;
  changes: RulesetAuditChanges;
}

/** The result of a publish or a rollback. */
export interface PublicationChange {
  version: number;
  previousVersion: number | null;
}

export class RulesetNotFoundError extends Error {
  constructor(readonly version: number) {
    super(`ruleset version ${version} does not exist`);
    this.name = 'RulesetNotFoundError';
  }
}

/** Why a publish or a rollback was refused although the version exists. */
export type RulesetConflictReason = 'already_published' | 'previously_published' | 'never_published' | 'published_version_moved';

const CONFLICT_MESSAGES: Record<RulesetConflictReason, (version: number) => string> = {
  already_published: (version) => `ruleset version ${version} is already the published one`,
  previously_published: (version) => `ruleset version ${version} was published before and replaced; roll back to it instead`,
  never_published: (version) => `ruleset version ${version} is a draft that was never published; publish it instead`,
  published_version_moved: (version) => `another version was put in force while version ${version} was being put in force; try again`,
};

export class RulesetConflictError extends Error {
  constructor(
    readonly version: number,
    readonly reason: RulesetConflictReason,
  ) {
    super(CONFLICT_MESSAGES[reason](version));
    this.name = 'RulesetConflictError';
  }
}
