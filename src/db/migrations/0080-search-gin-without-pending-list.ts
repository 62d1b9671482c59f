import { sql, type Kysely } from 'kysely';

/**
 * The trigram indexes that person search and subject access discovery read
 * while someone waits (decision 0054) write new entries straight into the
 * index, not into a GIN "pending list".
 *
 * With `fastupdate` on (PostgreSQL's default) a GIN index gathers new
 * entries in an unsorted pending list, merged into the index only by VACUUM
 * (autovacuum), by an autovacuum ANALYZE, or once the list passes
 * `gin_pending_list_limit` (4 MB). Every search reads the whole list, entry
 * by entry: on the county benchmark (autovacuum off, as on a server where it
 * lags behind a bulk load) the name index's 328 pending pages made its scan
 * take 75 ms instead of 8 ms. PostgreSQL's documentation advises turning
 * `fastupdate` off "if consistent response time is more important than
 * update speed", as it is here: a person's names and a case note are written
 * one at a time, searched many times. Turning it off does not merge what is
 * already pending, so each list is merged here too (gin_clean_pending_list).
 */
const indexes = ['person_name_trgm', 'person_name_family_trgm', 'case_note_text_trgm'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of indexes) {
    await sql`alter index ${sql.ref(index)} set (fastupdate = off)`.execute(db);
    await sql`select gin_clean_pending_list(${index}::regclass)`.execute(db);
  }
}
