import { checkRulesetBounds, describeBoundViolation, RulesetBounds } from './ruleset-bounds';

const bounds: RulesetBounds = { maxRules: 3, maxQueues: 2, maxEscalationSteps: 2, maxConditionLength: 20 };
const step = (afterSeconds: number) => ({ afterSeconds, raisePriorityBy: 1 });

describe('checkRulesetBounds', () => {
  it('accepts a document at every bound', () => {
    const document = {
      queues: [{ name: 'a' }, { name: 'b' }],
      rules: [
        { id: 'r1', when: 'x'.repeat(20), then: { queue: 'a', priority: 1, escalations: [step(1), step(2)] } },
        { id: 'r2', when: 'true', then: { queue: 'a', priority: 1 } },
        { id: 'r3', when: 'true', then: { queue: 'b', priority: 1 } },
      ],
      fallback: { queue: 'a', priority: 1, escalations: [step(1), step(2)] },
    };
    expect(checkRulesetBounds(document, bounds)).toEqual([]);
  });

  it('names every bound exceeded, where, by how much', () => {
    const document = {
      queues: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      rules: [
        { id: 'r1', when: 'x'.repeat(21), then: { queue: 'a', priority: 1, escalations: [step(1), step(2), step(3)] } },
        { id: 'r2', when: 'true', then: { queue: 'a', priority: 1 } },
        { id: 'r3', when: 'true', then: { queue: 'b', priority: 1 } },
        'not a rule',
      ],
      fallback: { queue: 'a', priority: 1, escalations: [step(1), step(2), step(3), step(4)] },
    };
    expect(checkRulesetBounds(document, bounds)).toEqual([
      { bound: 'maxQueues', path: 'queues', actual: 3, limit: 2 },
      { bound: 'maxRules', path: 'rules', actual: 4, limit: 3 },
      { bound: 'maxConditionLength', path: 'rules[0].when', actual: 21, limit: 20 },
      { bound: 'maxEscalationSteps', path: 'rules[0].then.escalations', actual: 3, limit: 2 },
      { bound: 'maxEscalationSteps', path: 'fallback.escalations', actual: 4, limit: 2 },
    ]);
  });

  it('leaves malformed parts to validation', () => {
    expect(checkRulesetBounds('rules', bounds)).toEqual([]);
    expect(checkRulesetBounds({ queues: 'many', rules: [{ when: 7, then: { escalations: 'soon' } }], fallback: null }, bounds)).toEqual([]);
  });

  it('describes a violation with the setting that raises the bound', () => {
    expect(describeBoundViolation({ bound: 'maxQueues', path: 'queues', actual: 5_001, limit: 5_000 }, 'OPS_API_MAX_QUEUES')).toBe(
      'ruleset has 5,001 queues; the bound OPS_API_MAX_QUEUES is 5,000',
    );
    expect(
      describeBoundViolation({ bound: 'maxEscalationSteps', path: 'rules[2].then.escalations', actual: 21, limit: 20 }, 'OPS_API_MAX_ESCALATION_STEPS'),
    ).toBe('rules[2].then.escalations has 21 escalation steps; the bound OPS_API_MAX_ESCALATION_STEPS is 20');
  });
});
