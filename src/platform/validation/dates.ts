/**
 * Calendar dates as every boundary takes them (forms, the JSON API, the
 * CLI, imports). A date is YYYY-MM-DD, a real day (2023-02-30 is refused,
 * not rolled over), and inside a range: 1900–2200 unless the field has its
 * own, such as "not after today" for something that has already happened.
 * Year 0000 does not exist in PostgreSQL and 9999 is a typing slip, so
 * neither gets past here. Which fields may be in the future:
 * docs/decisions/0011-date-ranges.md.
 */
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { capitalise } from './text.js';
import './messages.js';

export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2200;
const earliest = `${EARLIEST_YEAR}-01-01`;
const latest = `${LATEST_YEAR}-12-31`;

/** Today in England, where every organisation using Safekeep is. */
export function today(): string {
  return Temporal.Now.plainDateISO('Europe/London').toString();
}

export interface DateRange {
  /** 'today': something that has already happened (a note, a date of birth). */
  notAfter?: 'today';
}

/** YYYY-MM-DD naming a day that exists, any year. */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  try {
    Temporal.PlainDate.from(text, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/** A real date between 1900 and 2200: what any date field may hold at most. */
export function isRealDate(text: string): boolean {
  return isCalendarDate(text) && text >= earliest && text <= latest;
}

/**
 * Why `text` is not a date this field takes, in words for the person who
 * typed it ("Enter a date of birth between 1900 and today"); null when it is.
 * `label` is the field without an article: "date of birth".
 */
export function dateProblem(text: string, label: string, range: DateRange = {}): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return `Enter the ${label} as YYYY-MM-DD`;
  if (!isCalendarDate(text)) return `${capitalise(label)} must be a real date`;
  const upTo = range.notAfter === 'today' ? today() : latest;
  if (text < earliest || text > upTo) {
    const end = range.notAfter === 'today' ? 'today' : String(LATEST_YEAR);
    return `Enter ${article(label)} ${label} between ${EARLIEST_YEAR} and ${end}`;
  }
  return null;
}

/**
 * A calendar date field, YYYY-MM-DD, refused with a plain message when it is
 * not a real day or is outside its range. `label`: "date of birth".
 */
export function calendarDate(label = 'date', range: DateRange = {}) {
  return z
    .string({ error: `Enter the ${label}` })
    .superRefine((value, ctx) => {
      const problem = dateProblem(value, label, range);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe(
      range.notAfter === 'today'
        ? `Calendar date, YYYY-MM-DD, ${EARLIEST_YEAR} to today`
        : `Calendar date, YYYY-MM-DD, ${EARLIEST_YEAR} to ${LATEST_YEAR}`,
    );
}

/** A day that has already happened: a note, a date of birth, a referral received. */
export function pastDate(label = 'date') {
  return calendarDate(label, { notAfter: 'today' });
}

function article(label: string): string {
  return /^[aeiou]/i.test(label) ? 'an' : 'a';
}
