import type { Generated } from 'kysely';
import type { CalendarDate, CreatedAt, Timestamp } from '../db/schema.js';

/** Table types for the partnerships' own services (migration 0006-partnership). */

export const courseKinds = ['course', 'event'] as const;
export type CourseKind = (typeof courseKinds)[number];
export const deliveries = ['face-to-face', 'online'] as const;
export type Delivery = (typeof deliveries)[number];
/** Sectors for the learning and development report ("job role, organisation, and sector"). */
export const sectors = [
  'local-authority',
  'health',
  'police',
  'education',
  'early-years',
  'voluntary-community',
  'probation-justice',
  'other',
] as const;
export type Sector = (typeof sectors)[number];
export const attendances = ['booked', 'attended', 'did-not-attend', 'cancelled'] as const;
export type Attendance = (typeof attendances)[number];
export const consentMethods = ['web-form', 'paper-form', 'email-request', 'event-sign-up'] as const;
export type ConsentMethod = (typeof consentMethods)[number];
export const questionKinds = ['single-choice', 'multiple-choice', 'free-text'] as const;
export type QuestionKind = (typeof questionKinds)[number];
export const surveyStatuses = ['draft', 'open', 'closed'] as const;
export type SurveyStatus = (typeof surveyStatuses)[number];
export const meetingAttendances = ['present', 'apologies', 'absent'] as const;
export type MeetingAttendance = (typeof meetingAttendances)[number];
export type RetentionStatus = 'scheduled' | 'pending' | 'needs-review' | 'no-rule';

/** The engine's answer, stored with each record (design.md principle 4). */
interface RetentionColumns {
  retention_status: RetentionStatus;
  retention_due: CalendarDate | null;
  retention_action: string | null;
  retention_rule_id: string | null;
  retention_needs_review: boolean;
  retention_explanation: string;
}

export interface TrainingCourseTable {
  id: Generated<string>;
  organisation_id: string;
  title: string;
  kind: CourseKind;
  delivery: Delivery;
  start_date: CalendarDate;
  end_date: CalendarDate;
  created_at: CreatedAt;
}

export interface TrainingBookingTable extends RetentionColumns {
  id: Generated<string>;
  organisation_id: string;
  course_id: string;
  full_name: string;
  job_role: string;
  employer: string;
  sector: Sector;
  email: string;
  telephone: string | null;
  postal_address: string | null;
  budget_reference: string | null;
  requirements: string | null;
  attendance: Generated<Attendance>;
  details_minimised_on: CalendarDate | null;
  created_at: CreatedAt;
}

export interface NewsletterSubscriberTable {
  id: Generated<string>;
  organisation_id: string;
  full_name: string;
  employer: string;
  email: string;
  consent_notice_version: string;
  consent_at: Timestamp;
  consent_method: ConsentMethod;
  retention_status: RetentionStatus;
  retention_explanation: string;
  created_at: CreatedAt;
}

export interface NewsletterSuppressionTable {
  id: Generated<string>;
  organisation_id: string;
  email_hmac: string;
  reason: 'unsubscribed' | 'address-invalid';
  suppressed_on: CalendarDate;
}

export interface SurveyTable extends RetentionColumns {
  id: Generated<string>;
  organisation_id: string;
  title: string;
  purpose: string;
  status: Generated<SurveyStatus>;
  opened_on: CalendarDate | null;
  survey_date: CalendarDate | null;
  report_date: CalendarDate | null;
  created_at: CreatedAt;
}

export interface SurveyQuestionTable {
  id: Generated<string>;
  survey_id: string;
  position: number;
  kind: QuestionKind;
  prompt: string;
}

export interface SurveyOptionTable {
  id: Generated<string>;
  question_id: string;
  position: number;
  label: string;
}

export interface SurveyResponseTable {
  id: Generated<string>;
  survey_id: string;
  received_on: CalendarDate;
}

export interface SurveyAnswerTable {
  id: Generated<string>;
  response_id: string;
  question_id: string;
  option_id: string | null;
  free_text: string | null;
  quote_selected: Generated<boolean>;
}

export interface PartnershipMeetingTable extends RetentionColumns {
  id: Generated<string>;
  organisation_id: string;
  body: string;
  title: string;
  meeting_date: CalendarDate;
  minutes: string | null;
  created_at: CreatedAt;
}

export interface PartnershipMeetingAttendeeTable {
  id: Generated<string>;
  meeting_id: string;
  full_name: string;
  role_or_agency: string;
  attendance: MeetingAttendance;
}

export interface PartnershipTables {
  training_course: TrainingCourseTable;
  training_booking: TrainingBookingTable;
  newsletter_subscriber: NewsletterSubscriberTable;
  newsletter_suppression: NewsletterSuppressionTable;
  survey: SurveyTable;
  survey_question: SurveyQuestionTable;
  survey_option: SurveyOptionTable;
  survey_response: SurveyResponseTable;
  survey_answer: SurveyAnswerTable;
  partnership_meeting: PartnershipMeetingTable;
  partnership_meeting_attendee: PartnershipMeetingAttendeeTable;
}
