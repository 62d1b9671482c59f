import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';

import {
  addCalendarYears,
  applyPeriod,
  birthdayAtAge,
  compareDates,
  diedBeforeAge,
  formatLongDate,
  isLeapYear,
  parseIsoDate,
  startOfYearAfterCurrentPlus,
} from './calendar.js';
import { dateArbitrary, yearsArbitrary } from './test-arbitraries.js';

const d = (text: string) => Temporal.PlainDate.from(text);

describe('parseIsoDate', () => {
  it('parses a real date', () => {
    expect(parseIsoDate('2024-02-29').toString()).toBe('2024-02-29');
  });

  it.each([
    ['2023-02-30', 'not a real calendar date'],
    ['2023-02-29', 'not a real calendar date'],
    ['2023-13-01', 'not a real calendar date'],
    ['2023-2-1', 'YYYY-MM-DD'],
    ['2023-02-28T10:00', 'YYYY-MM-DD'],
    ['+002023-01-01', 'YYYY-MM-DD'],
    ['', 'YYYY-MM-DD'],
    ['yesterday', 'YYYY-MM-DD'],
  ])('rejects %j', (text, message) => {
    expect(() => parseIsoDate(text)).toThrow(message);
  });
});

describe('addCalendarYears', () => {
  it.each([
    ['2012-05-17', 40, '2052-05-17'],
    // 29 February becomes 1 March in a year without one: never a day early.
    ['2024-02-29', 1, '2025-03-01'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2000-02-29', 100, '2100-03-01'], // 2100 is not a leap year
    ['2000-02-29', 400, '2400-02-29'],
    ['2023-02-28', 1, '2024-02-28'],
    ['2023-12-31', 6, '2029-12-31'],
    ['2023-03-01', 0, '2023-03-01'],
  ])('%s + %i years = %s', (from, years, expected) => {
    expect(addCalendarYears(d(from), years).toString()).toBe(expected);
  });

  it('rejects negative or fractional years', () => {
    expect(() => addCalendarYears(d('2020-01-01'), -1)).toThrow(RangeError);
    expect(() => addCalendarYears(d('2020-01-01'), 1.5)).toThrow(RangeError);
  });
});

describe('startOfYearAfterCurrentPlus ("current year + N")', () => {
  it.each([
    ['2024-03-15', 6, '2031-01-01'],
    ['2024-01-01', 6, '2031-01-01'],
    ['2024-12-31', 6, '2031-01-01'],
    ['2024-02-29', 6, '2031-01-01'],
  ])('%s: current year + %i is due %s', (from, years, expected) => {
    expect(startOfYearAfterCurrentPlus(d(from), years).toString()).toBe(expected);
  });
});

describe('diedBeforeAge', () => {
  const born = d('2006-07-10');
  it('a death the day before the 18th birthday is before 18', () => {
    expect(diedBeforeAge(born, d('2024-07-09'), 18)).toBe(true);
  });
  it('a death on the 18th birthday is not before 18', () => {
    expect(diedBeforeAge(born, d('2024-07-10'), 18)).toBe(false);
  });
  it('a leap-day child turns 18 on 1 March in a common year', () => {
    const leapBorn = d('2008-02-29');
    expect(birthdayAtAge(leapBorn, 18).toString()).toBe('2026-03-01');
    expect(diedBeforeAge(leapBorn, d('2026-02-28'), 18)).toBe(true);
    expect(diedBeforeAge(leapBorn, d('2026-03-01'), 18)).toBe(false);
  });
});

describe('applyPeriod', () => {
  it('on-trigger is due on the trigger date itself', () => {
    expect(applyPeriod(d('2025-06-01'), { kind: 'on-trigger' }).toString()).toBe('2025-06-01');
  });
});

describe('formatLongDate', () => {
  it('writes dates the GOV.UK way', () => {
    expect(formatLongDate(d('2052-05-17'))).toBe('17 May 2052');
    expect(formatLongDate(d('2031-01-01'))).toBe('1 January 2031');
  });
});

describe('isLeapYear', () => {
  it.each([
    [2024, true],
    [2023, false],
    [2000, true],
    [1900, false],
    [2100, false],
  ])('%i → %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });
});

describe('calendar properties', () => {
  it('adding years never lands a day early: never before Temporal’s own result, and never moves the day except 29 Feb → 1 Mar', () => {
    fc.assert(
      fc.property(dateArbitrary, yearsArbitrary, (date, years) => {
        const result = addCalendarYears(date, years);
        const temporal = date.add({ years }); // constrains 29 Feb to 28 Feb
        expect(compareDates(result, temporal)).toBeGreaterThanOrEqual(0);
        expect(result.year).toBe(date.year + years);
        if (date.month === 2 && date.day === 29 && !isLeapYear(result.year)) {
          expect(result.toString()).toBe(`${String(result.year).padStart(4, '0')}-03-01`);
        } else {
          expect([result.month, result.day]).toEqual([date.month, date.day]);
        }
      }),
    );
  });

  it('the result is never before the start, and strictly after it for a positive period', () => {
    fc.assert(
      fc.property(dateArbitrary, yearsArbitrary, (date, years) => {
        const cmp = compareDates(addCalendarYears(date, years), date);
        expect(years === 0 ? cmp === 0 : cmp > 0).toBe(true);
      }),
    );
  });

  it('is monotonic in the start date', () => {
    fc.assert(
      fc.property(dateArbitrary, dateArbitrary, yearsArbitrary, (a, b, years) => {
        const [early, late] = compareDates(a, b) <= 0 ? [a, b] : [b, a];
        expect(
          compareDates(addCalendarYears(early, years), addCalendarYears(late, years)),
        ).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('adding in two steps is never earlier than adding in one', () => {
    fc.assert(
      fc.property(dateArbitrary, yearsArbitrary, yearsArbitrary, (date, a, b) => {
        expect(
          compareDates(
            addCalendarYears(addCalendarYears(date, a), b),
            addCalendarYears(date, a + b),
          ),
        ).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('current year + N is 1 January of year + N + 1, after the trigger and within N + 1 years', () => {
    fc.assert(
      fc.property(dateArbitrary, yearsArbitrary, (date, years) => {
        const due = startOfYearAfterCurrentPlus(date, years);
        expect([due.year, due.month, due.day]).toEqual([date.year + years + 1, 1, 1]);
        expect(compareDates(due, date)).toBeGreaterThan(0);
        expect(compareDates(due, addCalendarYears(date, years))).toBeGreaterThan(0);
        expect(compareDates(due, addCalendarYears(date, years + 1))).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('a person is under an age exactly until the birthday at that age', () => {
    fc.assert(
      fc.property(dateArbitrary, fc.integer({ min: 1, max: 100 }), (born, age) => {
        const birthday = birthdayAtAge(born, age);
        expect(diedBeforeAge(born, birthday.subtract({ days: 1 }), age)).toBe(true);
        expect(diedBeforeAge(born, birthday, age)).toBe(false);
      }),
    );
  });
});
