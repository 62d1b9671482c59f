import { sql, type Kysely } from 'kysely';

/**
 * Organisations, teams, roles, staff accounts, sessions and the audit log.
 * Plain SQL: the same statements run on PostgreSQL and PGlite.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table organisation (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9-]+$'),
      name text not null,
      short_name text not null,
      created_at timestamptz not null default now()
    );

    create table team (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      slug text not null,
      name text not null,
      unique (organisation_id, slug)
    );

    create table role (
      slug text primary key,
      name text not null,
      description text not null,
      privileged boolean not null
    );

    create table account (
      id uuid primary key default gen_random_uuid(),
      email text not null unique check (email = lower(email)),
      display_name text not null,
      password_hash text not null,
      failed_sign_ins integer not null default 0,
      locked_until timestamptz,
      totp_secret text,
      totp_enabled_at timestamptz,
      totp_last_step bigint,
      created_at timestamptz not null default now()
    );

    create table membership (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account(id),
      organisation_id uuid not null references organisation(id),
      team_id uuid references team(id),
      role_slug text not null references role(slug),
      -- A role may be held in several teams of one organisation.
      unique nulls not distinct (account_id, organisation_id, role_slug, team_id)
    );

    create table recovery_code (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references account(id),
      code_hash text not null,
      used_at timestamptz
    );
    create index recovery_code_account on recovery_code(account_id);

    create table session (
      token_hash text primary key,
      id uuid not null unique default gen_random_uuid(),
      account_id uuid not null references account(id),
      organisation_id uuid references organisation(id),
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      mfa_verified_at timestamptz,
      ended_at timestamptz
    );
    create index session_account on session(account_id);

    -- The audit log: ids only, never names or free text, so that destroying
    -- a record leaves nothing personal behind here.
    create table audit_event (
      seq bigint generated always as identity primary key,
      id uuid not null unique,
      occurred_at timestamptz not null,
      actor_account_id uuid,
      organisation_id uuid,
      action text not null check (action ~ '^[a-z0-9.-]+$'),
      object_type text check (object_type ~ '^[a-z0-9-]+$'),
      object_ids text[] not null default '{}',
      purpose text check (purpose ~ '^[a-z0-9-]+$'),
      outcome text not null check (outcome in ('success', 'failure', 'denied')),
      request_id text,
      prev_hash text not null,
      hash text not null
    );
    create index audit_event_actor on audit_event(actor_account_id, occurred_at);

    create function audit_event_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only: % refused', tg_op;
    end;
    $$;
    create trigger audit_event_append_only
      before update or delete on audit_event
      for each row execute function audit_event_refuse_change();
    create trigger audit_event_no_truncate
      before truncate on audit_event
      for each statement execute function audit_event_refuse_change();

    create table person (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      given_name text not null,
      family_name text not null,
      date_of_birth date,
      created_at timestamptz not null default now()
    );
    create index person_organisation on person(organisation_id, family_name);

    create table case_record (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      category text not null,
      opened_on date not null,
      closed_on date,
      created_at timestamptz not null default now()
    );

    create table record_party (
      record_id uuid not null references case_record(id),
      person_id uuid not null references person(id),
      role text not null,
      primary key (record_id, person_id, role)
    );
  `.execute(db);
}
