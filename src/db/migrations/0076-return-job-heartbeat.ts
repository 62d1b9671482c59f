import { sql, type Kysely } from 'kysely';

/**
 * A return job's heartbeat and progress (issue 17).
 *
 * - `heartbeat_at`: written as the job works (every few seconds while it
 *   runs, and at each step), so a job left `running` by a server that
 *   stopped is shown as stopped within minutes, not the hour the creation
 *   time alone allowed.
 * - `children_checked` of `children_total`: how far the check has got, for
 *   the job's page ("4,000 of 20,007 children checked"). Counts only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table statutory_return_job
      add column heartbeat_at timestamptz,
      add column children_checked integer check (children_checked >= 0),
      add column children_total integer check (children_total >= 0);
  `.execute(db);
}
