import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { OrganisationSlug } from '../../src/policy/index.js';

/**
 * A record as the retention sweep sees it: already assessed (the engine's
 * answer stored on it), with a subject, notes and a document. Written with
 * SQL so that sweep tests do not depend on casework's screens.
 */
export async function assessedRecord(
  db: Kysely<Database>,
  input: {
    organisation: OrganisationSlug;
    category: string;
    authorAccountId: string;
    due: string | null;
    action?: string;
    status?: 'scheduled' | 'pending' | 'needs-review' | 'no-rule';
    needsReview?: boolean;
    personIds?: string[];
    notes?: number;
  },
): Promise<{ recordId: string; personIds: string[] }> {
  const org = await db
    .selectFrom('organisation')
    .select('id')
    .where('slug', '=', input.organisation)
    .executeTakeFirstOrThrow();
  return db.transaction().execute(async (trx) => {
    const personIds = input.personIds ?? [
      (
        await trx
          .insertInto('person')
          .values({ organisation_id: org.id, given_name: 'Synthetic', family_name: 'Child' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id,
    ];
    const { id: recordId } = await trx
      .insertInto('case_record')
      .values({
        organisation_id: org.id,
        category: input.category,
        opened_on: '2001-01-01',
        retention_status: input.status ?? 'scheduled',
        retention_due: input.due,
        retention_action: input.action ?? 'destroy',
        retention_rule_id: `${input.organisation}/${input.category}/test-rule`,
        retention_needs_review: input.needsReview ?? false,
        retention_explanation: 'Synthetic assessment for a test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [index, personId] of personIds.entries()) {
      await trx
        .insertInto('record_party')
        .values({
          record_id: recordId,
          person_id: personId,
          role: index === 0 ? 'subject' : 'parent',
        })
        .execute();
    }
    for (let i = 0; i < (input.notes ?? 2); i += 1) {
      await trx
        .insertInto('case_note')
        .values({
          record_id: recordId,
          author_account_id: input.authorAccountId,
          occurred_on: '2001-01-02',
          kind: 'visit',
          text: 'Synthetic note text',
        })
        .execute();
    }
    await trx
      .insertInto('record_document')
      .values({
        record_id: recordId,
        filename: 'synthetic.txt',
        media_type: 'text/plain',
        size_bytes: 4,
        content: Buffer.from('test'),
        uploaded_by: input.authorAccountId,
      })
      .execute();
    return { recordId, personIds };
  });
}
