import type { Transaction } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import { governedPerson, governedRecord } from '../platform/access/resolve.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { openStates } from './machine.js';
import {
  loadRequest,
  recordRequestEvent,
  RIGHTS_PURPOSE,
  rightsOrganisation,
  type RightsContext,
} from './request-store.js';
import type { Article18Ground } from './tables.js';

/**
 * Restriction of processing (UK GDPR Art 18) placed and lifted from a
 * rights request: what a restriction blocks is decided by the one access
 * function (access.ts withRestriction); this places, records the telling
 * (Art 18(3)) and lifts.
 */

export async function placeRestriction(
  { db }: RightsContext,
  staff: StaffContext,
  requestId: string,
  input: { scope: 'person' | 'record'; targetId: string; ground: Article18Ground },
): Promise<string> {
  const organisation = rightsOrganisation(staff, 'rights.manage');
  return db.transaction().execute(async (trx) => {
    const row = await loadRequest(trx, organisation.id, requestId);
    if (!openStates.includes(row.state)) throw new ConflictError('The request is no longer open');
    // The target is resolved through the access decision first: another
    // organisation's person or record answers as one that does not exist.
    if (input.scope === 'person') await governedPerson(trx, staff, input.targetId);
    else await governedRecord(trx, staff, input.targetId);
    const { id } = await trx
      .insertInto('restriction')
      .values({
        organisation_id: organisation.id,
        request_id: requestId,
        scope: input.scope,
        person_id: input.scope === 'person' ? input.targetId : null,
        record_id: input.scope === 'record' ? input.targetId : null,
        ground: input.ground,
        placed_by: staff.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordRequestEvent(trx, staff, requestId, { kind: 'restriction-placed' });
    await recordAudit(trx, {
      action: 'rights.restriction.place',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: input.scope,
      objectIds: [input.targetId, id],
      purpose: RIGHTS_PURPOSE,
    });
    return id;
  });
}

/** Art 18(3): the person is told before a restriction is lifted. */
export async function restrictionTold(
  { db, today }: RightsContext,
  staff: StaffContext,
  restrictionId: string,
  toldOn: string,
): Promise<void> {
  const organisation = rightsOrganisation(staff, 'rights.manage');
  if (
    Temporal.PlainDate.compare(Temporal.PlainDate.from(toldOn), Temporal.PlainDate.from(today())) >
    0
  ) {
    throw new ValidationError([
      { field: 'toldOn', message: 'The date told cannot be in the future' },
    ]);
  }
  await db.transaction().execute(async (trx) => {
    const restriction = await loadRestriction(trx, organisation.id, restrictionId);
    await trx
      .updateTable('restriction')
      .set({ person_told_on: toldOn, person_told_by: staff.accountId })
      .where('id', '=', restriction.id)
      .execute();
    if (restriction.request_id) {
      await recordRequestEvent(trx, staff, restriction.request_id, {
        kind: 'restriction-lift-told',
        on: toldOn,
      });
    }
    await recordAudit(trx, {
      action: 'rights.restriction.told',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'restriction',
      objectIds: [restriction.id],
      purpose: RIGHTS_PURPOSE,
    });
  });
}

export async function liftRestriction(
  { db }: RightsContext,
  staff: StaffContext,
  restrictionId: string,
  reason: string,
): Promise<void> {
  const organisation = rightsOrganisation(staff, 'rights.manage');
  await db.transaction().execute(async (trx) => {
    const restriction = await loadRestriction(trx, organisation.id, restrictionId);
    if (!restriction.person_told_on) {
      throw new ConflictError(
        'Tell the person before lifting the restriction (Art 18(3) UK GDPR), then record the date you told them',
      );
    }
    if (reason.trim().length < 10) {
      throw new ValidationError([
        { field: 'reason', message: 'Give the reason for lifting it in at least 10 characters' },
      ]);
    }
    await trx
      .updateTable('restriction')
      .set({ lifted_at: new Date(), lifted_by: staff.accountId, lift_reason: reason.trim() })
      .where('id', '=', restriction.id)
      .execute();
    if (restriction.request_id) {
      await recordRequestEvent(trx, staff, restriction.request_id, { kind: 'restriction-lifted' });
    }
    await recordAudit(trx, {
      action: 'rights.restriction.lift',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'restriction',
      objectIds: [restriction.id],
      purpose: RIGHTS_PURPOSE,
    });
  });
}

async function loadRestriction(trx: Transaction<Database>, organisationId: string, id: string) {
  const restriction = await trx
    .selectFrom('restriction')
    .selectAll()
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId)
    .forUpdate()
    .executeTakeFirst();
  if (!restriction) throw new NotFoundError();
  if (restriction.lifted_at) throw new ConflictError('The restriction has already been lifted');
  return restriction;
}
