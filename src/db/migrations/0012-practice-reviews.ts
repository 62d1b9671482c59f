import { sql, type Kysely } from 'kysely';

/**
 * The practice-review workflow (issue 6; decision 0008) around a casework
 * record of category practice-review: the referral, the National Panel
 * notification decision, the rapid review, chronology requests to partner
 * agencies, appointments (lead reviewer, panel, contributing practitioners
 * with their confidentiality acknowledgement), the report and its
 * publication. Everything here goes when the record is destroyed; the
 * disclosures the steps made stay in the sharing log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table practice_review (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null unique references case_record(id) on delete cascade,
      organisation_id uuid not null references organisation(id),
      stage text not null check (stage in
        ('referred', 'not-notified', 'notified', 'rapid-review', 'no-review', 'lcspr', 'published')),
      version integer not null default 1,
      referral_received_on date not null,
      referred_by text not null check (length(referred_by) between 1 and 200),
      aware_on date not null,
      referral_note_id uuid references case_note(id) on delete set null,
      notification_decided_on date,
      notification_reasons text,
      late_notification_reason text,
      rapid_review_sent_on date,
      rapid_review_disclosure_id uuid references disclosure(id) on delete set null,
      review_decided_on date,
      review_decision_reasons text,
      decision_note_id uuid references case_note(id) on delete set null,
      report_status text not null default 'none' check (report_status in ('none', 'draft', 'final')),
      report_document_id uuid references record_document(id) on delete set null,
      report_anonymised_by uuid references account(id),
      published_on date,
      withdraw_not_before date,
      publication_url text,
      started_by uuid not null references account(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null,
      -- "published … for a minimum of 1 year" (KSCMP notice).
      check (published_on is null or withdraw_not_before >= published_on + interval '1 year'),
      check ((stage = 'published') = (published_on is not null)),
      check (published_on is null or report_anonymised_by is not null)
    );
    create index practice_review_organisation on practice_review(organisation_id, stage);

    create table practice_review_chronology (
      id uuid primary key default gen_random_uuid(),
      review_id uuid not null references practice_review(id) on delete cascade,
      recipient_id text not null,
      agency_name text not null check (length(agency_name) between 1 and 200),
      recipient_organisation_id uuid references organisation(id),
      request_note_id uuid references case_note(id) on delete set null,
      requested_on date not null,
      due_on date not null check (due_on >= requested_on),
      status text not null check (status in ('requested', 'returned', 'declined')),
      outcome_on date,
      returned_document_id uuid references record_document(id) on delete set null,
      returned_note_id uuid references case_note(id) on delete set null,
      declined_reason text,
      disclosure_id uuid references disclosure(id) on delete set null,
      created_by uuid not null references account(id),
      check ((status = 'requested') = (outcome_on is null)),
      check (status <> 'declined' or declined_reason is not null)
    );
    create index practice_review_chronology_review on practice_review_chronology(review_id, due_on);

    create table practice_review_appointment (
      id uuid primary key default gen_random_uuid(),
      review_id uuid not null references practice_review(id) on delete cascade,
      role text not null check (role in ('lead-reviewer', 'panel-member', 'practitioner')),
      name text not null check (length(name) between 1 and 200),
      agency text not null check (length(agency) between 1 and 200),
      job_role text,
      appointed_on date not null,
      acknowledged_on date,
      acknowledgement_version text,
      disclosure_id uuid references disclosure(id) on delete set null,
      created_by uuid not null references account(id),
      check ((acknowledged_on is null) = (acknowledgement_version is null)),
      -- Nothing goes to a practitioner before they acknowledge confidentiality.
      check (role <> 'practitioner' or disclosure_id is null or acknowledged_on is not null)
    );
    create unique index practice_review_one_lead on practice_review_appointment(review_id)
      where role = 'lead-reviewer';
    create index practice_review_appointment_review on practice_review_appointment(review_id);
  `.execute(db);
}
