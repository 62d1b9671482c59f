/**
 * The dates the practice-review workflow is held to (decision 0008).
 *
 * - Notification: the local authority must notify the Child Safeguarding
 *   Practice Review Panel of a serious child safeguarding incident (Children
 *   Act 2004 s16C(1)); Working Together to Safeguard Children 2023, chapter
 *   5, says within 5 working days of becoming aware of it.
 * - Rapid review: Working Together 2023, chapter 5, expects it within 15
 *   working days of becoming aware of the incident.
 * - Publication: "It is a statutory requirement to publish the learning and
 *   recommendations from Local Child Safeguarding Practice Reviews for a
 *   minimum of 1 year" (KSCMP notice). SSCP's notice says only that
 *   publication is a statutory requirement; the same minimum is applied.
 *
 * Working days are Monday to Friday except England and Wales bank holidays
 * (the table the rights clock uses).
 */
import { Temporal } from 'temporal-polyfill';
import { isWorkingDay } from '../rights/clock.js';

export const NOTIFICATION_WORKING_DAYS = 5;
export const RAPID_REVIEW_WORKING_DAYS = 15;
export const MINIMUM_PUBLICATION_YEARS = 1;

/** The `count`th working day after `from` (the day itself is day 0). */
export function addWorkingDays(from: string, count: number): string {
  let day = Temporal.PlainDate.from(from);
  let left = count;
  while (left > 0) {
    day = day.add({ days: 1 });
    if (isWorkingDay(day)) left -= 1;
  }
  return day.toString();
}

/** The last day to notify the National Panel, from the day the incident became known. */
export function notificationDueOn(awareOn: string): string {
  return addWorkingDays(awareOn, NOTIFICATION_WORKING_DAYS);
}

/** The day the rapid review is expected to be complete by. */
export function rapidReviewDueOn(awareOn: string): string {
  return addWorkingDays(awareOn, RAPID_REVIEW_WORKING_DAYS);
}

/**
 * The earliest day a published report may be taken down: one calendar year
 * after publication. A report published on 29 February may come down on 1
 * March the next year, never 28 February, which would be a day short of a
 * year (the same reading as decision 0002's "+ N years").
 */
export function earliestWithdrawalOn(publishedOn: string): string {
  const published = Temporal.PlainDate.from(publishedOn);
  const anniversary = published.add({ years: MINIMUM_PUBLICATION_YEARS });
  return published.month === 2 && published.day === 29 && anniversary.day === 28
    ? anniversary.add({ days: 1 }).toString()
    : anniversary.toString();
}
