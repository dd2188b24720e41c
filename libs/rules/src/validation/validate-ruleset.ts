import { analyseCondition, ConditionAnalysis } from '../expression/analyse-condition';
import { FALLBACK_RULE_ID, RulesetDocument } from '../ruleset-document';
import { RulesetIssue } from '../ruleset-issue';
import { checkAction } from './action-checks';
import { IssueCollector, isRecord, ruleLabel } from './issue-collector';
import { checkQueues, checkUnusedQueues } from './queue-checks';
import { checkReachability, ReachabilitySubject } from './reachability-checks';
import { checkStructure } from './structure-checks';

export interface RulesetInspection {
  issues: RulesetIssue[];
  /** Per rule (document order), the analysis of its condition when it is a string. */
  conditions: (ConditionAnalysis | undefined)[];
}

const SEVERITY_ORDER = { error: 0, warning: 1 } as const;

/**
 * Structure (class-validator) then meaning. Semantic checks run even when the structure has
 * errors, on whatever parts are well-formed, so that one save reports as much as possible.
 */
export function inspectRuleset(document: unknown): RulesetInspection {
  const rules = isRecord(document) && Array.isArray(document.rules) ? document.rules : [];
  const queues = isRecord(document) && Array.isArray(document.queues) ? document.queues : [];
  const issues = new IssueCollector(rules);
  checkStructure(document, issues);
  if (!isRecord(document)) return { issues: issues.issues, conditions: [] };

  const queueTable = checkQueues(queues, issues);
  const referenced = new Set<string>();
  queues.forEach((queue) => isRecord(queue) && typeof queue.overflowTo === 'string' && referenced.add(queue.overflowTo));

  const firstIdAt = new Map<string, number>();
  const conditions: (ConditionAnalysis | undefined)[] = [];
  const subjects: ReachabilitySubject[] = [];
  rules.forEach((rule, index) => {
    if (!isRecord(rule)) {
      conditions.push(undefined);
      return;
    }
    if (typeof rule.id === 'string') {
      const first = firstIdAt.get(rule.id);
      if (rule.id === FALLBACK_RULE_ID) issues.error(`rules[${index}].id`, `"${FALLBACK_RULE_ID}" is reserved for the fallback action`);
      else if (first !== undefined) issues.error(`rules[${index}].id`, `rule id "${rule.id}" is already used by ${ruleLabel(first, rules[first])}`);
      else firstIdAt.set(rule.id, index);
    }
    const analysis = typeof rule.when === 'string' && rule.when !== '' ? analyseCondition(rule.when) : undefined;
    conditions.push(analysis);
    for (const problem of analysis?.problems ?? []) issues.add({ path: `rules[${index}].when`, message: problem.message, severity: problem.severity });
    checkAction(rule.then, `rules[${index}].then`, queueTable, issues).forEach((queue) => referenced.add(queue));
    subjects.push({ index, rule, enabled: rule.enabled !== false, analysis });
  });

  checkAction(document.fallback, 'fallback', queueTable, issues).forEach((queue) => referenced.add(queue));
  const { alwaysTrueRule } = checkReachability(subjects, issues);
  if (alwaysTrueRule) issues.warn('fallback', `never used: ${ruleLabel(alwaysTrueRule.index, alwaysTrueRule.rule)} matches every interaction`);
  checkUnusedQueues(queues, referenced, issues);

  const ordered = issues.issues
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => SEVERITY_ORDER[a.issue.severity] - SEVERITY_ORDER[b.issue.severity] || a.order - b.order)
    .map(({ issue }) => issue);
  return { issues: ordered, conditions };
}

/** Every error and warning of a ruleset document; it is valid when none is an error. */
export function validateRuleset(document: unknown): RulesetIssue[] {
  return inspectRuleset(document).issues;
}

export function hasErrors(issues: readonly RulesetIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}

/** Narrowing for callers that validated first. */
export function isValidRulesetDocument(document: unknown): document is RulesetDocument {
  return !hasErrors(validateRuleset(document));
}
