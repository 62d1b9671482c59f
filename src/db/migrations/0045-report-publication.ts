import { sql, type Kysely } from 'kysely';

/**
 * Anonymising a practice review's report and publishing it (issue 14;
 * decision 0033).
 *
 * `report_redaction`: one review of one report document — the text read from
 * it, who last changed the decisions (the approver must be someone else),
 * the residual-risk checks and the approved redacted text. It is personal
 * data (the source text names the family), so it goes with the review's
 * record (cascade from practice_review, itself cascaded from case_record).
 *
 * `report_redaction_span`: each proposed or hand-added span with its reason,
 * the label it becomes and the reviewer's decision.
 *
 * `report_publication`: what is on the partnership's public page. It holds
 * only the redacted PDF and dates, no personal data, so it outlives the
 * record (review_id set null): take-down removes the PDF and keeps the row
 * as the record of publication.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table report_redaction (
      id uuid primary key default gen_random_uuid(),
      review_id uuid not null references practice_review(id) on delete cascade,
      organisation_id uuid not null references organisation(id),
      document_id uuid not null references record_document(id) on delete cascade,
      source_text text not null,
      changed_by uuid not null references account(id),
      changed_at timestamptz not null default now(),
      version integer not null default 1,
      approved_by uuid references account(id),
      approved_at timestamptz,
      approved_text text,
      title text check (title is null or length(title) between 1 and 200),
      checks jsonb not null default '[]'::jsonb,
      unique (review_id, document_id),
      check ((approved_by is null) = (approved_text is null)),
      check (approved_by is null or approved_by <> changed_by)
    );
    create table report_redaction_span (
      id uuid primary key default gen_random_uuid(),
      redaction_id uuid not null references report_redaction(id) on delete cascade,
      position integer not null,
      start_at integer not null check (start_at >= 0),
      end_at integer not null,
      kind text not null,
      reason text not null,
      proposed_label text not null,
      label text not null check (length(label) between 1 and 80),
      accepted boolean not null default true,
      added_by_hand boolean not null default false,
      check (end_at > start_at)
    );
    create index report_redaction_span_redaction on report_redaction_span(redaction_id, start_at);
    create table report_publication (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      review_id uuid unique references practice_review(id) on delete set null,
      title text not null,
      published_on date not null,
      take_down_on date not null,
      pdf bytea,
      removed jsonb not null,
      published_by uuid not null references account(id),
      taken_down_on date,
      check (take_down_on > published_on),
      check ((pdf is null) = (taken_down_on is not null))
    );
    create index report_publication_public
      on report_publication(organisation_id, published_on desc) where taken_down_on is null;
  `.execute(db);
}
