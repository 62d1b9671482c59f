import { sql, type Kysely } from 'kysely';

/**
 * Service accounts for integrations: an account that cannot sign in with a
 * password, acting for one organisation through bearer tokens on /api/v1.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table account
      add column kind text not null default 'staff' check (kind in ('staff', 'service'));

    create table api_token (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account(id),
      organisation_id uuid not null references organisation(id),
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      last_used_at timestamptz
    );
    create index api_token_account on api_token(account_id);
  `.execute(db);
}
