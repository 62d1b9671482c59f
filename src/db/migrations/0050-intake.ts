import { sql, type Kysely } from 'kysely';

/**
 * Imports from partners (issue 15), matched to people:
 * - `intake_mapping`: a partner's column names mapped once to the kind's
 *   fields, saved per organisation, kind and partner, reused next time;
 * - `intake_job`: one uploaded file: its kind, partner, the notice's source
 *   wording and lawful bases it is held under, and its progress (a job is
 *   resumable: rows still 'pending' are matched when it runs again);
 * - `intake_row`: every row, never dropped: its values as mapped, its
 *   errors (held in the correction queue), its match (probability and the
 *   waterfall of why) and outcome. A row key per organisation and kind makes
 *   re-importing a file or a row change nothing;
 * - `intake_fact`: what a row put on a person's record (a missing episode,
 *   chronology entry, alert, attendance, exclusion, court order, referral),
 *   with the partner it came from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table intake_mapping (
      organisation_id uuid not null references organisation(id),
      kind text not null check (length(kind) between 1 and 40),
      partner text not null check (length(partner) between 1 and 120),
      columns jsonb not null,
      updated_at timestamptz not null default now(),
      primary key (organisation_id, kind, partner)
    );
    create table intake_job (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      kind text not null check (length(kind) between 1 and 40),
      partner text not null check (length(partner) between 1 and 120),
      file_name text not null check (length(file_name) between 1 and 255),
      file_hash text not null check (length(file_hash) = 64),
      headers jsonb not null,
      source text not null,
      lawful_bases text not null,
      status text not null default 'mapping'
        check (status in ('mapping', 'running', 'finished')),
      rows_total integer not null default 0,
      rows_done integer not null default 0,
      rows_repeated integer not null default 0,
      created_by uuid references account(id),
      created_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index intake_job_organisation on intake_job (organisation_id, created_at desc);
    create table intake_row (
      id uuid primary key default gen_random_uuid(),
      job_id uuid not null references intake_job(id) on delete cascade,
      organisation_id uuid not null references organisation(id),
      kind text not null,
      row_number integer not null check (row_number >= 1),
      row_key text not null,
      raw jsonb not null,
      "values" jsonb,
      errors jsonb,
      status text not null
        check (status in ('unmapped', 'invalid', 'pending', 'review', 'linked', 'created', 'rejected')),
      candidate_person_id uuid references person(id) on delete set null,
      probability double precision,
      waterfall jsonb,
      person_id uuid references person(id) on delete set null,
      decided_by uuid references account(id),
      decided_at timestamptz,
      unique (job_id, row_number)
    );
    -- Idempotent by row key: the same row from any later file is the same row.
    create unique index intake_row_key on intake_row (organisation_id, kind, row_key)
      where status <> 'unmapped';
    create index intake_row_job_status on intake_row (job_id, status, row_number);
    create table intake_fact (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      person_id uuid not null references person(id) on delete cascade,
      row_id uuid not null references intake_row(id) on delete cascade,
      fact text not null check (fact in ('missing-episode', 'chronology', 'alert', 'attendance',
        'exclusion', 'court-order', 'referral')),
      occurred_on date not null,
      summary text not null check (length(summary) between 1 and 1000),
      partner text not null,
      created_at timestamptz not null default now()
    );
    create index intake_fact_person on intake_fact (person_id, occurred_on desc);
  `.execute(db);
}
