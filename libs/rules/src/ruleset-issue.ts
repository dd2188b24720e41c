/** One finding about a ruleset: where (`rules[3].when`), which rule, and what is wrong. */
export interface RulesetIssue {
  path: string;
  ruleId?: string;
  message: string;
  severity: 'error' | 'warning';
}

export function formatRulesetIssue(issue: RulesetIssue): string {
  const rule = issue.ruleId !== undefined ? ` (rule "${issue.ruleId}")` : '';
  return `${issue.severity} at ${issue.path}${rule}: ${issue.message}`;
}

export class RulesetValidationError extends Error {
  readonly errors: readonly RulesetIssue[];

  constructor(readonly issues: readonly RulesetIssue[]) {
    const errors = issues.filter((issue) => issue.severity === 'error');
    super(`the ruleset has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map((issue) => `  ${formatRulesetIssue(issue)}`).join('\n')}`);
    this.name = 'RulesetValidationError';
    this.errors = errors;
  }
}
