import fc from 'fast-check';
import { msPerPriorityPoint, PRIORITY_SCORE_STRIDE, RoutingInput } from '@conmutador/routing';
import { CompiledRuleset, compileRuleset } from './compiled-ruleset';
import { analyseCondition } from './expression/analyse-condition';
import { compileCondition } from './expression/compile-condition';
import { RuleDefinition, RulesetDocument } from './ruleset-document';
import { RulesetValidationError } from './ruleset-issue';

const base: RoutingInput = {
  sector: 'banking',
  intent: 'refinancing',
  emergency: false,
  confidence: 0.9,
  channel: 'voice',
  tenant: 'banco-uno',
  at: new Date('2026-04-14T10:00:00-05:00'), // a Tuesday
};

function document(rules: Omit<RuleDefinition, 'then'>[] & { then?: RuleDefinition['then'] }[]): RulesetDocument {
  return {
    queues: [{ name: 'matched', agingPointsPerMinute: 2 }, { name: 'other' }, { name: 'fallback_queue', agingPointsPerMinute: 4 }],
    rules: rules.map((rule) => ({ then: { queue: 'matched', priority: 100 }, ...rule }) as RuleDefinition),
    fallback: { queue: 'fallback_queue', priority: 10, requiredSkills: ['triage'] },
  };
}

function matchingRule(rules: Parameters<typeof document>[0], input: Partial<RoutingInput>): string {
  return compileRuleset(document(rules), 1).decide({ ...base, ...input }).ruleId;
}

describe('compileRuleset', () => {
  it('decides with the first enabled rule that matches, in document order', () => {
    const ruleset = compileRuleset(
      document([
        { id: 'health', when: 'sector == "health"' },
        { id: 'banking-off', when: 'sector == "banking"', enabled: false },
        {
          id: 'banking-refinancing',
          when: 'sector == "banking" and intent == "refinancing"',
          then: { queue: 'other', priority: 300, requiredSkills: ['banking.refinancing'], escalations: [{ afterSeconds: 60, raisePriorityBy: 50 }] },
        },
        { id: 'banking', when: 'sector == "banking"' },
      ]),
      7,
    );
    expect(ruleset.decide(base)).toEqual({
      queue: 'other',
      priority: 300,
      requiredSkills: ['banking.refinancing'],
      ruleId: 'banking-refinancing',
      rulesetVersion: 7,
      escalations: [{ afterSeconds: 60, raisePriorityBy: 50 }],
      msPerPriorityPoint: PRIORITY_SCORE_STRIDE,
    });
    expect(ruleset.decide({ ...base, intent: 'other' }).ruleId).toBe('banking');
    expect(ruleset.decide({ ...base, sector: 'health' })).toMatchObject({
      ruleId: 'health',
      queue: 'matched',
      msPerPriorityPoint: msPerPriorityPoint(2),
      requiredSkills: [],
      escalations: [],
    });
  });

  it('falls back when no rule matches, with ruleId "fallback"', () => {
    const ruleset = compileRuleset(document([{ id: 'health', when: 'sector == "health"' }]), 3);
    expect(ruleset.decide({ ...base, sector: 'telecom' })).toEqual({
      queue: 'fallback_queue',
      priority: 10,
      requiredSkills: ['triage'],
      ruleId: 'fallback',
      rulesetVersion: 3,
      escalations: [],
      msPerPriorityPoint: 15_000,
    });
  });

  it('reads the clock in Bogotá: hours, minutes and times of day', () => {
    const rules = [{ id: 'open', when: 'between(time, "07:00", "19:00")' }];
    expect(matchingRule(rules, { at: new Date('2026-04-14T18:59:00-05:00') })).toBe('open');
    expect(matchingRule(rules, { at: new Date('2026-04-14T19:00:00-05:00') })).toBe('fallback');
    expect(matchingRule(rules, { at: new Date('2026-04-14T12:00:00Z') })).toBe('open'); // 07:00 in Bogotá
    expect(matchingRule(rules, { at: new Date('2026-04-14T11:59:00Z') })).toBe('fallback');
    const night = [{ id: 'night', when: 'between(time, "19:00", "07:00") and hour != 3 and minute == 30' }];
    expect(matchingRule(night, { at: new Date('2026-04-14T23:30:00-05:00') })).toBe('night');
    expect(matchingRule(night, { at: new Date('2026-04-15T06:30:00-05:00') })).toBe('night');
    expect(matchingRule(night, { at: new Date('2026-04-15T03:30:00-05:00') })).toBe('fallback');
    expect(matchingRule(night, { at: new Date('2026-04-15T12:30:00-05:00') })).toBe('fallback');
  });

  it('reads weekdays, dates and Colombian holidays in Bogotá, not in UTC', () => {
    const rules = [
      { id: 'holiday', when: 'isHoliday' },
      { id: 'sunday', when: 'weekday == "sun" and isoWeekday == 7' },
      { id: 'christmas-eve', when: 'date == "2026-12-24"' },
    ];
    expect(matchingRule(rules, { at: new Date('2026-01-12T15:00:00-05:00') })).toBe('holiday'); // Reyes Magos, moved to Monday
    expect(matchingRule(rules, { at: new Date('2026-01-13T03:00:00Z') })).toBe('holiday'); // still Monday 22:00 in Bogotá
    expect(matchingRule(rules, { at: new Date('2026-01-13T05:00:00Z') })).toBe('fallback'); // Tuesday 00:00 in Bogotá
    expect(matchingRule(rules, { at: new Date('2026-01-06T15:00:00-05:00') })).toBe('fallback'); // the nominal date is not the holiday
    expect(matchingRule(rules, { at: new Date('2026-04-13T02:00:00Z') })).toBe('sunday'); // Sunday 21:00 in Bogotá, Monday in UTC
    expect(matchingRule(rules, { at: new Date('2026-12-25T04:00:00Z') })).toBe('christmas-eve'); // 23:00 on the 24th in Bogotá
  });

  it('reads attributes, with absent ones as empty text', () => {
    const rules = [
      { id: 'gold', when: 'attr.plan == "gold"' },
      { id: 'high-score', when: 'attr.score > 700' },
      { id: 'dashed', when: '\'attr.policy-type\' == "auto"' },
      { id: 'no-plan', when: 'empty(attr.plan)' },
    ];
    expect(matchingRule(rules, { attributes: { plan: 'gold' } })).toBe('gold');
    expect(matchingRule(rules, { attributes: { plan: 'silver', score: 800 } })).toBe('high-score');
    expect(matchingRule(rules, { attributes: { plan: 'silver', 'policy-type': 'auto' } })).toBe('dashed');
    expect(matchingRule(rules, {})).toBe('no-plan');
    // A text score cannot be compared with a number: that rule does not match, the next ones still run.
    expect(matchingRule(rules, { attributes: { score: 'high' } })).toBe('no-plan');
  });

  it('reads segment and region as empty text when unknown', () => {
    const rules = [
      { id: 'vip', when: 'segment == "vip"' },
      { id: 'not-vip', when: 'segment not in ("vip", "corporate") and region == ""' },
    ];
    expect(matchingRule(rules, { customerSegment: 'vip' })).toBe('vip');
    expect(matchingRule(rules, {})).toBe('not-vip');
    expect(matchingRule(rules, { customerRegion: 'bogota' })).toBe('fallback');
  });

  it('refuses an invalid document with every error, naming rule and field', () => {
    let error: unknown;
    try {
      compileRuleset(
        document([
          { id: 'typo', when: 'sectr == "banking"' },
          { id: 'bad-queue', when: 'emergency', then: { queue: 'nowhere', priority: 1 } },
        ]),
        1,
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RulesetValidationError);
    const { errors, message } = error as RulesetValidationError;
    expect(errors.map((issue) => [issue.path, issue.ruleId])).toEqual([
      ['rules[0].when', 'typo'],
      ['rules[1].then.queue', 'bad-queue'],
    ]);
    expect(message).toContain('error at rules[0].when (rule "typo"): unknown fact "sectr"');
  });

  it('refuses a version that is not a non-negative integer', () => {
    expect(() => compileRuleset(document([]), -1)).toThrow(RangeError);
    expect(() => compileRuleset(document([]), 1.5)).toThrow(RangeError);
  });

  it('keeps warnings, and a frozen copy of the document the caller cannot change afterwards', () => {
    const source = document([{ id: 'telecom', when: 'sector == "telecom"' }]);
    const ruleset = compileRuleset(source, 1);
    source.rules[0].then.queue = 'other';
    expect(ruleset.decide({ ...base, sector: 'telecom' }).queue).toBe('matched');
    expect(Object.isFrozen(ruleset.document.rules[0].then)).toBe(true);
    expect(ruleset.warnings.map((issue) => issue.path)).toContain('rules[0].when');
  });

  it('hands out decisions the caller may change without affecting later ones', () => {
    const ruleset = compileRuleset(
      document([
        { id: 'all', when: 'true', then: { queue: 'matched', priority: 1, requiredSkills: ['a'], escalations: [{ afterSeconds: 5, addSkills: ['b'] }] } },
      ]),
      1,
    );
    const first = ruleset.decide(base);
    first.requiredSkills.push('mutated');
    first.escalations.pop();
    expect(ruleset.decide(base)).toMatchObject({ requiredSkills: ['a'], escalations: [{ afterSeconds: 5, addSkills: ['b'] }] });
  });

  it('exposes queues, their ordering and their overflow', () => {
    const ruleset = compileRuleset(
      {
        queues: [
          { name: 'bogota', agingPointsPerMinute: 2, site: 'bogota', maxWaiting: 300, overflowTo: 'medellin' },
          { name: 'medellin', agingPointsPerMinute: 3, site: 'medellin' },
        ],
        rules: [],
        fallback: { queue: 'bogota', priority: 100 },
      },
      1,
    );
    expect(ruleset.queues.map((queue) => queue.name)).toEqual(['bogota', 'medellin']);
    expect(ruleset.hasQueue('medellin')).toBe(true);
    expect(ruleset.hasQueue('monteria')).toBe(false);
    expect(ruleset.msPerPriorityPoint('bogota')).toBe(30_000);
    expect(ruleset.msPerPriorityPoint('unknown')).toBe(PRIORITY_SCORE_STRIDE);
    expect(ruleset.overflowFor('bogota')).toEqual({ queue: 'medellin', maxWaiting: 300, msPerPriorityPoint: 20_000 });
    expect(ruleset.overflowFor('medellin')).toBeUndefined();
    expect([...ruleset.overflows().keys()]).toEqual(['bogota']);
  });
});

describe('routing domains', () => {
  it('knows each queue\'s domain, "default" when it names none, and lists the domains', () => {
    const ruleset = compileRuleset(
      {
        queues: [{ name: 'caja', domain: 'caja-andina' }, { name: 'banco', domain: 'banco-uno' }, { name: 'general' }],
        rules: [{ id: 'caja', when: 'sector == "compensation_funds"', then: { queue: 'caja', priority: 1 } }],
        fallback: { queue: 'general', priority: 1 },
      },
      1,
    );
    expect(ruleset.domainOf('caja')).toBe('caja-andina');
    expect(ruleset.domainOf('general')).toBe('default');
    expect(ruleset.domains()).toEqual(['banco-uno', 'caja-andina', 'default']);
  });
});

describe('rule candidate index', () => {
  const sectors = ['banking', 'health', 'oxygen'];
  const tenants = ['t1', 't2'];
  const atom = fc.oneof(
    fc.constantFrom(...sectors).map((sector) => `sector == "${sector}"`),
    fc.subarray(sectors, { minLength: 1 }).map((values) => `sector in (${values.map((v) => `"${v}"`).join(', ')})`),
    fc.constantFrom(...sectors).map((sector) => `sector != "${sector}"`),
    fc.constantFrom(...tenants).map((tenant) => `tenant == "${tenant}"`),
    fc.constantFrom('voice', 'chat').map((channel) => `channel == "${channel}"`),
    fc.constantFrom('emergency', 'not emergency', 'isHoliday', 'hour >= 12', 'segment == "vip"', 'attr.plan == "gold"', 'confidence > 0.5'),
  );
  const condition = fc.array(fc.array(atom, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }).map((branches) =>
    branches
      .map((atoms) => atoms.join(' and '))
      .map((branch) => `(${branch})`)
      .join(' or '),
  );
  const rules = fc.array(fc.record({ when: condition, enabled: fc.boolean() }), { minLength: 1, maxLength: 60 });
  const input = fc.record({
    sector: fc.constantFrom(...sectors, 'telecom'),
    intent: fc.constant('other'),
    emergency: fc.boolean(),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    channel: fc.constantFrom('voice', 'chat', 'email'),
    tenant: fc.constantFrom(...tenants, 't3'),
    customerSegment: fc.option(fc.constantFrom('vip', 'standard'), { nil: undefined }),
    attributes: fc.option(fc.record({ plan: fc.constantFrom('gold', 'silver') }), { nil: undefined }),
    at: fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }),
  });

  it('picks exactly the rule a plain first-match scan picks', () => {
    let matched = 0;
    let decided = 0;
    fc.assert(
      fc.property(rules, fc.array(input, { minLength: 1, maxLength: 20 }), (ruleList, inputs) => {
        const definitions: RuleDefinition[] = ruleList.map((rule, index) => ({
          id: `r${index}`,
          when: rule.when,
          enabled: rule.enabled,
          then: { queue: 'q', priority: 1 },
        }));
        const doc: RulesetDocument = { queues: [{ name: 'q' }], rules: definitions, fallback: { queue: 'q', priority: 0 } };
        // Built without the validator: random rules are often unreachable, and the index must be
        // exact for any ruleset, not only for the ones validation lets through.
        const ruleset = new CompiledRuleset(
          doc,
          1,
          definitions.map((rule) => analyseCondition(rule.when)),
        );
        const scans = definitions.map((rule) => compileCondition(rule.when));
        for (const routingInput of inputs) {
          const facts = ruleset.factsFor(routingInput);
          const expected = definitions.findIndex((rule, index) => rule.enabled !== false && scans[index](facts) === true);
          expect(ruleset.match(routingInput)).toEqual({ ruleIndex: expected, ruleId: expected < 0 ? 'fallback' : `r${expected}` });
          if (expected >= 0) matched++;
          decided++;
        }
      }),
      { numRuns: 400 },
    );
    // Guard against a vacuous test where almost everything falls back.
    expect(matched / decided).toBeGreaterThan(0.3);
  });
});
