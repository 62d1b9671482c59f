import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { checkGround, type Ground } from './exemptions.js';
import { editableStates } from './machine.js';
import { loadRequest, RIGHTS_PURPOSE } from './request-store.js';
import { authoriseReviewWork } from './gathering.js';
import { editableItem } from './review-items.js';
import type { ReviewDecision } from './tables.js';

/**
 * A decision on each item of the review: disclose, redact (once spans are
 * marked) or withhold on a ground whose who-may-claim rule holds.
 */

export interface DecisionInput {
  decision: ReviewDecision;
  ground?: string | undefined;
  reason?: string | undefined;
}

/** Records the decision on an item: disclose, redact (needs spans) or withhold (needs a ground). */
export async function decideItem(
  db: Kysely<Database>,
  staff: StaffContext,
  requestId: string,
  itemId: string,
  input: DecisionInput,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
    await decideIn(trx, staff, organisation.id, requestId, itemId, input);
  });
}

/**
 * "Disclose the rest" (issue 13 item 9): every item still needing a
 * decision that this person may decide, has no redactions and is not
 * restricted is disclosed, each checked and audited as one decision would
 * be, in one transaction. Items they may not read as held are left for
 * someone who may. Returns how many were disclosed and how many are left.
 */
export async function discloseUndecided(
  db: Kysely<Database>,
  staff: StaffContext,
  requestId: string,
): Promise<{ disclosed: number; left: number }> {
  return db.transaction().execute(async (trx) => {
    const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
    // The request first: another organisation's or an unknown id is "not
    // found" before anything is read or written.
    const request = await loadRequest(trx, organisation.id, requestId, { lock: true });
    if (!editableStates.includes(request.state)) {
      throw new ConflictError(
        'Decisions can change only while the request is in progress: send it back from review first',
      );
    }
    const undecided = await trx
      .selectFrom('rights_review_item as i')
      .select('i.id')
      .where('i.request_id', '=', request.id)
      .where('i.decision', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('rights_redaction as x').select('x.id').whereRef('x.item_id', '=', 'i.id'),
          ),
        ),
      )
      .orderBy('i.id')
      .execute();
    let disclosed = 0;
    for (const { id } of undecided) {
      try {
        await decideIn(trx, staff, organisation.id, requestId, id, { decision: 'disclose' });
        disclosed += 1;
      } catch (error) {
        // Not theirs to decide (read only by named officers): left as it is.
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    const { left } = await trx
      .selectFrom('rights_review_item')
      .select((eb) => eb.fn.countAll<number>().as('left'))
      .where('request_id', '=', requestId)
      .where('decision', 'is', null)
      .executeTakeFirstOrThrow();
    return { disclosed, left: Number(left) };
  });
}

async function decideIn(
  trx: Transaction<Database>,
  staff: StaffContext,
  organisationId: string,
  requestId: string,
  itemId: string,
  input: DecisionInput,
): Promise<void> {
  const { request, item, context } = await editableItem(
    trx,
    staff,
    organisationId,
    requestId,
    itemId,
  );
  const spans = await trx
    .selectFrom('rights_redaction')
    .select('id')
    .where('item_id', '=', item.id)
    .execute();
  let ground: Ground | null = null;
  if (input.decision === 'withhold') {
    if (!input.ground) {
      throw new ValidationError([
        { field: 'ground', message: 'Select the legal ground for withholding the item' },
      ]);
    }
    const check = checkGround(input.ground, context);
    if (!check.ok) throw new ValidationError([{ field: 'ground', message: check.reason }]);
    ground = check.ground;
  }
  if (input.decision === 'redact' && spans.length === 0) {
    throw new ValidationError([
      {
        field: 'decision',
        message: 'Mark the words to redact first; the item is then redacted',
      },
    ]);
  }
  if (input.decision === 'disclose' && spans.length > 0) {
    throw new ValidationError([
      {
        field: 'decision',
        message: 'The item has redactions: remove them to disclose it in full',
      },
    ]);
  }
  await trx
    .updateTable('rights_review_item')
    .set({
      decision: input.decision,
      ground: ground?.code ?? null,
      reason: input.reason?.trim() || null,
      decided_by: staff.accountId,
      decided_at: new Date(),
    })
    .where('id', '=', item.id)
    .execute();
  await recordAudit(trx, {
    action: `rights.review.${input.decision}`,
    actorAccountId: staff.accountId,
    organisationId: organisationId,
    objectType: 'rights-review-item',
    objectIds: [request.id, item.id],
    purpose: RIGHTS_PURPOSE,
  });
}
