import { BogotaMoment, bogotaMoment, formatCalendarDate } from './bogota-time';

/**
 * Colombian public holidays (días festivos) as set by Ley 51 de 1983, the "Ley Emiliani":
 *
 * - six dates never move: 1 Jan, 1 May, 20 Jul, 7 Aug, 8 Dec, 25 Dec;
 * - seven dates move to the following Monday when they do not fall on one: 6 Jan, 19 Mar,
 *   29 Jun, 15 Aug, 12 Oct, 1 Nov, 11 Nov;
 * - Holy Thursday and Good Friday keep their place before Easter Sunday;
 * - Ascension (Easter + 39), Corpus Christi (Easter + 60) and Sacred Heart (Easter + 68) move to
 *   the following Monday, i.e. Easter + 43, + 64 and + 71.
 *
 * Two holidays can land on the same Monday (Sacred Heart and Saint Peter in 2025): both are
 * listed, and the day counts once for `isColombianHoliday`.
 */
export type HolidayRule = 'fixed' | 'next_monday' | 'easter_fixed' | 'easter_next_monday';

export interface ColombianHoliday {
  /** "YYYY-MM-DD" in the Colombian calendar. */
  date: string;
  name: string;
  rule: HolidayRule;
}

const FIXED = [
  { month: 1, day: 1, name: 'Año Nuevo' },
  { month: 5, day: 1, name: 'Día del Trabajo' },
  { month: 7, day: 20, name: 'Día de la Independencia' },
  { month: 8, day: 7, name: 'Batalla de Boyacá' },
  { month: 12, day: 8, name: 'Inmaculada Concepción' },
  { month: 12, day: 25, name: 'Navidad' },
] as const;

const MOVED_TO_MONDAY = [
  { month: 1, day: 6, name: 'Día de los Reyes Magos' },
  { month: 3, day: 19, name: 'Día de San José' },
  { month: 6, day: 29, name: 'San Pedro y San Pablo' },
  { month: 8, day: 15, name: 'La Asunción de la Virgen' },
  { month: 10, day: 12, name: 'Día de la Raza' },
  { month: 11, day: 1, name: 'Todos los Santos' },
  { month: 11, day: 11, name: 'Independencia de Cartagena' },
] as const;

/** Offsets from Easter Sunday, already including the move to Monday where the law applies it. */
const EASTER_BASED = [
  { offsetDays: -3, name: 'Jueves Santo', rule: 'easter_fixed' },
  { offsetDays: -2, name: 'Viernes Santo', rule: 'easter_fixed' },
  { offsetDays: 43, name: 'Ascensión del Señor', rule: 'easter_next_monday' },
  { offsetDays: 64, name: 'Corpus Christi', rule: 'easter_next_monday' },
  { offsetDays: 71, name: 'Sagrado Corazón de Jesús', rule: 'easter_next_monday' },
] as const;

const DAY_MS = 86_400_000;
// The Gregorian computus is valid from 1583; routing never needs dates outside these bounds.
const FIRST_SUPPORTED_YEAR = 1583;
const LAST_SUPPORTED_YEAR = 9999;

/** Easter Sunday (Gregorian calendar), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): { month: number; day: number } {
  assertSupportedYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { month, day };
}

function assertSupportedYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
    throw new RangeError(`year must be an integer between ${FIRST_SUPPORTED_YEAR} and ${LAST_SUPPORTED_YEAR}, got ${year}`);
  }
}

function utcDay(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

function nextMondayOnOrAfter(date: Date): Date {
  const weekday = date.getUTCDay(); // 0 = Sunday, 1 = Monday
  const daysAhead = (8 - weekday) % 7;
  return new Date(date.getTime() + daysAhead * DAY_MS);
}

function isoDate(date: Date): string {
  return formatCalendarDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

function computeHolidays(year: number): ColombianHoliday[] {
  const holidays: ColombianHoliday[] = [];
  for (const { month, day, name } of FIXED) holidays.push({ date: isoDate(utcDay(year, month, day)), name, rule: 'fixed' });
  for (const { month, day, name } of MOVED_TO_MONDAY) {
    holidays.push({ date: isoDate(nextMondayOnOrAfter(utcDay(year, month, day))), name, rule: 'next_monday' });
  }
  const easter = easterSunday(year);
  const easterMs = Date.UTC(year, easter.month - 1, easter.day);
  for (const { offsetDays, name, rule } of EASTER_BASED) holidays.push({ date: isoDate(new Date(easterMs + offsetDays * DAY_MS)), name, rule });
  return holidays.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : x.name.localeCompare(y.name)));
}

interface HolidayYear {
  holidays: readonly ColombianHoliday[];
  /** month * 100 + day, for a lookup that allocates nothing on the decision path. */
  dayKeys: ReadonlySet<number>;
}

const holidayYears = new Map<number, HolidayYear>();

function holidayYear(year: number): HolidayYear {
  let cached = holidayYears.get(year);
  if (!cached) {
    const holidays = Object.freeze(computeHolidays(year).map((holiday) => Object.freeze(holiday)));
    const dayKeys = new Set(holidays.map(({ date }) => Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10))));
    cached = { holidays, dayKeys };
    holidayYears.set(year, cached);
  }
  return cached;
}

/** Every holiday of `year`, in date order. */
export function colombianHolidays(year: number): readonly ColombianHoliday[] {
  return holidayYear(year).holidays;
}

/** Whether the calendar day (month 1..12) is a Colombian public holiday. */
export function isColombianHoliday(year: number, month: number, day: number): boolean {
  return holidayYear(year).dayKeys.has(month * 100 + day);
}

/** Whether `at` falls on a Colombian public holiday in Bogotá's calendar. */
export function isColombianHolidayAt(at: Date | BogotaMoment): boolean {
  const moment = at instanceof Date ? bogotaMoment(at) : at;
  return isColombianHoliday(moment.year, moment.month, moment.day);
}
