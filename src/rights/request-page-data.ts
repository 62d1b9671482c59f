import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { NotFoundError } from '../platform/errors/errors.js';
import type { OrganisationPolicy } from '../policy/index.js';
import { clockView, type ClockView } from './request-clock.js';
import { discoveredPartnershipEntries, erasureTypes } from './erasure.js';
import { openStates, transitions } from './machine.js';
import { recipientsOf } from './recipients-notice.js';
import { annotationsOfRequest } from './rectification.js';
import { decisionForType } from './request-decisions.js';
import {
  RIGHTS_PURPOSE,
  rightsOrganisation,
  rightsPolicy,
  type RightsContext,
} from './request-store.js';
import type { RequestState, RequestType } from './tables.js';

/**
 * What the rights pages read: one request with everything its page shows
 * (an audited read of personal data), and the dashboard of open requests.
 */

export interface DashboardRow {
  id: string;
  type: RequestType;
  state: RequestState;
  receivedOn: string;
  subjectName: string;
  clock: ClockView;
}

/** The request page's data. Reading it is a read of personal data, so it is audited. */
export async function requestPageData(context: RightsContext, staff: StaffContext, id: string) {
  const organisation = rightsOrganisation(staff, 'rights.view');
  const today = context.today();
  return context.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('rights_request')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', organisation.id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError();
    const [events, pauses, decisions, restrictions] = await Promise.all([
      trx
        .selectFrom('rights_event as e')
        .innerJoin('account as a', 'a.id', 'e.actor_account_id')
        .select([
          'e.id',
          'e.kind',
          'e.from_state',
          'e.to_state',
          'e.on_date',
          'e.note',
          'e.occurred_at',
          'a.display_name as actor',
        ])
        .where('e.request_id', '=', id)
        .orderBy('e.occurred_at')
        .orderBy('e.id')
        .execute(),
      trx
        .selectFrom('rights_pause')
        .select(['from_date', 'to_date', 'resume_state'])
        .where('request_id', '=', id)
        .orderBy('from_date')
        .execute(),
      trx
        .selectFrom('rights_decision as d')
        .innerJoin('account as a', 'a.id', 'd.decided_by')
        .select([
          'd.id',
          'd.kind',
          'd.category',
          'd.outcome',
          'd.ground',
          'd.reasoning',
          'd.subject_grounds',
          'd.decided_at',
          'a.display_name as decidedBy',
        ])
        .where('d.request_id', '=', id)
        .orderBy('d.decided_at')
        .execute(),
      // What each restriction covers, in words for the page: the person's
      // name, or the record's category and the day it was opened.
      trx
        .selectFrom('restriction as x')
        .leftJoin('person as p', 'p.id', 'x.person_id')
        .leftJoin('case_record as c', 'c.id', 'x.record_id')
        .selectAll('x')
        .select([
          'p.given_name as person_given_name',
          'p.family_name as person_family_name',
          'c.category as record_category',
          'c.opened_on as record_opened_on',
        ])
        .where('x.request_id', '=', id)
        .orderBy('x.placed_at')
        .execute(),
    ]);
    const carriesOut = erasureTypes.includes(row.type) || row.type === 'objection-direct-marketing';
    const rectifies = row.type === 'rectification' && row.subject_person_id !== null;
    const [outcomes, annotations, recipients, partnershipFound, person, subjectRecords] =
      await Promise.all([
        trx
          .selectFrom('rights_outcome_item')
          .selectAll()
          .where('request_id', '=', id)
          .orderBy('carried_out_at')
          .orderBy('source')
          .execute(),
        annotationsOfRequest(trx, id),
        recipientsOf(trx, organisation.id, row),
        carriesOut ? discoveredPartnershipEntries(trx, id) : null,
        rectifies ? personFacts(trx, row.subject_person_id ?? '') : null,
        rectifies
          ? recordsAndNotes(trx, organisation.id, row.subject_person_id ?? '', rightsPolicy(staff))
          : [],
      ]);
    await recordAudit(trx, {
      action: 'rights.request.view',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'rights-request',
      objectIds: [
        id,
        ...(person && row.subject_person_id ? [row.subject_person_id] : []),
        ...subjectRecords.map((r) => r.id),
      ],
      purpose: RIGHTS_PURPOSE,
    });
    return {
      outcomes,
      annotations,
      recipients,
      partnershipFound,
      person,
      subjectRecords,
      request: row,
      clock: clockView(row, today),
      events,
      pauses,
      decisions,
      restrictions,
      nextStates: transitions[row.state],
      canApprove: row.state === 'review' && row.prepared_by !== staff.accountId,
      decisionKind: decisionForType[row.type] ?? null,
    };
  });
}

function personFacts(trx: Transaction<Database>, personId: string) {
  return trx
    .selectFrom('person')
    .select(['id', 'given_name', 'family_name', 'date_of_birth', 'date_of_death', 'version'])
    .where('id', '=', personId)
    .executeTakeFirst();
}

/** The subject's records and their notes, to choose what an annotation is attached to. */
async function recordsAndNotes(
  trx: Transaction<Database>,
  organisationId: string,
  personId: string,
  policy: OrganisationPolicy,
) {
  const records = await trx
    .selectFrom('record_party as rp')
    .innerJoin('case_record as cr', 'cr.id', 'rp.record_id')
    .select(['cr.id', 'cr.category', 'cr.opened_on'])
    .distinct()
    .where('rp.person_id', '=', personId)
    .where('cr.organisation_id', '=', organisationId)
    .orderBy('cr.opened_on')
    .execute();
  const notes = records.length
    ? await trx
        .selectFrom('case_note')
        .select(['id', 'record_id', 'kind', 'occurred_on'])
        .where(
          'record_id',
          'in',
          records.map((r) => r.id),
        )
        .orderBy('occurred_on')
        .orderBy('id')
        .execute()
    : [];
  return records.map((r) => ({
    id: r.id,
    category: r.category,
    categoryName: policy.categories.find((c) => c.slug === r.category)?.name ?? r.category,
    openedOn: r.opened_on,
    notes: notes.filter((n) => n.record_id === r.id),
  }));
}

/**
 * Open requests by days left, overdue first (the soonest due at the top);
 * requests with no due date yet (waiting for ID, authority or
 * clarification, or paused) follow, oldest first.
 */
export async function dashboardRows(
  context: RightsContext,
  staff: StaffContext,
): Promise<DashboardRow[]> {
  const organisation = rightsOrganisation(staff, 'rights.view');
  const today = context.today();
  const rows = await context.db
    .selectFrom('rights_request')
    .selectAll()
    .where('organisation_id', '=', organisation.id)
    .where('state', 'in', openStates)
    .orderBy(sql`clock_due asc nulls last`)
    .orderBy('received_on')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    state: row.state,
    receivedOn: row.received_on,
    subjectName: `${row.subject_given_name} ${row.subject_family_name}`,
    clock: clockView(row, today),
  }));
}
