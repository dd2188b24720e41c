// The contracts' event classes carry decorator metadata, which needs the Reflect API first.
import 'reflect-metadata';
import { CHANNELS, CUSTOMER_SEGMENTS, DEFAULT_SECTOR_INTENTS, UNCLASSIFIED_INTENT } from '@conmutador/contracts';
import { WEEKDAY_NAMES } from '../calendar/bogota-time';

export type FactType = 'text' | 'number' | 'boolean';
export type FactValue = string | number | boolean;

/** What a condition can read about the interaction and the moment it is decided for. */
export interface FactSpec {
  name: string;
  type: FactType;
  description: string;
  /**
   * Every value the engine can produce for the fact. Comparing with anything else is an error,
   * and reachability analysis may reason by complement over this set.
   */
  domain?: readonly FactValue[];
  /** Values the contract allows; comparing with another is an error, but others may still arrive. */
  allowedValues?: readonly string[];
  /** Well-known values of an open fact; comparing with another only warns (it may be a typo). */
  knownValues?: readonly string[];
  /** Inclusive bounds of a numeric fact. */
  range?: readonly [number, number];
}

/** Attributes are read as `attr.<name>` (or `'attr.<name with dashes>'`). */
export const ATTRIBUTE_PREFIX = 'attr.';

const integers = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const knownIntents = [...new Set([...Object.values(DEFAULT_SECTOR_INTENTS).flat(), UNCLASSIFIED_INTENT])].sort();

export const FACTS: readonly FactSpec[] = [
  { name: 'sector', type: 'text', description: 'classified sector, e.g. "banking"', knownValues: Object.keys(DEFAULT_SECTOR_INTENTS) },
  { name: 'intent', type: 'text', description: 'classified intent, e.g. "covid"', knownValues: knownIntents },
  { name: 'emergency', type: 'boolean', description: 'a life, health or property is at risk right now', domain: [true, false] },
  {
    name: 'possibleEmergency',
    type: 'boolean',
    description: 'the classifier could not rule an emergency out (emergency is then false): for emergency triage',
    domain: [true, false],
  },
  { name: 'confidence', type: 'number', description: "the classifier's confidence in the sector, 0..1", range: [0, 1] },
  { name: 'channel', type: 'text', description: 'voice, chat, whatsapp, video or email', allowedValues: CHANNELS },
  { name: 'tenant', type: 'text', description: 'client operation, e.g. "banco-uno"' },
  { name: 'segment', type: 'text', description: 'customer segment; "" when unknown', allowedValues: [...CUSTOMER_SEGMENTS, ''] },
  { name: 'region', type: 'text', description: 'customer region, e.g. "medellin"; "" when unknown' },
  { name: 'hour', type: 'number', description: 'hour of day in Bogotá, 0..23', domain: integers(0, 23), range: [0, 23] },
  { name: 'minute', type: 'number', description: 'minute of the hour in Bogotá, 0..59', domain: integers(0, 59), range: [0, 59] },
  { name: 'time', type: 'text', description: 'time of day in Bogotá, "HH:MM" (zero-padded, 24 h)' },
  { name: 'weekday', type: 'text', description: 'day of the week in Bogotá: "mon" … "sun"', domain: WEEKDAY_NAMES },
  { name: 'isoWeekday', type: 'number', description: 'day of the week in Bogotá, Monday = 1 … Sunday = 7', domain: integers(1, 7), range: [1, 7] },
  { name: 'date', type: 'text', description: 'calendar date in Bogotá, "YYYY-MM-DD"' },
  { name: 'isHoliday', type: 'boolean', description: 'a Colombian public holiday in Bogotá (Ley 51 de 1983)', domain: [true, false] },
];

const FACTS_BY_NAME = new Map(FACTS.map((fact) => [fact.name, fact]));

/** Facts that depend on the clock: a ruleset that reads none of them skips the calendar work. */
export const CLOCK_FACTS: ReadonlySet<string> = new Set(['hour', 'minute', 'time', 'weekday', 'isoWeekday', 'date', 'isHoliday']);

export function factSpec(name: string): FactSpec | undefined {
  return FACTS_BY_NAME.get(name);
}

export function attributeName(factName: string): string | undefined {
  return factName.startsWith(ATTRIBUTE_PREFIX) && factName.length > ATTRIBUTE_PREFIX.length ? factName.slice(ATTRIBUTE_PREFIX.length) : undefined;
}
