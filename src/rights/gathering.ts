import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { canRights, decideReviewWork } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { editableStates } from './machine.js';
import {
  isUuid,
  loadRequest,
  recordRequestEvent,
  RIGHTS_PURPOSE,
  rightsOrganisation,
} from './request-store.js';
import { undecidedItems } from './review.js';
import type { RightsGatheringTable, RightsRequestTable } from './tables.js';

/**
 * Answering an access request whose records only named officers may read
 * (Maidstone's concern log: "Only the Designated Safeguarding Officer and
 * two deputy Designated Safeguarding Officer will have access"), without
 * widening who reads them (decision record 0023):
 *
 * 1. information governance records the request and asks the officers to
 *    gather it (`requestGathering`);
 * 2. an officer runs discovery, confirms the subject, gathers the items and
 *    redacts and decides each one, on the same review pages, and hands it
 *    back (`submit`) — they never see the request's other pages, its
 *    requester or the rights dashboard;
 * 3. information governance and the DPO see each item only as it would be
 *    disclosed (access.ts decideReviewItemText), send it for review, and a
 *    second person approves the redacted bundle — or return it to the
 *    officer with a note (`returnToGatherer`).
 *
 * Every step is a timeline event with its audit event in the same
 * transaction; ids and codes only.
 */

export type Gathering = Selectable<RightsGatheringTable>;

export async function gatheringOf(
  trx: Transaction<Database> | Kysely<Database>,
  requestId: string,
): Promise<Gathering | null> {
  return (
    (await trx
      .selectFrom('rights_gathering')
      .selectAll()
      .where('request_id', '=', requestId)
      .executeTakeFirst()) ?? null
  );
}

/**
 * The staff member's organisation when they may work on (or read) this
 * request's review; answers as not found otherwise, like a missing id.
 */
export async function authoriseReviewWork(
  trx: Transaction<Database>,
  staff: StaffContext,
  requestId: string,
  action: 'work' | 'read',
): Promise<{ id: string; slug: string }> {
  const organisation = staff.organisation;
  if (!organisation || !isUuid(requestId)) throw new NotFoundError();
  const gathering = await gatheringOf(trx, requestId);
  if (
    !decideReviewWork(
      staff,
      { organisationId: organisation.id, gathering: gathering?.state ?? null },
      action,
    )
  ) {
    throw new NotFoundError();
  }
  return organisation;
}

/** True when the staff member works on the review as a gathering officer, not as governance. */
export function isGatherer(staff: StaffContext): boolean {
  return !canRights(staff, 'rights.view') && canRights(staff, 'rights.gather');
}

/**
 * What a gathering officer sees of the request: who it is about and what is
 * asked, and the requester's relationship (the grounds depend on it) — not
 * the requester's name or contact details.
 */
export function asGatherer<T extends Selectable<RightsRequestTable>>(
  staff: StaffContext,
  row: T,
): T {
  if (!isGatherer(staff)) return row;
  return { ...row, requester_name: '', requester_contact: '', authority_note: null };
}

export interface GatheringRow {
  requestId: string;
  subjectName: string;
  receivedOn: string;
  due: string | null;
  state: Gathering['state'];
  note: string | null;
}

export class RightsGathering {
  constructor(private readonly db: Kysely<Database>) {}

  /** Governance asks the officers to gather an access request (step 1). */
  async request(staff: StaffContext, requestId: string, note: string | undefined): Promise<void> {
    const organisation = rightsOrganisation(staff, 'rights.manage');
    const text = note?.trim() || null;
    if (text && text.length > 2000) {
      throw new ValidationError([
        { field: 'note', message: 'The note must be 2,000 characters or fewer' },
      ]);
    }
    await this.db.transaction().execute(async (trx) => {
      const request = await loadRequest(trx, organisation.id, requestId);
      if (request.type !== 'access') {
        throw new ConflictError(
          'Only an access request is gathered by the designated safeguarding officer',
        );
      }
      if (!editableStates.includes(request.state)) {
        throw new ConflictError(
          'Start work on the request (in progress) before asking for it to be gathered',
        );
      }
      const existing = await gatheringOf(trx, request.id);
      if (existing?.state === 'requested') {
        throw new ConflictError(
          'The designated safeguarding officer has already been asked to gather it',
        );
      }
      await trx
        .insertInto('rights_gathering')
        .values({
          request_id: request.id,
          role: 'designated-safeguarding-officer',
          state: 'requested',
          note: text,
          requested_by: staff.accountId,
          submitted_by: null,
          submitted_at: null,
        })
        .onConflict((oc) =>
          oc.column('request_id').doUpdateSet({
            state: 'requested',
            note: text,
            requested_by: staff.accountId,
            requested_at: new Date(),
            submitted_by: null,
            submitted_at: null,
          }),
        )
        .execute();
      await recordRequestEvent(trx, staff, request.id, {
        kind: existing ? 'gathering-returned' : 'gathering-requested',
        note: existing ? text : null,
      });
    });
  }

  /** The officer hands the gathered, decided items back to governance (step 2). */
  async submit(staff: StaffContext, requestId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const organisation = await authoriseReviewWork(trx, staff, requestId, 'work');
      const request = await loadRequest(trx, organisation.id, requestId);
      const gathering = await gatheringOf(trx, request.id);
      if (gathering?.state !== 'requested') throw new NotFoundError();
      if (!request.subject_person_id) {
        throw new ConflictError('Run discovery and confirm who the subject is first');
      }
      const items = await undecidedItems(trx, request.id);
      if (items.total === 0) throw new ConflictError('Gather the items before handing them back');
      if (items.undecided > 0) {
        throw new ConflictError(
          `${items.undecided} item(s) still need a decision (disclose, redact or withhold) before they go back`,
        );
      }
      await trx
        .updateTable('rights_gathering')
        .set({ state: 'submitted', submitted_by: staff.accountId, submitted_at: new Date() })
        .where('request_id', '=', request.id)
        .execute();
      await recordRequestEvent(trx, staff, request.id, { kind: 'gathering-submitted' });
    });
  }

  /** The state of the request's gathering, for its page (governance). */
  async status(staff: StaffContext, requestId: string): Promise<Gathering | null> {
    const organisation = rightsOrganisation(staff, 'rights.view');
    return this.db.transaction().execute(async (trx) => {
      await loadRequest(trx, organisation.id, requestId, { lock: false });
      return gatheringOf(trx, requestId);
    });
  }

  /** The requests an officer has been asked to gather, or has handed back, newest first. */
  async list(staff: StaffContext): Promise<GatheringRow[]> {
    const organisation = staff.organisation;
    if (!organisation || !canRights(staff, 'rights.gather')) throw new NotFoundError();
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('rights_gathering as g')
        .innerJoin('rights_request as r', 'r.id', 'g.request_id')
        .select([
          'r.id',
          'r.subject_given_name',
          'r.subject_family_name',
          'r.received_on',
          'r.clock_due',
          'g.state',
          'g.note',
        ])
        .where('r.organisation_id', '=', organisation.id)
        .where('r.state', 'in', editableStates)
        .orderBy('g.state')
        .orderBy('g.requested_at', 'desc')
        .execute();
      await recordAudit(trx, {
        action: 'rights.gathering.list',
        actorAccountId: staff.accountId,
        organisationId: organisation.id,
        objectType: 'rights-request',
        objectIds: rows.map((r) => r.id),
        purpose: RIGHTS_PURPOSE,
      });
      return rows.map((r) => ({
        requestId: r.id,
        subjectName: `${r.subject_given_name} ${r.subject_family_name}`,
        receivedOn: r.received_on,
        due: r.clock_due,
        state: r.state,
        note: r.note,
      }));
    });
  }
}
