import { RulesetIssue } from '../ruleset-issue';

const RULE_PATH = /^rules\[(\d+)\]/;

/** Gathers issues and names the rule of every issue whose path lies inside one. */
export class IssueCollector {
  readonly issues: RulesetIssue[] = [];

  constructor(private readonly rules: readonly unknown[]) {}

  error(path: string, message: string): void {
    this.add({ path, message, severity: 'error' });
  }

  warn(path: string, message: string): void {
    this.add({ path, message, severity: 'warning' });
  }

  add(issue: RulesetIssue): void {
    const index = RULE_PATH.exec(issue.path)?.[1];
    const rule = index === undefined ? undefined : this.rules[Number(index)];
    const id = isRecord(rule) && typeof rule.id === 'string' ? rule.id : undefined;
    this.issues.push(id === undefined ? issue : { ...issue, ruleId: id });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function ruleLabel(index: number, rule: unknown): string {
  return isRecord(rule) && typeof rule.id === 'string' ? `rules[${index}] ("${rule.id}")` : `rules[${index}]`;
}
