import { DEFAULT_ROUTING_DOMAIN, QueueDefinition, RuleAction, RuleDefinition, RulesetDocument } from '../ruleset-document';

export interface FieldChange {
  /** Dotted path inside the rule, queue or fallback: `when`, `then.priority`, `overflowTo`… */
  field: string;
  before: unknown;
  after: unknown;
}

export interface RuleChange {
  id: string;
  changes: FieldChange[];
}

export interface RuleMove {
  id: string;
  fromIndex: number;
  toIndex: number;
}

export interface QueueChange {
  name: string;
  changes: FieldChange[];
}

export interface RulesetDiff {
  rulesAdded: { id: string; index: number; rule: RuleDefinition }[];
  rulesRemoved: { id: string; index: number; rule: RuleDefinition }[];
  rulesChanged: RuleChange[];
  /** Rules kept in both versions whose order relative to the other kept rules changed. */
  rulesMoved: RuleMove[];
  queuesAdded: QueueDefinition[];
  queuesRemoved: QueueDefinition[];
  queuesChanged: QueueChange[];
  fallbackChanges: FieldChange[];
  descriptionChanged: boolean;
  /** One line per change, for a review screen or a commit message. */
  summary: string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Field-by-field differences; lists (skills, escalation steps) compare as whole values. */
function fieldChanges(before: unknown, after: unknown, prefix = ''): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return sameValue(before, after) ? [] : [{ field: prefix, before, after }];
}

/** Defaults made explicit, so that adding `"enabled": true` is not reported as a change. */
function normalisedRule(rule: RuleDefinition): RuleDefinition {
  return { ...rule, enabled: rule.enabled !== false, then: normalisedAction(rule.then) };
}

function normalisedAction(action: RuleAction): RuleAction {
  return { ...action, requiredSkills: action.requiredSkills ?? [], escalations: action.escalations ?? [] };
}

function normalisedQueue(queue: QueueDefinition): QueueDefinition {
  return { ...queue, agingPointsPerMinute: queue.agingPointsPerMinute ?? 0, domain: queue.domain ?? DEFAULT_ROUTING_DOMAIN };
}

/** Longest common subsequence of two id lists: the kept rules that did not move. */
function stableIds(before: readonly string[], after: readonly string[]): Set<string> {
  const lengths = Array.from({ length: before.length + 1 }, () => new Uint16Array(after.length + 1));
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      lengths[i][j] = before[i] === after[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const stable = new Set<string>();
  for (let i = 0, j = 0; i < before.length && j < after.length;) {
    if (before[i] === after[j]) {
      stable.add(before[i]);
      i++;
      j++;
    } else if (lengths[i + 1][j] >= lengths[i][j + 1]) i++;
    else j++;
  }
  return stable;
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

function describeChanges(changes: readonly FieldChange[]): string {
  return changes.map(({ field, before, after }) => `${field} ${show(before)} → ${show(after)}`).join('; ');
}

/**
 * The comparable parts of a stored document. Drafts are stored before they are valid, so a diff
 * must not trip over a rule without an id or a missing list: such parts are left out.
 */
function comparableParts(document: unknown): RulesetDocument {
  const record = isPlainObject(document) ? document : {};
  const rules = Array.isArray(record.rules) ? record.rules.filter((rule): rule is RuleDefinition => isPlainObject(rule) && typeof rule.id === 'string') : [];
  const queues = Array.isArray(record.queues)
    ? record.queues.filter((queue): queue is QueueDefinition => isPlainObject(queue) && typeof queue.name === 'string')
    : [];
  const fallback = (isPlainObject(record.fallback) ? record.fallback : {}) as unknown as RuleAction;
  const description = typeof record.description === 'string' ? record.description : undefined;
  return { description, rules: rules.map((rule) => ({ ...rule, then: (isPlainObject(rule.then) ? rule.then : {}) as RuleAction })), queues, fallback };
}

/** What changed between two versions of a ruleset, rule by rule and queue by queue. */
export function diffRulesets(before: RulesetDocument, after: RulesetDocument): RulesetDiff;
/** Stored documents that may not be valid (drafts): malformed rules and queues are left out. */
export function diffRulesets(before: unknown, after: unknown): RulesetDiff;
export function diffRulesets(beforeDocument: unknown, afterDocument: unknown): RulesetDiff {
  const before = comparableParts(beforeDocument);
  const after = comparableParts(afterDocument);
  const beforeRules = new Map(before.rules.map((rule, index) => [rule.id, { rule, index }]));
  const afterRules = new Map(after.rules.map((rule, index) => [rule.id, { rule, index }]));
  const rulesAdded = after.rules.flatMap((rule, index) => (beforeRules.has(rule.id) ? [] : [{ id: rule.id, index, rule }]));
  const rulesRemoved = before.rules.flatMap((rule, index) => (afterRules.has(rule.id) ? [] : [{ id: rule.id, index, rule }]));
  const rulesChanged: RuleChange[] = [];
  for (const rule of after.rules) {
    const previous = beforeRules.get(rule.id);
    if (!previous) continue;
    const changes = fieldChanges(normalisedRule(previous.rule), normalisedRule(rule)).filter(({ field }) => field !== 'id');
    if (changes.length > 0) rulesChanged.push({ id: rule.id, changes });
  }
  const keptBefore = before.rules.map((rule) => rule.id).filter((id) => afterRules.has(id));
  const keptAfter = after.rules.map((rule) => rule.id).filter((id) => beforeRules.has(id));
  const stable = stableIds(keptBefore, keptAfter);
  const rulesMoved = keptAfter.filter((id) => !stable.has(id)).map((id) => ({ id, fromIndex: beforeRules.get(id)!.index, toIndex: afterRules.get(id)!.index }));

  const beforeQueues = new Map(before.queues.map((queue) => [queue.name, queue]));
  const afterQueues = new Map(after.queues.map((queue) => [queue.name, queue]));
  const queuesAdded = after.queues.filter((queue) => !beforeQueues.has(queue.name));
  const queuesRemoved = before.queues.filter((queue) => !afterQueues.has(queue.name));
  const queuesChanged: QueueChange[] = [];
  for (const queue of after.queues) {
    const previous = beforeQueues.get(queue.name);
    if (!previous) continue;
    const changes = fieldChanges(normalisedQueue(previous), normalisedQueue(queue));
    if (changes.length > 0) queuesChanged.push({ name: queue.name, changes });
  }
  const fallbackChanges = fieldChanges(normalisedAction(before.fallback), normalisedAction(after.fallback));
  const descriptionChanged = (before.description ?? '') !== (after.description ?? '');

  const summary: string[] = [];
  if (descriptionChanged) summary.push('description changed');
  for (const queue of queuesAdded) summary.push(`queue ${queue.name} added`);
  for (const queue of queuesRemoved) summary.push(`queue ${queue.name} removed`);
  for (const { name, changes } of queuesChanged) summary.push(`queue ${name}: ${describeChanges(changes)}`);
  for (const { id, index } of rulesAdded) summary.push(`rule ${id} added at position ${index + 1}`);
  for (const { id } of rulesRemoved) summary.push(`rule ${id} removed`);
  for (const { id, changes } of rulesChanged) summary.push(`rule ${id}: ${describeChanges(changes)}`);
  for (const { id, fromIndex, toIndex } of rulesMoved) summary.push(`rule ${id} moved from position ${fromIndex + 1} to ${toIndex + 1}`);
  if (fallbackChanges.length > 0) summary.push(`fallback: ${describeChanges(fallbackChanges)}`);
  if (summary.length === 0) summary.push('no changes');

  return { rulesAdded, rulesRemoved, rulesChanged, rulesMoved, queuesAdded, queuesRemoved, queuesChanged, fallbackChanges, descriptionChanged, summary };
}

/** A diff in numbers: what an audit entry keeps of a change (the documents are in the versions). */
export interface RulesetDiffStats {
  rulesAdded: number;
  rulesRemoved: number;
  rulesChanged: number;
  rulesMoved: number;
  queuesAdded: number;
  queuesRemoved: number;
  queuesChanged: number;
  fallbackChanged: boolean;
  descriptionChanged: boolean;
}

export function diffStats(diff: RulesetDiff): RulesetDiffStats {
  return {
    rulesAdded: diff.rulesAdded.length,
    rulesRemoved: diff.rulesRemoved.length,
    rulesChanged: diff.rulesChanged.length,
    rulesMoved: diff.rulesMoved.length,
    queuesAdded: diff.queuesAdded.length,
    queuesRemoved: diff.queuesRemoved.length,
    queuesChanged: diff.queuesChanged.length,
    fallbackChanged: diff.fallbackChanges.length > 0,
    descriptionChanged: diff.descriptionChanged,
  };
}
