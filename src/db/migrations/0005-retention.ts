import { sql, type Kysely } from 'kysely';

/**
 * Retention's own tables: legal holds, review decisions, disposal
 * certificates and sweep runs. The computed due date lives on each record
 * (0003-casework), recomputed in the same transaction as its facts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The sweep's batches: what is scheduled for destruction, by due date.
    create index case_record_due_for_destruction on case_record (retention_due, id)
      where retention_status = 'scheduled' and retention_action = 'destroy'
        and not retention_needs_review;

    -- A hold stops any disposal. It names one record, every record of one
    -- person, or every record of a category, so records created later are held too.
    create table retention_hold (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      scope text not null check (scope in ('record', 'person', 'category')),
      record_id uuid,
      person_id uuid,
      category text,
      hold_type text not null check (hold_type in
        ('litigation', 'inquiry', 'rights-request', 'police-investigation', 'pattern-of-concern', 'other')),
      reason text not null check (length(reason) between 10 and 2000),
      placed_by uuid not null references account(id),
      placed_at timestamptz not null default now(),
      review_on date not null,
      released_at timestamptz,
      released_by uuid references account(id),
      check ((scope = 'record') = (record_id is not null)),
      check ((scope = 'person') = (person_id is not null)),
      check ((scope = 'category') = (category is not null))
    );
    create index retention_hold_active on retention_hold(organisation_id) where released_at is null;

    -- What a reviewer decided about a record that came up for review.
    create table retention_decision (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null,
      organisation_id uuid not null references organisation(id),
      decision text not null check (decision in ('destroy', 'keep-until', 'hold')),
      keep_until date,
      rationale text not null check (length(rationale) between 10 and 4000),
      decided_by uuid not null references account(id),
      decided_at timestamptz not null default now(),
      check ((decision = 'keep-until') = (keep_until is not null))
    );
    create index retention_decision_record on retention_decision(record_id, decided_at);

    -- Proof of disposal, with no personal data: ids, categories, rules, dates, counts.
    create table disposal_certificate (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      category text not null,
      -- What was disposed of: case records, or the partnerships' own rows.
      item_kind text not null default 'case-record'
        check (item_kind in ('case-record', 'training-booking', 'survey', 'partnership-meeting')),
      rule_id text,
      action text not null,
      -- The disposed items' ids (records, bookings, surveys or meetings).
      record_ids uuid[] not null,
      earliest_due date,
      latest_due date,
      disposed_at timestamptz not null,
      approved_by uuid references account(id),
      approval text not null check (approval in ('schedule', 'review-decision')),
      sweep_run_id uuid,
      counts jsonb not null
    );
    create index disposal_certificate_organisation on disposal_certificate(organisation_id, disposed_at);

    create table retention_sweep_run (
      id uuid primary key default gen_random_uuid(),
      as_of date not null,
      dry_run boolean not null,
      started_by uuid references account(id),
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      records_disposed integer not null default 0,
      records_skipped integer not null default 0
    );
  `.execute(db);
}
