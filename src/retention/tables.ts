import type { Generated } from 'kysely';
import type { CalendarDate, CreatedAt, Timestamp } from '../db/schema.js';

export interface RetentionHoldTable {
  id: Generated<string>;
  organisation_id: string;
  scope: 'record' | 'person' | 'category';
  record_id: string | null;
  person_id: string | null;
  category: string | null;
  hold_type: HoldType;
  reason: string;
  placed_by: string;
  placed_at: CreatedAt;
  review_on: CalendarDate;
  released_at: Timestamp | null;
  released_by: string | null;
}

export const holdTypes = [
  'litigation',
  'inquiry',
  'rights-request',
  'police-investigation',
  'pattern-of-concern',
  'other',
] as const;
export type HoldType = (typeof holdTypes)[number];

/** Each type of hold in words, for forms and lists. */
export const holdTypeNames: Readonly<Record<HoldType, string>> = {
  litigation: 'Litigation',
  inquiry: 'Public inquiry',
  'rights-request': 'Data protection rights request',
  'police-investigation': 'Police investigation',
  'pattern-of-concern': 'Pattern of concern',
  other: 'Other',
};

export interface RetentionDecisionTable {
  id: Generated<string>;
  record_id: string;
  organisation_id: string;
  decision: 'destroy' | 'keep-until' | 'hold' | 'archive' | 'make-inaccessible';
  keep_until: CalendarDate | null;
  rationale: string;
  decided_by: string;
  decided_at: CreatedAt;
}

export interface DisposalCounts {
  records: number;
  notes: number;
  documents: number;
  parties: number;
  people: number;
}

export interface DisposalCertificateTable {
  id: Generated<string>;
  organisation_id: string;
  category: string;
  item_kind: Generated<
    | 'case-record'
    | 'training-booking'
    | 'survey'
    | 'partnership-meeting'
    | 'person'
    | 'rights-request'
    | 'statutory-return-file'
  >;
  rule_id: string | null;
  action: string;
  record_ids: string[];
  earliest_due: CalendarDate | null;
  latest_due: CalendarDate | null;
  disposed_at: Timestamp;
  approved_by: string | null;
  approval: 'schedule' | 'review-decision' | 'replay';
  sweep_run_id: string | null;
  counts: DisposalCounts;
  /** A replayed disposal's original certificate, lost with the backup restored (migration 0056). */
  replays_certificate_id: string | null;
}

/** Migration 0056: a certified disposal as ids and a hash, also shipped out of the database. */
export interface DisposalJournalTable {
  seq: Generated<number>;
  certificate_id: string;
  organisation_id: string;
  item_kind: string;
  item_ids: string[];
  certificate_hash: string;
  disposed_at: Timestamp;
  shipped_at: Timestamp | null;
}

export interface RetentionSweepRunTable {
  id: Generated<string>;
  as_of: CalendarDate;
  dry_run: boolean;
  started_by: string | null;
  started_at: CreatedAt;
  finished_at: Timestamp | null;
  /** Set by a later sweep when this one stopped part-way (killed, crashed). */
  interrupted_at: Timestamp | null;
  records_disposed: Generated<number>;
  records_skipped: Generated<number>;
}

export interface RetentionTables {
  retention_hold: RetentionHoldTable;
  retention_decision: RetentionDecisionTable;
  disposal_certificate: DisposalCertificateTable;
  disposal_journal: DisposalJournalTable;
  retention_sweep_run: RetentionSweepRunTable;
}
