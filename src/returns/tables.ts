import type { Generated } from 'kysely';
import type { CalendarDate, CreatedAt } from '../db/schema.js';

/** Table types for statutory returns (migration 0064). */
export interface StatutoryReturnTable {
  id: Generated<string>;
  organisation_id: string;
  kind: 'cin-census' | 'ssda903' | 'annex-a';
  collection_year: number;
  reference_date: CalendarDate;
  /** Null when the operator produced it at the command line without naming an account. */
  produced_by: string | null;
  produced_at: CreatedAt;
  recipient_id: string;
  purpose: string;
  lawful_basis: string;
  file_sha256: string;
  children: number;
  errors: number;
  queries: number;
}

export interface StatutoryReturnRecordTable {
  return_id: string;
  record_id: string;
}

export interface ReturnsTables {
  statutory_return: StatutoryReturnTable;
  statutory_return_record: StatutoryReturnRecordTable;
}
