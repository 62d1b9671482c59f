/**
 * Marking the privacy notice reviewed (issue 11 "Notice review": "reviewing
 * creates a new version (even if unchanged) so the notice shows when it was
 * last reviewed"; decision 0025). The Data Protection Officer reviews; the
 * review is the next policy version: the document in force with its
 * `noticeReview.reviewed` date set to today (and an explicit next-review
 * date that has passed cleared, so the next one is worked out from today),
 * stored with who reviewed it (`review_by`, migration 0030) and when, in
 * force at once, audited. Nothing else in the document changes, so it needs
 * no second person: it is one person's statement that they reviewed it.
 */
import type { Kysely } from 'kysely';
import { parseDocument } from 'yaml';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../../platform/audit/audit-log.js';
import { registerPolicy } from '../../policy/index.js';
import { parsePolicyDocument } from '../../policy/schema.js';
import { PolicyChangeError } from './changes.js';
import { PolicyVersions, ukDate } from './versions.js';

export async function markNoticeReviewed(
  db: Kysely<Database>,
  input: { organisation: string; accountId: string },
  now: () => Date = () => new Date(),
): Promise<{ version: number }> {
  const today = ukDate(now());
  const organisation = await db
    .selectFrom('organisation as o')
    .innerJoin('membership as m', 'm.organisation_id', 'o.id')
    .select('o.id')
    .where('o.slug', '=', input.organisation)
    .where('m.account_id', '=', input.accountId)
    .where('m.role_slug', '=', 'data-protection-officer')
    .executeTakeFirst();
  if (!organisation) {
    throw new PolicyChangeError(
      'Only the data protection officer of the organisation can mark its notice reviewed.',
    );
  }
  // A version approved but not applied would be overtaken by the review,
  // which is built on the version in force: apply it first.
  const waiting = await db
    .selectFrom('policy_change')
    .select('id')
    .where('organisation_id', '=', organisation.id)
    .where('version_id', 'is not', null)
    .where('applied_at', 'is', null)
    .executeTakeFirst();
  if (waiting) {
    throw new PolicyChangeError(
      'An approved change is waiting to be applied: apply it first, then mark the notice reviewed.',
    );
  }

  const source = await new PolicyVersions(db, now).textInForce(input.organisation);
  const document = parseDocument(source);
  document.setIn(['noticeReview', 'reviewed'], today);
  const next = document.getIn(['noticeReview', 'nextReviewDue']);
  if (typeof next === 'string' && next <= today) {
    document.setIn(['noticeReview', 'nextReviewDue'], null);
  }
  // lineWidth 0: long sentences stay on their lines, as the DPO wrote them.
  const text = document.toString({ lineWidth: 0 });
  const parsed = parsePolicyDocument(text, `${input.organisation} reviewed`, input.organisation);
  if (!parsed.ok) throw new PolicyChangeError(parsed.problems.map((p) => p.message).join('; '));

  const version = await db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('policy_version')
      .select((eb) => eb.fn.max('version').as('version'))
      .where('organisation_id', '=', organisation.id)
      .executeTakeFirst();
    const version = Number(last?.version ?? 0) + 1;
    const { id } = await trx
      .insertInto('policy_version')
      .values({
        organisation_id: organisation.id,
        version,
        document_text: text,
        document: JSON.stringify(parsed.policy),
        effective_from: today,
        review_by: input.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      action: 'notice.review',
      actorAccountId: input.accountId,
      organisationId: organisation.id,
      objectType: 'policy-version',
      objectIds: [id],
    });
    return version;
  });
  registerPolicy(parsed.policy);
  return { version };
}
