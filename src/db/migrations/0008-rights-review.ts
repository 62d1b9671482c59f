import { sql, type Kysely } from 'kysely';

/**
 * Subject access review (issue 5): what discovery searched for a request,
 * the bundle's items with a decision each (disclose / redact / withhold with
 * the legal ground), and the redacted spans of their text.
 *
 * Items hold a snapshot of what was reviewed, so the bundle sent is exactly
 * what was approved; they belong to the request (deleted with it). Person,
 * record and note ids are not foreign keys: a request outlives the records
 * it was about.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rights_discovery (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references rights_request(id) on delete cascade,
      run_by uuid not null references account(id),
      run_at timestamptz not null default now(),
      sources text[] not null,
      criteria jsonb not null,
      results jsonb not null
    );
    create index rights_discovery_request on rights_discovery(request_id, run_at);

    create table rights_review_item (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references rights_request(id) on delete cascade,
      kind text not null check (kind in ('record', 'note', 'document', 'chronology')),
      source_id text not null,
      record_id uuid,
      position integer not null,
      item_date date,
      title text not null,
      body text not null,
      decision text check (decision in ('disclose', 'redact', 'withhold')),
      ground text,
      reason text,
      decided_by uuid references account(id),
      decided_at timestamptz,
      unique (request_id, kind, source_id),
      check (decision is null or decided_by is not null),
      check (decision is distinct from 'withhold' or ground is not null)
    );
    create index rights_review_item_request on rights_review_item(request_id, position);
    -- Retention destroys a record's copies with it (rights/disposal.ts).
    create index rights_review_item_record on rights_review_item(record_id);

    create table rights_redaction (
      id uuid primary key default gen_random_uuid(),
      item_id uuid not null references rights_review_item(id) on delete cascade,
      start_offset integer not null check (start_offset >= 0),
      end_offset integer not null,
      ground text not null,
      third_party text check (third_party in ('family-member', 'referrer', 'other-individual',
        'professional')),
      note text,
      added_by uuid not null references account(id),
      added_at timestamptz not null default now(),
      check (end_offset > start_offset)
    );
    create index rights_redaction_item on rights_redaction(item_id);
  `.execute(db);
}
