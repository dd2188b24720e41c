import { RuleDefinition, RulesetDocument } from '../ruleset-document';
import { RulesetIssue } from '../ruleset-issue';
import { validateRuleset } from './validate-ruleset';

function ruleset(rules: Partial<RuleDefinition>[], extra: Partial<RulesetDocument> = {}): RulesetDocument {
  return {
    queues: [{ name: 'general' }, { name: 'banking' }, { name: 'banking_vip' }, { name: 'overflow' }],
    rules: rules.map((rule, index) => ({ id: `r${index}`, when: 'true', then: { queue: 'banking', priority: 100 }, ...rule })),
    fallback: { queue: 'general', priority: 10 },
    ...extra,
  };
}

const errors = (issues: RulesetIssue[]) => issues.filter((issue) => issue.severity === 'error');
const warnings = (issues: RulesetIssue[]) => issues.filter((issue) => issue.severity === 'warning');
const ruleWarnings = (issues: RulesetIssue[]) => warnings(issues).filter((issue) => issue.path.startsWith('rules'));

describe('validateRuleset: structure', () => {
  it('accepts a minimal valid ruleset with no issue at all', () => {
    expect(validateRuleset(ruleset([{ when: 'sector == "banking"' }], { queues: [{ name: 'general' }, { name: 'banking' }] }))).toEqual([]);
  });

  it('refuses what is not an object', () => {
    expect(validateRuleset('rules')).toEqual([{ path: '(document)', message: expect.stringContaining('JSON object'), severity: 'error' }]);
  });

  it('names missing fields, wrong types, ranges and unknown fields by path and rule', () => {
    const document = {
      queues: [{ name: 'general', agingPointsPerMinute: -2 }, { name: 'has space' }],
      rules: [
        { id: 'bad-priority', when: 'emergency', then: { queue: 'general', priority: 1024 } },
        { id: 'typo-field', when: 'emergency', thn: {}, then: { queue: 'general', priority: 1.5 } },
        { id: 'no-then', when: 'emergency' },
        'not a rule',
      ],
    };
    const issues = validateRuleset(document);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'fallback', message: 'fallback is required', severity: 'error' },
        { path: 'queues[0].agingPointsPerMinute', message: 'agingPointsPerMinute must not be less than 0', severity: 'error' },
        { path: 'queues[1].name', message: expect.stringContaining('letters, digits'), severity: 'error' },
        { path: 'rules[0].then.priority', ruleId: 'bad-priority', message: 'priority must not be greater than 1023', severity: 'error' },
        { path: 'rules[1].thn', ruleId: 'typo-field', message: 'unknown field "thn" (did you mean "then"?)', severity: 'error' },
        { path: 'rules[1].then.priority', ruleId: 'typo-field', message: 'priority must be an integer number', severity: 'error' },
        { path: 'rules[2].then', ruleId: 'no-then', message: 'then is required', severity: 'error' },
        { path: 'rules[3]', message: 'rules[3] must be an object', severity: 'error' },
      ]),
    );
  });

  it('refuses a negative escalation delay and a raise of zero', () => {
    const issues = validateRuleset(ruleset([{ then: { queue: 'banking', priority: 1, escalations: [{ afterSeconds: -5, raisePriorityBy: 0 }] } }]));
    expect(errors(issues).map((issue) => issue.path)).toEqual(['rules[0].then.escalations[0].afterSeconds', 'rules[0].then.escalations[0].raisePriorityBy']);
  });
});

describe('validateRuleset: queues', () => {
  it('reports duplicate queue names', () => {
    const issues = validateRuleset(ruleset([], { queues: [{ name: 'general' }, { name: 'banking' }, { name: 'general' }] }));
    expect(errors(issues)).toEqual([{ path: 'queues[2].name', message: 'queue "general" is already defined at queues[0]', severity: 'error' }]);
  });

  it('reports unknown queues in a rule, an escalation, the fallback and an overflow, with a hint', () => {
    const issues = validateRuleset(
      ruleset([{ when: 'emergency', then: { queue: 'bankng', priority: 1, escalations: [{ afterSeconds: 30, moveToQueue: 'nowhere' }] } }], {
        queues: [{ name: 'general' }, { name: 'banking', maxWaiting: 5, overflowTo: 'overflw' }, { name: 'overflow' }],
        fallback: { queue: 'generl', priority: 1 },
      }),
    );
    expect(errors(issues)).toEqual([
      { path: 'queues[1].overflowTo', message: 'unknown queue "overflw" (did you mean "overflow"?)', severity: 'error' },
      { path: 'rules[0].then.queue', ruleId: 'r0', message: 'unknown queue "bankng" (did you mean "banking"?); define it under queues', severity: 'error' },
      { path: 'rules[0].then.escalations[0].moveToQueue', ruleId: 'r0', message: 'unknown queue "nowhere"; define it under queues', severity: 'error' },
      { path: 'fallback.queue', message: 'unknown queue "generl" (did you mean "general"?); define it under queues', severity: 'error' },
    ]);
  });

  it('reports an overflow cycle once, and an overflow without a threshold', () => {
    const issues = validateRuleset(
      ruleset([{ then: { queue: 'banking', priority: 1 } }], {
        queues: [
          { name: 'general' },
          { name: 'banking', maxWaiting: 10, overflowTo: 'banking_vip' },
          { name: 'banking_vip', maxWaiting: 10, overflowTo: 'overflow' },
          { name: 'overflow', maxWaiting: 10, overflowTo: 'banking' },
          { name: 'self', maxWaiting: 10, overflowTo: 'self' },
          { name: 'loose', overflowTo: 'general' },
        ],
      }),
    );
    expect(errors(issues)).toEqual([
      { path: 'queues[5].overflowTo', message: 'overflowTo needs maxWaiting, the number waiting from which new arrivals overflow', severity: 'error' },
      { path: 'queues[1].overflowTo', message: expect.stringContaining('overflow cycle banking → banking_vip → overflow → banking'), severity: 'error' },
      { path: 'queues[4].overflowTo', message: expect.stringContaining('queue "self" overflows into itself'), severity: 'error' },
    ]);
  });

  it('warns about a threshold without an overflow and a queue nothing routes to', () => {
    const issues = validateRuleset(ruleset([{ when: 'emergency' }], { queues: [{ name: 'general' }, { name: 'banking', maxWaiting: 3 }, { name: 'spare' }] }));
    expect(warnings(issues)).toEqual([
      { path: 'queues[1].maxWaiting', message: 'maxWaiting has no effect without overflowTo', severity: 'warning' },
      { path: 'queues[2].name', message: expect.stringContaining('queue "spare"'), severity: 'warning' },
    ]);
  });
});

describe('validateRuleset: rules', () => {
  it('reports duplicate rule ids and the reserved id "fallback"', () => {
    const issues = validateRuleset(
      ruleset([
        { id: 'a', when: 'emergency' },
        { id: 'a', when: 'not emergency' },
        { id: 'fallback', when: 'sector == "health"' },
      ]),
    );
    expect(errors(issues)).toEqual([
      { path: 'rules[1].id', ruleId: 'a', message: 'rule id "a" is already used by rules[0] ("a")', severity: 'error' },
      { path: 'rules[2].id', ruleId: 'fallback', message: '"fallback" is reserved for the fallback action', severity: 'error' },
    ]);
  });

  it.each([
    ['sectr == "banking"', 'unknown fact "sectr" (column 1) (did you mean "sector"?)'],
    ["sector == 'banking'", `unknown fact "banking" (column 11): 'single quotes' name a fact; write text in double quotes, "banking"`],
    ['   ', 'cannot parse the condition at column 4: unexpected end of the condition'],
    ['sector == "banking" and', 'cannot parse the condition at column 24: unexpected end of the condition'],
    ['sector = "banking"', 'compare with `==`'],
    ['not sector == "banking"', '`not` needs true/false, but `sector` is text'],
    ['sector', 'a condition must be true or false, but this one is text'],
    ['hour == "9"', '`==` compares `hour` (a number) with "9" (text)'],
    ['time > "19:00"', 'for times of day use between(time, "07:00", "19:00")'],
    ['between(time, "7:00", "19:00")', 'between(time, from, to) needs "HH:MM" bounds'],
    ['weekday == "monday"', '"monday" never matches'],
    ['channel == "sms"', 'channel is one of "voice", "chat", "whatsapp", "video", "email"'],
    ['hour == 24', 'hour is 0..23, so 24 is out of range'],
    ['plan of attributes', '`of` is not supported'],
    ['attributes.plan == "gold"', 'read attributes as attr.<name>'],
    ['sector ~= "bank.*"', 'regular expressions (`~=`) are not allowed'],
    ['isWeekend', 'unknown fact "isWeekend"'],
    ['businessHours("07:00", "19:00")', 'unknown function "businessHours"'],
    ['between(hour, 7)', 'between(…) takes 3 arguments, got 2'],
    ['date == "2026-13-01"', 'date is "YYYY-MM-DD"'],
  ])('reports the bad condition %j at rules[0].when', (when, message) => {
    const issues = errors(validateRuleset(ruleset([{ id: 'checked', when }])));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toEqual({ path: 'rules[0].when', ruleId: 'checked', message: expect.stringContaining(message), severity: 'error' });
  });

  it('catches a typo in the fourth rule, naming it and its field', () => {
    const issues = validateRuleset(
      ruleset([{ when: 'emergency' }, { when: 'sector == "health"' }, { when: 'sector == "oxygen"' }, { id: 'banking-main', when: 'sectr == "banking"' }]),
    );
    expect(errors(issues)).toEqual([
      { path: 'rules[3].when', ruleId: 'banking-main', message: expect.stringContaining('unknown fact "sectr"'), severity: 'error' },
    ]);
  });

  it('only warns about sector and intent values outside the default taxonomy, which operators may extend', () => {
    const issues = validateRuleset(ruleset([{ when: 'sector == "telecom" or intent == "refinacing"' }]));
    expect(errors(issues)).toEqual([]);
    expect(ruleWarnings(issues).map((issue) => issue.message)).toEqual([
      expect.stringContaining('"telecom" is not a known sector'),
      expect.stringContaining('"refinacing" is not a known intent (column 34) (did you mean "refinancing"?)'),
    ]);
  });

  it('accepts every documented fact and function', () => {
    const when = [
      'sector == "banking"',
      'intent == "refinancing"',
      'not emergency',
      'confidence >= 0.5',
      'channel in ("voice", "video")',
      'tenant != "demo"',
      'segment in ("vip", "")',
      'region == "medellin"',
      '7 <= hour < 19',
      'minute < 30',
      'between(time, "07:00", "19:00")',
      'weekday != "sun"',
      'isoWeekday <= 6',
      'date != "2026-12-24"',
      'not isHoliday',
      'attr.plan == "gold"',
      '\'attr.plan-code\' != "x"',
      'empty(attr.channelHint) or exists(attr.channelHint)',
      'abs(-1) == 1',
      'max(hour, 1) >= 1',
    ].join(' and ');
    expect(validateRuleset(ruleset([{ when }], { queues: [{ name: 'general' }, { name: 'banking' }] }))).toEqual([]);
  });
});

describe('validateRuleset: reachability', () => {
  it('reports a rule after an always-true one, and the fallback as unused', () => {
    const issues = validateRuleset(
      ruleset([
        { id: 'catch-all', when: 'true' },
        { id: 'late', when: 'emergency' },
      ]),
    );
    expect(errors(issues)).toEqual([
      { path: 'rules[1].when', ruleId: 'late', message: 'unreachable: rules[0] ("catch-all") before it matches every interaction', severity: 'error' },
    ]);
    expect(warnings(issues)).toContainEqual({ path: 'fallback', message: 'never used: rules[0] ("catch-all") matches every interaction', severity: 'warning' });
  });

  it('reports a condition identical to an earlier one once whitespace and parentheses are normalised', () => {
    const issues = validateRuleset(
      ruleset([
        { id: 'first', when: 'sector == "banking" and emergency' },
        { id: 'copy', when: ' ( sector=="banking" )and\n emergency' },
      ]),
    );
    expect(errors(issues)).toEqual([
      { path: 'rules[1].when', ruleId: 'copy', message: 'unreachable: rules[0] ("first") has the same condition and comes first', severity: 'error' },
    ]);
  });

  it.each([
    ['sector == "banking"', 'sector == "banking" and intent == "refinancing"'],
    ['sector in ("banking", "insurance")', 'sector == "insurance" and segment == "vip"'],
    ['hour >= 19', 'hour >= 20 and sector == "banking"'],
    ['weekday in ("sat", "sun")', 'weekday == "sun" or (weekday == "sat" and hour > 12)'],
    ['not emergency and channel != "voice"', 'emergency == false and channel == "chat"'],
    ['confidence < 0.5', 'confidence < 0.3'],
    ['between(hour, 7, 19)', 'hour == 8'],
  ])('reports %j as shadowing %j', (broad, narrow) => {
    const issues = validateRuleset(
      ruleset([
        { id: 'broad', when: broad },
        { id: 'narrow', when: narrow },
      ]),
    );
    expect(errors(issues)).toEqual([
      {
        path: 'rules[1].when',
        ruleId: 'narrow',
        message: expect.stringContaining('unreachable: every interaction it matches is taken first by rules[0] ("broad")'),
        severity: 'error',
      },
    ]);
  });

  it.each([
    ['sector == "banking" and intent == "refinancing"', 'sector == "banking"'],
    ['sector == "banking"', 'sector == "insurance"'],
    ['hour >= 19', 'hour >= 18'],
    ['segment == "vip"', 'segment != "standard"'],
    ['attr.score > 5 or sector == "banking"', 'sector == "banking" and emergency'],
  ])('does not claim that %j shadows %j', (earlier, later) => {
    expect(errors(validateRuleset(ruleset([{ when: earlier }, { when: later }])))).toEqual([]);
  });

  it('ignores disabled rules when looking for shadows', () => {
    expect(errors(validateRuleset(ruleset([{ when: 'sector == "banking"', enabled: false }, { when: 'sector == "banking" and emergency' }])))).toEqual([]);
  });

  it('reports a rule that can never match', () => {
    const issues = validateRuleset(
      ruleset([
        { id: 'contradiction', when: 'sector == "banking" and sector == "health"' },
        { id: 'constant', when: '1 == 2' },
      ]),
    );
    expect(errors(issues).map(({ path, ruleId, message }) => [path, ruleId, message])).toEqual([
      ['rules[0].when', 'contradiction', 'never matches: the condition can never be true'],
      ['rules[1].when', 'constant', 'never matches: the condition can never be true'],
    ]);
  });

  it('warns when one branch of a condition is already taken', () => {
    const issues = validateRuleset(
      ruleset([
        { id: 'covid', when: 'intent == "covid"' },
        { id: 'health', when: 'sector == "health" or intent == "covid"' },
      ]),
    );
    expect(errors(issues)).toEqual([]);
    expect(ruleWarnings(issues)).toEqual([
      {
        path: 'rules[1].when',
        ruleId: 'health',
        message: 'overlap: the branch `intent == "covid"` never applies, rules[0] ("covid") takes it first',
        severity: 'warning',
      },
    ]);
  });
});

describe('validateRuleset: escalations', () => {
  const withSteps = (escalations: object[], queue = 'banking', priority = 100) =>
    ruleset([{ id: 'escalating', when: 'emergency', then: { queue, priority, escalations } as never }]);

  it('requires strictly increasing afterSeconds', () => {
    const issues = validateRuleset(
      withSteps([
        { afterSeconds: 60, raisePriorityBy: 10 },
        { afterSeconds: 60, raisePriorityBy: 10 },
        { afterSeconds: 30, addSkills: ['x'] },
      ]),
    );
    expect(errors(issues)).toEqual([
      {
        path: 'rules[0].then.escalations[1].afterSeconds',
        ruleId: 'escalating',
        message: 'escalation steps must come in strictly increasing afterSeconds, but 60 follows 60',
        severity: 'error',
      },
      {
        path: 'rules[0].then.escalations[2].afterSeconds',
        ruleId: 'escalating',
        message: 'escalation steps must come in strictly increasing afterSeconds, but 30 follows 60',
        severity: 'error',
      },
    ]);
  });

  it('requires each step to do something', () => {
    expect(errors(validateRuleset(withSteps([{ afterSeconds: 60 }])))).toEqual([
      { path: 'rules[0].then.escalations[0]', ruleId: 'escalating', message: expect.stringContaining('must raise the priority'), severity: 'error' },
    ]);
  });

  it('reports a move chain that returns to a queue already visited', () => {
    const issues = validateRuleset(
      withSteps([
        { afterSeconds: 60, moveToQueue: 'banking_vip' },
        { afterSeconds: 120, moveToQueue: 'overflow' },
        { afterSeconds: 180, moveToQueue: 'banking' },
      ]),
    );
    expect(errors(issues)).toEqual([
      {
        path: 'rules[0].then.escalations[2].moveToQueue',
        ruleId: 'escalating',
        message: 'escalation cycle banking → banking_vip → overflow → banking: the interaction would return to a queue it already left',
        severity: 'error',
      },
    ]);
  });

  it('reports a move to the queue the interaction is already in', () => {
    expect(errors(validateRuleset(withSteps([{ afterSeconds: 60, moveToQueue: 'banking' }]))).map((issue) => issue.message)).toEqual([
      'moves the interaction to "banking", the queue it is already in',
    ]);
  });

  it('checks the fallback escalations too', () => {
    const issues = validateRuleset(ruleset([], { fallback: { queue: 'general', priority: 1, escalations: [{ afterSeconds: 10, moveToQueue: 'general' }] } }));
    expect(errors(issues).map((issue) => issue.path)).toEqual(['fallback.escalations[0].moveToQueue']);
  });

  it('warns when raises pass the maximum priority or skills are already required', () => {
    const issues = validateRuleset(
      ruleset([
        {
          id: 'loud',
          when: 'emergency',
          then: {
            queue: 'banking',
            priority: 1000,
            requiredSkills: ['a'],
            escalations: [
              { afterSeconds: 10, raisePriorityBy: 50 },
              { afterSeconds: 20, raisePriorityBy: 5, addSkills: ['a', 'b'] },
            ],
          },
        },
      ]),
    );
    expect(errors(issues)).toEqual([]);
    expect(ruleWarnings(issues).map(({ path, message }) => [path, message])).toEqual([
      ['rules[0].then.escalations[0].raisePriorityBy', 'raises the priority to 1050, which is capped at 1023'],
      ['rules[0].then.escalations[1].raisePriorityBy', 'the priority is already 1023, the maximum: this raise does nothing'],
      ['rules[0].then.escalations[1].addSkills', 'already required: a'],
    ]);
  });
});

describe('validateRuleset: routing domains', () => {
  const domains = (queues: RulesetDocument['queues'], rules: Partial<RuleDefinition>[] = []): RulesetIssue[] =>
    validateRuleset(ruleset(rules, { queues: [{ name: 'general' }, ...queues] }));

  it('accepts queues in several domains that overflow and escalate inside their own', () => {
    const issues = domains(
      [
        { name: 'caja', domain: 'caja-andina', maxWaiting: 50, overflowTo: 'caja-overflow' },
        { name: 'caja-overflow', domain: 'caja-andina' },
        { name: 'banking', domain: 'banco' },
        { name: 'banking_vip', domain: 'banco' },
      ],
      [
        { when: 'sector == "compensation_funds"', then: { queue: 'caja', priority: 1 } },
        { when: 'sector == "banking"', then: { queue: 'banking', priority: 1, escalations: [{ afterSeconds: 60, moveToQueue: 'banking_vip' }] } },
      ],
    );
    expect(errors(issues)).toEqual([]);
  });

  it('refuses an overflow into another domain, naming both', () => {
    const issues = domains([
      { name: 'caja', domain: 'caja-andina', maxWaiting: 50, overflowTo: 'banking' },
      { name: 'banking', domain: 'banco' },
    ]);
    expect(errors(issues)).toContainEqual({
      path: 'queues[1].overflowTo',
      message: expect.stringMatching(/from domain "caja-andina" into "banco"/),
      severity: 'error',
    });
  });

  it('refuses an escalation move into another domain; a queue without a domain is in "default"', () => {
    const issues = domains(
      [{ name: 'banking', domain: 'banco' }],
      [{ when: 'sector == "banking"', then: { queue: 'banking', priority: 1, escalations: [{ afterSeconds: 60, moveToQueue: 'general' }] } }],
    );
    expect(errors(issues)).toContainEqual({
      path: 'rules[0].then.escalations[0].moveToQueue',
      message: expect.stringMatching(/from domain "banco" into "default"/),
      severity: 'error',
      ruleId: 'r0',
    });
  });

  it('refuses a domain name that could not be a hash tag', () => {
    const issues = domains([{ name: 'banking', domain: 'ban{co}' }]);
    expect(errors(issues).map((issue) => issue.path)).toContain('queues[1].domain');
  });
});
