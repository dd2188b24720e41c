import { DefaultRoutingPolicy, GENERAL_TRIAGE_QUEUE, PRIORITY } from './default-routing.policy';

describe('default routing policy', () => {
  const policy = new DefaultRoutingPolicy();
  const base = { sector: 'banking', intent: 'refinancing', emergency: false, confidence: 0.9, channel: 'voice', tenant: 'banco-uno', at: new Date() };

  it('sends each sector to its own skill queue with the intent as a skill', () => {
    const decision = policy.decide(base);
    expect(decision.queue).toBe('banking');
    expect(decision.requiredSkills).toEqual(['banking', 'banking.refinancing']);
    expect(decision.priority).toBe(PRIORITY.standard);
  });

  it('puts emergencies above every other priority of their sector', () => {
    const emergency = policy.decide({ ...base, sector: 'oxygen', intent: 'supply', emergency: true });
    const vip = policy.decide({ ...base, sector: 'oxygen', intent: 'supply', customerSegment: 'vip' });
    expect(emergency.queue).toBe(vip.queue);
    expect(emergency.priority).toBeGreaterThan(vip.priority);
    expect(emergency.ruleId).toContain('emergency');
  });

  it('sends unclassified interactions to general triage', () => {
    const decision = policy.decide({ ...base, sector: 'unclassified', intent: 'unclassified' });
    expect(decision.queue).toBe(GENERAL_TRIAGE_QUEUE);
  });
});
