import type { StaffContext } from '../platform/auth/service.js';
import { ConflictError } from '../platform/errors/errors.js';
import { computeClockColumns, noClock, type ClockColumns } from './request-clock.js';
import { gatheringOf } from './gathering.js';
import { planTransition, type TransitionInput } from './machine.js';
import {
  loadRequest,
  recordRequestEvent,
  rightsOrganisation,
  type RightsContext,
} from './request-store.js';
import { undecidedItems } from './review.js';
import type { RequestState } from './tables.js';

/**
 * A request moved along the state machine (machine.ts plans the move): its
 * pauses opened and closed and its clock recomputed in the same transaction
 * (design.md principle 5).
 */

/** Moves a request along the state machine, recomputing its clock. */
export async function transitionRequest(
  context: RightsContext,
  staff: StaffContext,
  id: string,
  input: TransitionInput & { expectedVersion?: number | undefined },
): Promise<RequestState> {
  const organisation = rightsOrganisation(
    staff,
    input.to === 'approved' ? 'rights.approve' : 'rights.manage',
  );
  return context.db.transaction().execute(async (trx) => {
    const row = await loadRequest(trx, organisation.id, id);
    if (input.expectedVersion !== undefined && input.expectedVersion !== row.version) {
      throw new ConflictError(
        'Someone else changed this request while you were looking at it. Reload the page and try again.',
      );
    }
    const pauses = await trx
      .selectFrom('rights_pause')
      .select(['id', 'from_date', 'to_date', 'resume_state'])
      .where('request_id', '=', id)
      .orderBy('from_date')
      .execute();
    const open = pauses.find((p) => p.to_date === null);
    const plan = planTransition(row, open, input, staff.accountId, context.today());
    if (!plan.ok) throw new ConflictError(plan.reason);
    const { patch, openPause, closePauseOn } = plan.value;

    const nextPauses = pauses.map((p) =>
      p === open && closePauseOn ? { ...p, to_date: closePauseOn } : p,
    );
    if (openPause) nextPauses.push({ id: '', to_date: null, ...openPause });
    // An access request goes for approval only with a decision on every
    // item of its bundle, once the subject has been confirmed.
    // Items a named officer is still gathering (gathering.ts) are not ready.
    if (input.to === 'review' && (await gatheringOf(trx, id))?.state === 'requested') {
      throw new ConflictError(
        'The designated safeguarding officer is still gathering the items: wait until they hand them back',
      );
    }
    if (input.to === 'review' && row.type === 'access' && row.subject_person_id) {
      const items = await undecidedItems(trx, id);
      if (items.total === 0) {
        throw new ConflictError(
          'Prepare the review of what is held before sending it for approval',
        );
      }
      if (items.undecided > 0) {
        throw new ConflictError(
          `${items.undecided} item(s) still need a decision (disclose, redact or withhold) before review`,
        );
      }
    }
    const { approve, close, ...columns } = patch;
    const next = { ...row, ...columns };
    const clock = computeClockColumns(next, nextPauses);
    let clockColumns: ClockColumns;
    if (clock.ok) clockColumns = clock.columns;
    else if (row.clock_status === 'invalid') {
      clockColumns = { ...noClock, clock_status: 'invalid', clock_problem: clock.reason };
    } else throw new ConflictError(clock.reason);

    if (open && closePauseOn) {
      await trx
        .updateTable('rights_pause')
        .set({ to_date: closePauseOn })
        .where('id', '=', open.id)
        .execute();
    }
    if (openPause) {
      await trx
        .insertInto('rights_pause')
        .values({ request_id: id, ...openPause })
        .execute();
    }
    await trx
      .updateTable('rights_request')
      .set({
        ...columns,
        ...clockColumns,
        ...(approve ? { approved_at: new Date() } : {}),
        ...(close ? { closed_at: new Date() } : {}),
        // Back from review: the approval (if any) no longer stands.
        ...(plan.value.kind === 'returned-from-review' ? { approved_by: null } : {}),
        version: row.version + 1,
      })
      .where('id', '=', id)
      .execute();
    await recordRequestEvent(trx, staff, id, {
      kind: plan.value.kind,
      from: plan.value.from,
      to: plan.value.to,
      on: plan.value.on,
      note:
        plan.value.kind === 'extended'
          ? (columns.extension_reason ?? null)
          : input.note?.trim() || null,
    });
    return plan.value.to;
  });
}
