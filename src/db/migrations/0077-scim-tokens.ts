import { sql, type Kysely } from 'kysely';

/**
 * SCIM 2.0 deprovisioning (issue 16; decision record 0037): an
 * organisation's identity provider tells Safekeep a member of staff has
 * left without waiting for them to sign in again.
 *
 * - `sso_scim_token`: the bearer token an administrator issued for one
 *   provider (`safekeep sso scim-token`), stored only as its SHA-256: a
 *   copy of the database cannot be replayed at /scim/v2. One a provider;
 *   issuing a new one replaces the old.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sso_scim_token (
      provider_id uuid primary key references sso_provider(id) on delete cascade,
      token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
      issued_at timestamptz not null default now()
    );
  `.execute(db);
}
