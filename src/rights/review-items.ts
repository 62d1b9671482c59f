import type { Selectable, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { ConflictError, NotFoundError } from '../platform/errors/errors.js';
import { isCategorySlug } from '../policy/index.js';
import { decideReviewItemText } from '../platform/access/access.js';
import { editableStates } from './machine.js';
import { restrictedFor } from './restriction.js';
import { isUuid, loadRequest } from './request-store.js';
import type { RightsRedactionTable, RightsRequestTable, RightsReviewItemTable } from './tables.js';

/**
 * The review's items and their redactions as stored: read for the page and
 * the bundle, loaded one at a time (locked) to be decided or redacted, and
 * counted for the state machine.
 */

export type ItemRow = Selectable<RightsReviewItemTable>;
export type RedactionRow = Selectable<RightsRedactionTable>;

type RequestRow = Selectable<RightsRequestTable>;

/** The request's items in order, their redactions, and which of their records are restricted. */
export async function itemsOf(trx: Transaction<Database>, request: RequestRow) {
  const items = await trx
    .selectFrom('rights_review_item')
    .selectAll()
    .where('request_id', '=', request.id)
    .orderBy('position')
    .execute();
  // A restriction placed after the items were gathered still keeps them out.
  const restricted = await restrictedFor(trx, request, [
    ...new Set(items.flatMap((i) => (i.record_id ? [i.record_id] : []))),
  ]);
  const redactions = items.length
    ? await trx
        .selectFrom('rights_redaction')
        .selectAll()
        .where(
          'item_id',
          'in',
          items.map((i) => i.id),
        )
        .orderBy('start_offset')
        .orderBy('id')
        .execute()
    : [];
  return { items, redactions, restricted };
}

/** Loads an item of an editable request, locked, with the context a ground is checked in. */
export async function editableItem(
  trx: Transaction<Database>,
  staff: StaffContext,
  organisationId: string,
  requestId: string,
  itemId: string,
) {
  const request = await loadRequest(trx, organisationId, requestId, { lock: true });
  if (!editableStates.includes(request.state)) {
    throw new ConflictError(
      'Decisions can change only while the request is in progress: send it back from review first',
    );
  }
  if (!isUuid(itemId)) throw new NotFoundError('Item not found');
  const item = await trx
    .selectFrom('rights_review_item')
    .selectAll()
    .where('id', '=', itemId)
    .where('request_id', '=', request.id)
    .forUpdate()
    .executeTakeFirst();
  if (!item) throw new NotFoundError('Item not found');
  const category = item.record_id
    ? ((
        await trx
          .selectFrom('case_record')
          .select('category')
          .where('id', '=', item.record_id)
          .executeTakeFirst()
      )?.category ?? null)
    : null;
  // Only someone who may read the item as held redacts or decides it.
  if (item.record_id && category && isCategorySlug(category)) {
    const record = await trx
      .selectFrom('case_record')
      .select(['organisation_id', 'allocated_account_id', 'allocated_team_id', 'record_state'])
      .where('id', '=', item.record_id)
      .executeTakeFirstOrThrow();
    const shown = decideReviewItemText(
      staff,
      {
        organisationId: record.organisation_id,
        category,
        allocatedAccountId: record.allocated_account_id,
        allocatedTeamId: record.allocated_team_id,
        state: record.record_state,
      },
      { decided: item.decision !== null },
    );
    if (shown !== 'held') throw new NotFoundError('Item not found');
  }
  return { request, item, context: { requesterRole: request.requester_role, category } };
}

export function toSpan(r: Pick<RedactionRow, 'start_offset' | 'end_offset' | 'ground'>) {
  return { start: r.start_offset, end: r.end_offset, ground: r.ground };
}

/**
 * For the state machine: an access request goes to review only when every
 * item of a prepared bundle has a decision.
 */
export async function undecidedItems(
  trx: Transaction<Database>,
  requestId: string,
): Promise<{ total: number; undecided: number }> {
  // Items of restricted records are left out of the bundle: they need no decision.
  const request = await trx
    .selectFrom('rights_request')
    .select(['requester_role', 'subject_person_id'])
    .where('id', '=', requestId)
    .executeTakeFirstOrThrow();
  const recordIds = await trx
    .selectFrom('rights_review_item')
    .select('record_id')
    .distinct()
    .where('request_id', '=', requestId)
    .where('decision', 'is', null)
    .execute();
  const restricted = [
    ...(await restrictedFor(
      trx,
      request,
      recordIds.flatMap((r) => (r.record_id ? [r.record_id] : [])),
    )),
  ];
  const row = await trx
    .selectFrom('rights_review_item')
    .select((eb) => [
      eb.fn.countAll<string>().as('total'),
      eb.fn.count<string>('id').filterWhere('decision', 'is', null).as('undecided'),
    ])
    .where('request_id', '=', requestId)
    .executeTakeFirstOrThrow();
  const left = restricted.length
    ? await trx
        .selectFrom('rights_review_item')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('request_id', '=', requestId)
        .where('decision', 'is', null)
        .where('record_id', 'in', restricted)
        .executeTakeFirstOrThrow()
    : { n: '0' };
  return { total: Number(row.total), undecided: Number(row.undecided) - Number(left.n) };
}
