import { bogotaMoment } from './bogota-time';
import { colombianHolidays, easterSunday, isColombianHoliday, isColombianHolidayAt } from './colombian-holidays';

const dates = (year: number): string[] => [...new Set(colombianHolidays(year).map((holiday) => holiday.date))];

describe('Easter Sunday', () => {
  it.each([
    [1943, 4, 25], // latest possible date
    [2008, 3, 23],
    [2019, 4, 21],
    [2020, 4, 12],
    [2024, 3, 31],
    [2025, 4, 20],
    [2026, 4, 5],
    [2027, 3, 28],
    [2285, 3, 22], // earliest possible date
  ])('%i is %i/%i', (year, month, day) => {
    expect(easterSunday(year)).toEqual({ month, day });
  });

  it('refuses years outside the Gregorian calendar', () => {
    expect(() => easterSunday(1500)).toThrow(RangeError);
    expect(() => easterSunday(2025.5)).toThrow(RangeError);
  });
});

describe('Colombian public holidays (Ley 51 de 1983)', () => {
  it('lists 2024', () => {
    expect(dates(2024)).toEqual([
      '2024-01-01',
      '2024-01-08',
      '2024-03-25',
      '2024-03-28',
      '2024-03-29',
      '2024-05-01',
      '2024-05-13',
      '2024-06-03',
      '2024-06-10',
      '2024-07-01',
      '2024-07-20',
      '2024-08-07',
      '2024-08-19',
      '2024-10-14',
      '2024-11-04',
      '2024-11-11',
      '2024-12-08',
      '2024-12-25',
    ]);
  });

  it('lists 2025, where Sagrado Corazón and San Pedro share Monday 30 June', () => {
    const holidays = colombianHolidays(2025);
    expect(holidays).toHaveLength(18);
    expect(dates(2025)).toEqual([
      '2025-01-01',
      '2025-01-06',
      '2025-03-24',
      '2025-04-17',
      '2025-04-18',
      '2025-05-01',
      '2025-06-02',
      '2025-06-23',
      '2025-06-30',
      '2025-07-20',
      '2025-08-07',
      '2025-08-18',
      '2025-10-13',
      '2025-11-03',
      '2025-11-17',
      '2025-12-08',
      '2025-12-25',
    ]);
    expect(
      holidays
        .filter((holiday) => holiday.date === '2025-06-30')
        .map((holiday) => holiday.name)
        .sort(),
    ).toEqual(['Sagrado Corazón de Jesús', 'San Pedro y San Pablo']);
  });

  it('lists 2026', () => {
    expect(dates(2026)).toEqual([
      '2026-01-01',
      '2026-01-12',
      '2026-03-23',
      '2026-04-02',
      '2026-04-03',
      '2026-05-01',
      '2026-05-18',
      '2026-06-08',
      '2026-06-15',
      '2026-06-29',
      '2026-07-20',
      '2026-08-07',
      '2026-08-17',
      '2026-10-12',
      '2026-11-02',
      '2026-11-16',
      '2026-12-08',
      '2026-12-25',
    ]);
  });

  it('names each 2026 holiday with the rule that placed it', () => {
    const byName = new Map(colombianHolidays(2026).map((holiday) => [holiday.name, holiday]));
    expect(byName.get('Día de los Reyes Magos')).toEqual({ date: '2026-01-12', name: 'Día de los Reyes Magos', rule: 'next_monday' });
    expect(byName.get('Viernes Santo')).toMatchObject({ date: '2026-04-03', rule: 'easter_fixed' });
    expect(byName.get('Corpus Christi')).toMatchObject({ date: '2026-06-08', rule: 'easter_next_monday' });
    expect(byName.get('Navidad')).toMatchObject({ date: '2026-12-25', rule: 'fixed' });
  });

  it('puts every moved holiday on a Monday within six days of its nominal date', () => {
    for (let year = 1990; year <= 2060; year++) {
      for (const holiday of colombianHolidays(year)) {
        const weekday = new Date(`${holiday.date}T12:00:00Z`).getUTCDay();
        if (holiday.rule === 'next_monday' || holiday.rule === 'easter_next_monday') expect(weekday).toBe(1);
        if (holiday.rule === 'easter_fixed') expect([4, 5]).toContain(weekday);
      }
    }
  });

  it('answers by calendar day', () => {
    expect(isColombianHoliday(2026, 1, 12)).toBe(true);
    expect(isColombianHoliday(2026, 1, 6)).toBe(false); // moved to Monday the 12th
    expect(isColombianHoliday(2025, 7, 20)).toBe(true); // fixed even on a Sunday
  });

  it('reads instants in Bogotá time (UTC-5)', () => {
    expect(isColombianHolidayAt(new Date('2026-01-12T04:59:59Z'))).toBe(false); // 23:59 on Sunday 11 in Bogotá
    expect(isColombianHolidayAt(new Date('2026-01-12T05:00:00Z'))).toBe(true);
    expect(isColombianHolidayAt(new Date('2026-01-13T04:59:00Z'))).toBe(true); // 23:59 on the 12th
    expect(isColombianHolidayAt(bogotaMoment(new Date('2025-12-25T15:00:00-05:00')))).toBe(true);
  });
});

describe('Bogotá wall clock', () => {
  it('shifts by five hours with no daylight saving', () => {
    expect(bogotaMoment(new Date('2026-07-01T00:30:00Z'))).toEqual({ year: 2026, month: 6, day: 30, hour: 19, minute: 30, isoWeekday: 2 });
    expect(bogotaMoment(new Date('2026-01-04T23:10:00Z'))).toEqual({ year: 2026, month: 1, day: 4, hour: 18, minute: 10, isoWeekday: 7 });
  });
});
