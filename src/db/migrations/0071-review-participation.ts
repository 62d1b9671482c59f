import { sql, type Kysely } from 'kysely';

/**
 * How the child took part in a looked after review, in the DfE's terms
 * (SSDA903 REVIEW_CODE PN1–PN7, src/returns/ssda903/codes.ts), so the
 * Reviews file can say more than took part or not. Stored as the word the
 * form offers, never the code; PN0 (under 4) is the child's age and is never
 * stored. Null for conferences, and for reviews recorded before the form
 * asked: those keep their yes-or-no `child_participated`, which the return
 * reads as PN1 or PN7 (participationOf). `child_participated` stays, set
 * from the participation for new reviews, so everything that reads it works
 * as before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table statutory_review
      add column participation text
        check (participation in (
          'attended-spoke', 'attended-advocate', 'attended-non-verbal',
          'attended-no-contribution', 'absent-advocate', 'absent-views-sent',
          'did-not-take-part'
        )),
      add constraint statutory_review_participation_on_reviews
        check (participation is null or kind = 'looked-after-review')
  `.execute(db);
}
