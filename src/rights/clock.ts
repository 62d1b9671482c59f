/**
 * The UK GDPR subject-rights clock: when a response to a rights request is due.
 *
 * Pure and database-free: every function takes calendar dates
 * (Temporal.PlainDate, never timestamps, so no time zone can shift a day)
 * and returns dates or a `{ ok: false, reason }` that says why not.
 *
 * Rules (UK GDPR Art 12(3); ICO guidance "Time limits for responding to
 * requests"; Data (Use and Access) Act 2025, which puts the ICO's "stop the
 * clock" practice into law):
 * 1. The clock starts on the day the request is received, even a weekend or
 *    bank holiday, or on the day the ID, the proof of authority or the
 *    clarification needed to act on it arrives, whichever is latest.
 * 2. Due on the same date next month; if next month has no such date, its
 *    last day (31 January -> 28 or 29 February).
 * 3. A due date on a Saturday, Sunday or England-and-Wales bank holiday moves
 *    to the next working day.
 * 4. Extension by up to two further months (three months from the start),
 *    only with reasons, and only if the requester is told within the first
 *    month.
 * 5. Clarification sought after the clock started stops it: the days spent
 *    waiting do not count. See docs/decisions/0003-rights-clock.md for how
 *    that is modelled (the due date moves later by the paused days).
 */
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import { EARLIEST_YEAR, LATEST_YEAR, isRealDate } from '../platform/validation/dates.js';
import { multiLineText } from '../platform/validation/text.js';
import {
  BANK_HOLIDAY_COVERAGE,
  ENGLAND_AND_WALES_BANK_HOLIDAYS,
  type BankHoliday,
} from './bank-holidays.js';

export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Thrown when asked about a date the bank holiday table does not cover.
 * Guessing "not a holiday" would silently give a deadline a day early, so
 * the clock refuses instead (computeDueDate turns this into a reason).
 */
export class OutsideBankHolidayCalendarError extends RangeError {
  constructor(readonly date: Temporal.PlainDate) {
    super(
      `The bank holiday calendar covers ${BANK_HOLIDAY_COVERAGE.firstYear} to ` +
        `${BANK_HOLIDAY_COVERAGE.lastYear}; ${formatDate(date)} is outside it. ` +
        'Add the published dates to src/rights/bank-holidays.ts.',
    );
    this.name = 'OutsideBankHolidayCalendarError';
  }
}

const holidaysByDate: ReadonlyMap<string, BankHoliday> = new Map(
  ENGLAND_AND_WALES_BANK_HOLIDAYS.map((holiday) => [holiday.date, holiday]),
);

function assertCovered(date: Temporal.PlainDate): void {
  if (date.year < BANK_HOLIDAY_COVERAGE.firstYear || date.year > BANK_HOLIDAY_COVERAGE.lastYear) {
    throw new OutsideBankHolidayCalendarError(date);
  }
}

const MONTHS = [
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

/** "3 October 2025": the GOV.UK style for dates in messages. */
export function formatDate(date: Temporal.PlainDate): string {
  return `${date.day} ${MONTHS[date.month - 1] ?? ''} ${date.year}`;
}

/** The England-and-Wales bank holiday on this date, if any. */
export function bankHolidayOn(date: Temporal.PlainDate): BankHoliday | undefined {
  assertCovered(date);
  return holidaysByDate.get(date.toString());
}

export function isBankHoliday(date: Temporal.PlainDate): boolean {
  return bankHolidayOn(date) !== undefined;
}

export function isWeekend(date: Temporal.PlainDate): boolean {
  // ISO weekday: Monday = 1 … Sunday = 7.
  return date.dayOfWeek >= 6;
}

/** Monday to Friday and not an England-and-Wales bank holiday. */
export function isWorkingDay(date: Temporal.PlainDate): boolean {
  return !isWeekend(date) && !isBankHoliday(date);
}

/** The date itself if it is a working day, otherwise the next working day. */
export function workingDayOnOrAfter(date: Temporal.PlainDate): Temporal.PlainDate {
  let day = date;
  while (!isWorkingDay(day)) day = day.add({ days: 1 });
  return day;
}

/**
 * The same date `months` later, or the last day of that month when it has
 * no such date (ICO: "if there is no corresponding calendar date … the date
 * for response is the last day of the following month"). Temporal's default
 * overflow ("constrain") does exactly this.
 */
export function addCalendarMonths(date: Temporal.PlainDate, months: number): Temporal.PlainDate {
  return date.add({ months }, { overflow: 'constrain' });
}

/**
 * Calendar days from `today` to `due`: 0 when due today, negative when
 * overdue. Calendar days, not working days, because the statutory period is
 * itself counted in calendar days and staff read "3 days left" against a
 * wall calendar; the due date already absorbs weekends and bank holidays.
 */
export function daysLeft(due: Temporal.PlainDate, today: Temporal.PlainDate): number {
  return today.until(due, { largestUnit: 'days' }).days;
}

/**
 * A period when the clock was stopped waiting for clarification:
 * `from` is the day the requester was asked, `to` the day the clarification
 * arrived. The days from `from` to the day before `to` do not count, so
 * paused days = `to` − `from` (the clock runs again on `to`). An open pause
 * (no `to`) means the clock is stopped now.
 */
export interface ClarificationPause {
  readonly from: Temporal.PlainDate;
  readonly to?: Temporal.PlainDate | undefined;
}

export interface Extension {
  /** The day the requester was told of the extension and why. */
  readonly toldOn: Temporal.PlainDate;
  /** Why more time is needed (Art 12(3): the requester must be told the reasons). */
  readonly reason: string;
  /** Further months beyond the first: 1 or 2 (default 2, the maximum). */
  readonly months?: 1 | 2 | undefined;
}

export interface ClockInput {
  /** The day the request arrived, by any channel, working day or not. */
  readonly received: Temporal.PlainDate;
  /** The day proof of identity arrived, if it had to be asked for. */
  readonly idReceived?: Temporal.PlainDate | undefined;
  /** The day proof of authority (to act for someone else) arrived. */
  readonly authorityReceived?: Temporal.PlainDate | undefined;
  /**
   * The day clarification arrived when it was sought before the clock
   * started (the request could not be understood at all). Clarification
   * sought later belongs in `pauses`. Pause days before the start never
   * count, so recording the same clarification both ways counts it once.
   */
  readonly clarificationReceived?: Temporal.PlainDate | undefined;
  readonly pauses?: readonly ClarificationPause[] | undefined;
  readonly extension?: Extension | undefined;
}

export type StartTrigger = 'receipt' | 'identity' | 'authority' | 'clarification';

export interface RunningClock {
  readonly state: 'running';
  /** The day the clock started (rule 1). */
  readonly start: Temporal.PlainDate;
  readonly startedBy: StartTrigger;
  /** Calendar days the clock was stopped after it started. */
  readonly pausedDays: number;
  /**
   * The due date without an extension. It is also the last day on which the
   * requester can be told of an extension.
   */
  readonly firstMonthDue: Temporal.PlainDate;
  /** The date before moving off a weekend or bank holiday. */
  readonly nominalDue: Temporal.PlainDate;
  /** The day the response is due: a working day. */
  readonly due: Temporal.PlainDate;
  readonly extended: boolean;
}

export interface PausedClock {
  readonly state: 'paused';
  readonly start: Temporal.PlainDate;
  readonly startedBy: StartTrigger;
  /** The day the clock stopped; there is no due date until it restarts. */
  readonly pausedSince: Temporal.PlainDate;
  /** Calendar days paused before this open pause. */
  readonly pausedDays: number;
  /** Calendar days that were left when the clock stopped. */
  readonly daysLeftWhenPaused: number;
}

export type ClockState = RunningClock | PausedClock;

/** Latest of the start triggers; on a tie the earlier-listed trigger names it. */
function clockStart(input: ClockInput): { start: Temporal.PlainDate; startedBy: StartTrigger } {
  const candidates: [StartTrigger, Temporal.PlainDate | undefined][] = [
    ['receipt', input.received],
    ['identity', input.idReceived],
    ['authority', input.authorityReceived],
    ['clarification', input.clarificationReceived],
  ];
  let best: { start: Temporal.PlainDate; startedBy: StartTrigger } = {
    start: input.received,
    startedBy: 'receipt',
  };
  for (const [startedBy, date] of candidates) {
    if (date && Temporal.PlainDate.compare(date, best.start) > 0) best = { start: date, startedBy };
  }
  return best;
}

interface NormalisedPause {
  from: Temporal.PlainDate;
  to: Temporal.PlainDate | undefined;
}

/**
 * Checks pauses, clips them to the clock start (days before the clock ran
 * cannot be "stopped") and merges overlaps so no day counts twice.
 */
function normalisePauses(
  pauses: readonly ClarificationPause[],
  received: Temporal.PlainDate,
  start: Temporal.PlainDate,
): Result<NormalisedPause[]> {
  const open = pauses.filter((pause) => pause.to === undefined);
  if (open.length > 1) {
    return { ok: false, reason: 'Only one clarification pause can still be waiting for an answer' };
  }
  const openFrom = open[0]?.from;
  if (openFrom && pauses.some((p) => Temporal.PlainDate.compare(p.from, openFrom) > 0)) {
    return {
      ok: false,
      reason: 'A clarification pause still waiting for an answer must be the latest pause',
    };
  }
  for (const pause of pauses) {
    if (Temporal.PlainDate.compare(pause.from, received) < 0) {
      return {
        ok: false,
        reason:
          `A clarification pause cannot start (${formatDate(pause.from)}) before the request ` +
          `was received (${formatDate(received)})`,
      };
    }
    if (pause.to && Temporal.PlainDate.compare(pause.to, pause.from) < 0) {
      return {
        ok: false,
        reason:
          `A clarification pause cannot end (${formatDate(pause.to)}) before it starts ` +
          `(${formatDate(pause.from)})`,
      };
    }
  }
  const latest = (a: Temporal.PlainDate, b: Temporal.PlainDate) =>
    Temporal.PlainDate.compare(a, b) >= 0 ? a : b;
  const clipped: NormalisedPause[] = [];
  for (const pause of pauses) {
    // A pause wholly before the start counts nothing: the clock was not running.
    if (pause.to && Temporal.PlainDate.compare(pause.to, start) <= 0) continue;
    clipped.push({ from: latest(pause.from, start), to: pause.to });
  }
  clipped.sort((a, b) => Temporal.PlainDate.compare(a.from, b.from));
  const merged: NormalisedPause[] = [];
  for (const pause of clipped) {
    const last = merged.at(-1);
    if (last && (last.to === undefined || Temporal.PlainDate.compare(pause.from, last.to) <= 0)) {
      last.to =
        last.to === undefined || pause.to === undefined ? undefined : latest(last.to, pause.to);
    } else {
      merged.push({ ...pause });
    }
  }
  return { ok: true, value: merged };
}

type Deadline =
  | {
      state: 'running';
      nominalDue: Temporal.PlainDate;
      due: Temporal.PlainDate;
      pausedDays: number;
    }
  | {
      state: 'paused';
      pausedSince: Temporal.PlainDate;
      pausedDays: number;
      daysLeftWhenPaused: number;
    }
  | { state: 'late-pause'; pause: NormalisedPause; dueThen: Temporal.PlainDate };

/** The deadline `months` after `start`, pushed later by each pause in turn. */
function deadline(
  start: Temporal.PlainDate,
  months: number,
  pauses: readonly NormalisedPause[],
  { ignoreLatePauses }: { ignoreLatePauses: boolean },
): Deadline {
  const base = addCalendarMonths(start, months);
  let pausedDays = 0;
  // Pauses are sorted and disjoint, so once one starts after the running
  // deadline every later one does too.
  for (const pause of pauses) {
    const dueThen = workingDayOnOrAfter(base.add({ days: pausedDays }));
    if (Temporal.PlainDate.compare(pause.from, dueThen) > 0) {
      if (ignoreLatePauses) break;
      // A clock that has already run out cannot be stopped.
      return { state: 'late-pause', pause, dueThen };
    }
    if (pause.to === undefined) {
      return {
        state: 'paused',
        pausedSince: pause.from,
        pausedDays,
        daysLeftWhenPaused: daysLeft(dueThen, pause.from),
      };
    }
    pausedDays += pause.from.until(pause.to, { largestUnit: 'days' }).days;
  }
  const nominalDue = base.add({ days: pausedDays });
  return { state: 'running', nominalDue, due: workingDayOnOrAfter(nominalDue), pausedDays };
}

function lateReason(late: { pause: NormalisedPause; dueThen: Temporal.PlainDate }): string {
  return (
    `Clarification was asked for on ${formatDate(late.pause.from)}, after the response was due ` +
    `on ${formatDate(late.dueThen)}; an expired clock cannot be paused`
  );
}

/**
 * When the response to a rights request is due, or why that cannot be said.
 * Returns a paused state (no due date) while clarification is awaited.
 */
export function computeDueDate(input: ClockInput): Result<ClockState> {
  try {
    return computeDueDateUnsafe(input);
  } catch (error) {
    if (error instanceof OutsideBankHolidayCalendarError) {
      return { ok: false, reason: error.message };
    }
    throw error;
  }
}

function computeDueDateUnsafe(input: ClockInput): Result<ClockState> {
  const { start, startedBy } = clockStart(input);
  const pauses = normalisePauses(input.pauses ?? [], input.received, start);
  if (!pauses.ok) return pauses;

  const extension = input.extension;
  if (extension) {
    if (extension.reason.trim() === '') {
      return {
        ok: false,
        reason:
          'An extension needs a reason: Article 12(3) UK GDPR says the requester must be told ' +
          'why the response is delayed',
      };
    }
    if (extension.months !== undefined && extension.months !== 1 && extension.months !== 2) {
      return {
        ok: false,
        reason: `An extension can add 1 or 2 months, not ${String(extension.months)}`,
      };
    }
    if (Temporal.PlainDate.compare(extension.toldOn, input.received) < 0) {
      return {
        ok: false,
        reason:
          `The requester cannot have been told of an extension (${formatDate(extension.toldOn)}) ` +
          `before the request was received (${formatDate(input.received)})`,
      };
    }
  }

  // Only pauses that begin while the first month runs can move it; a pause
  // during an extension is judged against the extended deadline below.
  const firstMonth = deadline(start, 1, pauses.value, { ignoreLatePauses: Boolean(extension) });
  if (firstMonth.state === 'late-pause') return { ok: false, reason: lateReason(firstMonth) };
  if (firstMonth.state === 'paused') {
    return { ok: true, value: { state: 'paused', start, startedBy, ...stripState(firstMonth) } };
  }

  if (extension && Temporal.PlainDate.compare(extension.toldOn, firstMonth.due) > 0) {
    return {
      ok: false,
      reason:
        `The requester was told of the extension on ${formatDate(extension.toldOn)}, after the ` +
        `first month ended on ${formatDate(firstMonth.due)}. Article 12(3) UK GDPR allows an ` +
        'extension only if they are told within the first month',
    };
  }

  const months = extension ? 1 + (extension.months ?? 2) : 1;
  const final = deadline(start, months, pauses.value, { ignoreLatePauses: false });
  if (final.state === 'late-pause') return { ok: false, reason: lateReason(final) };
  if (final.state === 'paused') {
    return { ok: true, value: { state: 'paused', start, startedBy, ...stripState(final) } };
  }
  return {
    ok: true,
    value: {
      state: 'running',
      start,
      startedBy,
      pausedDays: final.pausedDays,
      firstMonthDue: firstMonth.due,
      nominalDue: final.nominalDue,
      due: final.due,
      extended: extension !== undefined,
    },
  };
}

function stripState(
  paused: Extract<Deadline, { state: 'paused' }>,
): Omit<PausedClock, 'state' | 'start' | 'startedBy'> {
  return {
    pausedSince: paused.pausedSince,
    pausedDays: paused.pausedDays,
    daysLeftWhenPaused: paused.daysLeftWhenPaused,
  };
}

// ---------------------------------------------------------------------------
// zod schemas, so the form, the API and the CLI parse clock input one way.

/**
 * An ISO calendar date, YYYY-MM-DD, that exists (2025-02-30 is refused).
 * The shape is checked first because Temporal.PlainDate.from would
 * otherwise accept a date-time and silently drop the time.
 */
export const plainDateSchema = z
  .string()
  .trim()
  .transform((raw, ctx) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
      ctx.addIssue({ code: 'custom', message: `Enter a date as YYYY-MM-DD, not "${raw}"` });
      return z.NEVER;
    }
    let date: Temporal.PlainDate;
    try {
      date = Temporal.PlainDate.from(raw, { overflow: 'reject' });
    } catch {
      ctx.addIssue({ code: 'custom', message: `${raw} is not a real date` });
      return z.NEVER;
    }
    // The range every date field takes (src/platform/validation/dates.ts).
    if (!isRealDate(raw)) {
      ctx.addIssue({
        code: 'custom',
        message: `Enter a date between ${EARLIEST_YEAR} and ${LATEST_YEAR}, not ${raw}`,
      });
      return z.NEVER;
    }
    return date;
  });

export const clockInputSchema = z.object({
  received: plainDateSchema,
  idReceived: plainDateSchema.optional(),
  authorityReceived: plainDateSchema.optional(),
  clarificationReceived: plainDateSchema.optional(),
  pauses: z.array(z.object({ from: plainDateSchema, to: plainDateSchema.optional() })).optional(),
  extension: z
    .object({
      toldOn: plainDateSchema,
      reason: multiLineText('the reason for the extension').min(
        1,
        'Give the reason for the extension',
      ),
      months: z.union([z.literal(1), z.literal(2)]).optional(),
    })
    .optional(),
}) satisfies z.ZodType<ClockInput, unknown>;
