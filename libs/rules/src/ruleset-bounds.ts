import { isRecord } from './validation/issue-collector';

/**
 * Limits on the size of a ruleset, checked before anything else: validation and compilation cost
 * grows with the rules (each is compared with those before it), and every document is kept.
 */
export interface RulesetBounds {
  maxRules: number;
  maxQueues: number;
  /** Per action: a rule's `then`, or the fallback. */
  maxEscalationSteps: number;
  /** Characters of one rule's `when`. */
  maxConditionLength: number;
}

export type RulesetBound = keyof RulesetBounds;

export interface RulesetBoundViolation {
  bound: RulesetBound;
  /** Where in the document: `rules`, `queues`, `rules[3].then.escalations`, `fallback.escalations`, `rules[0].when`. */
  path: string;
  actual: number;
  limit: number;
}

const UNITS: Record<RulesetBound, string> = {
  maxRules: 'rules',
  maxQueues: 'queues',
  maxEscalationSteps: 'escalation steps',
  maxConditionLength: 'characters',
};

/**
 * Only counts: parts that are missing or of the wrong type are left to validation. Cheap on any
 * document, so it can run before the validator on whatever a request brings.
 */
export function checkRulesetBounds(document: unknown, bounds: RulesetBounds): RulesetBoundViolation[] {
  if (!isRecord(document)) return [];
  const violations: RulesetBoundViolation[] = [];
  const check = (bound: RulesetBound, path: string, actual: number) => {
    if (actual > bounds[bound]) violations.push({ bound, path, actual, limit: bounds[bound] });
  };
  const rules = Array.isArray(document.rules) ? document.rules : [];
  if (Array.isArray(document.queues)) check('maxQueues', 'queues', document.queues.length);
  check('maxRules', 'rules', rules.length);
  const checkEscalations = (action: unknown, path: string) => {
    if (isRecord(action) && Array.isArray(action.escalations)) check('maxEscalationSteps', `${path}.escalations`, action.escalations.length);
  };
  rules.forEach((rule, index) => {
    if (!isRecord(rule)) return;
    if (typeof rule.when === 'string') check('maxConditionLength', `rules[${index}].when`, rule.when.length);
    checkEscalations(rule.then, `rules[${index}].then`);
  });
  checkEscalations(document.fallback, 'fallback');
  return violations;
}

/** `ruleset has 5,001 queues; the bound OPS_API_MAX_QUEUES is 5,000`, naming the setting the operator can change. */
export function describeBoundViolation({ bound, path, actual, limit }: RulesetBoundViolation, setting: string): string {
  const subject = path === 'rules' || path === 'queues' ? 'ruleset' : path;
  return `${subject} has ${actual.toLocaleString('en-US')} ${UNITS[bound]}; the bound ${setting} is ${limit.toLocaleString('en-US')}`;
}
