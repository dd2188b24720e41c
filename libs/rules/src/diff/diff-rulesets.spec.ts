import { RulesetDocument } from '../ruleset-document';
import { diffRulesets, diffStats } from './diff-rulesets';

const before: RulesetDocument = {
  description: 'v1',
  queues: [{ name: 'banking', agingPointsPerMinute: 2 }, { name: 'health' }, { name: 'retired' }],
  rules: [
    { id: 'emergency', when: 'emergency', then: { queue: 'health', priority: 900 } },
    { id: 'health', when: 'sector == "health"', then: { queue: 'health', priority: 100 } },
    { id: 'banking', when: 'sector == "banking"', then: { queue: 'banking', priority: 100, requiredSkills: ['banking'] } },
    { id: 'old', when: 'sector == "old"', then: { queue: 'retired', priority: 1 } },
  ],
  fallback: { queue: 'health', priority: 10 },
};

describe('diffRulesets', () => {
  it('reports no change between a document and its copy, nor for defaults made explicit', () => {
    const explicit = structuredClone(before);
    explicit.rules[0].enabled = true;
    explicit.rules[0].then.requiredSkills = [];
    explicit.queues[1].agingPointsPerMinute = 0;
    const diff = diffRulesets(before, explicit);
    expect(diff.summary).toEqual(['no changes']);
    expect([diff.rulesAdded, diff.rulesRemoved, diff.rulesChanged, diff.rulesMoved, diff.queuesChanged, diff.fallbackChanges]).toEqual([
      [],
      [],
      [],
      [],
      [],
      [],
    ]);
  });

  it('reports rules added, removed, changed field by field, and moved', () => {
    const after: RulesetDocument = {
      ...structuredClone(before),
      description: 'v2',
      queues: [{ name: 'banking', agingPointsPerMinute: 4, maxWaiting: 100, overflowTo: 'health' }, { name: 'health' }, { name: 'after_hours' }],
      rules: [
        { id: 'banking', when: 'sector == "banking" and not isHoliday', then: { queue: 'banking', priority: 150, requiredSkills: ['banking'] } },
        { id: 'emergency', when: 'emergency', then: { queue: 'health', priority: 900 } },
        { id: 'health', when: 'sector == "health"', then: { queue: 'health', priority: 100 }, enabled: false },
        { id: 'night', when: 'hour >= 19', then: { queue: 'after_hours', priority: 50 } },
      ],
      fallback: { queue: 'health', priority: 20 },
    };
    const diff = diffRulesets(before, after);
    expect(diff.rulesAdded).toEqual([{ id: 'night', index: 3, rule: after.rules[3] }]);
    expect(diff.rulesRemoved).toEqual([{ id: 'old', index: 3, rule: before.rules[3] }]);
    expect(diff.rulesChanged).toEqual([
      {
        id: 'banking',
        changes: [
          { field: 'when', before: 'sector == "banking"', after: 'sector == "banking" and not isHoliday' },
          { field: 'then.priority', before: 100, after: 150 },
        ],
      },
      { id: 'health', changes: [{ field: 'enabled', before: true, after: false }] },
    ]);
    expect(diff.rulesMoved).toEqual([{ id: 'banking', fromIndex: 2, toIndex: 0 }]);
    expect(diff.queuesAdded).toEqual([{ name: 'after_hours' }]);
    expect(diff.queuesRemoved).toEqual([{ name: 'retired' }]);
    expect(diff.queuesChanged).toEqual([
      {
        name: 'banking',
        changes: [
          { field: 'agingPointsPerMinute', before: 2, after: 4 },
          { field: 'maxWaiting', before: undefined, after: 100 },
          { field: 'overflowTo', before: undefined, after: 'health' },
        ],
      },
    ]);
    expect(diff.fallbackChanges).toEqual([{ field: 'priority', before: 10, after: 20 }]);
    expect(diff.descriptionChanged).toBe(true);
    expect(diff.summary).toEqual([
      'description changed',
      'queue after_hours added',
      'queue retired removed',
      'queue banking: agingPointsPerMinute 2 → 4; maxWaiting (none) → 100; overflowTo (none) → "health"',
      'rule night added at position 4',
      'rule old removed',
      'rule banking: when "sector == \\"banking\\"" → "sector == \\"banking\\" and not isHoliday"; then.priority 100 → 150',
      'rule health: enabled true → false',
      'rule banking moved from position 3 to 1',
      'fallback: priority 10 → 20',
    ]);
    expect(diffStats(diff)).toEqual({
      rulesAdded: 1,
      rulesRemoved: 1,
      rulesChanged: 2,
      rulesMoved: 1,
      queuesAdded: 1,
      queuesRemoved: 1,
      queuesChanged: 1,
      fallbackChanged: true,
      descriptionChanged: true,
    });
  });

  it('compares skills and escalation steps as whole lists', () => {
    const after = structuredClone(before);
    after.rules[2].then.requiredSkills = ['banking', 'banking.vip'];
    after.rules[2].then.escalations = [{ afterSeconds: 60, raisePriorityBy: 10 }];
    expect(diffRulesets(before, after).rulesChanged).toEqual([
      {
        id: 'banking',
        changes: [
          { field: 'then.requiredSkills', before: ['banking'], after: ['banking', 'banking.vip'] },
          { field: 'then.escalations', before: [], after: [{ afterSeconds: 60, raisePriorityBy: 10 }] },
        ],
      },
    ]);
  });

  it('does not trip over a malformed draft', () => {
    const diff = diffRulesets(before, { rules: [{ when: 'no id' }, { id: 'health', when: 'sector == "health"' }], queues: 'none' });
    expect(diff.rulesRemoved.map((rule) => rule.id)).toEqual(['emergency', 'banking', 'old']);
    expect(diff.queuesRemoved.map((queue) => queue.name)).toEqual(['banking', 'health', 'retired']);
    expect(diff.rulesChanged.map((rule) => rule.id)).toEqual(['health']);
  });

  it('reports a queue moved to another routing domain, and not a default made explicit', () => {
    const explicit = { ...before, queues: before.queues.map((queue) => ({ ...queue, domain: 'default' })) };
    expect(diffRulesets(before, explicit).queuesChanged).toEqual([]);
    const moved = { ...before, queues: before.queues.map((queue) => (queue.name === 'health' ? { ...queue, domain: 'eps-norte' } : queue)) };
    expect(diffRulesets(before, moved).queuesChanged).toEqual([
      expect.objectContaining({ name: 'health', changes: [{ field: 'domain', before: 'default', after: 'eps-norte' }] }),
    ]);
  });
});
