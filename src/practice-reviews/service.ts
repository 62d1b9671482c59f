/**
 * The practice-review workflow (issue 6; decision 0008) around a casework
 * record of category practice-review, for the partnership's review staff
 * (record-rules.ts: partnership business writes, information governance
 * reads). The workflow is the source of its own facts — stage, due dates,
 * acknowledgements — and writes the record's summary fields (reviewType,
 * nationalPanelNotification, chronologiesRequested, leadReviewer, panel,
 * practitioners) through the casework service, so the record's change
 * history and retention stay right. Every step that sends information to
 * someone makes one disclosure of exactly that step's items through the
 * sharing service. Each step is one transaction: workflow rows, record
 * change, notes, documents, disclosure and audit events commit together.
 */
import { type Kysely, type Transaction } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { z } from 'zod';
import { recordFactsFor } from '../casework/categories.js';
import { CaseworkService } from '../casework/service.js';
import type { Database } from '../db/schema.js';
import { refileRecord } from '../casework/refile.js';
import { decideRecord, type RecordScope } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldError,
} from '../platform/errors/errors.js';
import {
  findCategory,
  isOrganisationSlug,
  policyFor,
  type CategorySlug,
  type OrganisationSlug,
} from '../policy/index.js';
import { approvedRedaction, publishReport } from '../publication/publications.js';
import { formatDate } from '../rights/clock.js';
import { isRecordRestricted, RESTRICTED_MESSAGE } from '../rights/restriction.js';
import { londonDay } from '../sharing/dates.js';
import type { DisclosureInput } from '../sharing/schemas.js';
import { SharingService } from '../sharing/service.js';
import { confidentialityStatement } from './confidentiality.js';
import { earliestWithdrawalOn, notificationDueOn } from './deadlines.js';
import { joinTransaction } from '../db/joined-transaction.js';
import { transition, type ReviewEvent, type ReviewState } from './machine.js';
import {
  acknowledgementSchema,
  appointmentSchema,
  chronologyOutcomeSchema,
  chronologyRequestSchema,
  notificationSchema,
  practitionerSchema,
  practitionerShareSchema,
  publicationSchema,
  rapidReviewSchema,
  reportSchema,
  reviewDecisionSchema,
  startSchema,
  sharingFields,
  type AcknowledgementInput,
  type AppointmentInput,
  type ChronologyOutcomeInput,
  type ChronologyRequestInput,
  type NotificationInput,
  type PractitionerInput,
  type PractitionerShareInput,
  type PublicationInput,
  type RapidReviewInput,
  type ReportInput,
  type ReviewDecisionInput,
  type StartInput,
} from './schemas.js';
import { reviewOverview } from './overview.js';
import {
  appointmentsOf,
  chronologiesOf,
  stateOf,
  type Appointment,
  type Chronology,
  type Review,
  type StepContext,
} from './review-rows.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Both notices rely on public task for review records, and Art 9(2)(g) with
 * the safeguarding condition for their special category data (KSCMP: stated;
 * SSCP: inferred, see src/policy/organisations/sscp.ts).
 */
const LAWFUL_BASIS = '6(1)(e)';
const SPECIAL_CONDITION = '9(2)(g)';

export interface UploadedDocument {
  filename: string;
  mediaType: string;
  content: Buffer;
}

type SharingChoice = z.infer<z.ZodObject<typeof sharingFields>>;
type Item = DisclosureInput['items'][number];

/** The categories a review's record is held in: not notified, it is re-filed (decision 0020). */
const NOT_NOTIFIED = 'panel-referral-not-notified' as const;
const reviewCategories: readonly string[] = ['practice-review', NOT_NOTIFIED];

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || 'form';
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, message: issue.message });
  }
  throw new ValidationError(errors);
}

function refuseUnless(state: ReviewState, event: ReviewEvent): ReviewState {
  const outcome = transition(state, event);
  if (!outcome.ok) throw new ConflictError(outcome.reason);
  return outcome.state;
}

/** What the record's summary fields say, from the workflow (the source). */
export function recordDetail(
  review: Pick<Review, 'stage' | 'notification_decided_on'>,
  chronologies: readonly Pick<
    Chronology,
    'agency_name' | 'requested_on' | 'status' | 'outcome_on'
  >[],
  appointments: readonly Pick<Appointment, 'role' | 'name' | 'agency' | 'job_role'>[],
): Record<string, unknown> {
  const decided = review.stage !== 'referred';
  return {
    reviewType: review.stage === 'lcspr' || review.stage === 'published' ? 'lcspr' : 'rapid-review',
    nationalPanelNotification: decided
      ? {
          decision: review.stage === 'not-notified' ? 'not-notified' : 'notified',
          ...(review.notification_decided_on ? { decidedOn: review.notification_decided_on } : {}),
        }
      : { decision: 'pending' },
    chronologiesRequested: chronologies.map((c) => ({
      agency: c.agency_name,
      requestedOn: c.requested_on,
      ...(c.status === 'returned' && c.outcome_on ? { receivedOn: c.outcome_on } : {}),
    })),
    leadReviewer: appointments.find((a) => a.role === 'lead-reviewer')?.name ?? null,
    panel: appointments.filter((a) => a.role === 'panel-member').map((a) => a.name),
    practitioners: appointments
      .filter((a) => a.role === 'practitioner')
      .map((a) => ({
        name: a.name,
        agency: a.agency,
        ...(a.job_role ? { role: a.job_role } : {}),
      })),
  };
}

export class PracticeReviewService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: { now?: () => Date; today?: () => string } = {},
  ) {}

  private now(): Date {
    return this.clock.now?.() ?? new Date();
  }

  private today(): string {
    return this.clock.today?.() ?? londonDay(this.now());
  }

  /**
   * Loads the practice-review record and asks the access function. A record
   * the staff member may not see — another organisation's, another
   * category's, or outside their role — is "not found"; a denial of an
   * existing record is audited and kept. Also the port through which
   * publication's report review (publication/report-review.ts) is decided.
   */
  async withReview<T>(
    staff: StaffContext,
    recordId: string,
    action: 'read' | 'write',
    work: (step: StepContext) => Promise<T>,
  ): Promise<T> {
    const outcome = await this.db.transaction().execute(async (trx) => {
      const organisation = staff.organisation;
      if (staff.stage !== 'complete' || !organisation || !isOrganisationSlug(organisation.slug)) {
        return { error: new NotFoundError() };
      }
      let query = trx
        .selectFrom('case_record')
        .select([
          'id',
          'organisation_id',
          'category',
          'allocated_account_id',
          'allocated_team_id',
          'record_state',
        ])
        .where('id', '=', uuid.test(recordId) ? recordId : '00000000-0000-0000-0000-000000000000');
      if (action === 'write') query = query.forUpdate();
      const record = await query.executeTakeFirst();
      if (
        !record ||
        record.organisation_id !== organisation.id ||
        !reviewCategories.includes(record.category)
      ) {
        return { error: new NotFoundError() };
      }
      const scope: RecordScope = {
        organisationId: record.organisation_id,
        category: record.category as CategorySlug,
        allocatedAccountId: record.allocated_account_id,
        allocatedTeamId: record.allocated_team_id,
        restricted: await isRecordRestricted(trx, record.id),
        state: record.record_state,
      };
      const decision = decideRecord(staff, action, scope);
      if (!decision.allowed && decision.restricted) {
        // Art 18(2): its holders learn it is restricted, and nothing more.
        return { error: new ConflictError(RESTRICTED_MESSAGE) };
      }
      if (!decision.allowed || decision.via !== 'role') {
        await recordAudit(trx, {
          action: `practice-review.${action}`,
          actorAccountId: staff.accountId,
          organisationId: organisation.id,
          objectType: 'case-record',
          objectIds: [record.id],
          outcome: 'denied',
        });
        const reads = action === 'write' && decideRecord(staff, 'read', scope).allowed;
        return {
          error: reads
            ? new ForbiddenError('You can see this review but not change it')
            : new NotFoundError(),
        };
      }
      let reviewQuery = trx
        .selectFrom('practice_review')
        .selectAll()
        .where('record_id', '=', record.id);
      if (action === 'write') reviewQuery = reviewQuery.forUpdate();
      const review = await reviewQuery.executeTakeFirst();
      const joined = joinTransaction(trx);
      const clock = { now: () => this.now(), today: () => this.today() };
      return {
        value: await work({
          trx,
          record,
          organisation: organisation.slug as OrganisationSlug,
          review,
          casework: new CaseworkService(joined, clock),
          sharing: new SharingService(joined, clock),
        }),
      };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  /** A step on a review that exists: its state checked by the machine first. */
  private async step<T>(
    staff: StaffContext,
    recordId: string,
    event: ReviewEvent | ((trx: Transaction<Database>, review: Review) => Promise<ReviewEvent>),
    work: (step: StepContext & { review: Review; next: ReviewState }) => Promise<T>,
    audit: { action: string; objectIds?: (result: T) => string[] },
  ): Promise<T> {
    return this.withReview(staff, recordId, 'write', async (step) => {
      const review = step.review;
      if (!review) throw new ConflictError('Start the review with its referral first');
      const appointments = await appointmentsOf(step.trx, review.id);
      const next = refuseUnless(
        stateOf(review, appointments),
        typeof event === 'function' ? await event(step.trx, review) : event,
      );
      const result = await work({ ...step, review, next });
      await step.trx
        .updateTable('practice_review')
        .set({ version: review.version + 1, updated_at: this.now() })
        .where('id', '=', review.id)
        .execute();
      await this.syncRecord(step, staff, review.id);
      await recordAudit(step.trx, {
        action: `practice-review.${audit.action}`,
        actorAccountId: staff.accountId,
        organisationId: step.record.organisation_id,
        objectType: 'practice-review',
        objectIds: [review.id, step.record.id, ...(audit.objectIds?.(result) ?? [])],
        purpose: 'practice-review',
      });
      return result;
    });
  }

  /** Writes the record's summary fields (and retention facts) through casework. */
  private async syncRecord(
    step: StepContext,
    staff: StaffContext,
    reviewId: string,
    facts?: { incidentDate?: string },
  ) {
    const [review, chronologies, appointments, record] = await Promise.all([
      step.trx
        .selectFrom('practice_review')
        .selectAll()
        .where('id', '=', reviewId)
        .executeTakeFirstOrThrow(),
      chronologiesOf(step.trx, reviewId),
      appointmentsOf(step.trx, reviewId),
      step.trx
        .selectFrom('case_record')
        .select('version')
        .where('id', '=', step.record.id)
        .executeTakeFirstOrThrow(),
    ]);
    await step.casework.update(staff, step.record.id, {
      version: record.version,
      detailPatch: recordDetail(review, chronologies, appointments),
      ...(facts ? { facts } : {}),
    });
  }

  /** One disclosure of exactly `items`, for the practice-review purpose. */
  private share(
    step: StepContext,
    staff: StaffContext,
    to: { recipientId: string; recipientName: string; recipientOrganisation?: string },
    items: Item[],
    choice: SharingChoice,
  ): Promise<string> {
    return step.sharing.create(staff, {
      items,
      recipientId: to.recipientId,
      recipientName: to.recipientName,
      ...(to.recipientOrganisation ? { recipientOrganisation: to.recipientOrganisation } : {}),
      purpose: 'practice-review',
      agreementId: choice.agreementId ?? '',
      lawfulBasis: LAWFUL_BASIS,
      specialCondition: SPECIAL_CONDITION,
      consent: choice.consent,
      consentReason: choice.consentReason ?? '',
      justification: choice.justification ?? '',
    } as DisclosureInput);
  }

  /* ---------------------------------------------------------------- */
  /* Reading                                                           */
  /* ---------------------------------------------------------------- */

  /** The review page: each step's state, chronologies (overdue first), appointments. */
  async overview(staff: StaffContext, recordId: string) {
    return this.withReview(staff, recordId, 'read', (step) =>
      reviewOverview(step, staff, this.today()),
    );
  }

  /* ---------------------------------------------------------------- */
  /* Steps                                                             */
  /* ---------------------------------------------------------------- */

  /** The referral: starts the workflow on the record; the summary becomes a note on it. */
  async start(staff: StaffContext, recordId: string, raw: StartInput): Promise<string> {
    const input = parse(startSchema, raw);
    const today = this.today();
    const errors: FieldError[] = [];
    if (input.referralReceivedOn > today)
      errors.push({
        field: 'referralReceivedOn',
        message: 'The date received must be today or in the past',
      });
    if (input.awareOn > today)
      errors.push({
        field: 'awareOn',
        message: 'The date the incident became known must be today or in the past',
      });
    if (input.awareOn < '2015-01-01')
      errors.push({
        field: 'awareOn',
        message: 'The date the incident became known must be 2015 or later',
      });
    if (input.incidentDate && input.incidentDate > input.awareOn)
      errors.push({
        field: 'incidentDate',
        message: 'The incident must be on or before the date it became known',
      });
    if (errors.length) throw new ValidationError(errors);
    return this.withReview(staff, recordId, 'write', async (step) => {
      if (step.review) throw new ConflictError('This review has already been started');
      const noteId = await step.casework.addNote(staff, recordId, {
        text: `Referral received from ${input.referredBy}: ${input.summary}`,
        occurredOn: input.referralReceivedOn,
        kind: 'note',
      });
      const earlier = await this.keepHandRecorded(step, staff, recordId, input.referralReceivedOn);
      const { id } = await step.trx
        .insertInto('practice_review')
        .values({
          record_id: step.record.id,
          organisation_id: step.record.organisation_id,
          stage: 'referred',
          referral_received_on: input.referralReceivedOn,
          referred_by: input.referredBy,
          aware_on: input.awareOn,
          referral_note_id: noteId,
          started_by: staff.accountId,
          updated_at: this.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // The incident date starts KSCMP's retention clock; SSCP records none.
      const records = recordFactsFor(step.organisation, 'practice-review');
      await this.syncRecord(
        step,
        staff,
        id,
        input.incidentDate && records.includes('incidentDate')
          ? { incidentDate: input.incidentDate }
          : undefined,
      );
      await recordAudit(step.trx, {
        action: 'practice-review.start',
        actorAccountId: staff.accountId,
        organisationId: step.record.organisation_id,
        objectType: 'practice-review',
        objectIds: [id, step.record.id, noteId, ...(earlier ? [earlier] : [])],
        purpose: 'practice-review',
      });
      return id;
    });
  }

  /**
   * From now on the workflow writes the record's summary fields. What was
   * entered there by hand before (chronologies, lead reviewer, panel,
   * practitioners) is kept as a note on the record, so starting the
   * workflow loses nothing from the record's own view (the change history
   * keeps it too). Returns the note's id, if one was needed.
   */
  private async keepHandRecorded(
    step: StepContext,
    staff: StaffContext,
    recordId: string,
    occurredOn: string,
  ): Promise<string | undefined> {
    const row = await step.trx
      .selectFrom('case_record')
      .select('detail')
      .where('id', '=', step.record.id)
      .executeTakeFirstOrThrow();
    const detail = (row.detail ?? {}) as {
      chronologiesRequested?: { agency: string; requestedOn: string; receivedOn?: string }[];
      leadReviewer?: string;
      panel?: string[];
      practitioners?: { name: string; agency: string; role?: string }[];
    };
    const lines = [
      ...(detail.chronologiesRequested ?? []).map(
        (c) =>
          `Chronology requested from ${c.agency} on ${longDate(c.requestedOn)}${c.receivedOn ? `, received ${longDate(c.receivedOn)}` : ''}.`,
      ),
      ...(detail.leadReviewer ? [`Lead reviewer: ${detail.leadReviewer}.`] : []),
      ...(detail.panel ?? []).map((name) => `Panel: ${name}.`),
      ...(detail.practitioners ?? []).map(
        (p) => `Practitioner: ${p.name}, ${p.agency}${p.role ? ` (${p.role})` : ''}.`,
      ),
    ];
    if (lines.length === 0) return undefined;
    return step.casework.addNote(staff, recordId, {
      text: `Recorded on this record before the review workflow started:\n${lines.join('\n')}`,
      occurredOn,
      kind: 'note',
    });
  }

  /**
   * The notification decision. Notified: the date, and a reason when it is
   * after the fifth working day. Not notified: the reasons (the referral is
   * then closed).
   */
  async decideNotification(staff: StaffContext, recordId: string, raw: NotificationInput) {
    const input = parse(notificationSchema, raw);
    await this.step(
      staff,
      recordId,
      { kind: 'decide-notification', notified: input.notified },
      async (step) => {
        const { trx, review, next } = step;
        const errors: FieldError[] = [];
        if (input.decidedOn > this.today())
          errors.push({
            field: 'decidedOn',
            message: 'The date of the decision must be today or in the past',
          });
        if (input.decidedOn < review.aware_on)
          errors.push({
            field: 'decidedOn',
            message: 'The decision must be on or after the date the incident became known',
          });
        if (!input.notified && !input.reasons)
          errors.push({
            field: 'reasons',
            message: 'Enter why the National Panel was not notified',
          });
        const due = notificationDueOn(review.aware_on);
        if (input.notified && input.decidedOn > due && !input.lateReason) {
          errors.push({
            field: 'lateReason',
            message: `The notification was due by ${longDate(due)} (5 working days after the incident became known): enter why it was late`,
          });
        }
        if (errors.length) throw new ValidationError(errors);
        await trx
          .updateTable('practice_review')
          .set({
            stage: next.stage,
            notification_decided_on: input.decidedOn,
            notification_reasons: input.reasons ?? null,
            late_notification_reason: input.notified ? (input.lateReason ?? null) : null,
          })
          .where('id', '=', review.id)
          .execute();
        // KSCMP notice: "Records relating to referrals to KSCMP considered
        // for a notification to National Panel that do not progress to
        // notification: Date of incident +12 years" — not the practice
        // review's +75 or +20. Where the organisation's notice has that
        // category, the record moves to it now (decision 0020), audited, and
        // its retention is assessed again by the step's record sync.
        if (!input.notified && findCategory(step.organisation, NOT_NOTIFIED) !== undefined) {
          await refileRecord(
            trx,
            {
              recordId: step.record.id,
              organisationId: step.record.organisation_id,
              organisationSlug: step.organisation,
              fromCategory: step.record.category,
              toCategory: NOT_NOTIFIED,
              reason: `Not notified to the National Panel (decided ${longDate(input.decidedOn)}): the notice keeps such referrals for 12 years from the incident.`,
              actorAccountId: staff.accountId,
              purpose: 'practice-review',
            },
            this.today(),
          );
        }
      },
      { action: 'notification' },
    );
  }

  /** Sends the referral to the Rapid Review Group: the record and the referral note. */
  async sendToRapidReview(staff: StaffContext, recordId: string, raw: RapidReviewInput) {
    const input = parse(rapidReviewSchema, raw);
    return this.step(
      staff,
      recordId,
      { kind: 'send-to-rapid-review' },
      async (step) => {
        const { review, trx, next } = step;
        if (input.sentOn < (review.notification_decided_on ?? review.aware_on)) {
          throw new ValidationError([
            { field: 'sentOn', message: 'The date sent must be on or after the notification' },
          ]);
        }
        const items: Item[] = [{ recordId, kind: 'record', id: recordId }];
        if (review.referral_note_id)
          items.push({ recordId, kind: 'note', id: review.referral_note_id });
        const disclosureId = await this.share(
          step,
          staff,
          { recipientId: 'rapid-review-group', recipientName: input.recipientName },
          items,
          input,
        );
        await trx
          .updateTable('practice_review')
          .set({
            stage: next.stage,
            rapid_review_sent_on: input.sentOn,
            rapid_review_disclosure_id: disclosureId,
          })
          .where('id', '=', review.id)
          .execute();
        return disclosureId;
      },
      { action: 'rapid-review', objectIds: (id) => [id] },
    );
  }

  /** The Rapid Review Group's decision, with its reasons kept as a note on the record. */
  async decideReview(staff: StaffContext, recordId: string, raw: ReviewDecisionInput) {
    const input = parse(reviewDecisionSchema, raw);
    await this.step(
      staff,
      recordId,
      { kind: 'decide-review', lcspr: input.lcspr },
      async ({ trx, review, next, casework }) => {
        if (input.decidedOn < (review.rapid_review_sent_on ?? review.aware_on)) {
          throw new ValidationError([
            {
              field: 'decidedOn',
              message: 'The decision must be on or after the case went to the group',
            },
          ]);
        }
        const noteId = await casework.addNote(staff, recordId, {
          text: `Rapid review decision: ${input.lcspr ? 'a Local Child Safeguarding Practice Review' : 'no practice review'}. ${input.reasons}`,
          occurredOn: input.decidedOn,
          kind: 'meeting',
        });
        await trx
          .updateTable('practice_review')
          .set({
            stage: next.stage,
            review_decided_on: input.decidedOn,
            review_decision_reasons: input.reasons,
            decision_note_id: noteId,
          })
          .where('id', '=', review.id)
          .execute();
      },
      { action: 'review-decision' },
    );
  }

  /**
   * Asks a partner agency for its chronology: the request is a note on the
   * record, and the agency is sent the record (so it can find the child)
   * and that note — nothing else.
   */
  async requestChronology(
    staff: StaffContext,
    recordId: string,
    raw: ChronologyRequestInput,
  ): Promise<string> {
    const input = parse(chronologyRequestSchema, raw);
    if (input.dueOn < input.requestedOn) {
      throw new ValidationError([
        { field: 'dueOn', message: 'The due date must be on or after the date of the request' },
      ]);
    }
    return this.step(
      staff,
      recordId,
      { kind: 'request-chronology' },
      async (step) => {
        const { trx, review, casework } = step;
        const noteId = await casework.addNote(staff, recordId, {
          text: `Chronology requested from ${input.agencyName}, due ${longDate(input.dueOn)}: ${input.scope}`,
          occurredOn: input.requestedOn,
          kind: 'note',
        });
        const disclosureId = await this.share(
          step,
          staff,
          {
            recipientId: input.recipientId,
            recipientName: input.agencyName,
            ...(input.recipientOrganisation
              ? { recipientOrganisation: input.recipientOrganisation }
              : {}),
          },
          [
            { recordId, kind: 'record', id: recordId },
            { recordId, kind: 'note', id: noteId },
          ],
          input,
        );
        const recipientOrganisationId = input.recipientOrganisation
          ? ((
              await trx
                .selectFrom('organisation')
                .select('id')
                .where('slug', '=', input.recipientOrganisation)
                .executeTakeFirst()
            )?.id ?? null)
          : null;
        const { id } = await trx
          .insertInto('practice_review_chronology')
          .values({
            review_id: review.id,
            recipient_id: input.recipientId,
            agency_name: input.agencyName,
            recipient_organisation_id: recipientOrganisationId,
            request_note_id: noteId,
            requested_on: input.requestedOn,
            due_on: input.dueOn,
            status: 'requested',
            disclosure_id: disclosureId,
            created_by: staff.accountId,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return id;
      },
      { action: 'chronology.request', objectIds: (id) => [id] },
    );
  }

  /**
   * What came back for a chronology request — a document attached to the
   * record, a note on it, or both — or that the agency declined.
   */
  async recordChronologyOutcome(
    staff: StaffContext,
    recordId: string,
    chronologyId: string,
    raw: ChronologyOutcomeInput,
    document?: UploadedDocument,
  ) {
    const input = parse(chronologyOutcomeSchema, raw);
    const errors: FieldError[] = [];
    if (input.outcome === 'returned' && !input.note && !document)
      errors.push({
        field: 'note',
        message: 'Attach the chronology or enter a note of what came back',
      });
    if (input.outcome === 'declined' && !input.declinedReason)
      errors.push({ field: 'declinedReason', message: 'Enter why the agency declined' });
    if (input.on > this.today())
      errors.push({ field: 'on', message: 'The date must be today or in the past' });
    if (errors.length) throw new ValidationError(errors);
    await this.step(
      staff,
      recordId,
      { kind: 'record-chronology-outcome' },
      async ({ trx, review, casework }) => {
        const chronology = uuid.test(chronologyId)
          ? await trx
              .selectFrom('practice_review_chronology')
              .selectAll()
              .where('id', '=', chronologyId)
              .where('review_id', '=', review.id)
              .forUpdate()
              .executeTakeFirst()
          : undefined;
        if (!chronology) throw new NotFoundError();
        if (chronology.status !== 'requested')
          throw new ConflictError('What came back for this request has already been recorded');
        if (input.on < chronology.requested_on) {
          throw new ValidationError([
            { field: 'on', message: 'The date must be on or after the date of the request' },
          ]);
        }
        const documentId =
          input.outcome === 'returned' && document
            ? await casework.addDocument(staff, recordId, document)
            : null;
        const noteId =
          input.outcome === 'returned' && input.note
            ? await casework.addNote(staff, recordId, {
                text: `Chronology from ${chronology.agency_name}: ${input.note}`,
                occurredOn: input.on,
                kind: 'note',
              })
            : null;
        await trx
          .updateTable('practice_review_chronology')
          .set({
            status: input.outcome,
            outcome_on: input.on,
            returned_document_id: documentId,
            returned_note_id: noteId,
            declined_reason: input.outcome === 'declined' ? (input.declinedReason ?? null) : null,
          })
          .where('id', '=', chronology.id)
          .execute();
        return chronology.id;
      },
      { action: `chronology.${input.outcome}`, objectIds: (id) => [id] },
    );
  }

  /**
   * Appoints the lead reviewer or a panel member and shares what the review
   * needs: the record, the referral, the rapid review's decision and the
   * chronologies that came back.
   */
  async appoint(staff: StaffContext, recordId: string, raw: AppointmentInput): Promise<string> {
    const input = parse(appointmentSchema, raw);
    const lead = input.role === 'lead-reviewer';
    return this.step(
      staff,
      recordId,
      { kind: lead ? 'appoint-lead-reviewer' : 'appoint-panel-member' },
      async (step) => {
        const { trx, review } = step;
        const chronologies = await chronologiesOf(trx, review.id);
        const items: Item[] = [{ recordId, kind: 'record', id: recordId }];
        for (const noteId of [review.referral_note_id, review.decision_note_id])
          if (noteId) items.push({ recordId, kind: 'note', id: noteId });
        for (const c of chronologies) {
          if (c.returned_document_id)
            items.push({ recordId, kind: 'document', id: c.returned_document_id });
          if (c.returned_note_id) items.push({ recordId, kind: 'note', id: c.returned_note_id });
        }
        const disclosureId = await this.share(
          step,
          staff,
          {
            recipientId: lead ? 'lead-reviewers' : this.panelRecipient(step.organisation),
            recipientName: `${input.name}, ${input.agency}`.slice(0, 200),
          },
          items,
          input,
        );
        const { id } = await trx
          .insertInto('practice_review_appointment')
          .values({
            review_id: review.id,
            role: input.role,
            name: input.name,
            agency: input.agency,
            appointed_on: input.appointedOn,
            disclosure_id: disclosureId,
            created_by: staff.accountId,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return id;
      },
      { action: `appoint.${input.role}`, objectIds: (id) => [id] },
    );
  }

  /** KSCMP's notice says "the panel for the case"; SSCP's, "review team for the case". */
  private panelRecipient(organisation: OrganisationSlug): string {
    return organisation === 'sscp' ? 'review-team' : 'review-panel';
  }

  /** A practitioner who has agreed to contribute. Nothing is shared yet. */
  async addPractitioner(staff: StaffContext, recordId: string, raw: PractitionerInput) {
    const input = parse(practitionerSchema, raw);
    return this.step(
      staff,
      recordId,
      { kind: 'add-practitioner' },
      async ({ trx, review }) => {
        const { id } = await trx
          .insertInto('practice_review_appointment')
          .values({
            review_id: review.id,
            role: 'practitioner',
            name: input.name,
            agency: input.agency,
            job_role: input.jobRole ?? null,
            appointed_on: input.appointedOn,
            created_by: staff.accountId,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return id;
      },
      { action: 'practitioner.add', objectIds: (id) => [id] },
    );
  }

  private async practitioner(trx: Transaction<Database>, reviewId: string, id: string) {
    const row = uuid.test(id)
      ? await trx
          .selectFrom('practice_review_appointment')
          .selectAll()
          .where('id', '=', id)
          .where('review_id', '=', reviewId)
          .where('role', '=', 'practitioner')
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (!row) throw new NotFoundError();
    return row;
  }

  /** The practitioner's confidentiality acknowledgement, on the current wording. */
  async acknowledge(
    staff: StaffContext,
    recordId: string,
    practitionerId: string,
    raw: AcknowledgementInput,
  ) {
    const input = parse(acknowledgementSchema, raw);
    await this.step(
      staff,
      recordId,
      { kind: 'add-practitioner' },
      async ({ trx, review }) => {
        const row = await this.practitioner(trx, review.id, practitionerId);
        if (row.acknowledged_on)
          throw new ConflictError('This practitioner has already acknowledged it');
        if (input.acknowledgedOn > this.today() || input.acknowledgedOn < row.appointed_on) {
          throw new ValidationError([
            {
              field: 'acknowledgedOn',
              message: 'The date must be between the date they agreed to contribute and today',
            },
          ]);
        }
        await trx
          .updateTable('practice_review_appointment')
          .set({
            acknowledged_on: input.acknowledgedOn,
            acknowledgement_version: confidentialityStatement.version,
          })
          .where('id', '=', row.id)
          .execute();
        return row.id;
      },
      { action: 'practitioner.acknowledge', objectIds: (id) => [id] },
    );
  }

  /**
   * Shares with a contributing practitioner, only once they have
   * acknowledged confidentiality: the record and the rapid review's
   * decision (the review's terms), not the chronologies or other notes.
   */
  async shareWithPractitioner(
    staff: StaffContext,
    recordId: string,
    practitionerId: string,
    raw: PractitionerShareInput,
  ): Promise<string> {
    const input = parse(practitionerShareSchema, raw);
    return this.step(
      staff,
      recordId,
      async (trx, review) => ({
        kind: 'share-with-practitioner',
        acknowledged:
          (await this.practitioner(trx, review.id, practitionerId)).acknowledged_on !== null,
      }),
      async (step) => {
        const row = await this.practitioner(step.trx, step.review.id, practitionerId);
        if (row.disclosure_id)
          throw new ConflictError(
            'This practitioner has already been sent the review’s information',
          );
        const items: Item[] = [{ recordId, kind: 'record', id: recordId }];
        if (step.review.decision_note_id)
          items.push({ recordId, kind: 'note', id: step.review.decision_note_id });
        const disclosureId = await this.share(
          step,
          staff,
          {
            recipientId: 'contributing-practitioners',
            recipientName: `${row.name}, ${row.agency}`.slice(0, 200),
          },
          items,
          input,
        );
        await step.trx
          .updateTable('practice_review_appointment')
          .set({ disclosure_id: disclosureId })
          .where('id', '=', row.id)
          .execute();
        return disclosureId;
      },
      { action: 'practitioner.share', objectIds: (id) => [id] },
    );
  }

  /** The draft or final report, attached to the record as a document. */
  async attachReport(
    staff: StaffContext,
    recordId: string,
    raw: ReportInput,
    document: UploadedDocument | undefined,
  ): Promise<string> {
    const input = parse(reportSchema, raw);
    if (!document) throw new ValidationError([{ field: 'document', message: 'Select the report' }]);
    return this.step(
      staff,
      recordId,
      { kind: 'attach-report', final: input.final },
      async ({ trx, review, next, casework }) => {
        const documentId = await casework.addDocument(staff, recordId, document);
        await trx
          .updateTable('practice_review')
          .set({ report_status: next.reportStatus, report_document_id: documentId })
          .where('id', '=', review.id)
          .execute();
        return documentId;
      },
      { action: 'report', objectIds: (id) => [id] },
    );
  }

  /**
   * Publication: the date, and the earliest day it may come down — at least
   * a year later ("for a minimum of 1 year", KSCMP notice). Staff confirm the
   * report identifies no child or family; when the report is text, it is
   * also checked for the names of the record's people.
   */
  async publish(staff: StaffContext, recordId: string, raw: PublicationInput) {
    const input = parse(publicationSchema, raw);
    await this.step(
      staff,
      recordId,
      { kind: 'publish' },
      async ({ trx, review, record, organisation, next }) => {
        const errors: FieldError[] = [];
        const earliest = earliestWithdrawalOn(input.publishedOn);
        const withdrawNotBefore = input.withdrawNotBefore ?? earliest;
        if (input.publishedOn > this.today())
          errors.push({
            field: 'publishedOn',
            message: 'The date published must be today or in the past',
          });
        if (withdrawNotBefore < earliest) {
          errors.push({
            field: 'withdrawNotBefore',
            message: `The report must stay published for at least a year: it cannot come down before ${longDate(earliest)}`,
          });
        }
        if (input.familyAskedToBeNamed && organisation !== 'kscmp') {
          errors.push({
            field: 'familyAskedToBeNamed',
            message: 'This partnership’s reports are fully anonymised: a family cannot be named',
          });
        }
        if (errors.length) throw new ValidationError(errors);
        const documentId = review.report_document_id;
        // An approved redaction (a second person's) is the anonymisation;
        // without one, a text report is checked for the record's names and
        // a Word or PDF report, which that check cannot read, is refused.
        const approved = documentId ? await approvedRedaction(trx, review.id, documentId) : null;
        if (!input.familyAskedToBeNamed && documentId && !approved) {
          await this.checkAnonymised(trx, record.id, documentId);
        }
        await trx
          .updateTable('practice_review')
          .set({
            stage: next.stage,
            published_on: input.publishedOn,
            withdraw_not_before: withdrawNotBefore,
            publication_url: input.url ?? null,
            report_anonymised_by: staff.accountId,
          })
          .where('id', '=', review.id)
          .execute();
        if (documentId && approved) {
          const publicationId = await publishReport(trx, {
            reviewId: review.id,
            documentId,
            organisationId: record.organisation_id,
            partnership: policyFor(organisation).name,
            publishedOn: input.publishedOn,
            takeDownOn: withdrawNotBefore,
            accountId: staff.accountId,
          });
          // Without an address of its own, it is published on the partnership's page.
          if (publicationId && !input.url) {
            await trx
              .updateTable('practice_review')
              .set({ publication_url: `/partnerships/${organisation}/reviews/${publicationId}` })
              .where('id', '=', review.id)
              .execute();
          }
        }
      },
      { action: 'publish' },
    );
  }

  /**
   * A text report must not contain the name of anyone the record is about.
   * The message does not repeat the name: it could reach a log.
   */
  private async checkAnonymised(trx: Transaction<Database>, recordId: string, documentId: string) {
    const document = await trx
      .selectFrom('record_document')
      .select(['media_type', 'content'])
      .where('id', '=', documentId)
      .where('record_id', '=', recordId)
      .executeTakeFirst();
    if (!document) return;
    if (document.media_type !== 'text/plain') {
      throw new ValidationError([
        {
          field: 'anonymised',
          message:
            'Anonymise the report and have the redactions approved before publishing it (Anonymise the report, on the review page)',
        },
      ]);
    }
    const text = Buffer.from(document.content).toString('utf8').toLowerCase();
    const people = await trx
      .selectFrom('record_party')
      .innerJoin('person', 'person.id', 'record_party.person_id')
      .select(['person.given_name', 'person.family_name'])
      .where('record_party.record_id', '=', recordId)
      .execute();
    const names = people.flatMap((p) => [p.given_name, p.family_name]).filter((n) => n.length >= 2);
    const named = names.some((name) =>
      new RegExp(`(^|[^\\p{L}])${escapeRegExp(name.toLowerCase())}($|[^\\p{L}])`, 'u').test(text),
    );
    if (named) {
      throw new ValidationError([
        {
          field: 'anonymised',
          message:
            'The report contains the name of someone in this record. Anonymise it and attach it again before publishing',
        },
      ]);
    }
  }
}

/** "17 November 2026", as GOV.UK writes dates in messages. */
function longDate(iso: string): string {
  return formatDate(Temporal.PlainDate.from(iso));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
