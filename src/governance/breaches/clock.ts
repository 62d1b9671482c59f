/**
 * The 72-hour clock (UK GDPR Art 33(1)): notify the ICO "without undue delay
 * and, where feasible, not later than 72 hours after having become aware of
 * it". The clock runs from the moment the organisation became aware to the
 * moment it decides whether to notify — the decision is what Safekeep can
 * see; a decision to notify is followed at once by the report, whose fields
 * the breach page lays out ready to copy.
 *
 * Hours are elapsed hours, counted on instants, never on the wall clock: a
 * breach found at 10am on the Saturday before the clocks go forward is due
 * at 11am (BST) on the Tuesday, 72 real hours later, not 10am (71 hours).
 * Pure functions: the service, the reminders and the tests share them
 * (docs/decisions/0017-breach-register.md).
 */

export const ICO_DEADLINE_HOURS = 72;
/** Hours left at which the hourly check raises a "due soon" reminder. */
export const DUE_SOON_HOURS = 24;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The moment the ICO decision is due: 72 elapsed hours after awareness. */
export function icoDeadline(awareAt: Date): Date {
  return new Date(awareAt.getTime() + ICO_DEADLINE_HOURS * HOUR_MS);
}

export type ClockState =
  | { state: 'running'; deadline: Date; minutesLeft: number; dueSoon: boolean }
  | { state: 'overdue'; deadline: Date; minutesOver: number }
  | {
      state: 'decided';
      deadline: Date;
      decidedAt: Date;
      /** Whole minutes from awareness to the decision. */
      minutesTaken: number;
      withinDeadline: boolean;
    };

/**
 * Where the clock stands at `now`. Minutes are whole minutes, rounded
 * towards the deadline's side of caution: time left rounds down, time over
 * rounds up, so a page never shows more time than there is.
 */
export function clockState(awareAt: Date, decidedAt: Date | null, now: Date): ClockState {
  const deadline = icoDeadline(awareAt);
  if (decidedAt) {
    return {
      state: 'decided',
      deadline,
      decidedAt,
      minutesTaken: Math.floor((decidedAt.getTime() - awareAt.getTime()) / MINUTE_MS),
      withinDeadline: decidedAt.getTime() <= deadline.getTime(),
    };
  }
  const leftMs = deadline.getTime() - now.getTime();
  if (leftMs >= 0) {
    const minutesLeft = Math.floor(leftMs / MINUTE_MS);
    return { state: 'running', deadline, minutesLeft, dueSoon: leftMs <= DUE_SOON_HOURS * HOUR_MS };
  }
  return { state: 'overdue', deadline, minutesOver: Math.ceil(-leftMs / MINUTE_MS) };
}

/** "3 hours 5 minutes", "1 hour", "45 minutes", "0 minutes". */
export function durationWords(totalMinutes: number): string {
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours} hour${hours === 1 ? '' : 's'}`);
  if (minutes > 0 || hours === 0) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`);
  return parts.join(' ');
}

/** The clock in words, for the register, the breach page and the home page. */
export function clockWords(clock: ClockState): string {
  switch (clock.state) {
    case 'running':
      return `${durationWords(clock.minutesLeft)} left to decide whether to tell the ICO`;
    case 'overdue':
      return `${durationWords(clock.minutesOver)} overdue: decide whether to tell the ICO now`;
    case 'decided':
      return clock.withinDeadline
        ? `Decided ${durationWords(clock.minutesTaken)} after becoming aware, within 72 hours`
        : `Decided ${durationWords(clock.minutesTaken)} after becoming aware, later than 72 hours`;
  }
}
