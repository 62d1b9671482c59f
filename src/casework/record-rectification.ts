/**
 * Correcting a record for a rectification request (UK GDPR Art 16), by
 * information governance on the request's authority: whether the request
 * allows it, the facts it may correct, and the correction itself.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { decideRectification, type RectificationDecision } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError, type AppError } from '../platform/errors/errors.js';
import type { CategorySlug } from '../policy/index.js';
import { restrictionsForRectification, RESTRICTED_MESSAGE } from '../rights/restriction.js';
import { applyUpdate } from './record-edits.js';
import { categoryName, noOrganisationsRecord, scopeOf } from './record-scope.js';
import { factValuesOf } from './record-view.js';
import { parse, recordCorrectionSchema, type RecordCorrectionInput } from './schemas.js';
import type { CaseworkService } from './service.js';
import { CaseworkStore, type RecordRow } from './store.js';

/**
 * The rectification request a correction is made for (src/rights), as the
 * rights service loaded and locked it in the same transaction.
 */
export interface RectificationRequest {
  id: string;
  organisationId: string;
  type: string;
  state: string;
  subjectPersonId: string | null;
}

/**
 * Corrects a record's facts for a rectification request (UK GDPR Art 16),
 * by information governance, who may not otherwise write records. Whether
 * the request authorises it is decided by the access function
 * (decideRectification); the change itself is exactly a practitioner's
 * edit — the same optimistic locking, field history (from, to, who, when)
 * and retention recomputed — audited with the request's id. The rights
 * service runs it inside the request's own transaction.
 */
export async function correctForRectification(
  casework: CaseworkService,
  staff: StaffContext,
  recordId: string,
  raw: RecordCorrectionInput,
  request: RectificationRequest,
): Promise<{ version: number; fields: string[] }> {
  const input = parse(recordCorrectionSchema, raw);
  return casework.withRecord(
    staff,
    recordId,
    'rectify',
    (trx, record) =>
      applyUpdate(casework, trx, staff, record, input, {
        action: 'record.rectify',
        purpose: 'rights-request',
        objectIds: [record.id, request.id],
      }),
    request,
  );
}

/**
 * A record's facts and dates, for correcting them for a rectification
 * request: only what a correction can change, on the same authority as
 * the correction, audited as a read with the request's id.
 */
export async function factsForRectification(
  casework: CaseworkService,
  staff: StaffContext,
  recordId: string,
  request: RectificationRequest,
) {
  return casework.withRecord(
    staff,
    recordId,
    'rectify',
    async (trx, record) => {
      const organisation = await new CaseworkStore(trx).organisationSlug(record.organisation_id);
      const category = record.category as CategorySlug;
      const { factNames, facts } = factValuesOf(organisation, record);
      await recordAudit(trx, {
        action: 'record.read',
        actorAccountId: staff.accountId,
        organisationId: record.organisation_id,
        objectType: 'case-record',
        objectIds: [record.id, request.id],
        purpose: 'rights-request',
      });
      return {
        id: record.id,
        category,
        categoryName: categoryName(organisation, category),
        version: record.version,
        openedOn: record.opened_on,
        closedOn: record.closed_on,
        factNames,
        facts,
      };
    },
    request,
  );
}

/** Why a correction for this request may not be made, audited; undefined when it may. */
export async function rectificationRefusal(
  trx: Transaction<Database>,
  staff: StaffContext,
  recordId: string,
  record: RecordRow | undefined,
  request: RectificationRequest | undefined,
): Promise<AppError | undefined> {
  // A record that does not exist is refused by the same work and with the
  // same answer as one outside the subject's file or organisation
  // (docs/decisions/0014-refusals-answer-as-not-found.md).
  const parties = await trx
    .selectFrom('record_party')
    .select('person_id')
    .where('record_id', '=', recordId)
    .execute();
  const restrictions = request?.subjectPersonId
    ? await restrictionsForRectification(trx, recordId, request.subjectPersonId)
    : 'none';
  const scope = record
    ? scopeOf(record, restrictions !== 'none')
    : noOrganisationsRecord(restrictions !== 'none');
  const decision: RectificationDecision = request
    ? decideRectification(staff, scope, {
        requestOrganisationId: request.organisationId,
        requestType: request.type,
        requestState: request.state,
        subjectPersonId: request.subjectPersonId,
        recordPartyIds: parties.map((p) => p.person_id),
        restrictions,
      })
    : { allowed: false, reason: 'not-authorised' };
  if (decision.allowed) return undefined;
  await recordAudit(trx, {
    action: 'record.rectify',
    actorAccountId: staff.accountId,
    organisationId: staff.organisation?.id ?? null,
    objectType: 'case-record',
    objectIds: [recordId, ...(request ? [request.id] : [])],
    outcome: 'denied',
  });
  if (decision.restricted) return new ConflictError(RESTRICTED_MESSAGE);
  return new NotFoundError('The subject takes no part in that record');
}
