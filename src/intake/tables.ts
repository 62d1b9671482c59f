import type { ColumnType, Generated } from 'kysely';
import type { CalendarDate, CreatedAt } from '../db/schema.js';

/** Tables of imports from partners (migration 0050). */
export const rowStatuses = [
  'unmapped',
  'invalid',
  'pending',
  'review',
  'linked',
  'created',
  'rejected',
] as const;
export type RowStatus = (typeof rowStatuses)[number];

export const factKinds = [
  'missing-episode',
  'chronology',
  'alert',
  'attendance',
  'exclusion',
  'court-order',
  'referral',
] as const;
export type FactKind = (typeof factKinds)[number];

type Json<T> = ColumnType<T, string, string>;

export interface IntakeMappingTable {
  organisation_id: string;
  kind: string;
  partner: string;
  /** Field key → the partner's column heading. */
  columns: Json<Record<string, string>>;
  updated_at: Generated<Date>;
}

export interface IntakeJobTable {
  id: Generated<string>;
  organisation_id: string;
  kind: string;
  partner: string;
  file_name: string;
  file_hash: string;
  headers: Json<string[]>;
  source: string;
  lawful_bases: string;
  status: Generated<'mapping' | 'running' | 'finished'>;
  rows_total: Generated<number>;
  rows_done: Generated<number>;
  rows_repeated: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  finished_at: Date | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export interface IntakeRowTable {
  id: Generated<string>;
  job_id: string;
  organisation_id: string;
  kind: string;
  row_number: number;
  row_key: string;
  raw: Json<string[]>;
  values: Json<Record<string, string> | null>;
  errors: Json<FieldProblem[] | null>;
  status: RowStatus;
  candidate_person_id: string | null;
  probability: number | null;
  waterfall: Json<unknown>;
  person_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
}

export interface IntakeFactTable {
  id: Generated<string>;
  organisation_id: string;
  person_id: string;
  row_id: string;
  fact: FactKind;
  occurred_on: CalendarDate;
  summary: string;
  partner: string;
  created_at: CreatedAt;
}

export interface IntakeTables {
  intake_mapping: IntakeMappingTable;
  intake_job: IntakeJobTable;
  intake_row: IntakeRowTable;
  intake_fact: IntakeFactTable;
}
