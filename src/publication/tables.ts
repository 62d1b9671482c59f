import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CalendarDate, Timestamp } from '../db/schema.js';
import type { SpanKind } from './types.js';

/** Table types for anonymising and publishing reports (migration 0045-report-publication). */

export interface ReportRedactionTable {
  id: Generated<string>;
  review_id: string;
  organisation_id: string;
  document_id: string;
  source_text: string;
  /** Who last changed the decisions: the approver must be someone else. */
  changed_by: string;
  changed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  version: Generated<number>;
  approved_by: string | null;
  approved_at: Timestamp | null;
  approved_text: string | null;
  title: string | null;
  /** The residual-risk checks the approver confirmed (RESIDUAL_RISKS ids). */
  checks: ColumnType<string[], string | undefined, string>;
}

export interface ReportRedactionSpanTable {
  id: Generated<string>;
  redaction_id: string;
  position: number;
  start_at: number;
  end_at: number;
  kind: SpanKind;
  reason: string;
  proposed_label: string;
  label: string;
  accepted: Generated<boolean>;
  added_by_hand: Generated<boolean>;
}

/** What was removed, by kind and reason, with counts: no text of the report. */
export type RemovedSummary = { kind: SpanKind; reason: string; count: number }[];

export interface ReportPublicationTable {
  id: Generated<string>;
  organisation_id: string;
  review_id: string | null;
  title: string;
  published_on: CalendarDate;
  take_down_on: CalendarDate;
  pdf: Buffer | null;
  removed: JSONColumnType<RemovedSummary>;
  published_by: string;
  taken_down_on: CalendarDate | null;
}

export interface ExtractReport {
  actions: string[];
  rows: number;
  suppressed: number;
}

export interface ResearchExtractTable {
  id: Generated<string>;
  organisation_id: string;
  purpose: string;
  question: string;
  fields: JSONColumnType<string[]>;
  k: number;
  requested_by: string;
  requested_at: ColumnType<Date, Date | string | undefined, Date | string>;
  approved_by: string | null;
  approved_at: Date | null;
  /** Before migration 0060 only: the key in the clear, sealed and emptied at the next start. */
  pseudonym_key: Buffer | null;
  /** The HMAC key of this extract's pseudonyms, made at approval, sealed (research/key-seal.ts). */
  pseudonym_key_sealed: Buffer | null;
  /** What the k-anonymity check did when it was approved. */
  report: ColumnType<ExtractReport | null, string | null | undefined, string | null>;
}

export interface PublicationTables {
  research_extract: ResearchExtractTable;
  report_redaction: ReportRedactionTable;
  report_redaction_span: ReportRedactionSpanTable;
  report_publication: ReportPublicationTable;
}
