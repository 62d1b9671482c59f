/**
 * Cross-checks the bank holiday DATA against the standing rules, so a typo
 * in bank-holidays.ts fails here. The rules (Banking and Financial Dealings
 * Act 1971, Sch 1, and the substitute-day practice GOV.UK publishes) and
 * Easter are computed independently below; the only rows allowed to differ
 * are the proclaimed one-offs, listed explicitly.
 */
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  BANK_HOLIDAY_COVERAGE,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  PUBLISHED_THROUGH_YEAR,
} from './bank-holidays.js';

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): Temporal.PlainDate {
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
  return Temporal.PlainDate.from({ year, month, day });
}

function firstMonday(year: number, month: number): Temporal.PlainDate {
  const first = Temporal.PlainDate.from({ year, month, day: 1 });
  return first.add({ days: (8 - first.dayOfWeek) % 7 });
}

function lastMonday(year: number, month: number): Temporal.PlainDate {
  const first = Temporal.PlainDate.from({ year, month, day: 1 });
  const last = first.add({ months: 1 }).subtract({ days: 1 });
  return last.subtract({ days: (last.dayOfWeek + 6) % 7 });
}

/** The bank holidays the standing rules give for a year, before any one-off. */
function byRules(year: number): string[] {
  const dates: Temporal.PlainDate[] = [];
  const newYear = Temporal.PlainDate.from({ year, month: 1, day: 1 });
  // At a weekend, the holiday moves to the next Monday.
  dates.push(
    newYear.dayOfWeek === 6
      ? newYear.add({ days: 2 })
      : newYear.dayOfWeek === 7
        ? newYear.add({ days: 1 })
        : newYear,
  );
  const easter = easterSunday(year);
  dates.push(easter.subtract({ days: 2 }), easter.add({ days: 1 }));
  dates.push(firstMonday(year, 5), lastMonday(year, 5), lastMonday(year, 8));
  const christmas = Temporal.PlainDate.from({ year, month: 12, day: 25 });
  // Christmas and Boxing Day take the next two weekdays not already holidays.
  const substitutes: Record<number, [number, number]> = {
    1: [0, 1],
    2: [0, 1],
    3: [0, 1],
    4: [0, 1],
    5: [0, 3], // Fri: Boxing Day (Sat) → Mon 28th
    6: [2, 3], // Sat: → Mon 27th and Tue 28th
    7: [2, 1], // Sun: Boxing Day Mon 26th, Christmas → Tue 27th
  };
  const [c, b] = substitutes[christmas.dayOfWeek] ?? [0, 1];
  dates.push(christmas.add({ days: c }), christmas.add({ days: b }));
  return dates.map(String).sort();
}

/** Proclaimed changes to the rules, as GOV.UK published them. */
const ONE_OFFS: Record<number, { removed: string[]; added: string[] }> = {
  2020: { removed: ['2020-05-04'], added: ['2020-05-08'] }, // VE day 75
  2022: {
    removed: ['2022-05-30'],
    added: ['2022-06-02', '2022-06-03', '2022-09-19'], // Platinum Jubilee; State Funeral
  },
  2023: { removed: [], added: ['2023-05-08'] }, // coronation of King Charles III
};

const datesIn = (year: number) =>
  ENGLAND_AND_WALES_BANK_HOLIDAYS.filter((h) => h.date.startsWith(`${year}-`)).map((h) => h.date);

describe('England and Wales bank holiday data', () => {
  it('covers 2015 to 2030 at least', () => {
    expect(BANK_HOLIDAY_COVERAGE.firstYear).toBeLessThanOrEqual(2015);
    expect(BANK_HOLIDAY_COVERAGE.lastYear).toBeGreaterThanOrEqual(2030);
    expect(PUBLISHED_THROUGH_YEAR).toBeLessThanOrEqual(BANK_HOLIDAY_COVERAGE.lastYear);
  });

  it('holds real ISO dates, in order, each once', () => {
    const dates = ENGLAND_AND_WALES_BANK_HOLIDAYS.map((h) => h.date);
    for (const date of dates) {
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Temporal.PlainDate.from(date, { overflow: 'reject' }).toString()).toBe(date);
    }
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
  });

  it('never puts a bank holiday on a weekend (substitute days are used instead)', () => {
    for (const { date } of ENGLAND_AND_WALES_BANK_HOLIDAYS) {
      expect(Temporal.PlainDate.from(date).dayOfWeek, date).toBeLessThanOrEqual(5);
    }
  });

  for (let year = BANK_HOLIDAY_COVERAGE.firstYear; year <= BANK_HOLIDAY_COVERAGE.lastYear; year++) {
    it(`${year} matches the standing rules and Easter, apart from listed one-offs`, () => {
      const oneOff = ONE_OFFS[year] ?? { removed: [], added: [] };
      const expected = [
        ...byRules(year).filter((d) => !oneOff.removed.includes(d)),
        ...oneOff.added,
      ].sort();
      expect(datesIn(year)).toEqual(expected);
    });
  }

  it('names Good Friday and Easter Monday on the computed Easter dates', () => {
    for (
      let year = BANK_HOLIDAY_COVERAGE.firstYear;
      year <= BANK_HOLIDAY_COVERAGE.lastYear;
      year++
    ) {
      const easter = easterSunday(year);
      const named = (name: string) =>
        ENGLAND_AND_WALES_BANK_HOLIDAYS.find(
          (h) => h.name === name && h.date.startsWith(`${year}-`),
        )?.date;
      expect(named('Good Friday')).toBe(easter.subtract({ days: 2 }).toString());
      expect(named('Easter Monday')).toBe(easter.add({ days: 1 }).toString());
    }
  });

  it('gets Easter right for known years (checks the algorithm itself)', () => {
    // Easter Sundays as published by the Church of England.
    expect(easterSunday(2016).toString()).toBe('2016-03-27');
    expect(easterSunday(2019).toString()).toBe('2019-04-21');
    expect(easterSunday(2024).toString()).toBe('2024-03-31');
    expect(easterSunday(2025).toString()).toBe('2025-04-20');
    expect(easterSunday(2038).toString()).toBe('2038-04-25'); // latest possible
    expect(easterSunday(2285).toString()).toBe('2285-03-22'); // earliest possible
  });

  it('includes the one-offs by name', () => {
    const on = (date: string) => ENGLAND_AND_WALES_BANK_HOLIDAYS.find((h) => h.date === date)?.name;
    expect(on('2020-05-08')).toMatch(/VE day/);
    expect(on('2022-06-03')).toMatch(/Platinum Jubilee/);
    expect(on('2022-09-19')).toMatch(/State Funeral/);
    expect(on('2023-05-08')).toMatch(/coronation/);
  });
});
