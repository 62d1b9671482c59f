/**
 * The practice-review page's reading (issue 6; decision 0008): each step's
 * state and due dates, the chronologies (overdue first), the appointments,
 * and how far each disclosure has gone — only its state; its contents stay
 * behind the sharing pages. Read inside PracticeReviewService.withReview,
 * which has already asked the access function, and audited here.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { decideRecord } from '../platform/access/access.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { findCategory, type CategorySlug } from '../policy/index.js';
import { notificationDueOn, rapidReviewDueOn } from './deadlines.js';
import { availableSteps, stageNames } from './machine.js';
import {
  appointmentsOf,
  chronologiesOf,
  stateOf,
  type Appointment,
  type Review,
  type StepContext,
} from './review-rows.js';

/** The review page's model for `staff`, `today` being the London day. */
export async function reviewOverview(
  { trx, record, review, organisation }: StepContext,
  staff: StaffContext,
  today: string,
) {
  const subject = await trx
    .selectFrom('record_party')
    .innerJoin('person', 'person.id', 'record_party.person_id')
    .select(['person.given_name', 'person.family_name'])
    .where('record_party.record_id', '=', record.id)
    .where('record_party.role', '=', 'subject')
    .executeTakeFirst();
  const canWrite = decideRecord(staff, 'write', {
    organisationId: record.organisation_id,
    category: record.category as CategorySlug,
    allocatedAccountId: record.allocated_account_id,
    allocatedTeamId: record.allocated_team_id,
    restricted: false, // withReview has refused a restricted record
    state: record.record_state,
  }).allowed;
  const recordView = {
    id: record.id,
    categoryName: findCategory(organisation, 'practice-review')?.name ?? 'Practice review',
    subject: subject ? `${subject.given_name} ${subject.family_name}` : null,
  };
  if (!review) {
    await recordAudit(trx, {
      action: 'practice-review.read',
      actorAccountId: staff.accountId,
      organisationId: record.organisation_id,
      objectType: 'case-record',
      objectIds: [record.id],
      purpose: 'practice-review',
    });
    return { record: recordView, review: null, canWrite, organisation };
  }
  const [chronologies, appointments] = await Promise.all([
    chronologiesOf(trx, review.id),
    appointmentsOf(trx, review.id),
  ]);
  const disclosureIds = [
    review.rapid_review_disclosure_id,
    ...chronologies.map((c) => c.disclosure_id),
    ...appointments.map((a) => a.disclosure_id),
  ].filter((id): id is string => id !== null);
  // Only the disclosure's state, to show each step's progress; its
  // contents stay behind the sharing pages.
  const disclosures = disclosureIds.length
    ? await trx
        .selectFrom('disclosure')
        .select(['id', 'status', 'recipient_organisation_id', 'package_downloaded_at'])
        .where('id', 'in', disclosureIds)
        .execute()
    : [];
  const disclosure = (id: string | null) => {
    const row = disclosures.find((d) => d.id === id);
    if (!row) return null;
    return {
      id: row.id,
      status: row.status,
      kind: row.recipient_organisation_id ? ('grant' as const) : ('package' as const),
      downloaded: row.package_downloaded_at !== null,
    };
  };
  const documents = await trx
    .selectFrom('record_document')
    .select(['id', 'filename'])
    .where('record_id', '=', record.id)
    .execute();
  const filename = (id: string | null) => documents.find((d) => d.id === id)?.filename ?? null;
  const chronologyViews = chronologies.map((c) => ({
    id: c.id,
    agencyName: c.agency_name,
    recipientId: c.recipient_id,
    requestedOn: c.requested_on,
    dueOn: c.due_on,
    status: c.status,
    overdue: c.status === 'requested' && c.due_on < today,
    outcomeOn: c.outcome_on,
    returnedDocument: c.returned_document_id
      ? { id: c.returned_document_id, filename: filename(c.returned_document_id) }
      : null,
    returnedNoteId: c.returned_note_id,
    declinedReason: c.declined_reason,
    disclosure: disclosure(c.disclosure_id),
  }));
  const appointmentView = (a: Appointment) => ({
    id: a.id,
    role: a.role,
    name: a.name,
    agency: a.agency,
    jobRole: a.job_role,
    appointedOn: a.appointed_on,
    acknowledgedOn: a.acknowledged_on,
    acknowledgementVersion: a.acknowledgement_version,
    disclosure: disclosure(a.disclosure_id),
  });
  const lead = appointments.find((a) => a.role === 'lead-reviewer');
  const state = stateOf(review, appointments);
  const notifiedLate =
    review.stage !== 'referred' &&
    review.stage !== 'not-notified' &&
    review.notification_decided_on !== null &&
    review.notification_decided_on > notificationDueOn(review.aware_on);
  await recordAudit(trx, {
    action: 'practice-review.read',
    actorAccountId: staff.accountId,
    organisationId: record.organisation_id,
    objectType: 'practice-review',
    objectIds: [review.id, record.id],
    purpose: 'practice-review',
  });
  return {
    record: recordView,
    canWrite,
    organisation,
    review: {
      id: review.id,
      version: review.version,
      stage: review.stage,
      stageName: stageNames[review.stage],
      referral: {
        receivedOn: review.referral_received_on,
        referredBy: review.referred_by,
        awareOn: review.aware_on,
        noteId: review.referral_note_id,
      },
      notification: {
        dueOn: notificationDueOn(review.aware_on),
        decidedOn: review.notification_decided_on,
        notified: review.stage === 'referred' ? null : review.stage !== 'not-notified',
        reasons: review.notification_reasons,
        lateReason: review.late_notification_reason,
        late: notifiedLate,
      },
      rapidReview: {
        dueOn: rapidReviewDueOn(review.aware_on),
        sentOn: review.rapid_review_sent_on,
        disclosure: disclosure(review.rapid_review_disclosure_id),
      },
      decision: {
        decidedOn: review.review_decided_on,
        lcspr: review.review_decided_on
          ? review.stage === 'lcspr' || review.stage === 'published'
          : null,
        reasons: review.review_decision_reasons,
      },
      chronologies: chronologyViews,
      overdueChronologies: chronologyViews.filter((c) => c.overdue),
      leadReviewer: lead ? appointmentView(lead) : null,
      panel: appointments.filter((a) => a.role === 'panel-member').map(appointmentView),
      practitioners: appointments.filter((a) => a.role === 'practitioner').map(appointmentView),
      report: {
        status: review.report_status,
        document: review.report_document_id
          ? { id: review.report_document_id, filename: filename(review.report_document_id) }
          : null,
        anonymisation: await anonymisation(trx, review),
      },
      publication: {
        publishedOn: review.published_on,
        withdrawNotBefore: review.withdraw_not_before,
        url: review.publication_url,
      },
      steps: canWrite ? availableSteps(state) : [],
      // KSCMP keeps referrals that were not notified under their own
      // heading (incident + 12 years): the decision re-files the record.
      refiledAsNotNotified: record.category === 'panel-referral-not-notified',
    },
  };
}

/** How far the current report's anonymisation has gone (publication/report-review.ts). */
async function anonymisation(
  trx: Transaction<Database>,
  review: Review,
): Promise<'not-started' | 'in-review' | 'approved' | null> {
  if (!review.report_document_id) return null;
  const row = await trx
    .selectFrom('report_redaction')
    .select('approved_by')
    .where('review_id', '=', review.id)
    .where('document_id', '=', review.report_document_id)
    .executeTakeFirst();
  if (!row) return 'not-started';
  return row.approved_by ? 'approved' : 'in-review';
}
