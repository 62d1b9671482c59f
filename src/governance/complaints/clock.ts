import { Temporal } from 'temporal-polyfill';
import { formatDate } from '../../platform/http/views.js';

/**
 * The complaint acknowledgement clock (DPA 2018 s.164A(3), inserted by the
 * Data (Use and Access) Act 2025 s.103): a controller must "acknowledge
 * receipt of the complaint within the period of 30 days beginning when the
 * complaint is received". The period begins on the day received, which is
 * day 1, so received 1 March → acknowledge by 30 March (received + 29 days).
 *
 * Unlike the rights clock (rights/clock.ts, from ICO guidance), the statute
 * gives no move off a weekend or bank holiday, so the last day stays where it
 * falls: acknowledging on a Friday before a Sunday day 30 is in time, waiting
 * for Monday is not. Decision record 0018.
 *
 * Pure functions of calendar dates: the clock never sees a timestamp, so a
 * clock change (or a server in UTC) cannot move a deadline. The one place an
 * instant becomes a date is `receivedOnFor`, which takes the day in England.
 */

/** The statutory period, in days, counting the day received as the first. */
export const ACKNOWLEDGE_WITHIN_DAYS = 30;

/** How near the last day "due soon" starts, in calendar days (a week). */
export const DUE_SOON_DAYS = 7;

/**
 * Keeping the complainant informed of progress (s.164A(5)(b)): an open complaint with
 * no update sent for this many days is shown as a reminder. Not statutory; a
 * working rhythm the governance team can see.
 */
export const UPDATE_EVERY_DAYS = 28;

const plain = (date: string | Temporal.PlainDate) =>
  typeof date === 'string' ? Temporal.PlainDate.from(date) : date;

/** The last day to acknowledge: day 30, the day received being day 1. */
export function acknowledgeBy(receivedOn: string | Temporal.PlainDate): string {
  return plain(receivedOn)
    .add({ days: ACKNOWLEDGE_WITHIN_DAYS - 1 })
    .toString();
}

/**
 * The day a complaint arrived, for one sent through the form: the calendar
 * day in England at that instant (00:30 BST on 30 March is 30 March, though
 * it is still 29 March in UTC).
 */
export function receivedOnFor(instant: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime())
    .toZonedDateTimeISO('Europe/London')
    .toPlainDate()
    .toString();
}

/** Today in England. */
export function londonToday(): string {
  return Temporal.Now.plainDateISO('Europe/London').toString();
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return plain(from).until(plain(to), { largestUnit: 'days' }).days;
}

export type AcknowledgementStatus =
  | { kind: 'acknowledged'; inTime: boolean; on: string }
  | { kind: 'waiting'; daysLeft: number; due: string; dueSoon: boolean }
  | { kind: 'overdue'; daysOver: number; due: string };

/** Where the acknowledgement stands on `today`. */
export function acknowledgementStatus(
  complaint: { receivedOn: string; acknowledgedOn: string | null },
  today: string,
): AcknowledgementStatus {
  const due = acknowledgeBy(complaint.receivedOn);
  if (complaint.acknowledgedOn) {
    return {
      kind: 'acknowledged',
      inTime: complaint.acknowledgedOn <= due,
      on: complaint.acknowledgedOn,
    };
  }
  const daysLeft = daysBetween(today, due);
  if (daysLeft < 0) return { kind: 'overdue', daysOver: -daysLeft, due };
  return { kind: 'waiting', daysLeft, due, dueSoon: daysLeft < DUE_SOON_DAYS };
}

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** The status in words, as the pages and the list show it. */
export function acknowledgementInWords(status: AcknowledgementStatus): string {
  switch (status.kind) {
    case 'acknowledged':
      return `Acknowledged on ${formatDate(status.on)}${status.inTime ? '' : ', later than the 30 days allowed'}`;
    case 'waiting':
      return status.daysLeft === 0
        ? `Acknowledge today, ${formatDate(status.due)}: this is the last day`
        : `Acknowledge by ${formatDate(status.due)} (${days(status.daysLeft)} left)`;
    case 'overdue':
      return `Acknowledgement overdue: it was due by ${formatDate(status.due)}, ${days(status.daysOver)} ago`;
  }
}

/** Whether an update to the complainant is due: nothing sent (or acknowledged) for UPDATE_EVERY_DAYS. */
export function updateDue(lastContactOn: string | null, today: string): boolean {
  return lastContactOn !== null && daysBetween(lastContactOn, today) >= UPDATE_EVERY_DAYS;
}
