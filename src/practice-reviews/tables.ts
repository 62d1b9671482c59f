import type { Generated } from 'kysely';
import type { CalendarDate, CreatedAt, Timestamp } from '../db/schema.js';
import type { ReportStatus, ReviewStage } from './machine.js';

/** Table types for the practice-review workflow (migration 0012-practice-reviews). */

export const chronologyStatuses = ['requested', 'returned', 'declined'] as const;
export type ChronologyStatus = (typeof chronologyStatuses)[number];

export const appointmentRoles = ['lead-reviewer', 'panel-member', 'practitioner'] as const;
export type AppointmentRole = (typeof appointmentRoles)[number];

export interface PracticeReviewTable {
  id: Generated<string>;
  record_id: string;
  organisation_id: string;
  stage: ReviewStage;
  version: Generated<number>;
  referral_received_on: CalendarDate;
  referred_by: string;
  aware_on: CalendarDate;
  referral_note_id: string | null;
  notification_decided_on: CalendarDate | null;
  notification_reasons: string | null;
  late_notification_reason: string | null;
  rapid_review_sent_on: CalendarDate | null;
  rapid_review_disclosure_id: string | null;
  review_decided_on: CalendarDate | null;
  review_decision_reasons: string | null;
  decision_note_id: string | null;
  report_status: Generated<ReportStatus>;
  report_document_id: string | null;
  report_anonymised_by: string | null;
  published_on: CalendarDate | null;
  withdraw_not_before: CalendarDate | null;
  publication_url: string | null;
  started_by: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PracticeReviewChronologyTable {
  id: Generated<string>;
  review_id: string;
  recipient_id: string;
  agency_name: string;
  recipient_organisation_id: string | null;
  request_note_id: string | null;
  requested_on: CalendarDate;
  due_on: CalendarDate;
  status: ChronologyStatus;
  outcome_on: CalendarDate | null;
  returned_document_id: string | null;
  returned_note_id: string | null;
  declined_reason: string | null;
  disclosure_id: string | null;
  created_by: string;
}

export interface PracticeReviewAppointmentTable {
  id: Generated<string>;
  review_id: string;
  role: AppointmentRole;
  name: string;
  agency: string;
  job_role: string | null;
  appointed_on: CalendarDate;
  /** Practitioners: the confidentiality acknowledgement, before anything is shared. */
  acknowledged_on: CalendarDate | null;
  acknowledgement_version: string | null;
  disclosure_id: string | null;
  created_by: string;
}

export interface PracticeReviewTables {
  practice_review: PracticeReviewTable;
  practice_review_chronology: PracticeReviewChronologyTable;
  practice_review_appointment: PracticeReviewAppointmentTable;
}
