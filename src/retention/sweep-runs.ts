import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The record of retention sweeps (retention_sweep_run): which finished,
 * which were stopped part-way, which is running now.
 */

/** Session-level advisory lock key: one sweep at a time across every replica. */
export const SWEEP_LOCK = 7_261_002;

/**
 * Takes SWEEP_LOCK for this session unless some session holds it: true when
 * taken. A session's advisory locks are re-entrant, so asking
 * pg_try_advisory_lock alone would hand the lock to anything sharing the
 * running sweep's session — everything in the process, on PGlite (one
 * session, which the sweep lets go between batches: sweep.ts). pg_locks
 * lists the lock whoever holds it; CASE asks for the lock only when it is
 * listed free. One statement, so nothing comes between the two on PGlite;
 * on PostgreSQL, another session taking it in between makes the try fail.
 */
export async function takeSweepLock(connection: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`
    select case
      when exists (
        select 1 from pg_locks
        where locktype = 'advisory' and granted
          and database = (select oid from pg_database where datname = current_database())
          -- a bigint key: its high and low 32 bits, and 1 for "one bigint"
          and classid = 0 and objid = ${SWEEP_LOCK} and objsubid = 1
      ) then false
      else pg_try_advisory_lock(${SWEEP_LOCK})
    end as locked`.execute(connection);
  return rows[0]?.locked === true;
}

export async function releaseSweepLock(connection: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_unlock(${SWEEP_LOCK})`.execute(connection);
}

/**
 * Whether every connection of `db` is one session (PGlite: PostgreSQL in
 * single-user mode, a "standalone backend", inside this process) rather
 * than a session of its own from a pool.
 */
export async function sessionIsShared(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ shared: boolean }>`
    select backend_type = 'standalone backend' as shared
    from pg_stat_activity where pid = pg_backend_pid()`.execute(db);
  return rows[0]?.shared === true;
}

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
    if (await takeSweepLock(connection)) {
      try {
        await markInterruptedRuns(connection, options.now ?? new Date());
      } finally {
        await releaseSweepLock(connection);
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
