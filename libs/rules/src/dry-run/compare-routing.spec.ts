import { DefaultRoutingPolicy, RoutingInput } from '@conmutador/routing';
import { compileRuleset } from '../compiled-ruleset';
import { RulesetDocument } from '../ruleset-document';
import { compareRouting, DryRunInteraction } from './compare-routing';

const published: RulesetDocument = {
  queues: [{ name: 'banking' }, { name: 'health' }, { name: 'triage' }, { name: 'after_hours' }],
  rules: [
    { id: 'banking', when: 'sector == "banking"', then: { queue: 'banking', priority: 100 } },
    { id: 'health', when: 'sector == "health"', then: { queue: 'health', priority: 100 } },
  ],
  fallback: { queue: 'triage', priority: 10 },
};
const draft: RulesetDocument = {
  ...published,
  rules: [
    { id: 'banking-night', when: 'sector == "banking" and hour >= 19', then: { queue: 'after_hours', priority: 50 } },
    { id: 'banking', when: 'sector == "banking"', then: { queue: 'banking', priority: 120 } },
    { id: 'health', when: 'sector == "health"', then: { queue: 'health', priority: 100 } },
  ],
};

const input = (sector: string, bogotaTime: string): RoutingInput => ({
  sector,
  intent: 'other',
  emergency: false,
  confidence: 0.9,
  channel: 'voice',
  tenant: 'demo',
  at: new Date(`2026-04-14T${bogotaTime}:00-05:00`),
});

describe('compareRouting', () => {
  const interactions: DryRunInteraction[] = [
    ...Array.from({ length: 7 }, (_, i) => ({ id: `night-${i}`, input: input('banking', '20:00') })),
    ...Array.from({ length: 3 }, (_, i) => ({ id: `day-${i}`, input: input('banking', '10:00') })),
    { id: 'health-1', input: input('health', '20:00') },
    { id: 'telecom-1', input: input('telecom', '10:00') },
  ];
  const report = compareRouting(compileRuleset(published, 4), compileRuleset(draft, 5), interactions);

  it('counts each queue before and after', () => {
    expect(report).toMatchObject({ beforeVersion: 4, afterVersion: 5, interactions: 12, moved: 7 });
    expect(report.queues).toEqual([
      { queue: 'after_hours', before: 0, after: 7, delta: 7 },
      { queue: 'banking', before: 10, after: 3, delta: -7 },
      { queue: 'health', before: 1, after: 1, delta: 0 },
      { queue: 'triage', before: 1, after: 1, delta: 0 },
    ]);
  });

  it('lists moves with counts and at most five example ids', () => {
    expect(report.moves).toEqual([
      { fromQueue: 'banking', toQueue: 'after_hours', count: 7, exampleIds: ['night-0', 'night-1', 'night-2', 'night-3', 'night-4'] },
    ]);
  });

  it('counts priority changes, in place and overall', () => {
    expect(report.priorityChanged).toBe(10); // 7 moved at 50, 3 stayed at 120
    expect(report.priorityChangedInPlace).toBe(3);
  });

  it('counts matches per rule in both versions', () => {
    expect(report.ruleMatches).toEqual([
      { ruleId: 'banking', before: 10, after: 3 },
      { ruleId: 'banking-night', before: 0, after: 7 },
      { ruleId: 'fallback', before: 1, after: 1 },
      { ruleId: 'health', before: 1, after: 1 },
    ]);
  });

  it('compares a draft with the built-in policy in force before any publication', () => {
    const first = compareRouting(new DefaultRoutingPolicy(), compileRuleset(draft, 1), [{ id: 'a', input: input('telecom', '10:00') }]);
    expect(first.moves).toEqual([{ fromQueue: 'telecom', toQueue: 'triage', count: 1, exampleIds: ['a'] }]);
    expect(first.beforeVersion).toBe(0);
  });

  it('reports nothing moved for identical rulesets', () => {
    const same = compareRouting(compileRuleset(published, 1), compileRuleset(published, 2), interactions);
    expect(same).toMatchObject({ moved: 0, priorityChanged: 0, moves: [] });
  });
});
