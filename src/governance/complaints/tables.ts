import type { Generated } from 'kysely';
import type { CalendarDate, CreatedAt } from '../../db/schema.js';

/**
 * Data protection complaints (migration 0022-complaints; decision record
 * 0018). The vocabularies below are a public contract (stored rows, CHECK
 * constraints in the migration): add to them, never rename.
 */

/** How a complaint arrived: the public form, or staff recording a caller's. */
export const complaintChannels = [
  'web-form',
  'email',
  'letter',
  'phone',
  'in-person',
  'other',
] as const;
export type ComplaintChannel = (typeof complaintChannels)[number];

/** What staff may choose when recording a complaint for someone (the form is the public's). */
export const staffChannels = ['phone', 'email', 'letter', 'in-person', 'other'] as const;

/** How something was sent to the complainant. */
export const sendingMethods = ['email', 'letter', 'phone', 'in-person'] as const;
export type SendingMethod = (typeof sendingMethods)[number];

/**
 * received → acknowledged (s.164A(3): within 30 days; the enquiries of
 * s.164A(5) run from here) → closed (the outcome told, s.164A(4)(b)).
 */
export const complaintStates = ['received', 'acknowledged', 'closed'] as const;
export type ComplaintState = (typeof complaintStates)[number];

export const complaintOutcomes = ['upheld', 'partly-upheld', 'not-upheld', 'withdrawn'] as const;
export type ComplaintOutcome = (typeof complaintOutcomes)[number];

export const entryKinds = ['note', 'progress-update'] as const;
export type EntryKind = (typeof entryKinds)[number];

/** What a complaint may be linked to (migrations 0022, 0031). */
export const linkTargetKinds = ['rights-request', 'breach'] as const;
export type LinkTargetKind = (typeof linkTargetKinds)[number];

export interface ComplaintTable {
  id: Generated<string>;
  organisation_id: string;
  /** Words to read out, stored as 'amber-heron-47' (reference.ts). */
  reference: string;
  channel: ComplaintChannel;
  received_on: CalendarDate;
  /** Day 30, counting the day received as day 1 (clock.ts). */
  acknowledge_by: CalendarDate;

  // The complainant as they describe themselves: held only here, never
  // copied to the audit log or the server's log.
  complainant_name: string;
  contact_email: string | null;
  contact_postal: string | null;
  contact_phone: string | null;
  about: string;
  their_reference: string | null;
  on_behalf_of_name: string | null;
  on_behalf_relationship: string | null;

  state: ComplaintState;
  acknowledged_on: CalendarDate | null;
  acknowledged_via: SendingMethod | null;
  acknowledged_by: string | null;
  outcome: ComplaintOutcome | null;
  findings: string | null;
  actions: string | null;
  closed_on: CalendarDate | null;
  closed_by: string | null;

  recorded_by: string | null;
  created_at: CreatedAt;
  version: Generated<number>;
}

export interface ComplaintEntryTable {
  id: Generated<string>;
  complaint_id: string;
  organisation_id: string;
  kind: EntryKind;
  body: string;
  sent_on: CalendarDate | null;
  sent_via: SendingMethod | null;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface ComplaintLinkTable {
  id: Generated<string>;
  complaint_id: string;
  organisation_id: string;
  target_kind: LinkTargetKind;
  rights_request_id: string | null;
  /** Set when target_kind is 'breach' (migration 0031). */
  breach_id: Generated<string | null>;
  linked_by: string;
  created_at: CreatedAt;
}

export interface ComplaintTables {
  complaint: ComplaintTable;
  complaint_entry: ComplaintEntryTable;
  complaint_link: ComplaintLinkTable;
}
