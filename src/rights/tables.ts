import type { ColumnType, Generated } from 'kysely';
import type { CalendarDate, CreatedAt, Timestamp } from '../db/schema.js';

/**
 * Data subject rights: the requests, their timeline, the decisions that need
 * no discovery, and restrictions of processing (migration 0007-rights); discovery and the
 * review of an access bundle (migration 0008-rights-review).
 *
 * The vocabularies below are a public contract (API, stored rows, CHECK
 * constraints in the migration): add to them, never rename.
 */

/** Every right in the notices (UK GDPR Arts 15–22, and Art 7(3) for consent). */
export const requestTypes = [
  'access', // Art 15
  'rectification', // Art 16
  'erasure', // Art 17
  'restriction', // Art 18
  'objection-public-task', // Art 21(1)
  'objection-direct-marketing', // Art 21(2)-(3)
  'consent-withdrawal', // Art 7(3), including newsletter unsubscribe
  'portability', // Art 20
  'automated-decision-objection', // Art 22
] as const;
export type RequestType = (typeof requestTypes)[number];

/** The state machine, in order; see machine.ts for the transitions. */
export const requestStates = [
  'received',
  'awaiting-id',
  'awaiting-authority',
  'awaiting-clarification',
  'in-progress',
  'extended',
  'review',
  'approved',
  'responded-in-full',
  'responded-in-part',
  'refused',
  'closed',
] as const;
export type RequestState = (typeof requestStates)[number];

/**
 * Who is asking. Anyone other than the subject needs proof of authority
 * (ICO "Can someone make a SAR on behalf of someone else?"): a parent with
 * parental responsibility (Children Act 1989 s3), a solicitor with the
 * subject's signed authority, or a person appointed by a court.
 */
export const requesterRoles = ['self', 'parent', 'solicitor', 'court-appointee'] as const;
export type RequesterRole = (typeof requesterRoles)[number];

export const channels = ['email', 'letter', 'phone', 'in-person', 'web-form', 'other'] as const;
export type Channel = (typeof channels)[number];

/**
 * How identity was checked. ICO: ask for ID only where there is reasonable
 * doubt, and only what is proportionate; "known-to-us" covers a requester
 * whose identity is already established (e.g. a verified existing contact).
 */
export const identityChecks = [
  'not-yet-checked',
  'known-to-us',
  'photo-id-seen',
  'documents-copied',
  'verified-in-person',
  'not-required',
] as const;
export type IdentityCheck = (typeof identityChecks)[number];

export const authorityEvidenceKinds = [
  'birth-certificate',
  'parental-responsibility-order',
  'signed-authority-from-subject',
  'court-order',
  'lasting-power-of-attorney',
  'other',
] as const;
export type AuthorityEvidence = (typeof authorityEvidenceKinds)[number];

export const subjectIdentifierTypes = ['nhs-number', 'upn', 'other'] as const;
export type SubjectIdentifierType = (typeof subjectIdentifierTypes)[number];

export interface SubjectIdentifier {
  type: SubjectIdentifierType;
  value: string;
}

export type ClockStatus = 'running' | 'paused' | 'waiting' | 'invalid';

export interface RightsRequestTable {
  id: Generated<string>;
  organisation_id: string;
  type: RequestType;
  state: RequestState;
  /** Another request this one came from (a portability request offered as an access request). */
  related_request_id: string | null;
  channel: Channel;
  received_on: CalendarDate;
  description: string;
  /** Categories the request is about (erasure, objection, portability), or empty for all. */
  categories: string[];

  requester_role: RequesterRole;
  requester_name: string;
  requester_contact: string;
  identity_check: IdentityCheck;
  identity_checked_on: CalendarDate | null;
  authority_evidence: AuthorityEvidence | null;
  authority_note: string | null;

  // The subject as the requester describes them: held only here, for
  // discovery to search with; never copied to the audit log.
  subject_given_name: string;
  subject_family_name: string;
  subject_other_names: string | null;
  subject_date_of_birth: CalendarDate | null;
  /** jsonb: written as JSON text (pg would send a JS array as a PostgreSQL array). */
  subject_identifiers: ColumnType<SubjectIdentifier[], string, string>;
  /** The person discovery confirmed, once a human has confirmed the match. */
  subject_person_id: string | null;

  id_requested_on: CalendarDate | null;
  id_received_on: CalendarDate | null;
  authority_requested_on: CalendarDate | null;
  authority_received_on: CalendarDate | null;
  clarification_requested_on: CalendarDate | null;
  clarification_received_on: CalendarDate | null;

  extension_told_on: CalendarDate | null;
  extension_reason: string | null;
  extension_months: 1 | 2 | null;

  // The clock, as computed by clock.ts in the same transaction as the event
  // that moved it (design.md principle 5): stored so the dashboard and the
  // daily reminders can sort and filter in SQL.
  clock_status: ClockStatus;
  clock_start: CalendarDate | null;
  clock_started_by: string | null;
  clock_due: CalendarDate | null;
  clock_first_month_due: CalendarDate | null;
  clock_paused_days: number;
  clock_paused_since: CalendarDate | null;
  clock_days_left_when_paused: number | null;
  clock_problem: string | null;

  prepared_by: string | null;
  approved_by: string | null;
  approved_at: Timestamp | null;
  responded_on: CalendarDate | null;
  closed_at: Timestamp | null;

  created_by: string;
  created_at: CreatedAt;
  version: Generated<number>;
}

/** A clarification sought after the clock started: the clock stops from `from_date` to `to_date`. */
export interface RightsPauseTable {
  id: Generated<string>;
  request_id: string;
  from_date: CalendarDate;
  to_date: CalendarDate | null;
  /** The state to return to when the answer arrives. */
  resume_state: 'in-progress' | 'extended';
}

/** The request's timeline: every transition and recorded step, by whom and when. */
export interface RightsEventTable {
  id: Generated<string>;
  request_id: string;
  occurred_at: CreatedAt;
  actor_account_id: string;
  kind: string;
  from_state: RequestState | null;
  to_state: RequestState | null;
  /** The calendar date the event is about (ID arrived on, told on, responded on). */
  on_date: CalendarDate | null;
  note: string | null;
}

export const decisionKinds = [
  'portability',
  'erasure',
  'objection-public-task',
  'objection-direct-marketing',
  'automated-decision-objection',
] as const;
export type DecisionKind = (typeof decisionKinds)[number];

export const decisionOutcomes = [
  'applies',
  'does-not-apply',
  'erase',
  'refuse',
  'upheld',
  'not-upheld',
  'no-automated-decisions',
] as const;
export type DecisionOutcome = (typeof decisionOutcomes)[number];

/** A decision on a request that needs no discovery, per category where it is per category. */
export interface RightsDecisionTable {
  id: Generated<string>;
  request_id: string;
  kind: DecisionKind;
  category: string | null;
  outcome: DecisionOutcome;
  /** The legal ground, e.g. "Art 17(3)(b) UK GDPR". */
  ground: string | null;
  /** Why: generated from policy, or written by the decider (the compelling grounds). */
  reasoning: string;
  /** For an objection: what the person said about their particular situation. */
  subject_grounds: string | null;
  decided_by: string;
  decided_at: CreatedAt;
}

/** UK GDPR Art 18(1): the four grounds for restriction. */
export const restrictionGrounds = [
  'accuracy-contested', // 18(1)(a)
  'unlawful-erasure-opposed', // 18(1)(b)
  'needed-for-legal-claims', // 18(1)(c)
  'objection-pending', // 18(1)(d)
] as const;
/** A ground a person can ask for (Art 18(1)); the restriction form offers these. */
export type Article18Ground = (typeof restrictionGrounds)[number];
/**
 * Every ground a restriction in force can have: Art 18(1)'s four, and an
 * upheld Art 21(1) objection, placed by the decision itself (migration 0024).
 */
export type RestrictionGround = Article18Ground | 'objection-upheld';

export interface RestrictionTable {
  id: Generated<string>;
  organisation_id: string;
  request_id: string | null;
  scope: 'person' | 'record';
  person_id: string | null;
  record_id: string | null;
  ground: RestrictionGround;
  /** For a person's restriction: only their records of this category (an upheld objection). */
  category: string | null;
  placed_by: string;
  placed_at: CreatedAt;
  /** Art 18(3): the person must be told before the restriction is lifted. */
  person_told_on: CalendarDate | null;
  person_told_by: string | null;
  lift_reason: string | null;
  lifted_at: Timestamp | null;
  lifted_by: string | null;
}

/** The sources discovery searches (ids/codes: these, never the terms, reach the audit log). */
export const discoverySources = [
  'person-identifier', // NHS number, UPN
  'person-name', // current, previous and alias names, by spelling variant
  'person-date-of-birth',
  'record-party', // the records each candidate takes part in
  'case-note-text', // notes naming the subject
  'training-booking',
  'newsletter-subscriber',
  'survey-response', // holds no identity: recorded as searched-and-not-applicable
] as const;
export type DiscoverySource = (typeof discoverySources)[number];

/** One run of discovery (migration 0008-rights-review). */
export interface RightsDiscoveryTable {
  id: Generated<string>;
  request_id: string;
  run_by: string;
  run_at: CreatedAt;
  sources: DiscoverySource[];
  /** jsonb: the terms searched — the subject's own data, held for the request only. */
  criteria: ColumnType<unknown, string, string>;
  /** jsonb: the candidates and why each matched, for a human to confirm. */
  results: ColumnType<unknown, string, string>;
}

export const reviewItemKinds = ['record', 'note', 'document', 'chronology'] as const;
export type ReviewItemKind = (typeof reviewItemKinds)[number];

export const reviewDecisions = ['disclose', 'redact', 'withhold'] as const;
export type ReviewDecision = (typeof reviewDecisions)[number];

/** Who a redacted third party is (DPA 2018 Sch 2 paras 16-17). */
export const thirdPartyKinds = [
  'family-member',
  'referrer',
  'other-individual',
  'professional',
] as const;
export type ThirdPartyKind = (typeof thirdPartyKinds)[number];

/** An item of a subject access bundle, as reviewed: a snapshot of what it says, and the decision. */
export interface RightsReviewItemTable {
  id: Generated<string>;
  request_id: string;
  kind: ReviewItemKind;
  /** The note, document, record or chronology entry it was made from. */
  source_id: string;
  record_id: string | null;
  position: number;
  item_date: CalendarDate | null;
  title: string;
  body: string;
  /** About a document's item: what it is, and what could not be read from it (not redactable). */
  source_note: ColumnType<string | null, string | null | undefined, string | null>;
  decision: ReviewDecision | null;
  /** An exemption code from exemptions.ts, required to withhold. */
  ground: string | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
}

/** A span of an item's text that is redacted: [start_offset, end_offset) in UTF-16 code units. */
export interface RightsRedactionTable {
  id: Generated<string>;
  item_id: string;
  start_offset: number;
  end_offset: number;
  ground: string;
  third_party: ThirdPartyKind | null;
  note: string | null;
  added_by: string;
  added_at: CreatedAt;
}

/** What carrying out an erasure (or a consent withdrawal) did with each item (migration 0011). */
export const outcomeActions = ['erased', 'unsubscribed', 'refused', 'not-linkable'] as const;
export type OutcomeAction = (typeof outcomeActions)[number];

export const outcomeSources = [
  'training-booking',
  'newsletter-subscriber',
  'survey-response',
  'case-record',
] as const;
export type OutcomeSource = (typeof outcomeSources)[number];

/**
 * One line of what an erasure did: ids, categories and grounds only — the
 * row it names may be gone, and nothing it said is copied here.
 */
export interface RightsOutcomeItemTable {
  id: Generated<string>;
  request_id: string;
  action: OutcomeAction;
  source: OutcomeSource;
  item_id: string | null;
  category: string;
  ground: string | null;
  reason: string;
  carried_out_by: string;
  carried_out_at: CreatedAt;
}

/**
 * Art 16: an opinion is not rewritten; what the person disputes is attached
 * to the record or note, and a refused rectification keeps their own
 * statement alongside the record the same way.
 */
export const annotationKinds = ['disputed-opinion', 'refusal-statement'] as const;
export type AnnotationKind = (typeof annotationKinds)[number];

export interface RightsAnnotationTable {
  id: Generated<string>;
  organisation_id: string;
  /** null once the request itself has been destroyed under its retention rule (migration 0027). */
  request_id: string | null;
  kind: AnnotationKind;
  record_id: string;
  note_id: string | null;
  text: string;
  added_by: string;
  added_at: CreatedAt;
}

/** Art 19: each recipient told of a rectification, erasure or restriction, or why not. */
export const noticeOutcomes = ['told', 'impossible', 'disproportionate'] as const;
export type NoticeOutcome = (typeof noticeOutcomes)[number];

export interface RightsRecipientNoticeTable {
  id: Generated<string>;
  request_id: string;
  disclosure_id: string;
  outcome: NoticeOutcome;
  told_on: CalendarDate | null;
  method: string | null;
  reason: string | null;
  recorded_by: string;
  recorded_at: CreatedAt;
}

/** What the daily reminders job flags (migration 0014-rights-reminders). */
export const reminderKinds = ['overdue', 'due-soon', 'extension-notice'] as const;
export type ReminderKind = (typeof reminderKinds)[number];

/** One reminder: a request needing attention on a day. Ids, dates and codes only. */
export interface RightsReminderTable {
  id: Generated<string>;
  organisation_id: string;
  request_id: string;
  on_date: CalendarDate;
  kind: ReminderKind;
  /** The response due date, or for 'extension-notice' the last day to tell the requester. */
  due: CalendarDate;
  days_left: number;
  created_at: CreatedAt;
}

/** An access request answered "neither confirm nor deny" (migration 0014). */
export interface RightsNcndTable {
  request_id: string;
  /** An exemption code from exemptions.ts whose ground allows it. */
  ground: string;
  reason: string;
  decided_by: string;
  decided_at: CreatedAt;
}

/** A training booking or newsletter subscription confirmed as the subject's, for a portability export (migration 0015). */
export interface RightsPortableItemTable {
  id: Generated<string>;
  request_id: string;
  source: 'training-booking' | 'newsletter-subscriber';
  item_id: string;
  confirmed_by: string;
  confirmed_at: CreatedAt;
}

/**
 * An access request gathered by the officers who alone may read its
 * records (Maidstone's concern log); governance sees the redacted items only.
 */
export interface RightsGatheringTable {
  request_id: string;
  role: 'designated-safeguarding-officer';
  state: 'requested' | 'submitted';
  note: string | null;
  requested_by: string;
  /** Set again when governance returns the items to the officer. */
  requested_at: Generated<Date>;
  submitted_by: string | null;
  submitted_at: Date | null;
}

export interface RightsTables {
  rights_gathering: RightsGatheringTable;
  rights_portable_item: RightsPortableItemTable;
  rights_reminder: RightsReminderTable;
  rights_ncnd: RightsNcndTable;
  rights_discovery: RightsDiscoveryTable;
  rights_review_item: RightsReviewItemTable;
  rights_redaction: RightsRedactionTable;
  rights_request: RightsRequestTable;
  rights_pause: RightsPauseTable;
  rights_event: RightsEventTable;
  rights_decision: RightsDecisionTable;
  restriction: RestrictionTable;
  rights_outcome_item: RightsOutcomeItemTable;
  rights_annotation: RightsAnnotationTable;
  rights_recipient_notice: RightsRecipientNoticeTable;
}
