import type { Generated } from 'kysely';
import type { CalendarDate, CreatedAt, Timestamp } from '../db/schema.js';

/** Table types for sharing (migration 0009-sharing). */

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

export const itemKinds = ['record', 'note', 'document'] as const;
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
  item_id: string;
}

export interface SharingTables {
  sharing_agreement: SharingAgreementTable;
  disclosure: DisclosureTable;
  disclosure_item: DisclosureItemTable;
}
