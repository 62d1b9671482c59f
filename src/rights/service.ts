import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import { type RightsAction } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { type OrganisationPolicy } from '../policy/index.js';
import {
  clockView,
  computeClockColumns,
  noClock,
  remindersDue,
  type ClockColumns,
  type ClockView,
  type Reminder,
} from './request-clock.js';
import {
  categoriesFor,
  directMarketingCategories,
  erasureFor,
  noAutomatedDecisions,
  objectionNotReachingReasoning,
  objectionReaches,
  portabilityFor,
} from './decisions.js';
import { openStates, planTransition, transitions, type TransitionInput } from './machine.js';
import {
  activeHolds,
  carryOutErasure,
  discoveredPartnershipEntries,
  erasureTypes,
  unsubscribeAtOnce,
  type ConfirmedItem,
  type OutcomeContext,
  type OutcomeLine,
} from './erasure.js';
import { recipientsOf, recordNotice, type NoticeInput } from './recipients-notice.js';
import { annotationsOfRequest } from './rectification.js';
import { confirmSubject, downloadBundle } from './access-response.js';
import { gatheringOf, RightsGathering } from './gathering.js';
import { liftRestriction, placeRestriction, restrictionTold } from './restriction-requests.js';
import {
  loadRequest,
  recordRequestEvent,
  rightsOrganisation,
  rightsPolicy,
  type RequestEvent,
  type RightsContext,
} from './request-store.js';
import { newsletterKeys } from '../partnership/signing.js';
import { RightsPortability } from './portability.js';
import { RightsRectification } from './rectification-service.js';
import { RightsReview, undecidedItems } from './review.js';
import { supplementaryInformation, type SupplementaryInformation } from './supplementary.js';
import { disclosuresAboutPerson } from '../sharing/disclosure-log.js';
import { upheldObjectionFor } from './restriction.js';
import type {
  AuthorityEvidence,
  Channel,
  DecisionKind,
  IdentityCheck,
  RequestState,
  RequestType,
  RequesterRole,
  Article18Ground,
  RightsRequestTable,
  SubjectIdentifier,
} from './tables.js';

/**
 * Data subject rights requests from intake to closure: the state machine,
 * the statutory clock (stored and recomputed in the same transaction as any
 * event it depends on, design.md principle 5), the decisions that need no
 * discovery, restrictions, and the dashboard.
 *
 * Audit events carry ids and codes only (design.md principle 2): never the
 * requester's or subject's name, nor any free text typed into the request.
 */

const PURPOSE = 'rights-request';

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

export type RequestRow = Selectable<RightsRequestTable>;

export interface DashboardRow {
  id: string;
  type: RequestType;
  state: RequestState;
  receivedOn: string;
  subjectName: string;
  clock: ClockView;
}

export type DecisionInput =
  | { kind: 'portability' }
  | { kind: 'erasure' }
  | { kind: 'automated-decision-objection' }
  | {
      kind: 'objection-direct-marketing';
      /** Newsletter subscriptions a person confirmed from discovery as the subject's. */
      subscriberIds?: string[] | undefined;
    }
  | {
      kind: 'objection-public-task';
      category: string;
      outcome: 'upheld' | 'not-upheld';
      subjectGrounds: string;
      /** Required when not upheld: the compelling legitimate grounds (Art 21(1)). */
      compellingGrounds?: string | undefined;
    };

/** Which decision each request type takes. */
const decisionForType: Partial<Record<RequestType, DecisionKind>> = {
  portability: 'portability',
  erasure: 'erasure',
  'consent-withdrawal': 'erasure',
  'objection-public-task': 'objection-public-task',
  'objection-direct-marketing': 'objection-direct-marketing',
  'automated-decision-objection': 'automated-decision-objection',
};

const isoToday = () => Temporal.Now.plainDateISO('Europe/London').toString();

export class RightsService {
  /** Discovery and the review of an access bundle (review.ts). */
  readonly review: RightsReview;

  /** Gathering by the officers who alone may read the records (gathering.ts). */
  readonly gathering: RightsGathering;

  /** The portability export (portability.ts). */
  readonly portability: RightsPortability;

  /** Correcting, completing and annotating what is held about the subject (rectification-service.ts). */
  readonly rectification: RightsRectification;

  /** The partnerships' suppression-list key, so an erasure leaves what an unsubscribe leaves. */
  private readonly suppressionKey: Buffer | null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly today: () => string = isoToday,
    options: { sessionSecret?: string | undefined } = {},
  ) {
    this.review = new RightsReview(db);
    this.portability = new RightsPortability(db, today);
    this.gathering = new RightsGathering(db);
    this.rectification = new RightsRectification(db, today);
    this.suppressionKey = options.sessionSecret
      ? newsletterKeys(options.sessionSecret).suppression
      : null;
  }

  private outcomeContext(staff: StaffContext, organisationId: string): OutcomeContext {
    return {
      organisationId,
      policy: this.policyOf(staff),
      actorAccountId: staff.accountId,
      today: this.today(),
      suppressionKey: this.suppressionKey,
    };
  }

  private organisationOf(staff: StaffContext, action: RightsAction) {
    return rightsOrganisation(staff, action);
  }

  private policyOf(staff: StaffContext): OrganisationPolicy {
    return rightsPolicy(staff);
  }

  private get context(): RightsContext {
    return { db: this.db, today: this.today };
  }

  /** The request, locked for the rest of the transaction; not found outside the staff's organisation. */
  private load(trx: Transaction<Database>, organisationId: string, id: string) {
    return loadRequest(trx, organisationId, id);
  }

  private event(
    trx: Transaction<Database>,
    staff: StaffContext,
    requestId: string,
    values: RequestEvent,
  ) {
    return recordRequestEvent(trx, staff, requestId, values);
  }

  /** Intake: records the request and starts (or waits to start) its clock. */
  async create(staff: StaffContext, input: NewRequest): Promise<string> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    const today = this.today();
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
    const policy = this.policyOf(staff);
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

    return this.db.transaction().execute(async (trx) => {
      if (input.relatedRequestId) await this.load(trx, organisation.id, input.relatedRequestId);
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
      await this.event(trx, staff, id, { kind: 'received', to: 'received', on: input.receivedOn });
      // Art 21(3): an objection to direct marketing is absolute and takes
      // effect at once — recorded as upheld at intake, with no balancing.
      if (input.type === 'objection-direct-marketing') {
        await this.insertDirectMarketing(trx, staff, id, policy);
        await this.unsubscribe(trx, staff, organisation.id, id, [], 'Art 21(3) UK GDPR');
      }
      // Withdrawing consent is as easy as giving it (Art 7(3)): a newsletter
      // subscription goes the day the request arrives.
      const named = input.categories ?? [];
      if (
        input.type === 'consent-withdrawal' &&
        (named.length === 0 || named.includes('newsletter-subscription'))
      ) {
        await this.unsubscribe(trx, staff, organisation.id, id, [], 'Art 7(3) UK GDPR');
      }
      return id;
    });
  }

  /** Moves a request along the state machine, recomputing its clock. */
  async transition(
    staff: StaffContext,
    id: string,
    input: TransitionInput & { expectedVersion?: number | undefined },
  ): Promise<RequestState> {
    const organisation = this.organisationOf(
      staff,
      input.to === 'approved' ? 'rights.approve' : 'rights.manage',
    );
    return this.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, organisation.id, id);
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
      const plan = planTransition(row, open, input, staff.accountId, this.today());
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
      await this.event(trx, staff, id, {
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

  /** The request page's data. Reading it is a read of personal data, so it is audited. */
  async get(staff: StaffContext, id: string) {
    const organisation = this.organisationOf(staff, 'rights.view');
    const today = this.today();
    return this.db.transaction().execute(async (trx) => {
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
      const carriesOut =
        erasureTypes.includes(row.type) || row.type === 'objection-direct-marketing';
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
          rectifies ? this.personFacts(trx, row.subject_person_id ?? '') : null,
          rectifies
            ? this.recordsAndNotes(
                trx,
                organisation.id,
                row.subject_person_id ?? '',
                this.policyOf(staff),
              )
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
        purpose: PURPOSE,
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

  private personFacts(trx: Transaction<Database>, personId: string) {
    return trx
      .selectFrom('person')
      .select(['id', 'given_name', 'family_name', 'date_of_birth', 'date_of_death', 'version'])
      .where('id', '=', personId)
      .executeTakeFirst();
  }

  /** The subject's records and their notes, to choose what an annotation is attached to. */
  private async recordsAndNotes(
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
  async dashboard(staff: StaffContext): Promise<DashboardRow[]> {
    const organisation = this.organisationOf(staff, 'rights.view');
    const today = this.today();
    const rows = await this.db
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

  /** Records the decision the request's type takes, generated from policy where it can be. */
  async decide(staff: StaffContext, id: string, input: DecisionInput): Promise<void> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    const policy = this.policyOf(staff);
    await this.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, organisation.id, id);
      if (decisionForType[row.type] !== input.kind) {
        throw new ConflictError(`A ${row.type} request does not take a ${input.kind} decision`);
      }
      if (!openStates.includes(row.state) || row.state === 'approved') {
        throw new ConflictError(
          'Decisions can be recorded only while the request is being worked on',
        );
      }
      const categories = categoriesFor(policy, row.categories);
      const insert = (values: {
        kind: DecisionKind;
        category: string | null;
        outcome: Selectable<Database['rights_decision']>['outcome'];
        ground: string | null;
        reasoning: string;
        subject_grounds?: string | null;
      }) =>
        trx
          .insertInto('rights_decision')
          .values({ request_id: id, decided_by: staff.accountId, subject_grounds: null, ...values })
          .execute();
      switch (input.kind) {
        case 'portability':
          for (const category of categories) {
            const d = portabilityFor(category);
            await insert({
              kind: 'portability',
              category: d.category,
              outcome: d.outcome,
              ground: d.ground,
              reasoning: d.reasoning,
            });
          }
          break;
        case 'erasure': {
          const holds = await activeHolds(trx, organisation.id, row.subject_person_id);
          for (const category of categories) {
            const d = erasureFor(
              category,
              holds.filter((h) => h.category === null || h.category === category.slug),
            );
            await insert({
              kind: 'erasure',
              category: d.category,
              outcome: d.outcome,
              ground: d.ground,
              reasoning: d.reasoning,
            });
          }
          break;
        }
        case 'automated-decision-objection':
          await insert({
            kind: 'automated-decision-objection',
            category: null,
            outcome: 'no-automated-decisions',
            ground: 'Art 22 UK GDPR',
            reasoning: noAutomatedDecisions,
          });
          break;
        case 'objection-direct-marketing':
          await this.insertDirectMarketing(trx, staff, id, policy);
          await this.unsubscribe(
            trx,
            staff,
            organisation.id,
            id,
            input.subscriberIds ?? [],
            'Art 21(3) UK GDPR',
          );
          break;
        case 'objection-public-task': {
          const category = policy.categories.find((c) => c.slug === input.category);
          if (!category) {
            throw new ValidationError([
              { field: 'category', message: 'Select a category this organisation holds' },
            ]);
          }
          if (!objectionReaches(category)) {
            // Art 21(1) reaches Art 6(1)(e) and (f) only.
            await insert({
              kind: 'objection-public-task',
              category: category.slug,
              outcome: 'not-upheld',
              ground: 'Art 21(1) UK GDPR does not apply',
              reasoning: objectionNotReachingReasoning(category),
              subject_grounds: input.subjectGrounds,
            });
            break;
          }
          const compelling = input.compellingGrounds?.trim() ?? '';
          if (input.outcome === 'not-upheld' && compelling.length < 20) {
            throw new ValidationError([
              {
                field: 'compellingGrounds',
                message:
                  'Write down the compelling legitimate grounds that override the person’s interests (at least 20 characters)',
              },
            ]);
          }
          await insert({
            kind: 'objection-public-task',
            category: category.slug,
            outcome: input.outcome,
            ground:
              input.outcome === 'not-upheld'
                ? 'Art 21(1) UK GDPR: compelling legitimate grounds'
                : null,
            reasoning:
              input.outcome === 'not-upheld'
                ? compelling
                : 'The objection is upheld: we will no longer process this information for that purpose.',
            subject_grounds: input.subjectGrounds,
          });
          if (input.outcome === 'upheld') {
            await this.stopProcessingFor(trx, staff, row, category.slug);
          }
          break;
        }
      }
      await this.event(trx, staff, id, { kind: `decided-${input.kind}` });
    });
  }

  /**
   * Art 21(1): an upheld objection stops processing the subject's data for
   * that purpose. A restriction on the person, narrowed to the category,
   * makes each of their records of it storage-only, through the same access
   * decision every route already takes (Art 18(2)), and keeps new ones from
   * being opened for them (casework/service.ts). It needs to know who the
   * person is; a second upheld decision adds nothing.
   */
  private async stopProcessingFor(
    trx: Transaction<Database>,
    staff: StaffContext,
    row: RequestRow,
    category: string,
  ): Promise<void> {
    const personId = row.subject_person_id;
    if (!personId) {
      throw new ValidationError([
        {
          field: 'outcome',
          message:
            'Confirm who the person is before upholding the objection: processing of their information stops when it is upheld',
        },
      ]);
    }
    if (await upheldObjectionFor(trx, personId, category)) return;
    const { id } = await trx
      .insertInto('restriction')
      .values({
        organisation_id: row.organisation_id,
        request_id: row.id,
        scope: 'person',
        person_id: personId,
        record_id: null,
        category,
        ground: 'objection-upheld',
        placed_by: staff.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.event(trx, staff, row.id, { kind: 'restriction-placed' });
    await recordAudit(trx, {
      action: 'rights.restriction.place',
      actorAccountId: staff.accountId,
      organisationId: row.organisation_id,
      objectType: 'person',
      objectIds: [personId, id],
      purpose: PURPOSE,
    });
  }

  private async insertDirectMarketing(
    trx: Transaction<Database>,
    staff: StaffContext,
    id: string,
    policy: OrganisationPolicy,
  ) {
    const marketing = policy.categories.filter((c) => directMarketingCategories.includes(c.slug));
    for (const category of marketing.length ? marketing : [null]) {
      await trx
        .insertInto('rights_decision')
        .values({
          request_id: id,
          kind: 'objection-direct-marketing',
          category: category?.slug ?? null,
          outcome: 'upheld',
          ground: 'Art 21(3) UK GDPR',
          reasoning:
            'An objection to direct marketing is absolute: we stop using the information for ' +
            'marketing at once, with no balancing test (Art 21(2)–(3) UK GDPR).',
          subject_grounds: null,
          decided_by: staff.accountId,
        })
        .execute();
    }
  }

  /** Reminders for the staff member's organisation (see remindersDue). */
  async reminders(staff: StaffContext, withinDays: number): Promise<Reminder[]> {
    const organisation = this.organisationOf(staff, 'rights.view');
    return remindersDue(this.db, {
      today: this.today(),
      withinDays,
      organisationId: organisation.id,
    });
  }

  /** Art 15 supplementary information for this organisation (all categories, or those named). */
  supplementary(staff: StaffContext, categories: readonly string[] = []): SupplementaryInformation {
    this.organisationOf(staff, 'rights.view');
    return supplementaryInformation(this.policyOf(staff), categories);
  }

  /**
   * The same for an access request: its categories, and every disclosure
   * made of the confirmed subject's records (none until the subject is
   * confirmed).
   */
  async supplementaryForRequest(
    staff: StaffContext,
    id: string,
  ): Promise<SupplementaryInformation> {
    const organisation = this.organisationOf(staff, 'rights.view');
    return this.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, organisation.id, id);
      const disclosures = row.subject_person_id
        ? await disclosuresAboutPerson(trx, organisation.id, row.subject_person_id)
        : [];
      return supplementaryInformation(this.policyOf(staff), row.categories, disclosures);
    });
  }

  /**
   * Portability does not reach public-task data (Art 20(3)); we offer an
   * access request instead. This starts it, with the same requester and
   * subject, received on the same day (so its clock is not shortened).
   */
  async offerAccessRequest(staff: StaffContext, id: string): Promise<string> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    const row = await this.db
      .selectFrom('rights_request')
      .selectAll()
      .where('id', '=', id)
      .where('organisation_id', '=', organisation.id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError();
    if (row.type !== 'portability')
      throw new ConflictError('Only a portability request is offered as an access request');
    return this.create(staff, {
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

  /** Records the person discovery found and a human confirmed (access-response.ts). */
  async confirmSubject(staff: StaffContext, id: string, personId: string): Promise<void> {
    await confirmSubject(this.context, staff, id, personId);
  }

  /** The approved response bundle, PDF or JSON; every download audited (access-response.ts). */
  async bundle(
    staff: StaffContext,
    id: string,
    format: 'pdf' | 'json',
  ): Promise<{ filename: string; body: Buffer | object }> {
    return downloadBundle(this.context, this.review, staff, id, format);
  }

  // -------------------------------------------------------------------------
  // Carrying out what was decided

  /** Unsubscribes the subject at once, recording each subscription that went on the request. */
  private async unsubscribe(
    trx: Transaction<Database>,
    staff: StaffContext,
    organisationId: string,
    requestId: string,
    confirmedIds: readonly string[],
    ground: string,
  ): Promise<void> {
    const row = await this.load(trx, organisationId, requestId);
    const lines = await unsubscribeAtOnce(
      trx,
      this.outcomeContext(staff, organisationId),
      row,
      confirmedIds,
      ground,
    );
    if (lines.length > 0) {
      await this.event(trx, staff, requestId, {
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
  async carryOutErasure(
    staff: StaffContext,
    id: string,
    items: readonly ConfirmedItem[],
  ): Promise<OutcomeLine[]> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    return this.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, organisation.id, id);
      const lines = await carryOutErasure(
        trx,
        this.outcomeContext(staff, organisation.id),
        row,
        items,
      );
      const count = (action: OutcomeLine['action']) =>
        lines.filter((l) => l.action === action).length;
      await this.event(trx, staff, id, {
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
  async recordRecipientNotice(staff: StaffContext, id: string, input: NoticeInput): Promise<void> {
    const organisation = this.organisationOf(staff, 'rights.manage');
    await this.db.transaction().execute(async (trx) => {
      const row = await this.load(trx, organisation.id, id);
      await recordNotice(
        trx,
        { organisationId: organisation.id, actorAccountId: staff.accountId, today: this.today() },
        row,
        input,
      );
      await this.event(trx, staff, id, {
        kind: `recipient-${input.outcome}`,
        on: input.outcome === 'told' ? (input.toldOn ?? null) : null,
      });
    });
  }

  // -------------------------------------------------------------------------
  // Restriction (UK GDPR Art 18)

  async restrict(
    staff: StaffContext,
    requestId: string,
    input: { scope: 'person' | 'record'; targetId: string; ground: Article18Ground },
  ): Promise<string> {
    return placeRestriction(this.context, staff, requestId, input);
  }

  /** Art 18(3): the person is told before a restriction is lifted. */
  async restrictionTold(staff: StaffContext, restrictionId: string, toldOn: string): Promise<void> {
    await restrictionTold(this.context, staff, restrictionId, toldOn);
  }

  async liftRestriction(staff: StaffContext, restrictionId: string, reason: string): Promise<void> {
    await liftRestriction(this.context, staff, restrictionId, reason);
  }
}

export { isRestricted } from './restriction.js';
export {
  computeClockColumns,
  describeClock,
  remindersDue,
  type ClockView,
  type Reminder,
} from './request-clock.js';
