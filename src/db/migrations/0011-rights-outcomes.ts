import { sql, type Kysely } from 'kysely';

/**
 * Carrying out what a rights request decided (issue 5): what an erasure
 * erased and refused, statements and disputes attached to records, and the
 * Art 19 notices to the recipients the data had been disclosed to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rights_outcome_item (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references rights_request(id) on delete cascade,
      action text not null check (action in ('erased', 'unsubscribed', 'refused', 'not-linkable')),
      source text not null check (source in ('training-booking', 'newsletter-subscriber',
        'survey-response', 'case-record')),
      -- The id the erased row had: an id, never what the row said.
      item_id uuid,
      category text not null,
      ground text,
      reason text not null,
      carried_out_by uuid not null references account(id),
      carried_out_at timestamptz not null default now(),
      -- A refusal names its Art 17(3) ground.
      check (action <> 'refused' or ground is not null)
    );
    create index rights_outcome_item_request on rights_outcome_item(request_id, carried_out_at);

    create table rights_annotation (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      request_id uuid not null references rights_request(id),
      kind text not null check (kind in ('disputed-opinion', 'refusal-statement')),
      -- Destroyed with what it is attached to (design.md principle 4).
      record_id uuid not null references case_record(id) on delete cascade,
      note_id uuid references case_note(id) on delete cascade,
      text text not null check (length(text) between 1 and 4000),
      added_by uuid not null references account(id),
      added_at timestamptz not null default now()
    );
    create index rights_annotation_record on rights_annotation(record_id, added_at);
    create index rights_annotation_request on rights_annotation(request_id);

    create table rights_recipient_notice (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references rights_request(id) on delete cascade,
      disclosure_id uuid not null references disclosure(id) on delete cascade,
      outcome text not null check (outcome in ('told', 'impossible', 'disproportionate')),
      told_on date,
      method text,
      reason text,
      recorded_by uuid not null references account(id),
      recorded_at timestamptz not null default now(),
      unique (request_id, disclosure_id),
      check ((outcome = 'told' and told_on is not null and method is not null)
        or (outcome <> 'told' and reason is not null))
    );
  `.execute(db);
}
