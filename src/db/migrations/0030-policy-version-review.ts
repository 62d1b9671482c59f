import { sql, type Kysely } from 'kysely';

/**
 * A review of the privacy notice is a policy version of its own (issue 11
 * "Notice review": "reviewing creates a new version (even if unchanged) so
 * the notice shows when it was last reviewed"; decision 0025). Such a
 * version changes nothing but the document's review date; `review_by` is
 * the Data Protection Officer who reviewed it, and `created_at` when. It is
 * one person's act, not a change proposed and approved, so it has neither
 * proposer nor approver.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table policy_version add column review_by uuid references account (id)`.execute(
    db,
  );
  await sql`
    alter table policy_version add constraint policy_version_review_alone
      check (review_by is null or (proposed_by is null and approved_by is null))
  `.execute(db);
}
