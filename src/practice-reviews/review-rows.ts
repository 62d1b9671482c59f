/**
 * What every practice-review step works with (service.ts, overview.ts): the
 * review's rows, the record it is about, and the services a step writes
 * through inside its one transaction.
 */
import type { Selectable, Transaction } from 'kysely';
import type { CaseworkService } from '../casework/service.js';
import type { Database } from '../db/schema.js';
import type { RecordState } from '../platform/access/access.js';
import type { OrganisationSlug } from '../policy/index.js';
import type { SharingService } from '../sharing/service.js';
import type { ReviewState } from './machine.js';
import type {
  PracticeReviewAppointmentTable,
  PracticeReviewChronologyTable,
  PracticeReviewTable,
} from './tables.js';

export type Review = Selectable<PracticeReviewTable>;
export type Chronology = Selectable<PracticeReviewChronologyTable>;
export type Appointment = Selectable<PracticeReviewAppointmentTable>;

export interface RecordRow {
  id: string;
  organisation_id: string;
  category: string;
  allocated_account_id: string | null;
  allocated_team_id: string | null;
  record_state: RecordState;
}

/** One step's view of a review, inside its transaction (PracticeReviewService.withReview). */
export interface StepContext {
  trx: Transaction<Database>;
  record: RecordRow;
  organisation: OrganisationSlug;
  review: Review | undefined;
  casework: CaseworkService;
  sharing: SharingService;
}

/** What the workflow's machine decides from (machine.ts). */
export function stateOf(review: Review, appointments: readonly Appointment[]): ReviewState {
  return {
    stage: review.stage,
    leadReviewerAppointed: appointments.some((a) => a.role === 'lead-reviewer'),
    reportStatus: review.report_status,
  };
}

export function appointmentsOf(trx: Transaction<Database>, reviewId: string) {
  return trx
    .selectFrom('practice_review_appointment')
    .selectAll()
    .where('review_id', '=', reviewId)
    .orderBy('appointed_on')
    .orderBy('id')
    .execute();
}

export function chronologiesOf(trx: Transaction<Database>, reviewId: string) {
  return trx
    .selectFrom('practice_review_chronology')
    .selectAll()
    .where('review_id', '=', reviewId)
    .orderBy('requested_on')
    .orderBy('id')
    .execute();
}
