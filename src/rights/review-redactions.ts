import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { checkGround } from './exemptions.js';
import { NCND_SPAN_REFUSAL, ncndOf } from './ncnd.js';
import { isUuid, RIGHTS_PURPOSE } from './request-store.js';
import { authoriseReviewWork } from './gathering.js';
import { checkSpan, findPhrase } from './redaction.js';
import { editableItem } from './review-items.js';
import type { ThirdPartyKind } from './tables.js';

/**
 * Spans of an item's text redacted on a legal ground, and removed again
 * (redaction.ts finds and checks the spans).
 */

export interface RedactionInput {
  /** Either offsets … */
  start?: number | undefined;
  end?: number | undefined;
  /** … or the words to redact (their first occurrence, or the nth). */
  phrase?: string | undefined;
  occurrence?: number | undefined;
  ground: string;
  thirdParty?: ThirdPartyKind | undefined;
  note?: string | undefined;
}

/**
 * Redacts a span of an item's text on a ground. Third parties (Sch 2 paras
 * 16-17) say who they are; a professional acting in their role is
 * normally disclosed, so redacting one needs the reason written down.
 */
export async function redactSpan(
  db: Kysely<Database>,
  staff: StaffContext,
  requestId: string,
  itemId: string,
  input: RedactionInput,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
    const { request, item, context } = await editableItem(
      trx,
      staff,
      organisation.id,
      requestId,
      itemId,
    );
    if (item.kind === 'record' || (item.kind === 'document' && item.body.trim() === '')) {
      throw new ConflictError(
        item.kind === 'record'
          ? 'Only the text of notes, documents and chronology entries is redacted in spans; disclose or withhold this item'
          : 'No text could be read from this document: disclose it as it is, or withhold it on a ground',
      );
    }
    const span =
      input.phrase !== undefined && input.phrase.trim() !== ''
        ? findPhrase(item.body, input.phrase, input.occurrence ?? 1)
        : input.start !== undefined && input.end !== undefined
          ? { start: input.start, end: input.end }
          : undefined;
    if (!span) {
      throw new ValidationError([
        {
          field: 'phrase',
          message: input.phrase
            ? 'Those words are not in the text: copy them exactly as they appear'
            : 'Enter the words to redact',
        },
      ]);
    }
    const spanCheck = checkSpan(item.body, span);
    if (!spanCheck.ok) throw new ValidationError([{ field: 'phrase', message: spanCheck.reason }]);
    const check = checkGround(input.ground, context);
    if (!check.ok) throw new ValidationError([{ field: 'ground', message: check.reason }]);
    if ((await ncndOf(trx, request.id))?.ground === check.ground.code) {
      throw new ConflictError(NCND_SPAN_REFUSAL);
    }
    const note = input.note?.trim() || null;
    if (check.ground.code === 'sch2-para16-third-party') {
      if (!input.thirdParty) {
        throw new ValidationError([{ field: 'thirdParty', message: 'Say who the third party is' }]);
      }
      if (input.thirdParty === 'professional' && (note?.length ?? 0) < 10) {
        throw new ValidationError([
          {
            field: 'note',
            message:
              'Professionals acting in their role are normally disclosed: write down why this one is not (at least 10 characters)',
          },
        ]);
      }
    }
    const { id } = await trx
      .insertInto('rights_redaction')
      .values({
        item_id: item.id,
        start_offset: span.start,
        end_offset: span.end,
        ground: check.ground.code,
        third_party:
          check.ground.code === 'sch2-para16-third-party' ? (input.thirdParty ?? null) : null,
        note,
        added_by: staff.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('rights_review_item')
      .set({
        decision: 'redact',
        ground: null,
        decided_by: staff.accountId,
        decided_at: new Date(),
      })
      .where('id', '=', item.id)
      .execute();
    await recordAudit(trx, {
      action: 'rights.review.redact-span',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'rights-review-item',
      objectIds: [request.id, item.id, id],
      purpose: RIGHTS_PURPOSE,
    });
    return id;
  });
}

/** Removes a redaction; an item left with none goes back to undecided. */
export async function removeRedaction(
  db: Kysely<Database>,
  staff: StaffContext,
  requestId: string,
  itemId: string,
  redactionId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
    const { request, item } = await editableItem(trx, staff, organisation.id, requestId, itemId);
    if (!isUuid(redactionId)) throw new NotFoundError('Redaction not found');
    const removed = await trx
      .deleteFrom('rights_redaction')
      .where('id', '=', redactionId)
      .where('item_id', '=', item.id)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) throw new NotFoundError('Redaction not found');
    const left = await trx
      .selectFrom('rights_redaction')
      .select('id')
      .where('item_id', '=', item.id)
      .executeTakeFirst();
    if (!left) {
      await trx
        .updateTable('rights_review_item')
        .set({ decision: null, ground: null, decided_by: null, decided_at: null })
        .where('id', '=', item.id)
        .execute();
    }
    await recordAudit(trx, {
      action: 'rights.review.unredact-span',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'rights-review-item',
      objectIds: [request.id, item.id, redactionId],
      purpose: RIGHTS_PURPOSE,
    });
  });
}
