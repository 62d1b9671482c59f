import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The record of retention sweeps (retention_sweep_run): which finished,
 * which were stopped part-way, which is running now.
 */

/** Session-level advisory lock key: one sweep at a time across every replica. */
export const SWEEP_LOCK = 7_261_002;

export interface SweepRun {
  startedAt: Date;
  asOf: string;
  dryRun: boolean;
  status: 'finished' | 'interrupted' | 'running';
  recordsDisposed: number;
}

/**
 * Marks as interrupted every sweep that neither finished nor was marked.
 * Call only while holding SWEEP_LOCK: then no sweep can be running, so each
 * of them was stopped part-way (killed, crashed). Returns how many.
 */
export async function markInterruptedRuns(
  connection: Kysely<Database>,
  now: Date,
): Promise<number> {
  const marked = await connection
    .updateTable('retention_sweep_run')
    .set({ interrupted_at: now })
    .where('finished_at', 'is', null)
    .where('interrupted_at', 'is', null)
    .executeTakeFirst();
  return Number(marked.numUpdatedRows);
}

/** The latest sweeps, newest first. */
export async function latestSweepRuns(
  db: Kysely<Database>,
  options: { limit?: number; now?: Date } = {},
): Promise<SweepRun[]> {
  return db.connection().execute(async (connection) => {
    // A sweep killed since the last one ran is interrupted, not running,
    // unless a sweep holds the lock at this moment.
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(${SWEEP_LOCK}) as locked`.execute(connection);
    if (rows[0]?.locked) {
      try {
        await markInterruptedRuns(connection, options.now ?? new Date());
      } finally {
        await sql`select pg_advisory_unlock(${SWEEP_LOCK})`.execute(connection);
      }
    }
    const runs = await connection
      .selectFrom('retention_sweep_run')
      .select([
        'started_at',
        'as_of',
        'dry_run',
        'finished_at',
        'interrupted_at',
        'records_disposed',
      ])
      .orderBy('started_at', 'desc')
      .limit(options.limit ?? 20)
      .execute();
    return runs.map((r) => ({
      startedAt: r.started_at,
      asOf: r.as_of,
      dryRun: r.dry_run,
      status: r.finished_at ? 'finished' : r.interrupted_at ? 'interrupted' : 'running',
      recordsDisposed: r.records_disposed,
    }));
  });
}
