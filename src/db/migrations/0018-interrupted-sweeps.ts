import { sql, type Kysely } from 'kysely';

/**
 * A retention sweep killed part-way (a crash, a deploy, kill -9) never
 * reaches its `finished_at`. Rather than showing as unfinished forever, the
 * next sweep — the only one running then, under the sweep lock — marks it
 * interrupted (retention/service.ts). Runs already stranded are marked now,
 * unless a sweep is running at this moment (its lock is taken).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table retention_sweep_run
      add column interrupted_at timestamptz,
      add constraint retention_sweep_run_finished_or_interrupted
        check (finished_at is null or interrupted_at is null);
    do $$
    begin
      -- retention/service.ts SWEEP_LOCK
      if pg_try_advisory_xact_lock(7261002) then
        update retention_sweep_run set interrupted_at = now()
          where finished_at is null and interrupted_at is null;
      end if;
    end
    $$;
  `.execute(db);
}
