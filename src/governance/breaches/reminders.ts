import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { canBreach } from '../../platform/access/access.js';
import type { StaffContext } from '../../platform/auth/service.js';
import type { Job } from '../../platform/jobs/scheduler.js';
import { clockState, clockWords } from './clock.js';
import { BreachStore } from './store.js';
import type { BreachReminderKind } from './tables.js';

/**
 * Reminders of the 72-hour clock (issue 11 "with reminders"). The server's
 * scheduler asks every hour; each breach still waiting for the decision
 * whether to tell the ICO gets a reminder when 24 hours or less are left,
 * and another once it is overdue — each recorded once per breach and kind,
 * however often the job runs and on however many replicas. The home page
 * and the register show them, with the time left worked out afresh.
 * Ids and codes only: the job logs counts, never a breach's contents.
 */
export async function recordBreachReminders(
  db: Kysely<Database>,
  now: Date,
): Promise<{ reminders: number; recorded: number }> {
  const rows: { organisation_id: string; breach_id: string; kind: BreachReminderKind }[] = [];
  for (const breach of await new BreachStore(db).awaitingIcoDecision()) {
    const clock = clockState(breach.aware_at, null, now);
    if (clock.state === 'overdue') {
      rows.push({
        organisation_id: breach.organisation_id,
        breach_id: breach.id,
        kind: 'ico-overdue',
      });
    }
    if (clock.state === 'overdue' || (clock.state === 'running' && clock.dueSoon)) {
      rows.push({
        organisation_id: breach.organisation_id,
        breach_id: breach.id,
        kind: 'ico-due-soon',
      });
    }
  }
  if (rows.length === 0) return { reminders: 0, recorded: 0 };
  const inserted = await db
    .insertInto('breach_reminder')
    .values(rows)
    .onConflict((oc) => oc.columns(['breach_id', 'kind']).doNothing())
    .returning('id')
    .execute();
  return { reminders: rows.length, recorded: inserted.length };
}

/** The hourly job, for dailyJobs in src/services.ts (the scheduler asks every hour). */
export function breachRemindersJob(
  db: Kysely<Database>,
  log: { info(msg: string): void },
  now: () => Date = () => new Date(),
): Job {
  return {
    name: 'breaches.reminders',
    async runIfDue() {
      const result = await recordBreachReminders(db, now());
      if (result.recorded > 0) log.info(`breach clock reminders: ${result.recorded} recorded`);
    },
  };
}

export interface BreachClockSummary {
  /** Breaches waiting for the decision whether to tell the ICO, soonest due first. */
  waiting: { id: string; reference: number; words: string; overdue: boolean; reminded: boolean }[];
  overdue: number;
}

/**
 * The open clocks of the staff member's organisation, for the home page of
 * information governance and the DPO; null for everyone else (who must not
 * learn that a breach exists). Numbers and times only: no breach's facts.
 */
export async function breachClocksFor(
  db: Kysely<Database>,
  staff: StaffContext,
  now: Date = new Date(),
): Promise<BreachClockSummary | null> {
  const organisation = staff.organisation;
  if (!organisation || !canBreach(staff, 'breach.view', organisation.id)) return null;
  const store = new BreachStore(db);
  const [waiting, reminders] = await Promise.all([
    store.awaitingIcoDecision(organisation.id),
    store.reminders(organisation.id),
  ]);
  const reminded = new Set(reminders.map((r) => r.breach_id));
  const rows = waiting.map((b) => {
    const clock = clockState(b.aware_at, null, now);
    return {
      id: b.id,
      reference: b.reference,
      words: clockWords(clock),
      overdue: clock.state === 'overdue',
      reminded: reminded.has(b.id),
    };
  });
  return { waiting: rows, overdue: rows.filter((r) => r.overdue).length };
}
