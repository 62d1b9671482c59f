/**
 * Dates as practice reviews write them: "3rd March 2015", "3 March 2015",
 * "Monday 3 March", "March 3, 2015", "03/03/15", "3.3.2015", "2015-03-03".
 * Numeric dates are read day first, as in the UK. Each is checked to be a
 * real day (temporal-polyfill), so "31/02/15" or a version number "3.4.1"
 * is not taken for one.
 */
import { Temporal } from 'temporal-polyfill';
import { matchesOf } from './text.js';

export const MONTHS = [
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

const MONTH_WORDS: Record<string, number> = {};
MONTHS.forEach((name, i) => {
  const lower = name.toLowerCase();
  MONTH_WORDS[lower] = i + 1;
  MONTH_WORDS[lower.slice(0, 3)] = i + 1;
});
MONTH_WORDS.sept = 9;

// A full stop after a month only when it is short ("Sept."), so "3 May." leaves the sentence's.
const SHORT_MONTH = 'jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec';
const MONTH =
  '(january|february|march|april|may|june|july|august|september|october|november|december|' +
  `${SHORT_MONTH})(?:(?<=(?<!\\p{L})(?:${SHORT_MONTH}))\\.)?`;
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR = "((?:19|20)\\d{2}|'\\d{2})";
const WEEKDAY =
  '(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\\.?,?\\s+(?:the\\s+)?)?';
const EDGE_START = '(?<![\\p{L}\\p{N}])';
const EDGE_END = '(?![\\p{L}\\p{N}])';

// Run on folded (lower-case) text.
// After a day and month, a bare two-digit year too ("3 Mar 15", "3-Mar-15"),
// unless words follow it ("3 March 15 children").
const SHORT_YEAR = "((?:19|20)\\d{2}|'?\\d{2}(?![\\p{N}])(?![ \\t]+\\p{L}))";
const DAY_MONTH_YEAR = new RegExp(
  `${EDGE_START}${WEEKDAY}${DAY}(?:\\s+of)?[\\s-]+${MONTH}(?:,?[\\s-]+${SHORT_YEAR})?${EDGE_END}`,
  'gu',
);
const MONTH_DAY_YEAR = new RegExp(
  `${EDGE_START}${WEEKDAY}${MONTH}\\s+${DAY}(?:,?\\s+${YEAR})?${EDGE_END}`,
  'gu',
);
const NUMERIC = new RegExp(
  `${EDGE_START}(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4}|\\d{2})${EDGE_END}(?![./-]\\d)`,
  'gu',
);
const ISO = new RegExp(`${EDGE_START}(\\d{4})-(\\d{2})-(\\d{2})${EDGE_END}`, 'gu');
const MONTH_YEAR = new RegExp(`${EDGE_START}${MONTH}[\\s,]+${YEAR}${EDGE_END}`, 'gu');

export interface FoundDate {
  start: number;
  end: number;
  /** Year, month and day; year absent when the text gave none ("3 March"). */
  year?: number | undefined;
  month: number;
  day?: number | undefined;
}

function fullYear(text: string): number {
  const digits = text.replace("'", '');
  if (digits.length === 4) return Number(digits);
  const yy = Number(digits);
  // Two-digit years in a safeguarding record are this century unless they
  // would be in the future; nobody in a case was born before 1930.
  const thisYear = Temporal.Now.plainDateISO().year % 100;
  return yy <= thisYear + 1 ? 2000 + yy : 1900 + yy;
}

function isRealDay(year: number | undefined, month: number, day: number): boolean {
  try {
    Temporal.PlainDate.from({ year: year ?? 2024, month, day }, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/**
 * "2 may attend": "may" after a number with no year is the verb unless a
 * preposition comes before ("on 3 May") or nothing follows ("3 May.").
 */
function mayIsAVerb(folded: string, start: number, end: number): boolean {
  if (
    /(?:on|of|by|from|until|till|to|since|before|after|between|and|the)\s+$/.test(
      folded.slice(Math.max(0, start - 10), start),
    )
  ) {
    return false;
  }
  return /^\s+\p{L}/u.test(folded.slice(end, end + 3));
}

/** Exact dates (a day in a month), with or without a year, in folded text. */
export function findDates(folded: string): FoundDate[] {
  const found: FoundDate[] = [];
  const add = (date: FoundDate) => {
    if (date.day !== undefined && !isRealDay(date.year, date.month, date.day)) return;
    found.push(date);
  };
  for (const { start, end, match } of matchesOf(DAY_MONTH_YEAR, folded)) {
    const month = MONTH_WORDS[match[2] ?? ''] ?? 0;
    if (match[2] === 'may' && !match[3] && mayIsAVerb(folded, start, end)) continue;
    add({
      start,
      end,
      day: Number(match[1]),
      month,
      year: match[3] ? fullYear(match[3]) : undefined,
    });
  }
  for (const { start, end, match } of matchesOf(MONTH_DAY_YEAR, folded)) {
    const month = MONTH_WORDS[match[1] ?? ''] ?? 0;
    if (match[1] === 'may' && !match[3] && mayIsAVerb(folded, start, end)) continue;
    add({
      start,
      end,
      day: Number(match[2]),
      month,
      year: match[3] ? fullYear(match[3]) : undefined,
    });
  }
  for (const { start, end, match } of matchesOf(NUMERIC, folded)) {
    const month = Number(match[3]);
    if (month < 1 || month > 12) continue;
    add({ start, end, day: Number(match[1]), month, year: fullYear(match[4] ?? '') });
  }
  for (const { start, end, match } of matchesOf(ISO, folded)) {
    const month = Number(match[2]);
    if (month < 1 || month > 12) continue;
    add({ start, end, day: Number(match[3]), month, year: Number(match[1]) });
  }
  return found;
}

/** "March 2015" and the like, in folded text: month-and-year mentions. */
export function findMonthYears(folded: string): FoundDate[] {
  const found: FoundDate[] = [];
  for (const { start, end, match } of matchesOf(MONTH_YEAR, folded)) {
    found.push({
      start,
      end,
      month: MONTH_WORDS[match[1] ?? ''] ?? 0,
      year: fullYear(match[2] ?? ''),
    });
  }
  return found;
}

/** The generalised form a date is replaced by: "March 2015", or "March" without a year. */
export function monthYear(date: { month: number; year?: number | undefined }): string {
  const name = MONTHS[date.month - 1] ?? '';
  return date.year === undefined ? name : `${name} ${date.year}`;
}

/** An ISO date ("2015-03-03") as a PlainDate, or undefined if it is not one. */
export function parseIsoDate(text: string | undefined): Temporal.PlainDate | undefined {
  // A date-time ("2015-03-03T00:00:00Z", as some systems export a date of birth) gives its date.
  const date = /^\s*(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$/.exec(
    text ?? '',
  )?.[1];
  if (!date) return undefined;
  try {
    return Temporal.PlainDate.from(date, { overflow: 'reject' });
  } catch {
    return undefined;
  }
}
