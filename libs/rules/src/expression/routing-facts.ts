import { RoutingInput } from '@conmutador/routing';
import { bogotaMoment, formatCalendarDate, formatClockTime, weekdayName } from '../calendar/bogota-time';
import { isColombianHoliday } from '../calendar/colombian-holidays';
import { ATTRIBUTE_PREFIX, CLOCK_FACTS, FactValue } from './fact-catalogue';

export type RoutingFacts = Record<string, FactValue>;

/**
 * Builds the object conditions are evaluated on. It is built once per decision and holds only
 * what the ruleset reads: calendar work is skipped when no rule looks at the clock, and exactly
 * the attributes some rule reads are present (absent ones as "", so `attr.plan != "gold"` holds
 * for a customer without a plan instead of failing on a missing property).
 */
export class RoutingFactsBuilder {
  private readonly readsClock: boolean;
  private readonly readsTime: boolean;
  private readonly readsDate: boolean;
  private readonly readsHoliday: boolean;
  private readonly attributeNames: readonly string[];

  constructor(factsRead: ReadonlySet<string>, attributeNames: Iterable<string>) {
    this.readsClock = [...factsRead].some((fact) => CLOCK_FACTS.has(fact));
    this.readsTime = factsRead.has('time');
    this.readsDate = factsRead.has('date');
    this.readsHoliday = factsRead.has('isHoliday');
    this.attributeNames = [...attributeNames];
  }

  build(input: RoutingInput): RoutingFacts {
    const facts: RoutingFacts = {
      sector: input.sector,
      intent: input.intent,
      emergency: input.emergency,
      possibleEmergency: input.possibleEmergency ?? false,
      confidence: input.confidence,
      channel: input.channel,
      tenant: input.tenant,
      segment: input.customerSegment ?? '',
      region: input.customerRegion ?? '',
    };
    if (this.readsClock) {
      const moment = bogotaMoment(input.at);
      facts.hour = moment.hour;
      facts.minute = moment.minute;
      facts.weekday = weekdayName(moment.isoWeekday);
      facts.isoWeekday = moment.isoWeekday;
      if (this.readsTime) facts.time = formatClockTime(moment.hour, moment.minute);
      if (this.readsDate) facts.date = formatCalendarDate(moment.year, moment.month, moment.day);
      if (this.readsHoliday) facts.isHoliday = isColombianHoliday(moment.year, moment.month, moment.day);
    }
    const attributes = input.attributes;
    for (const name of this.attributeNames) {
      const value = attributes !== undefined && Object.prototype.hasOwnProperty.call(attributes, name) ? attributes[name] : undefined;
      facts[ATTRIBUTE_PREFIX + name] = value ?? '';
    }
    return facts;
  }
}
