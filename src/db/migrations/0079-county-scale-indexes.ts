import { sql, type Kysely } from 'kysely';

/**
 * Indexes that the county-scale benchmarks (issue 16: 1,000,000 people and
 * 5,000,000 records) showed missing; decision 0053.
 *
 * Subject access discovery looks for notes naming the subject, within the
 * organisation (rights/discovery.ts subjectMentions). Matched with strpos,
 * which no index serves, that read every note of the organisation — at
 * county scale millions, for each request. A trigram index on the
 * lower-cased text serves the same match written as LIKE '%name%'.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index case_note_text_trgm on case_note using gin (lower(text) gin_trgm_ops);
  `.execute(db);
}
