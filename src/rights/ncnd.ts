import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { ConflictError, ValidationError } from '../platform/errors/errors.js';
import { checkGround } from './exemptions.js';
import { loadRequest, reviewEvent, rightsOrganisation } from './request-store.js';
import { editableStates } from './machine.js';

/**
 * Neither confirm nor deny: where confirming that something exists would
 * itself do the harm an exemption protects against (crime, child abuse
 * data asked for by a parent), the response says neither. Items withheld
 * on its ground then leave no trace in the bundle.
 */

export const NCND_SPAN_REFUSAL =
  'Under neither confirm nor deny, withhold whole items on its ground: a redaction box would show that something was removed';

export async function ncndOf(trx: Transaction<Database>, requestId: string) {
  return (
    (await trx
      .selectFrom('rights_ncnd')
      .selectAll()
      .where('request_id', '=', requestId)
      .executeTakeFirst()) ?? null
  );
}

export interface NcndInput {
  ground: string;
  reason: string;
}

export class RightsNcnd {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Answers the request "neither confirm nor deny" on a ground that allows
   * it and that this requester's request may claim, with the reason written
   * down. Items then withheld on that ground leave no trace in the bundle —
   * no count, no placeholder — and the bundle carries NCND_STATEMENT. The
   * second person approves it with the rest of the response.
   */
  async neitherConfirmNorDeny(
    staff: StaffContext,
    requestId: string,
    input: NcndInput,
  ): Promise<void> {
    const organisation = rightsOrganisation(staff, 'rights.manage');
    await this.db.transaction().execute(async (trx) => {
      const request = await loadRequest(trx, organisation.id, requestId, { lock: true });
      if (request.type !== 'access') {
        throw new ConflictError('Only an access request is answered neither confirm nor deny');
      }
      if (!editableStates.includes(request.state)) {
        throw new ConflictError(
          'The response can change only while the request is in progress: send it back from review first',
        );
      }
      const check = checkGround(input.ground, {
        requesterRole: request.requester_role,
        category: null,
      });
      if (!check.ok) throw new ValidationError([{ field: 'ncndGround', message: check.reason }]);
      if (!check.ground.neitherConfirmNorDeny) {
        throw new ValidationError([
          {
            field: 'ncndGround',
            message: `${check.ground.reference} does not allow neither confirm nor deny: withhold the items instead`,
          },
        ]);
      }
      const reason = input.reason.trim();
      if (reason.length < 10 || reason.length > 2000) {
        throw new ValidationError([
          {
            field: 'ncndReason',
            message:
              'Write down why confirming or denying would itself prejudice what the exemption protects (10 to 2,000 characters)',
          },
        ]);
      }
      const spans = await trx
        .selectFrom('rights_redaction as x')
        .innerJoin('rights_review_item as i', 'i.id', 'x.item_id')
        .select('x.id')
        .where('i.request_id', '=', request.id)
        .where('x.ground', '=', check.ground.code)
        .execute();
      if (spans.length > 0) throw new ConflictError(NCND_SPAN_REFUSAL);
      // A new choice replaces the last, with its own time and decider.
      await trx.deleteFrom('rights_ncnd').where('request_id', '=', request.id).execute();
      await trx
        .insertInto('rights_ncnd')
        .values({
          request_id: request.id,
          ground: check.ground.code,
          reason,
          decided_by: staff.accountId,
        })
        .execute();
      await reviewEvent(trx, staff, request.id, 'ncnd-chosen', [], check.ground.code);
    });
  }

  /** Goes back to an ordinary response. */
  async withdrawNeitherConfirmNorDeny(staff: StaffContext, requestId: string): Promise<void> {
    const organisation = rightsOrganisation(staff, 'rights.manage');
    await this.db.transaction().execute(async (trx) => {
      const request = await loadRequest(trx, organisation.id, requestId, { lock: true });
      if (!editableStates.includes(request.state)) {
        throw new ConflictError(
          'The response can change only while the request is in progress: send it back from review first',
        );
      }
      const removed = await trx
        .deleteFrom('rights_ncnd')
        .where('request_id', '=', request.id)
        .executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) {
        throw new ConflictError('The response is not neither confirm nor deny');
      }
      await reviewEvent(trx, staff, request.id, 'ncnd-withdrawn');
    });
  }
}
