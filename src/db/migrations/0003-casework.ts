import { sql, type Kysely } from 'kysely';

/**
 * Casework records (issue 3): allocation, open/closed state, the facts that
 * retention needs as typed columns (never free text: design.md principle 4),
 * the stored retention assessment, optimistic locking, and everything a
 * record holds — notes, sources, documents (in the database, so destroying
 * the record destroys them), field-by-field change history and break-glass
 * reasons. Every child table belongs to one record: destroying the record
 * (src/casework/store.ts destroyRecord) removes them all.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table case_record
      add column version integer not null default 1,
      add column created_by uuid references account(id),
      add column updated_at timestamptz not null default now(),
      add column allocated_account_id uuid references account(id),
      add column allocated_team_id uuid references team(id),
      -- Category-specific details, validated by one zod schema per category
      -- (src/casework/categories.ts). Nothing retention reads lives here.
      add column detail jsonb not null default '{}',
      -- Retention facts (src/policy/types.ts dateFactNames); closureDate is
      -- closed_on, and the subject's dates of birth and death are on person.
      add column incident_date date,
      add column child_died boolean,
      add column outcome text check (outcome in
        ('no-further-action', 'unfounded', 'false', 'malicious', 'unsubstantiated', 'substantiated')),
      add column caution_or_conviction_date date,
      add column last_contact_date date,
      add column recorded_date date,
      add column adoption_order_date date,
      add column training_date date,
      add column completed_date date,
      add column meeting_date date,
      add column report_date date,
      add column survey_date date,
      add column unsubscribed_date date,
      add column email_invalid_date date,
      add column contract_end_date date,
      -- The retention engine's answer, stored in the same transaction as any
      -- fact it depends on (design.md principle 4).
      add column retention_status text check (retention_status in
        ('scheduled', 'pending', 'needs-review', 'no-rule')),
      add column retention_due date,
      add column retention_action text,
      add column retention_rule_id text,
      add column retention_needs_review boolean not null default true,
      add column retention_explanation text,
      add column retention_assessed_at timestamptz,
      add constraint case_record_closed_after_opened check (closed_on is null or closed_on >= opened_on);

    create index case_record_org_category on case_record(organisation_id, category);
    create index case_record_allocated_account on case_record(allocated_account_id);
    create index case_record_allocated_team on case_record(allocated_team_id);
    create index case_record_retention_due on case_record(organisation_id, retention_due)
      where retention_due is not null;

    alter table record_party add column added_at timestamptz not null default now();
    create index record_party_person on record_party(person_id);
    -- One subject per record: the person retention's dateOfBirth/dateOfDeath describe.
    create unique index record_party_one_subject on record_party(record_id) where role = 'subject';

    create table case_note (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references case_record(id),
      author_account_id uuid not null references account(id),
      written_at timestamptz not null default now(),
      -- The day the thing noted happened (a visit, a call), for the chronology.
      occurred_on date not null,
      kind text not null,
      text text not null
    );
    create index case_note_record on case_note(record_id, occurred_on);

    create table record_source (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references case_record(id),
      kind text not null,
      provider text not null,
      received_on date not null,
      reference text,
      summary text not null,
      added_by uuid not null references account(id),
      added_at timestamptz not null default now()
    );
    create index record_source_record on record_source(record_id);

    create table record_document (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references case_record(id),
      filename text not null,
      media_type text not null,
      size_bytes integer not null check (size_bytes > 0),
      content bytea not null,
      uploaded_by uuid not null references account(id),
      uploaded_at timestamptz not null default now()
    );
    create index record_document_record on record_document(record_id);

    create table record_change (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references case_record(id),
      version integer not null,
      field text not null,
      from_value text,
      to_value text,
      changed_by uuid not null references account(id),
      changed_at timestamptz not null default now()
    );
    create index record_change_record on record_change(record_id, changed_at);

    -- The reason is free text, so it lives with the record (and is destroyed
    -- with it), never in the audit log.
    create table break_glass_access (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references case_record(id),
      account_id uuid not null references account(id),
      session_id uuid not null,
      reason text not null,
      opened_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index break_glass_access_record on break_glass_access(record_id);
    create index break_glass_access_account on break_glass_access(account_id, session_id);

    -- "Who has seen this record" reads the audit log by object id.
    create index audit_event_object_ids on audit_event using gin (object_ids);

  `.execute(db);
}
