import type { ColumnType, Generated } from 'kysely';
import type { CalendarDate, CreatedAt, Timestamp } from '../db/schema.js';
import type { EntryTables } from './entries/tables.js';

/** bytea: pg gives a Buffer, PGlite a Uint8Array. */
export type Bytes = ColumnType<Uint8Array, Buffer, Buffer>;

export interface CaseRecordTable {
  id: Generated<string>;
  organisation_id: string;
  category: string;
  opened_on: CalendarDate;
  /** Also the retention fact closureDate. */
  closed_on: CalendarDate | null;
  created_at: CreatedAt;
  version: Generated<number>;
  created_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  allocated_account_id: string | null;
  allocated_team_id: string | null;
  /** jsonb, default {}: written as a JSON string, read back parsed, validated by zod. */
  detail: ColumnType<unknown, string | undefined, string>;

  incident_date: CalendarDate | null;
  child_died: boolean | null;
  outcome: string | null;
  caution_or_conviction_date: CalendarDate | null;
  last_contact_date: CalendarDate | null;
  recorded_date: CalendarDate | null;
  adoption_order_date: CalendarDate | null;
  training_date: CalendarDate | null;
  completed_date: CalendarDate | null;
  meeting_date: CalendarDate | null;
  report_date: CalendarDate | null;
  survey_date: CalendarDate | null;
  unsubscribed_date: CalendarDate | null;
  email_invalid_date: CalendarDate | null;
  contract_end_date: CalendarDate | null;

  retention_status: string | null;
  retention_due: CalendarDate | null;
  retention_action: string | null;
  retention_rule_id: string | null;
  retention_needs_review: Generated<boolean>;
  retention_explanation: string | null;
  retention_assessed_at: Timestamp | null;

  /** 'active', or kept instead of destroyed: 'archived' | 'inaccessible' (migration 0026). */
  record_state: Generated<RecordState>;
  /** The day it was archived or made inaccessible; null while active. */
  state_changed_on: CalendarDate | null;
}

export const recordStates = ['active', 'archived', 'inaccessible'] as const;
export type RecordState = (typeof recordStates)[number];

/** A record moved to another category (migration 0026; casework/refile.ts). */
export interface RecordRefileTable {
  id: Generated<string>;
  record_id: string;
  organisation_id: string;
  from_category: string;
  to_category: string;
  reason: string;
  /** null: the schedule did it (a return to the partnership by the sweep). */
  refiled_by: string | null;
  refiled_at: CreatedAt;
}

export interface RecordPartyTable {
  record_id: string;
  person_id: string;
  role: string;
  added_at: CreatedAt;
}

export interface CaseNoteTable {
  id: Generated<string>;
  record_id: string;
  author_account_id: string;
  written_at: CreatedAt;
  occurred_on: CalendarDate;
  kind: string;
  text: string;
}

export interface RecordSourceTable {
  id: Generated<string>;
  record_id: string;
  kind: string;
  provider: string;
  received_on: CalendarDate;
  reference: string | null;
  summary: string;
  added_by: string;
  added_at: CreatedAt;
}

export interface RecordDocumentTable {
  id: Generated<string>;
  record_id: string;
  filename: string;
  media_type: string;
  size_bytes: number;
  content: Bytes;
  uploaded_by: string;
  uploaded_at: CreatedAt;
}

export interface RecordChangeTable {
  id: Generated<string>;
  record_id: string;
  version: number;
  field: string;
  from_value: string | null;
  to_value: string | null;
  changed_by: string;
  changed_at: CreatedAt;
}

export interface BreakGlassAccessTable {
  id: Generated<string>;
  record_id: string;
  account_id: string;
  session_id: string;
  reason: string;
  opened_at: CreatedAt;
  expires_at: Timestamp;
}

/** Structured entries on a record (src/casework/entries) are casework's tables too. */
export interface CaseworkTables extends EntryTables {
  case_record: CaseRecordTable;
  record_party: RecordPartyTable;
  case_note: CaseNoteTable;
  record_source: RecordSourceTable;
  record_document: RecordDocumentTable;
  record_change: RecordChangeTable;
  break_glass_access: BreakGlassAccessTable;
  record_refile: RecordRefileTable;
}
