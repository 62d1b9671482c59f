/**
 * Calendar arithmetic for retention periods. Calendar dates are dates, not
 * timestamps (design.md "Dates"); every function here is pure and never reads
 * the clock. Definitions: docs/decisions/0002-retention-date-arithmetic.md.
 */
import { Temporal } from 'temporal-polyfill';

import type { RetentionPeriod } from '../policy/types.js';

export type PlainDate = Temporal.PlainDate;

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses a strict ISO calendar date (yyyy-mm-dd). Rejects impossible dates
 * such as 2023-02-30, and anything that is not exactly a date (a timestamp,
 * an extended year), which Temporal alone would accept.
 */
export function parseIsoDate(text: string): PlainDate {
  if (!isoDatePattern.test(text)) {
    throw new RangeError(`"${text}" is not a date in the form YYYY-MM-DD`);
  }
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' });
  } catch {
    throw new RangeError(`"${text}" is not a real calendar date`);
  }
}

function assertWholeYears(years: number): void {
  if (!Number.isInteger(years) || years < 0) {
    throw new RangeError(`A retention period must be a whole number of years ≥ 0, not ${years}`);
  }
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Adds whole calendar years. 29 February becomes 1 March in a year without
 * one: English law treats a leap-day child as attaining an age on 1 March in
 * a common year, and a retention date must never fall a day early (Temporal's
 * own `add` would give 28 February).
 */
export function addCalendarYears(date: PlainDate, years: number): PlainDate {
  assertWholeYears(years);
  const targetYear = date.year + years;
  if (date.month === 2 && date.day === 29 && !isLeapYear(targetYear)) {
    return Temporal.PlainDate.from({ year: targetYear, month: 3, day: 1 });
  }
  return Temporal.PlainDate.from({ year: targetYear, month: date.month, day: date.day });
}

/**
 * "Current year + N": kept to the end of the trigger's calendar year plus N
 * more years, so the first day the action is due is 1 January of
 * (trigger year + N + 1). Example: training on 15 March 2024, current year + 6
 * → kept to 31 December 2030, due 1 January 2031.
 */
export function startOfYearAfterCurrentPlus(date: PlainDate, years: number): PlainDate {
  assertWholeYears(years);
  return Temporal.PlainDate.from({ year: date.year + years + 1, month: 1, day: 1 });
}

/** The birthday on which a person born on `dateOfBirth` attains `age`. */
export function birthdayAtAge(dateOfBirth: PlainDate, age: number): PlainDate {
  return addCalendarYears(dateOfBirth, age);
}

/**
 * Whether a death came strictly before the birthday at `age`: a death on the
 * 18th birthday itself is not "before the age of 18".
 */
export function diedBeforeAge(
  dateOfBirth: PlainDate,
  dateOfDeath: PlainDate,
  age: number,
): boolean {
  return Temporal.PlainDate.compare(dateOfDeath, birthdayAtAge(dateOfBirth, age)) < 0;
}

/** The first day the action is due: trigger date plus the period. */
export function applyPeriod(trigger: PlainDate, period: RetentionPeriod): PlainDate {
  switch (period.kind) {
    case 'calendar-years':
      return addCalendarYears(trigger, period.years);
    case 'end-of-year-plus':
      return startOfYearAfterCurrentPlus(trigger, period.years);
    case 'on-trigger':
      return trigger;
  }
}

export function compareDates(a: PlainDate, b: PlainDate): number {
  return Temporal.PlainDate.compare(a, b);
}

export function laterOf(a: PlainDate, b: PlainDate): PlainDate {
  return compareDates(a, b) >= 0 ? a : b;
}

export function earlierOf(a: PlainDate, b: PlainDate): PlainDate {
  return compareDates(a, b) <= 0 ? a : b;
}

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** "17 May 2052": the GOV.UK style for dates in running text. */
export function formatLongDate(date: PlainDate): string {
  return `${date.day} ${monthNames[date.month - 1] ?? ''} ${date.year}`;
}

/** Describes a period in plain English, e.g. "40 years", "the rest of the calendar year and 6 more years". */
export function describePeriod(period: RetentionPeriod): string {
  switch (period.kind) {
    case 'calendar-years':
      return `${period.years} ${period.years === 1 ? 'year' : 'years'}`;
    case 'end-of-year-plus':
      return `the rest of the calendar year and ${period.years} more ${period.years === 1 ? 'year' : 'years'}`;
    case 'on-trigger':
      return 'no further time';
  }
}
