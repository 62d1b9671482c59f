import type { ColumnType, Generated } from 'kysely';
import type { CalendarDate, CreatedAt, Timestamp } from '../db/schema.js';

/** Table types for people (migrations 0001-platform and 0002-people). */

export const birthPrecisions = ['exact', 'month', 'year', 'estimated'] as const;
export type BirthPrecision = (typeof birthPrecisions)[number];

export const genders = ['female', 'male', 'other', 'not-known'] as const;
export type Gender = (typeof genders)[number];

export const nameKinds = ['current', 'previous', 'alias'] as const;
export type NameKind = (typeof nameKinds)[number];

export const identifierTypes = [
  'nhs-number',
  'upn',
  'home-office-reference',
  'port-reference',
] as const;
export type IdentifierType = (typeof identifierTypes)[number];

export const contactKinds = ['phone', 'email', 'other'] as const;
export type ContactKind = (typeof contactKinds)[number];

/** Special category data (UK GDPR Art 9(1)), as issue 3 lists it. */
export const specialCharacteristics = [
  'ethnicity',
  'disability',
  'religion-or-belief',
  'sexual-orientation',
  'marriage-or-civil-partnership',
  'gender-reassignment',
  'health',
  'drug-and-alcohol-use',
] as const;
export type SpecialCharacteristic = (typeof specialCharacteristics)[number];

/** Criminal offence data (UK GDPR Art 10; DPA 2018 s11(2) includes proceedings). */
export const offenceDataKinds = ['legal-status', 'proceedings', 'caution', 'conviction'] as const;
export type OffenceDataKind = (typeof offenceDataKinds)[number];

export const relationshipTypes = [
  'family',
  'extended-family',
  'friend',
  'carer',
  'professional',
] as const;
export type RelationshipType = (typeof relationshipTypes)[number];

/** Two people staff said are not one (migration 0051): the duplicate job leaves them out. */
export interface PersonNotDuplicateTable {
  organisation_id: string;
  person_a: string;
  person_b: string;
  decided_by: string | null;
  decided_at: Generated<Date>;
}

export interface PersonTable {
  id: Generated<string>;
  organisation_id: string;
  /** The current name, also held as the 'current' row of person_name. */
  given_name: string;
  family_name: string;
  date_of_birth: CalendarDate | null;
  date_of_birth_precision: BirthPrecision | null;
  date_of_death: CalendarDate | null;
  gender: Gender | null;
  /** Optimistic locking: an edit names the version it was made on. */
  version: Generated<number>;
  merged_into_id: string | null;
  /** The day they were last in no record; null while in one (migration 0027 keeps it). */
  record_free_since: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Generated<Date>;
  created_at: CreatedAt;
}

type Computed<T> = ColumnType<T, never, never>;

export interface PersonNameTable {
  id: Generated<string>;
  person_id: string;
  organisation_id: string;
  kind: NameKind;
  given_name: string;
  family_name: string;
  from_date: CalendarDate | null;
  to_date: CalendarDate | null;
  search_text: Computed<string>;
  given_metaphone: Computed<string>;
  family_metaphone: Computed<string>;
  created_at: CreatedAt;
}

export interface PersonAddressTable {
  id: Generated<string>;
  person_id: string;
  line1: string;
  line2: string | null;
  town: string | null;
  postcode: string | null;
  from_date: CalendarDate | null;
  to_date: CalendarDate | null;
  created_at: CreatedAt;
}

export interface PersonContactTable {
  id: Generated<string>;
  person_id: string;
  kind: ContactKind;
  value: string;
  created_at: CreatedAt;
}

export interface PersonIdentifierTable {
  id: Generated<string>;
  person_id: string;
  organisation_id: string;
  type: IdentifierType;
  value: string;
  created_at: CreatedAt;
}

export interface PersonSpecialCategoryTable {
  id: Generated<string>;
  person_id: string;
  characteristic: SpecialCharacteristic;
  value: string;
  recorded_on: CalendarDate | null;
  created_at: CreatedAt;
}

export interface PersonOffenceDataTable {
  id: Generated<string>;
  person_id: string;
  kind: OffenceDataKind;
  description: string;
  occurred_on: CalendarDate | null;
  created_at: CreatedAt;
}

export interface PersonRelationshipTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  related_person_id: string;
  type: RelationshipType;
  description: string | null;
  from_date: CalendarDate | null;
  to_date: CalendarDate | null;
  created_at: CreatedAt;
}

export interface PersonMergeTable {
  id: Generated<string>;
  organisation_id: string;
  survivor_id: string;
  merged_id: string;
  merged_by: string;
  merged_at: Generated<Date>;
  undone_by: string | null;
  undone_at: Timestamp | null;
}

export interface PersonMergeItemTable {
  id: Generated<string>;
  merge_id: string;
  table_name: string;
  action: 'moved' | 'removed';
  row_key: ColumnType<unknown, string, string>;
  detail: ColumnType<unknown, string | undefined, string>;
}

/** A person's facts over time: from, to, who and when (issue 4). */
export interface PersonChangeTable {
  id: Generated<string>;
  person_id: string;
  version: number;
  field: string;
  from_value: string | null;
  to_value: string | null;
  changed_by: string;
  changed_at: Generated<Date>;
}

/** Migration 0039: consent to a purpose the policy rests on consent (people/consent). */
export interface PersonConsentTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  purpose: string;
  given_on: CalendarDate;
  given_how: ConsentMethod;
  evidence: string;
  recorded_by: string;
  recorded_at: Generated<Date>;
  withdrawn_on: CalendarDate | null;
  withdrawn_how: ConsentMethod | 'rights-request' | 'objection-to-direct-marketing' | null;
  withdrawn_by: string | null;
  withdrawn_request_id: string | null;
}

export const consentMethods = ['in-writing', 'spoken', 'online', 'at-a-meeting'] as const;
export type ConsentMethod = (typeof consentMethods)[number];

export interface PeopleTables {
  person_consent: PersonConsentTable;
  person_change: PersonChangeTable;
  person: PersonTable;
  person_name: PersonNameTable;
  person_address: PersonAddressTable;
  person_contact: PersonContactTable;
  person_identifier: PersonIdentifierTable;
  person_special_category: PersonSpecialCategoryTable;
  person_offence_data: PersonOffenceDataTable;
  person_relationship: PersonRelationshipTable;
  person_merge: PersonMergeTable;
  person_merge_item: PersonMergeItemTable;
}

/** Kept apart from PeopleTables: no person's data, only a decision about two (demo rows skip it). */
export interface DuplicateDecisionTables {
  person_not_duplicate: PersonNotDuplicateTable;
}
