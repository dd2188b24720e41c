/**
 * Wall-clock time in Bogotá. Colombia has kept UTC-5 all year since 1993 (no daylight saving),
 * so a fixed shift is exact and avoids the cost of Intl time-zone lookups on every decision.
 */
export const BOGOTA_UTC_OFFSET_MINUTES = -300;
const BOGOTA_OFFSET_MS = BOGOTA_UTC_OFFSET_MINUTES * 60_000;

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

export interface BogotaMoment {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  /** 0..23 */
  hour: number;
  /** 0..59 */
  minute: number;
  /** ISO 8601: Monday = 1 … Sunday = 7. */
  isoWeekday: number;
}

export function bogotaMoment(at: Date): BogotaMoment {
  const shifted = new Date(at.getTime() + BOGOTA_OFFSET_MS);
  const utcWeekday = shifted.getUTCDay();
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    isoWeekday: utcWeekday === 0 ? 7 : utcWeekday,
  };
}

export function weekdayName(isoWeekday: number): WeekdayName {
  return WEEKDAY_NAMES[isoWeekday - 1];
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** "HH:MM", zero-padded so that text comparison orders times correctly. */
export function formatClockTime(hour: number, minute: number): string {
  return `${twoDigits(hour)}:${twoDigits(minute)}`;
}

/** "YYYY-MM-DD" */
export function formatCalendarDate(year: number, month: number, day: number): string {
  return `${year}-${twoDigits(month)}-${twoDigits(day)}`;
}
