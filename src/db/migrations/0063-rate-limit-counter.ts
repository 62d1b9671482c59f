import { sql, type Kysely } from 'kysely';

/**
 * Request rate limits shared by every instance and server process (issue 16;
 * decision record 0041). One row per limited route, limit, window and
 * client, keyed by a keyed hash of all of them (never the client address in
 * the clear), counting hits until `expires_at`. Rows past their window are
 * deleted as the app goes (platform/ops/rate-limit-store.ts); an unlogged
 * table would be cheaper, but a replica would not have it and a crash would
 * only reset counters, so a plain table keeps the schema the same everywhere.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rate_limit_counter (
      key text primary key check (key ~ '^[0-9a-f]{64}$'),
      hits integer not null check (hits > 0),
      expires_at timestamptz not null
    );
    create index rate_limit_counter_expires on rate_limit_counter(expires_at);
  `.execute(db);
}
