import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import { canRights } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import type { Job } from '../platform/jobs/scheduler.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { daysLeft, isWorkingDay } from './clock.js';
import { openStates } from './machine.js';
import { remindersDue } from './service.js';
import type { ReminderKind, RequestState, RequestType } from './tables.js';

/**
 * The daily rights reminders (issue 5 "a dashboard … reminders"): each day,
 * every open request that is overdue, due within REMINDER_WORKING_DAYS
 * working days, or at the last days to tell the requester of an extension
 * (Art 12(3): within the first month) is recorded in `rights_reminder` —
 * once per request, day and kind, however often the job runs — and shown to
 * the governance team on the home page and at /rights/reminders.
 *
 * Ids, dates and codes only: nothing here is personal data, so the job logs
 * counts and the pages read without an audit event.
 */

/** How far ahead "due soon" looks, in working days (a working week). */
export const REMINDER_WORKING_DAYS = 5;

const londonToday = () => Temporal.Now.plainDateISO('Europe/London').toString();

/** The date `n` working days after `from` (England and Wales). */
export function workingDaysAfter(from: Temporal.PlainDate, n: number): Temporal.PlainDate {
  let day = from;
  let left = n;
  while (left > 0) {
    day = day.add({ days: 1 });
    if (isWorkingDay(day)) left -= 1;
  }
  return day;
}

export interface RecordedReminders {
  onDate: string;
  /** Reminders that hold today. */
  reminders: number;
  /** Of those, the ones this run recorded (0 when it already ran today). */
  recorded: number;
}

/** Finds today's reminders across every organisation and records the ones not yet recorded. */
export async function recordRightsReminders(
  db: Kysely<Database>,
  options: { today: string; withinWorkingDays?: number },
): Promise<RecordedReminders> {
  const today = Temporal.PlainDate.from(options.today);
  const horizon = workingDaysAfter(today, options.withinWorkingDays ?? REMINDER_WORKING_DAYS);
  const withinDays = today.until(horizon).days;
  const rows: {
    organisation_id: string;
    request_id: string;
    on_date: string;
    kind: ReminderKind;
    due: string;
    days_left: number;
  }[] = [];
  for (const r of await remindersDue(db, { today: options.today, withinDays })) {
    rows.push({
      organisation_id: r.organisationId,
      request_id: r.requestId,
      on_date: options.today,
      kind: r.daysLeft < 0 ? 'overdue' : 'due-soon',
      due: r.due,
      days_left: r.daysLeft,
    });
  }
  // An extension must be told within the first month: remind while it still can be.
  const extendable = await db
    .selectFrom('rights_request')
    .select(['id', 'organisation_id', 'clock_first_month_due'])
    .where(
      'state',
      'in',
      openStates.filter((s) => s !== 'extended'),
    )
    .where('clock_status', '=', 'running')
    .where('extension_told_on', 'is', null)
    .where('clock_first_month_due', '>=', options.today)
    .where('clock_first_month_due', '<=', horizon.toString())
    .orderBy('clock_first_month_due')
    .orderBy('id')
    .execute();
  for (const r of extendable) {
    if (!r.clock_first_month_due) continue;
    rows.push({
      organisation_id: r.organisation_id,
      request_id: r.id,
      on_date: options.today,
      kind: 'extension-notice',
      due: r.clock_first_month_due,
      days_left: daysLeft(Temporal.PlainDate.from(r.clock_first_month_due), today),
    });
  }
  if (rows.length === 0) return { onDate: options.today, reminders: 0, recorded: 0 };
  const inserted = await db
    .insertInto('rights_reminder')
    .values(rows)
    .onConflict((oc) => oc.columns(['request_id', 'on_date', 'kind']).doNothing())
    .returning('id')
    .execute();
  return { onDate: options.today, reminders: rows.length, recorded: inserted.length };
}

/** The daily job, for dailyJobs in src/services.ts. */
export function rightsRemindersJob(
  db: Kysely<Database>,
  log: { info(msg: string): void },
  today: () => string = londonToday,
): Job {
  return {
    name: 'rights.reminders',
    async runIfDue() {
      const result = await recordRightsReminders(db, { today: today() });
      if (result.recorded > 0) {
        log.info(`rights reminders for ${result.onDate}: ${result.recorded} recorded`);
      }
    },
  };
}

export interface ReminderRow {
  requestId: string;
  kind: ReminderKind;
  type: RequestType;
  state: RequestState;
  receivedOn: string;
  due: string;
  daysLeft: number;
}

export interface ReminderSummary {
  onDate: string;
  total: number;
  byKind: Record<ReminderKind, number>;
  rows: ReminderRow[];
}

/**
 * Today's reminders for the staff member's organisation, for the governance
 * team (who run rights requests): overdue first, then by date. Requests
 * closed since the job ran are left out. `null` for anyone else.
 */
export async function remindersFor(
  db: Kysely<Database>,
  staff: StaffContext,
  today: string = londonToday(),
): Promise<ReminderSummary | null> {
  const organisation = staff.organisation;
  if (!organisation || !canRights(staff, 'rights.view')) return null;
  const rows = await db
    .selectFrom('rights_reminder as m')
    .innerJoin('rights_request as r', 'r.id', 'm.request_id')
    .select([
      'm.request_id',
      'm.kind',
      'm.due',
      'm.days_left',
      'r.type',
      'r.state',
      'r.received_on',
    ])
    .where('m.organisation_id', '=', organisation.id)
    .where('r.organisation_id', '=', organisation.id)
    .where('m.on_date', '=', today)
    .where('r.state', 'in', openStates)
    .orderBy('m.days_left')
    .orderBy('m.kind')
    .orderBy('m.request_id')
    .execute();
  const byKind: Record<ReminderKind, number> = { overdue: 0, 'due-soon': 0, 'extension-notice': 0 };
  for (const row of rows) byKind[row.kind] += 1;
  return {
    onDate: today,
    total: rows.length,
    byKind,
    rows: rows.map((r) => ({
      requestId: r.request_id,
      kind: r.kind,
      type: r.type,
      state: r.state,
      receivedOn: r.received_on,
      due: r.due,
      daysLeft: r.days_left,
    })),
  };
}

/** As remindersFor, for a page that must refuse anyone else. */
export async function requireRemindersFor(
  db: Kysely<Database>,
  staff: StaffContext,
  today?: string,
): Promise<ReminderSummary> {
  const summary = await remindersFor(db, staff, today);
  if (!summary) throw new NotFoundError();
  return summary;
}
