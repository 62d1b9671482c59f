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
  /** The produced file's name and type (migration 0072); null for returns made before. */
  file_name: string | null;
  media_type: string | null;
  /** When the retention sweep destroyed the kept file. */
  file_destroyed_at: Date | null;
}

/** The produced file itself, kept for the policy's period (migration 0072). */
export interface StatutoryReturnFileTable {
  return_id: string;
  content: Buffer;
}

/** A return being made from the page, after the page answered (migration 0072). */
export interface StatutoryReturnJobTable {
  id: Generated<string>;
  organisation_id: string;
  requested_by: string;
  kind: StatutoryReturnTable['kind'];
  collection_year: number | null;
  as_of: CalendarDate | null;
  status: Generated<'waiting' | 'running' | 'made' | 'refused' | 'failed'>;
  step: Generated<string>;
  steps_done: Generated<number>;
  steps_total: Generated<number>;
  errors: number | null;
  return_id: string | null;
  created_at: CreatedAt;
  finished_at: Date | null;
  /** Written as the job works (migration 0076); a running job with an old one was stopped. */
  heartbeat_at: Date | null;
  /** How far the check has got: children checked of those read (migration 0076). */
  children_checked: number | null;
  children_total: number | null;
}

export interface StatutoryReturnRecordTable {
  return_id: string;
  record_id: string;
}

export interface ReturnsTables {
  statutory_return: StatutoryReturnTable;
  statutory_return_record: StatutoryReturnRecordTable;
  statutory_return_file: StatutoryReturnFileTable;
  statutory_return_job: StatutoryReturnJobTable;
}
