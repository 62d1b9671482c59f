import { Temporal } from 'temporal-polyfill';
import type { StaffContext } from '../platform/auth/service.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { computeClockColumns, noClock, type ClockColumns } from './request-clock.js';
import { insertDirectMarketing } from './request-decisions.js';
import { unsubscribe, type CarryingOutContext } from './request-outcomes.js';
import {
  loadRequest,
  recordRequestEvent,
  rightsOrganisation,
  rightsPolicy,
} from './request-store.js';
import type {
  AuthorityEvidence,
  Channel,
  IdentityCheck,
  RequestType,
  RequesterRole,
  SubjectIdentifier,
} from './tables.js';

/**
 * Intake: a rights request recorded with its clock started (or waiting to
 * start), and the access request offered in place of a portability request
 * that does not reach public-task data.
 */

export interface NewRequest {
  type: RequestType;
  receivedOn: string;
  channel: Channel;
  description: string;
  categories?: string[] | undefined;
  requesterRole: RequesterRole;
  requesterName: string;
  requesterContact: string;
  identityCheck: IdentityCheck;
  authorityEvidence?: AuthorityEvidence | undefined;
  authorityNote?: string | undefined;
  subject: {
    givenName: string;
    familyName: string;
    otherNames?: string | undefined;
    dateOfBirth?: string | undefined;
    identifiers?: SubjectIdentifier[] | undefined;
  };
  relatedRequestId?: string | undefined;
}

/** Intake: records the request and starts (or waits to start) its clock. */
export async function createRequest(
  context: CarryingOutContext,
  staff: StaffContext,
  input: NewRequest,
): Promise<string> {
  const organisation = rightsOrganisation(staff, 'rights.manage');
  const today = context.today();
  if (
    Temporal.PlainDate.compare(
      Temporal.PlainDate.from(input.receivedOn),
      Temporal.PlainDate.from(today),
    ) > 0
  ) {
    throw new ValidationError([
      { field: 'receivedOn', message: 'The date received cannot be in the future' },
    ]);
  }
  const policy = rightsPolicy(staff);
  const unknown = (input.categories ?? []).filter(
    (c) => !policy.categories.some((pc) => pc.slug === c),
  );
  if (unknown.length > 0) {
    throw new ValidationError([
      {
        field: 'categories',
        message: `${policy.shortName} holds no category called ${unknown.join(', ')}`,
      },
    ]);
  }
  const base = {
    received_on: input.receivedOn,
    id_received_on: null,
    authority_received_on: null,
    clarification_received_on: null,
    extension_told_on: null,
    extension_reason: null,
    extension_months: null,
    state: 'received' as const,
  };
  const clock = computeClockColumns(base, []);
  const columns: ClockColumns = clock.ok
    ? clock.columns
    : { ...noClock, clock_status: 'invalid', clock_problem: clock.reason };

  return context.db.transaction().execute(async (trx) => {
    if (input.relatedRequestId) await loadRequest(trx, organisation.id, input.relatedRequestId);
    const { id } = await trx
      .insertInto('rights_request')
      .values({
        organisation_id: organisation.id,
        type: input.type,
        state: 'received',
        related_request_id: input.relatedRequestId ?? null,
        channel: input.channel,
        received_on: input.receivedOn,
        description: input.description,
        categories: input.categories ?? [],
        requester_role: input.requesterRole,
        requester_name: input.requesterName,
        requester_contact: input.requesterContact,
        identity_check: input.identityCheck,
        identity_checked_on: input.identityCheck === 'not-yet-checked' ? null : input.receivedOn,
        authority_evidence: input.authorityEvidence ?? null,
        authority_note: input.authorityNote ?? null,
        subject_given_name: input.subject.givenName,
        subject_family_name: input.subject.familyName,
        subject_other_names: input.subject.otherNames ?? null,
        subject_date_of_birth: input.subject.dateOfBirth ?? null,
        subject_identifiers: JSON.stringify(input.subject.identifiers ?? []),
        subject_person_id: null,
        id_requested_on: null,
        id_received_on: null,
        authority_requested_on: null,
        authority_received_on: null,
        clarification_requested_on: null,
        clarification_received_on: null,
        extension_told_on: null,
        extension_reason: null,
        extension_months: null,
        prepared_by: null,
        approved_by: null,
        approved_at: null,
        responded_on: null,
        closed_at: null,
        created_by: staff.accountId,
        ...columns,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordRequestEvent(trx, staff, id, {
      kind: 'received',
      to: 'received',
      on: input.receivedOn,
    });
    // Art 21(3): an objection to direct marketing is absolute and takes
    // effect at once — recorded as upheld at intake, with no balancing.
    if (input.type === 'objection-direct-marketing') {
      await insertDirectMarketing(trx, staff, id, policy);
      await unsubscribe(context, trx, staff, organisation.id, id, [], 'Art 21(3) UK GDPR');
    }
    // Withdrawing consent is as easy as giving it (Art 7(3)): a newsletter
    // subscription goes the day the request arrives.
    const named = input.categories ?? [];
    if (
      input.type === 'consent-withdrawal' &&
      (named.length === 0 || named.includes('newsletter-subscription'))
    ) {
      await unsubscribe(context, trx, staff, organisation.id, id, [], 'Art 7(3) UK GDPR');
    }
    return id;
  });
}

/**
 * Portability does not reach public-task data (Art 20(3)); we offer an
 * access request instead. This starts it, with the same requester and
 * subject, received on the same day (so its clock is not shortened).
 */
export async function offerAccessRequest(
  context: CarryingOutContext,
  staff: StaffContext,
  id: string,
): Promise<string> {
  const organisation = rightsOrganisation(staff, 'rights.manage');
  const row = await context.db
    .selectFrom('rights_request')
    .selectAll()
    .where('id', '=', id)
    .where('organisation_id', '=', organisation.id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  if (row.type !== 'portability')
    throw new ConflictError('Only a portability request is offered as an access request');
  return createRequest(context, staff, {
    type: 'access',
    receivedOn: row.received_on,
    channel: row.channel,
    description: `Offered as a subject access request (Art 15) for data the right to portability does not reach.`,
    categories: row.categories,
    requesterRole: row.requester_role,
    requesterName: row.requester_name,
    requesterContact: row.requester_contact,
    identityCheck: row.identity_check,
    authorityEvidence: row.authority_evidence ?? undefined,
    authorityNote: row.authority_note ?? undefined,
    subject: {
      givenName: row.subject_given_name,
      familyName: row.subject_family_name,
      otherNames: row.subject_other_names ?? undefined,
      dateOfBirth: row.subject_date_of_birth ?? undefined,
      identifiers: row.subject_identifiers,
    },
    relatedRequestId: row.id,
  });
}
