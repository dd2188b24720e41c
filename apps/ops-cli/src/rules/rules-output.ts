import { formatRulesetIssue, RulesetDiff, RulesetIssue } from '@conmutador/rules';
import { DryRunAnswer } from './ops-api.client';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

/** Left column padded to the widest entry, numbers right-aligned: readable in a CI log. */
function table(header: string[], rows: (string | number)[][]): string[] {
  const all = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  return all.map((row) => `  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`.trimEnd());
}

export function formatIssues(file: string, issues: readonly RulesetIssue[]): string {
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  const warnings = issues.length - errors;
  const verdict = errors > 0 ? `${plural(errors, 'error')}, ${plural(warnings, 'warning')}` : `valid${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}`;
  return [`${file}: ${verdict}`, ...issues.map((issue) => `  ${formatRulesetIssue(issue)}`)].join('\n');
}

export function formatDiff(file: string, against: string, diff: RulesetDiff): string {
  return [`${file} compared with ${against}:`, ...diff.summary.map((line) => `  ${line}`)].join('\n');
}

export function formatDryRun(file: string, answer: DryRunAnswer): string {
  const { source, report } = answer;
  const lines = [`dry run of ${file} (saved as draft version ${answer.draftVersion}) against published version ${answer.publishedVersion}`];
  if (source.kind === 'replay') {
    lines.push(
      `replayed ${source.replayHours} h of ${source.topic} since ${source.since}: ${plural(source.recordsRead ?? 0, 'record')}, ` +
        `${plural(source.interactions, 'arrival')} routed (${source.otherEvents} other events, ${source.invalidRecords} invalid, ` +
        `${source.duplicateArrivals} duplicate arrivals left out)`,
    );
  }
  lines.push(`${plural(report.interactions, 'interaction')}: ${report.moved} would change queue, ${report.priorityChangedInPlace} would change priority only`);
  if (report.moves.length > 0) {
    lines.push('moves:', ...report.moves.map((move) => `  ${move.fromQueue} → ${move.toQueue}: ${move.count} (e.g. ${move.exampleIds.join(', ')})`));
  }
  lines.push(
    'queues:',
    ...table(
      ['queue', 'before', 'after', 'delta'],
      report.queues.map((queue) => [queue.queue, queue.before, queue.after, signed(queue.delta)]),
    ),
  );
  lines.push(
    'rules:',
    ...table(
      ['rule', 'before', 'after'],
      report.ruleMatches.map((rule) => [rule.ruleId, rule.before, rule.after]),
    ),
  );
  return lines.join('\n');
}
