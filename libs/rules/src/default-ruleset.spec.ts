import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RoutingInput } from '@conmutador/routing';
import { compileRuleset } from './compiled-ruleset';
import { RulesetDocument } from './ruleset-document';
import { validateRuleset } from './validation/validate-ruleset';

const DEFAULT_RULESET = join(__dirname, '..', '..', '..', 'deploy', 'rules', 'default-ruleset.json');
const document = JSON.parse(readFileSync(DEFAULT_RULESET, 'utf8')) as RulesetDocument;
const ruleset = compileRuleset(document, 1);

// Tuesday 14 April 2026, 10:00 in Bogotá: a business day, within every line's hours.
const TUESDAY_MORNING = new Date('2026-04-14T10:00:00-05:00');
const base: RoutingInput = {
  sector: 'banking',
  intent: 'financial_relief',
  emergency: false,
  confidence: 0.9,
  channel: 'voice',
  tenant: 'demo',
  at: TUESDAY_MORNING,
};
const decide = (input: Partial<RoutingInput>) => ruleset.decide({ ...base, ...input });

describe('default ruleset (deploy/rules/default-ruleset.json)', () => {
  it('validates with no error and no warning', () => {
    expect(validateRuleset(document)).toEqual([]);
  });

  it('has the seed operation queues, with the COVID-19 triage and the online doctor it transfers to', () => {
    const names = ruleset.queues.map((queue) => queue.name);
    for (const queue of [
      'banking_relief_bogota',
      'banking_relief_medellin',
      'banking_relief_monteria',
      'banking_credit',
      'banking_subsidies',
      'banking_corporate',
      'oxygen_supply',
      'oxygen_emergency',
      'health_appointments',
      'health_covid_triage',
      'online_doctor',
      'insurance_assistance',
      'insurance_emergency',
      'cajas_cuota_monetaria_bogota',
      'cajas_desempleo',
      'food_orders',
      'food_status',
      'general_triage',
      'after_hours',
    ]) {
      expect(names).toContain(queue);
    }
    expect(decide({ sector: 'health', intent: 'covid' })).toMatchObject({ queue: 'health_covid_triage', ruleId: 'health-covid' });
  });

  it('sends every sector and main intent to its queue during business hours', () => {
    const cases: [Partial<RoutingInput>, string][] = [
      [{ sector: 'health', intent: 'appointment' }, 'health_appointments'],
      [{ sector: 'health', intent: 'covid', channel: 'video' }, 'online_doctor'],
      [{ sector: 'oxygen', intent: 'supply' }, 'oxygen_supply'],
      [{ sector: 'oxygen', intent: 'equipment' }, 'oxygen_equipment'],
      [{ sector: 'banking', intent: 'financial_relief' }, 'banking_relief_bogota'],
      [{ sector: 'banking', intent: 'financial_relief', customerRegion: 'medellin' }, 'banking_relief_medellin'],
      [{ sector: 'banking', intent: 'financial_relief', customerRegion: 'monteria' }, 'banking_relief_monteria'],
      [{ sector: 'banking', intent: 'emergency_credit' }, 'banking_credit'],
      [{ sector: 'banking', intent: 'refinancing' }, 'banking_credit'],
      [{ sector: 'banking', intent: 'government_subsidy' }, 'banking_subsidies'],
      [{ sector: 'banking', intent: 'corporate' }, 'banking_corporate'],
      [{ sector: 'banking', intent: 'other' }, 'banking_general'],
      [{ sector: 'insurance', intent: 'assistance' }, 'insurance_assistance'],
      [{ sector: 'compensation_funds', intent: 'monetary_quota' }, 'cajas_cuota_monetaria_bogota'],
      [{ sector: 'compensation_funds', intent: 'monetary_quota', customerRegion: 'monteria' }, 'cajas_cuota_monetaria_medellin'],
      [{ sector: 'compensation_funds', intent: 'unemployment_subsidy' }, 'cajas_desempleo'],
      [{ sector: 'food_delivery', intent: 'restaurant_order' }, 'food_orders'],
      [{ sector: 'food_delivery', intent: 'groceries' }, 'food_orders'],
      [{ sector: 'food_delivery', intent: 'order_status' }, 'food_status'],
      [{ sector: 'unclassified', intent: 'unclassified', confidence: 0.9 }, 'general_triage'],
      [{ sector: 'telecom', intent: 'other' }, 'general_triage'],
    ];
    for (const [input, queue] of cases) expect({ input, queue: decide(input).queue }).toEqual({ input, queue });
  });

  it('puts emergencies in fast lanes above every ordinary priority, with escalations', () => {
    const oxygen = decide({ sector: 'oxygen', intent: 'supply', emergency: true });
    expect(oxygen).toMatchObject({ queue: 'oxygen_emergency', priority: 900, ruleId: 'oxygen-emergency' });
    expect(oxygen.escalations).toEqual([
      { afterSeconds: 30, raisePriorityBy: 100 },
      { afterSeconds: 90, addSkills: ['oxygen.supply', 'health.nurse'] },
    ]);
    expect(oxygen.msPerPriorityPoint).toBe(ruleset.msPerPriorityPoint('oxygen_emergency'));
    expect(decide({ sector: 'insurance', intent: 'emergency' }).queue).toBe('insurance_emergency');
    expect(decide({ sector: 'health', intent: 'covid', emergency: true }).queue).toBe('online_doctor');
    // Emergencies ignore business hours and classifier doubt.
    expect(decide({ sector: 'banking', emergency: true, confidence: 0.1, at: new Date('2026-04-12T23:00:00-05:00') })).toMatchObject({
      queue: 'general_triage',
      priority: 900,
    });
    const highestOrdinary = Math.max(...document.rules.filter((rule) => !rule.when.includes('emergency')).map((rule) => rule.then.priority));
    expect(highestOrdinary).toBeLessThan(900);
  });

  it('sends a possible emergency to emergency triage, behind confirmed emergencies and ahead of routine work', () => {
    const possible = decide({ sector: 'banking', intent: 'other', possibleEmergency: true });
    expect(possible).toMatchObject({ queue: 'emergency_triage', ruleId: 'possible-emergency', requiredSkills: ['triage.emergency'] });
    const routine = document.rules.filter((rule) => !/emergency/i.test(rule.when)).map((rule) => rule.then.priority);
    expect(possible.priority).toBeGreaterThan(Math.max(...routine));
    expect(possible.priority).toBeLessThan(decide({ sector: 'oxygen', emergency: true }).priority);
    // A confirmed emergency keeps its fast lane even if both flags came set.
    expect(decide({ sector: 'oxygen', emergency: true, possibleEmergency: true }).queue).toBe('oxygen_emergency');
  });

  it('closes banking after 19:00, on Sundays and on holidays', () => {
    expect(decide({ at: new Date('2026-04-14T18:59:00-05:00') }).queue).toBe('banking_relief_bogota');
    expect(decide({ at: new Date('2026-04-14T19:00:00-05:00') })).toMatchObject({ queue: 'after_hours', ruleId: 'banking-after-hours' });
    expect(decide({ at: new Date('2026-04-14T06:30:00-05:00') }).queue).toBe('after_hours');
    expect(decide({ at: new Date('2026-04-18T10:00:00-05:00') }).queue).toBe('banking_relief_bogota'); // Saturday
    expect(decide({ at: new Date('2026-04-19T10:00:00-05:00') }).queue).toBe('after_hours'); // Sunday
    expect(decide({ at: new Date('2026-01-12T10:00:00-05:00') }).queue).toBe('after_hours'); // Reyes Magos (Monday)
    expect(decide({ at: new Date('2026-04-03T10:00:00-05:00') }).queue).toBe('after_hours'); // Viernes Santo
  });

  it('keeps the cajas de compensación hours: short Saturdays, closed Sundays and holidays', () => {
    const cuota = (at: string) => decide({ sector: 'compensation_funds', intent: 'monetary_quota', at: new Date(at) }).queue;
    expect(cuota('2026-04-14T17:59:00-05:00')).toBe('cajas_cuota_monetaria_bogota');
    expect(cuota('2026-04-14T18:00:00-05:00')).toBe('after_hours');
    expect(cuota('2026-04-18T11:00:00-05:00')).toBe('cajas_cuota_monetaria_bogota');
    expect(cuota('2026-04-18T12:00:00-05:00')).toBe('after_hours');
    expect(cuota('2026-04-19T10:00:00-05:00')).toBe('after_hours');
    expect(cuota('2026-05-18T10:00:00-05:00')).toBe('after_hours'); // Ascensión (Monday)
  });

  it('keeps oxygen and insurance assistance open around the clock', () => {
    const sundayNight = new Date('2026-04-19T23:30:00-05:00');
    expect(decide({ sector: 'oxygen', intent: 'supply', at: sundayNight }).queue).toBe('oxygen_supply');
    expect(decide({ sector: 'insurance', intent: 'assistance', at: sundayNight }).queue).toBe('insurance_assistance');
  });

  it('gives VIP and corporate customers higher priority than standard ones', () => {
    const standard = decide({ customerSegment: 'standard' });
    const vip = decide({ customerSegment: 'vip' });
    expect(vip.queue).toBe(standard.queue);
    expect(vip.priority).toBeGreaterThan(standard.priority);
    expect(decide({ intent: 'refinancing', customerSegment: 'vip' }).priority).toBeGreaterThan(decide({ intent: 'refinancing' }).priority);
    expect(decide({ intent: 'other', customerSegment: 'corporate' })).toMatchObject({ queue: 'banking_corporate', priority: 250 });
    expect(decide({ sector: 'insurance', intent: 'assistance', customerSegment: 'corporate' }).priority).toBeGreaterThan(
      decide({ sector: 'insurance', intent: 'assistance' }).priority,
    );
  });

  it('overflows surges between sites and ages ordinary queues but not the fast lanes', () => {
    expect(ruleset.overflowFor('banking_relief_bogota')).toMatchObject({ queue: 'banking_relief_medellin', maxWaiting: 300 });
    expect(ruleset.overflowFor('banking_relief_medellin')).toMatchObject({ queue: 'banking_relief_monteria' });
    expect(ruleset.overflowFor('cajas_cuota_monetaria_bogota')).toMatchObject({ queue: 'cajas_cuota_monetaria_medellin' });
    expect(new Set(ruleset.queues.filter((queue) => queue.site).map((queue) => queue.site))).toEqual(new Set(['bogota', 'medellin', 'monteria']));
    expect(ruleset.queue('banking_relief_bogota')?.agingPointsPerMinute).toBe(2);
    expect(ruleset.queue('oxygen_emergency')?.agingPointsPerMinute).toBe(0);
  });

  it('sends interactions the classifier is unsure about to general triage', () => {
    expect(decide({ sector: 'banking', confidence: 0.2 })).toMatchObject({ queue: 'general_triage', ruleId: 'low-confidence-triage' });
  });
});
