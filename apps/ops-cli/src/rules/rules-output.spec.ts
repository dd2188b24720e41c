import { formatDryRun, formatIssues } from './rules-output';
import { sameDocument } from './ruleset-file';

describe('rules CLI output', () => {
  it('lists every issue with its place and rule, errors counted first', () => {
    const text = formatIssues('rules/prod.json', [
      { path: 'rules[0].when', ruleId: 'oxygen', message: 'unknown fact "secotr"', severity: 'error' },
      { path: 'queues[3]', message: 'queue "spare" is never used', severity: 'warning' },
    ]);
    expect(text.split('\n')).toEqual([
      'rules/prod.json: 1 error, 1 warning',
      '  error at rules[0].when (rule "oxygen"): unknown fact "secotr"',
      '  warning at queues[3]: queue "spare" is never used',
    ]);
    expect(formatIssues('ok.json', [])).toBe('ok.json: valid');
  });

  it('shows a dry run as moves and a per-queue table', () => {
    const text = formatDryRun('rules/prod.json', {
      draftVersion: 9,
      publishedVersion: 8,
      source: {
        kind: 'replay',
        interactions: 10,
        replayHours: 1,
        topic: 'interactions.inbound',
        since: '2026-04-14T14:00:00.000Z',
        recordsRead: 12,
        otherEvents: 1,
        invalidRecords: 1,
        duplicateArrivals: 0,
      },
      report: {
        beforeVersion: 8,
        afterVersion: 9,
        interactions: 10,
        moved: 4,
        priorityChanged: 4,
        priorityChangedInPlace: 0,
        queues: [
          { queue: 'banking', before: 7, after: 3, delta: -4 },
          { queue: 'banking_relief', before: 0, after: 4, delta: 4 },
        ],
        moves: [{ fromQueue: 'banking', toQueue: 'banking_relief', count: 4, exampleIds: ['a', 'b'] }],
        ruleMatches: [{ ruleId: 'banking', before: 7, after: 3 }],
      },
    });
    expect(text).toContain('against published version 8');
    expect(text).toContain('10 interactions: 4 would change queue, 0 would change priority only');
    expect(text).toContain('  banking → banking_relief: 4 (e.g. a, b)');
    expect(text).toContain('  banking_relief       0      4     +4');
    expect(text).toContain('  banking              7      3     -4');
  });

  it('compares documents whatever the order of their keys', () => {
    expect(sameDocument({ a: 1, b: [{ x: 1, y: 2 }] }, { b: [{ y: 2, x: 1 }], a: 1 })).toBe(true);
    expect(sameDocument({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});
