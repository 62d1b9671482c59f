import { sql, type Kysely } from 'kysely';

/**
 * Data subject rights (issue 5): requests with their statutory clock, the
 * timeline of each, clarification pauses, decisions that need no discovery,
 * and restrictions of processing (UK GDPR Art 18).
 *
 * Person and record ids are not foreign keys: a request outlives the records
 * it was about (erasure, destruction on schedule), as retention's holds do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rights_request (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      type text not null check (type in ('access', 'rectification', 'erasure', 'restriction',
        'objection-public-task', 'objection-direct-marketing', 'consent-withdrawal',
        'portability', 'automated-decision-objection')),
      state text not null check (state in ('received', 'awaiting-id', 'awaiting-authority',
        'awaiting-clarification', 'in-progress', 'extended', 'review', 'approved',
        'responded-in-full', 'responded-in-part', 'refused', 'closed')),
      related_request_id uuid references rights_request(id),
      channel text not null,
      received_on date not null,
      description text not null check (length(description) between 1 and 10000),
      categories text[] not null default '{}',

      requester_role text not null check (requester_role in
        ('self', 'parent', 'solicitor', 'court-appointee')),
      requester_name text not null,
      requester_contact text not null,
      identity_check text not null,
      identity_checked_on date,
      authority_evidence text,
      authority_note text,

      subject_given_name text not null,
      subject_family_name text not null,
      subject_other_names text,
      subject_date_of_birth date,
      subject_identifiers jsonb not null default '[]',
      subject_person_id uuid,

      id_requested_on date,
      id_received_on date,
      authority_requested_on date,
      authority_received_on date,
      clarification_requested_on date,
      clarification_received_on date,

      extension_told_on date,
      extension_reason text,
      extension_months integer check (extension_months in (1, 2)),

      clock_status text not null check (clock_status in ('running', 'paused', 'waiting', 'invalid')),
      clock_start date,
      clock_started_by text,
      clock_due date,
      clock_first_month_due date,
      clock_paused_days integer not null default 0,
      clock_paused_since date,
      clock_days_left_when_paused integer,
      clock_problem text,

      prepared_by uuid references account(id),
      approved_by uuid references account(id),
      approved_at timestamptz,
      responded_on date,
      closed_at timestamptz,

      created_by uuid not null references account(id),
      created_at timestamptz not null default now(),
      version integer not null default 1,

      -- Art 12(3): an extension needs reasons, given to the requester.
      check ((extension_told_on is null) = (extension_reason is null)),
      -- A second person approves (never the one who prepared the response).
      check (approved_by is null or prepared_by is null or approved_by <> prepared_by)
    );
    create index rights_request_open on rights_request(organisation_id, clock_due)
      where state not in ('responded-in-full', 'responded-in-part', 'refused', 'closed');

    create table rights_pause (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references rights_request(id) on delete cascade,
      from_date date not null,
      to_date date,
      resume_state text not null check (resume_state in ('in-progress', 'extended')),
      check (to_date is null or to_date >= from_date)
    );
    create index rights_pause_request on rights_pause(request_id);
    -- At most one clarification can be awaited at a time.
    create unique index rights_pause_one_open on rights_pause(request_id) where to_date is null;

    create table rights_event (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references rights_request(id) on delete cascade,
      occurred_at timestamptz not null default now(),
      actor_account_id uuid not null references account(id),
      kind text not null,
      from_state text,
      to_state text,
      on_date date,
      note text
    );
    create index rights_event_request on rights_event(request_id, occurred_at);

    create table rights_decision (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references rights_request(id) on delete cascade,
      kind text not null check (kind in ('portability', 'erasure', 'objection-public-task',
        'objection-direct-marketing', 'automated-decision-objection')),
      category text,
      outcome text not null check (outcome in ('applies', 'does-not-apply', 'erase', 'refuse',
        'upheld', 'not-upheld', 'no-automated-decisions')),
      ground text,
      reasoning text not null,
      subject_grounds text,
      decided_by uuid not null references account(id),
      decided_at timestamptz not null default now(),
      -- A refused erasure names its Art 17(3) ground; an objection not upheld
      -- writes down the compelling legitimate grounds (Art 21(1)).
      check (outcome not in ('refuse', 'not-upheld') or ground is not null)
    );
    create index rights_decision_request on rights_decision(request_id);

    create table restriction (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      request_id uuid references rights_request(id),
      scope text not null check (scope in ('person', 'record')),
      person_id uuid,
      record_id uuid,
      ground text not null check (ground in ('accuracy-contested', 'unlawful-erasure-opposed',
        'needed-for-legal-claims', 'objection-pending')),
      placed_by uuid not null references account(id),
      placed_at timestamptz not null default now(),
      person_told_on date,
      person_told_by uuid references account(id),
      lift_reason text,
      lifted_at timestamptz,
      lifted_by uuid references account(id),
      check ((scope = 'person') = (person_id is not null)),
      check ((scope = 'record') = (record_id is not null)),
      -- Art 18(3): the person is told before the restriction is lifted.
      check (lifted_at is null or (person_told_on is not null and lift_reason is not null))
    );
    create index restriction_active_person on restriction(person_id) where lifted_at is null;
    create index restriction_active_record on restriction(record_id) where lifted_at is null;
  `.execute(db);
}
