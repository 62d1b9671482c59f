import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { canRights, type RightsAction } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { isOrganisationSlug, policyFor, type OrganisationPolicy } from '../policy/index.js';
import type { RequestState } from './tables.js';

/**
 * What every part of a rights request shares: loading the request within
 * the staff member's organisation, and writing an event to its timeline
 * with its audit event in the same transaction. Audit events carry ids and
 * codes only (design.md principle 2).
 */

export const RIGHTS_PURPOSE = 'rights-request';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** The staff member's organisation when they may take this rights action; otherwise not found. */
export function rightsOrganisation(staff: StaffContext, action: RightsAction) {
  if (!canRights(staff, action) || !staff.organisation) throw new NotFoundError();
  return staff.organisation;
}

export function rightsPolicy(staff: StaffContext): OrganisationPolicy {
  const slug = staff.organisation?.slug ?? '';
  if (!isOrganisationSlug(slug)) throw new NotFoundError();
  return policyFor(slug);
}

/** The request, optionally locked for the rest of the transaction; not found outside the organisation. */
export async function loadRequest(
  trx: Transaction<Database>,
  organisationId: string,
  id: string,
  options: { lock?: boolean } = { lock: true },
) {
  if (!isUuid(id)) throw new NotFoundError();
  const row = await trx
    .selectFrom('rights_request')
    .selectAll()
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId)
    .$if(options.lock ?? true, (qb) => qb.forUpdate())
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

export interface RequestEvent {
  kind: string;
  from?: RequestState | null;
  to?: RequestState | null;
  on?: string | null;
  note?: string | null;
  /** Further ids for the audit event (people, records): never names or text. */
  objectIds?: readonly string[];
}

/** An entry on the request's timeline, and its audit event. */
export async function recordRequestEvent(
  trx: Transaction<Database>,
  staff: StaffContext,
  requestId: string,
  values: RequestEvent,
): Promise<void> {
  await trx
    .insertInto('rights_event')
    .values({
      request_id: requestId,
      actor_account_id: staff.accountId,
      kind: values.kind,
      from_state: values.from ?? null,
      to_state: values.to ?? null,
      on_date: values.on ?? null,
      note: values.note ?? null,
    })
    .execute();
  await recordAudit(trx, {
    action: `rights.${values.kind}`,
    actorAccountId: staff.accountId,
    organisationId: staff.organisation?.id ?? null,
    objectType: 'rights-request',
    objectIds: [requestId, ...(values.objectIds ?? [])],
    purpose: RIGHTS_PURPOSE,
  });
}

/** What the request functions need besides the staff member: the database and today's date. */
export interface RightsContext {
  db: Kysely<Database>;
  today: () => string;
}

/** The review's shorthand: a timeline entry of a kind, with further ids and a note. */
export function reviewEvent(
  trx: Transaction<Database>,
  staff: StaffContext,
  requestId: string,
  kind: string,
  objectIds: readonly string[] = [],
  note: string | null = null,
): Promise<void> {
  return recordRequestEvent(trx, staff, requestId, { kind, objectIds, note });
}
