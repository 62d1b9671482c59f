import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
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
 * The daily job that keeps a year of months ready. Without it, the first
 * event of a month with no partition would fail its transaction (there is
 * deliberately no default partition): an action is never left unaudited.
 */
export function auditPartitionsJob(db: Kysely<Database>, log: { info(msg: string): void }): Job {
  return {
    name: 'audit.partitions',
    async runIfDue() {
      const made = await makeAuditPartitions(db);
      if (made > 0) log.info(`made ${made} monthly audit log partition(s)`);
    },
  };
}
