import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Fills a database with synthetic kent-scs records that are all due for
 * destruction — one subject each, with notes and a small document — in a
 * statement a CHUNK, for the sweep's crash test and benchmark (100,000 in
 * one statement outran the statement timeout on a busy machine, and so did
 * 10,000 with the load average at 9: 24 s at 7.5).
 */
const CHUNK = 2_000;

export async function insertDueRecords(
  db: Kysely<Database>,
  count: number,
  options: { notesPerRecord?: number; withDocuments?: boolean } = {},
): Promise<void> {
  for (let done = 0; done < count; done += CHUNK) {
    await insertChunk(db, Math.min(CHUNK, count - done), options);
  }
}

async function insertChunk(
  db: Kysely<Database>,
  count: number,
  options: { notesPerRecord?: number; withDocuments?: boolean },
): Promise<void> {
  const notes = options.notesPerRecord ?? 2;
  await sql`
    with org as (select id from organisation where slug = 'kent-scs'),
    author as (
      insert into account (email, display_name, password_hash)
      values ('synthetic.author.' || gen_random_uuid() || '@staff.example', 'Synthetic Author', 'not-a-hash')
      returning id
    ),
    people as (
      insert into person (organisation_id, given_name, family_name)
      select org.id, 'Synthetic', 'Child ' || n from org, generate_series(1, ${count}) n
      returning id
    ),
    numbered_people as (select id, row_number() over () as n from people),
    records as (
      insert into case_record (organisation_id, category, opened_on, retention_status, retention_due,
        retention_action, retention_rule_id, retention_needs_review, retention_explanation)
      select org.id, 'child-in-need', '2000-01-01', 'scheduled', '2020-01-01', 'destroy',
        'kent-scs/child-in-need/birth-plus-25', false, 'synthetic'
      from org, generate_series(1, ${count})
      returning id
    ),
    numbered_records as (select id, row_number() over () as n from records),
    parties as (
      insert into record_party (record_id, person_id, role)
      select r.id, p.id, 'subject' from numbered_records r join numbered_people p using (n)
    ),
    documents as (
      insert into record_document (record_id, filename, media_type, size_bytes, content, uploaded_by)
      select r.id, 'synthetic.txt', 'text/plain', 16, convert_to('synthetic bytes!', 'UTF8'), author.id
      from numbered_records r, author
      where ${options.withDocuments ?? true}
    )
    insert into case_note (record_id, author_account_id, occurred_on, kind, text)
    select r.id, author.id, '2001-01-01', 'visit', 'Synthetic note'
    from numbered_records r, author, generate_series(1, ${notes})
  `.execute(db);
}
