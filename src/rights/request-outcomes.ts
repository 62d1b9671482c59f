import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import {
  carryOutErasure,
  unsubscribeAtOnce,
  type ConfirmedItem,
  type OutcomeContext,
  type OutcomeLine,
} from './erasure.js';
import { recordNotice, type NoticeInput } from './recipients-notice.js';
import {
  loadRequest,
  recordRequestEvent,
  rightsOrganisation,
  rightsPolicy,
  type RightsContext,
} from './request-store.js';

/**
 * Carrying out what a rights request decided (erasure.ts does the erasing):
 * the subject unsubscribed at once, an erasure carried out on the entries a
 * person confirmed, and each Art 19 notice to a recipient, each on the
 * request's timeline in the same transaction.
 */

/** What carrying out needs besides the database: the partnerships' suppression-list key. */
export interface CarryingOutContext extends RightsContext {
  /** So an erasure leaves what an unsubscribe leaves. */
  suppressionKey: Buffer | null;
}

function outcomeContext(
  context: CarryingOutContext,
  staff: StaffContext,
  organisationId: string,
): OutcomeContext {
  return {
    organisationId,
    policy: rightsPolicy(staff),
    actorAccountId: staff.accountId,
    today: context.today(),
    suppressionKey: context.suppressionKey,
  };
}

/** Unsubscribes the subject at once, recording each subscription that went on the request. */
export async function unsubscribe(
  context: CarryingOutContext,
  trx: Transaction<Database>,
  staff: StaffContext,
  organisationId: string,
  requestId: string,
  confirmedIds: readonly string[],
  ground: string,
): Promise<void> {
  const row = await loadRequest(trx, organisationId, requestId);
  const lines = await unsubscribeAtOnce(
    trx,
    outcomeContext(context, staff, organisationId),
    row,
    confirmedIds,
    ground,
  );
  if (lines.length > 0) {
    await recordRequestEvent(trx, staff, requestId, {
      kind: 'unsubscribed',
      note: `${lines.length} newsletter subscription(s) deleted; only the suppression hash is kept`,
    });
  }
}

/**
 * Erasure (or consent withdrawal) carried out: the confirmed entries
 * discovery found are erased where the decision and the holds allow, in
 * one transaction, and the request keeps what was erased and refused.
 */
export async function carryOutRequestErasure(
  context: CarryingOutContext,
  staff: StaffContext,
  id: string,
  items: readonly ConfirmedItem[],
): Promise<OutcomeLine[]> {
  const organisation = rightsOrganisation(staff, 'rights.manage');
  return context.db.transaction().execute(async (trx) => {
    const row = await loadRequest(trx, organisation.id, id);
    const lines = await carryOutErasure(
      trx,
      outcomeContext(context, staff, organisation.id),
      row,
      items,
    );
    const count = (action: OutcomeLine['action']) =>
      lines.filter((l) => l.action === action).length;
    await recordRequestEvent(trx, staff, id, {
      kind: 'erasure-carried-out',
      note:
        `${count('erased') + count('unsubscribed')} item(s) erased, ${count('refused')} refused` +
        (count('not-linkable') ? ', survey responses not linkable' : ''),
    });
    await trx
      .updateTable('rights_request')
      .set({ version: row.version + 1 })
      .where('id', '=', id)
      .execute();
    return lines;
  });
}

/** Art 19: a recipient told (when, how), or why telling them is impossible or disproportionate. */
export async function recordRecipientNotice(
  context: RightsContext,
  staff: StaffContext,
  id: string,
  input: NoticeInput,
): Promise<void> {
  const organisation = rightsOrganisation(staff, 'rights.manage');
  await context.db.transaction().execute(async (trx) => {
    const row = await loadRequest(trx, organisation.id, id);
    await recordNotice(
      trx,
      { organisationId: organisation.id, actorAccountId: staff.accountId, today: context.today() },
      row,
      input,
    );
    await recordRequestEvent(trx, staff, id, {
      kind: `recipient-${input.outcome}`,
      on: input.outcome === 'told' ? (input.toldOn ?? null) : null,
    });
  });
}
