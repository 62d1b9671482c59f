import { sql, type Kysely } from 'kysely';

/**
 * The sign-in throttle's shared state (decision record 0010): failures
 * counted per account key and per client address, in the database so that
 * every app instance sees the same counts. Keys are SHA-256 hashes, so the
 * table holds neither the email addresses typed nor the addresses they came
 * from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sign_in_throttle (
      key text primary key check (key ~ '^(account|address):[0-9a-f]{64}$'),
      failures integer not null check (failures > 0),
      last_failure_at timestamptz not null,
      blocked_until timestamptz
    );
    create index sign_in_throttle_last_failure on sign_in_throttle(last_failure_at);
  `.execute(db);
}
