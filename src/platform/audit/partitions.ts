import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { auditLogRetention } from '../../policy/audit-log.js';
import type { Job } from '../jobs/scheduler.js';

/** How far ahead the audit log's monthly partitions are kept (migration 0070). */
export const AUDIT_PARTITION_MONTHS_AHEAD = 12;

/**
 * Makes the audit log's monthly partitions up to `monthsAhead` months from
 * now, those missing only; returns how many it made. The database function
 * does the work as the tables' owner (the app's role may not create
 * tables), and is idempotent, so two instances asking at once do no harm:
 * the second finds the months there (a race on one name fails one
 * transaction, and the next hour's run finds it made).
 */
export async function makeAuditPartitions(
  db: Kysely<Database>,
  monthsAhead = AUDIT_PARTITION_MONTHS_AHEAD,
): Promise<number> {
  const { rows } = await sql<{
    made: number;
  }>`select audit_event_make_partitions(${monthsAhead}::integer) as made`.execute(db);
  return Number(rows[0]?.made ?? 0);
}

/** The audit log's months, oldest first: partition name and the first day it holds (UTC). */
export async function auditPartitions(
  db: Kysely<Database>,
): Promise<{ name: string; from: string }[]> {
  const { rows } = await sql<{ name: string; bound: string }>`
    select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'audit_event'::regclass
    order by c.relname`.execute(db);
  return rows.map((r) => ({
    name: r.name,
    from: /FROM \('([^']+)'\)/.exec(r.bound)?.[1] ?? '',
  }));
}

/**
 * Drops the audit log's months that ended more than `keepMonths` ago
 * (the policy, policy/audit-log.ts), once a signed checkpoint covers every
 * link into them: the database function (migration 0074) detaches and drops
 * each month whole, removes the links that named its events, and records
 * the cut that the full verify starts from. Answers the months dropped: 0
 * when none is due, an event in them is not linked yet, or no checkpoint
 * covers them yet (the next day's run will).
 */
export async function dropExpiredAuditMonths(
  db: Kysely<Database>,
  keepMonths: number = auditLogRetention.months,
): Promise<number> {
  const { rows } = await sql<{
    dropped: number;
  }>`select audit_event_drop_months(${keepMonths}::integer) as dropped`.execute(db);
  return Number(rows[0]?.dropped ?? 0);
}

/**
 * The daily job that keeps a year of months ready, and lets go of the
 * months the policy no longer keeps. Without it, the first
 * event of a month with no partition would fail its transaction (there is
 * deliberately no default partition): an action is never left unaudited.
 */
export function auditPartitionsJob(db: Kysely<Database>, log: { info(msg: string): void }): Job {
  return {
    name: 'audit.partitions',
    async runIfDue() {
      const made = await makeAuditPartitions(db);
      if (made > 0) log.info(`made ${made} monthly audit log partition(s)`);
      const dropped = await dropExpiredAuditMonths(db);
      if (dropped > 0) {
        log.info(`dropped ${dropped} monthly audit log partition(s) past the retention period`);
      }
    },
  };
}
