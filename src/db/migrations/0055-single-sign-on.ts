import { sql, type Kysely } from 'kysely';

/**
 * Single sign-on through each organisation's own OpenID Connect provider
 * (issue 16; decision record 0037). All of it is data, so that a council
 * can be connected, or its group names changed, without a release:
 *
 * - `sso_provider`: one per organisation — the issuer, the client
 *   registered there, the redirect address registered with it, which
 *   claims carry the stable subject, the groups, the name and the email,
 *   and which `amr`/`acr` values count as multi-factor. The client secret
 *   is never stored here (nor in any backup): the row names the environment
 *   variable that holds it.
 * - `sso_role_mapping`: a provider group grants a Safekeep role (and
 *   optionally a team) in that organisation.
 * - `account_identity`: a staff account is matched by (provider, subject),
 *   never by email address, which a provider may reassign.
 * - `sso_pending`: a sign-in in flight (state, nonce, PKCE verifier), in
 *   the database so that the callback may reach any app instance.
 * - `account.disabled_at`: a leaver (the provider sent no role claims) can
 *   no longer sign in by any route.
 * - `membership.source`: 'sso' memberships are replaced at each sign-in
 *   from the provider's groups; 'local' ones are left alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table account add column disabled_at timestamptz;
    alter table membership
      add column source text not null default 'local' check (source in ('local', 'sso'));

    create table sso_provider (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null unique references organisation(id),
      issuer text not null check (issuer ~ '^https?://'),
      client_id text not null check (length(client_id) between 1 and 200),
      client_secret_env text check (client_secret_env ~ '^[A-Z][A-Z0-9_]*$'),
      redirect_uri text not null check (redirect_uri ~ '^https?://'),
      scopes text not null default 'openid profile email',
      subject_claim text not null default 'sub',
      groups_claim text not null default 'groups',
      name_claim text not null default 'name',
      email_claim text not null default 'email',
      mfa_amr_values text[] not null default '{mfa}',
      mfa_acr_values text[] not null default '{}',
      created_at timestamptz not null default now()
    );

    create table sso_role_mapping (
      id uuid primary key default gen_random_uuid(),
      provider_id uuid not null references sso_provider(id) on delete cascade,
      group_value text not null check (length(group_value) between 1 and 300),
      role_slug text not null references role(slug),
      team_id uuid references team(id),
      unique nulls not distinct (provider_id, group_value, role_slug, team_id)
    );

    create table account_identity (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account(id),
      provider_id uuid not null references sso_provider(id),
      subject text not null check (length(subject) between 1 and 300),
      created_at timestamptz not null default now(),
      last_sign_in_at timestamptz,
      unique (provider_id, subject)
    );
    create index account_identity_account on account_identity(account_id);

    create table sso_pending (
      state_hash text primary key,
      provider_id uuid not null references sso_provider(id) on delete cascade,
      code_verifier text not null,
      nonce text not null,
      expires_at timestamptz not null
    );
  `.execute(db);
}
