import { sql, type Kysely } from 'kysely';

/**
 * `rights_gathering`: an access request whose records only named officers
 * may read (Maidstone's concern log: "Only the Designated Safeguarding
 * Officer and two deputy Designated Safeguarding Officer will have access")
 * is gathered and redacted by one of them, at information governance's
 * request; information governance and the DPO then see only the redacted
 * items and approve them (decision record 0023). One row per request:
 * requested → submitted, and back to requested if governance returns it.
 * Ids, codes and a note from governance to the officer; no personal data
 * beyond what the request already holds.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rights_gathering (
      request_id uuid primary key references rights_request(id) on delete cascade,
      role text not null check (role in ('designated-safeguarding-officer')),
      state text not null check (state in ('requested', 'submitted')),
      note text check (note is null or length(note) <= 2000),
      requested_by uuid not null references account(id),
      requested_at timestamptz not null default now(),
      submitted_by uuid references account(id),
      submitted_at timestamptz,
      check ((state = 'submitted') = (submitted_by is not null and submitted_at is not null))
    );

    -- Issue 12 item 2: a document's item holds its text (document-text.ts);
    -- this says what it is and what could not be converted, apart from the
    -- text the reviewer redacts.
    alter table rights_review_item add column source_note text;
  `.execute(db);
}
