import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import { computeDueDate, daysLeft, formatDate } from './clock.js';
import { clockInputOf, clockWaiting, openStates } from './machine.js';
import type { ClockStatus, RequestState, RequestType, RightsRequestTable } from './tables.js';

/**
 * A request's statutory clock as stored columns (computed by clock.ts, kept
 * in the same transaction as any event it depends on: design.md principle
 * 5), as the pages show it, and the reminders the daily job sends.
 */
export interface ClockView {
  status: ClockStatus;
  start: string | null;
  startedBy: string | null;
  due: string | null;
  firstMonthDue: string | null;
  pausedDays: number;
  pausedSince: string | null;
  daysLeftWhenPaused: number | null;
  problem: string | null;
  /** Calendar days from today to the due date; negative when overdue. */
  daysLeft: number | null;
  overdue: boolean;
}

export function clockView(row: ClockColumns, today: string): ClockView {
  const left =
    row.clock_status === 'running' && row.clock_due
      ? daysLeft(Temporal.PlainDate.from(row.clock_due), Temporal.PlainDate.from(today))
      : null;
  return {
    status: row.clock_status,
    start: row.clock_start,
    startedBy: row.clock_started_by,
    due: row.clock_due,
    firstMonthDue: row.clock_first_month_due,
    pausedDays: row.clock_paused_days,
    pausedSince: row.clock_paused_since,
    daysLeftWhenPaused: row.clock_days_left_when_paused,
    problem: row.clock_problem,
    daysLeft: left,
    overdue: left !== null && left < 0,
  };
}

export type ClockColumns = Pick<
  RightsRequestTable,
  | 'clock_status'
  | 'clock_start'
  | 'clock_started_by'
  | 'clock_due'
  | 'clock_first_month_due'
  | 'clock_paused_days'
  | 'clock_paused_since'
  | 'clock_days_left_when_paused'
  | 'clock_problem'
>;

export const noClock: Omit<ClockColumns, 'clock_status' | 'clock_problem'> = {
  clock_start: null,
  clock_started_by: null,
  clock_due: null,
  clock_first_month_due: null,
  clock_paused_days: 0,
  clock_paused_since: null,
  clock_days_left_when_paused: null,
};

/**
 * The clock columns for a request as it now stands, from clock.ts. Returns
 * the clock's reason when it cannot give a date (an extension told too late,
 * a pause after the deadline), so the caller can refuse the event.
 */
export function computeClockColumns(
  row: Parameters<typeof clockInputOf>[0] & { state: RequestState },
  pauses: readonly { from_date: string; to_date: string | null }[],
): { ok: true; columns: ClockColumns } | { ok: false; reason: string } {
  const open = pauses.some((p) => p.to_date === null);
  if (clockWaiting(row.state, open)) {
    return { ok: true, columns: { ...noClock, clock_status: 'waiting', clock_problem: null } };
  }
  const result = computeDueDate(clockInputOf(row, pauses));
  if (!result.ok) return result;
  const clock = result.value;
  if (clock.state === 'paused') {
    return {
      ok: true,
      columns: {
        ...noClock,
        clock_status: 'paused',
        clock_start: clock.start.toString(),
        clock_started_by: clock.startedBy,
        clock_paused_days: clock.pausedDays,
        clock_paused_since: clock.pausedSince.toString(),
        clock_days_left_when_paused: clock.daysLeftWhenPaused,
        clock_problem: null,
      },
    };
  }
  return {
    ok: true,
    columns: {
      ...noClock,
      clock_status: 'running',
      clock_start: clock.start.toString(),
      clock_started_by: clock.startedBy,
      clock_due: clock.due.toString(),
      clock_first_month_due: clock.firstMonthDue.toString(),
      clock_paused_days: clock.pausedDays,
      clock_problem: null,
    },
  };
}

export interface Reminder {
  requestId: string;
  organisationId: string;
  type: RequestType;
  state: RequestState;
  due: string;
  daysLeft: number;
}

/**
 * For the daily job: open requests due within `withinDays` days of `today`,
 * or overdue, across every organisation, overdue first. Ids, dates and
 * codes only, so the job can log and notify without personal data.
 */
export async function remindersDue(
  db: Kysely<Database>,
  {
    today,
    withinDays,
    organisationId,
  }: { today: string; withinDays: number; organisationId?: string | undefined },
): Promise<Reminder[]> {
  const todayDate = Temporal.PlainDate.from(today);
  const horizon = todayDate.add({ days: withinDays }).toString();
  const rows = await db
    .selectFrom('rights_request')
    .select(['id', 'organisation_id', 'type', 'state', 'clock_due'])
    .where('state', 'in', openStates)
    .where('clock_status', '=', 'running')
    .where('clock_due', 'is not', null)
    .where('clock_due', '<=', horizon)
    .$if(organisationId !== undefined, (qb) =>
      qb.where('organisation_id', '=', organisationId ?? ''),
    )
    .orderBy('clock_due')
    .orderBy('id')
    .execute();
  return rows.flatMap((r) =>
    r.clock_due
      ? [
          {
            requestId: r.id,
            organisationId: r.organisation_id,
            type: r.type,
            state: r.state,
            due: r.clock_due,
            daysLeft: daysLeft(Temporal.PlainDate.from(r.clock_due), todayDate),
          },
        ]
      : [],
  );
}

/** "Due 3 October 2025 (5 days left)": the wording pages use. */
export function describeClock(clock: ClockView): string {
  switch (clock.status) {
    case 'waiting':
      return 'Not started: waiting for what is needed to begin';
    case 'invalid':
      return clock.problem ?? 'The due date cannot be worked out';
    case 'paused':
      return `Paused since ${clock.pausedSince ? formatDate(Temporal.PlainDate.from(clock.pausedSince)) : ''} with ${clock.daysLeftWhenPaused ?? 0} days left`;
    case 'running': {
      const due = clock.due ? formatDate(Temporal.PlainDate.from(clock.due)) : '';
      const left = clock.daysLeft ?? 0;
      if (left < 0) return `Overdue: was due ${due} (${-left} days ago)`;
      if (left === 0) return `Due today, ${due}`;
      return `Due ${due} (${left} days left)`;
    }
  }
}
