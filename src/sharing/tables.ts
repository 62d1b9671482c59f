import type { ColumnType, Generated } from 'kysely';
import type { CalendarDate, CreatedAt, Timestamp } from '../db/schema.js';

/** Table types for sharing (migrations 0009-sharing, 0013-sharing-agreements). */

/**
 * Why information is shared. Each agreement lists the purposes it covers; a
 * disclosure names one.
 */
export const sharingPurposes = {
  'safeguarding-child': 'To protect a child from harm (safeguarding)',
  'child-protection-enquiry': 'Child protection enquiry (Children Act 1989 s47)',
  'allegation-management': 'Managing an allegation against an adult who works with children',
  'practice-review': 'Rapid review or Local Child Safeguarding Practice Review',
  'care-and-support': 'Planning or providing care and support',
  'inspection-or-statutory-return': 'Inspection or a statutory return',
  'legal-obligation': 'Required by law or in legal proceedings',
} as const;
export type SharingPurpose = keyof typeof sharingPurposes;
export const sharingPurposeSlugs = Object.keys(sharingPurposes) as [
  SharingPurpose,
  ...SharingPurpose[],
];

export const consentStates = ['given', 'refused', 'not-sought'] as const;
export type ConsentState = (typeof consentStates)[number];

/**
 * Why consent was not sought: the only reasons the notices allow (Maidstone
 * BC notice: "if a practitioner is unable to, cannot be reasonably expected
 * to gain consent from the individual, or if to gain consent could place a
 * child at risk").
 */
export const consentReasons = {
  'risk-to-child': 'Seeking consent would place a child at risk',
  'cannot-be-obtained': 'Consent cannot be obtained',
  'not-reasonably-expected': 'The practitioner cannot reasonably be expected to obtain consent',
} as const;
export type ConsentReason = keyof typeof consentReasons;
export const consentReasonSlugs = Object.keys(consentReasons) as [
  ConsentReason,
  ...ConsentReason[],
];

export const disclosureStatuses = ['awaiting-approval', 'approved', 'refused', 'revoked'] as const;
export type DisclosureStatus = (typeof disclosureStatuses)[number];

/** A field item is one field of a record (see fields.ts); the others are whole. */
export const itemKinds = ['record', 'note', 'document', 'field'] as const;
export type ItemKind = (typeof itemKinds)[number];

export interface SharingAgreementTable {
  id: Generated<string>;
  slug: string;
  title: string;
  party_organisations: string[];
  external_recipients: string[];
  purposes: string[];
  data_categories: string[];
  lawful_bases: string[];
  special_conditions: string[];
  review_date: CalendarDate;
  created_at: CreatedAt;
  /** The organisation whose information governance manages the agreement. */
  lead_organisation_id: string;
  version: Generated<number>;
  last_reviewed_on: CalendarDate | null;
  last_reviewed_by: string | null;
  ended_on: CalendarDate | null;
  ended_by: string | null;
  end_reason: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export const agreementChanges = ['created', 'edited', 'reviewed', 'ended'] as const;
export type AgreementChange = (typeof agreementChanges)[number];

/** Each version of an agreement's terms, kept for the disclosures that relied on it. */
export interface SharingAgreementVersionTable {
  agreement_id: string;
  version: number;
  change: AgreementChange;
  changed_by: string | null;
  changed_at: Timestamp;
  title: string;
  party_organisations: string[];
  external_recipients: string[];
  purposes: string[];
  data_categories: string[];
  lawful_bases: string[];
  special_conditions: string[];
  review_date: CalendarDate;
  last_reviewed_on: CalendarDate | null;
  ended_on: CalendarDate | null;
  end_reason: string | null;
}

export interface DisclosureTable {
  id: Generated<string>;
  organisation_id: string;
  requested_by: string;
  requested_at: Timestamp;
  recipient_id: string;
  recipient_name: string;
  recipient_organisation_id: string | null;
  purpose: string;
  agreement_id: string | null;
  /** The agreement's version relied on, with agreement_id. */
  agreement_version: number | null;
  lawful_basis: string;
  special_condition: string | null;
  consent: ConsentState;
  consent_reason: ConsentReason | null;
  justification: string | null;
  status: DisclosureStatus;
  approved_by: string | null;
  approved_at: Timestamp | null;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  package_downloaded_at: Timestamp | null;
  package_downloaded_by: string | null;
}

export interface DisclosureItemTable {
  disclosure_id: string;
  record_id: string;
  item_kind: ItemKind;
  /** The record itself for record and field items. */
  item_id: string;
  /** For a field item, which field (fields.ts); '' otherwise. */
  field: Generated<string>;
}

export interface SharingTables {
  sharing_agreement: SharingAgreementTable;
  sharing_agreement_version: SharingAgreementVersionTable;
  disclosure: DisclosureTable;
  disclosure_item: DisclosureItemTable;
}
