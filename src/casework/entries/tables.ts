import type { Generated } from 'kysely';
import type { CalendarDate, CreatedAt } from '../../db/schema.js';

/** Migration 0037: a statutory visit to a child (decision 0029). */
export interface StatutoryVisitTable {
  id: Generated<string>;
  record_id: string;
  visited_on: CalendarDate;
  child_seen: boolean;
  /** Null when the child was not seen. */
  seen_alone: boolean | null;
  /** Null where the question is not asked (a child in need). */
  bedroom_seen: boolean | null;
  present: string;
  wishes_and_feelings: string;
  next_due_on: CalendarDate | null;
  recorded_by: string;
  recorded_at: CreatedAt;
}

/** Migration 0038: a dated health or education fact about a looked-after child. */
export interface LookedAfterOutcomeTable {
  id: Generated<string>;
  record_id: string;
  kind: string;
  occurred_on: CalendarDate;
  /** The SDQ total difficulties score, 0–40; null for every other kind. */
  sdq_score: number | null;
  note: string;
  recorded_by: string;
  recorded_at: CreatedAt;
}

/** Migration 0040: a child protection conference or a looked after review (decision 0031). */
export interface StatutoryReviewTable {
  id: Generated<string>;
  record_id: string;
  kind: string;
  held_on: CalendarDate;
  /** A conference's decision; null for a looked after review. */
  decision: string | null;
  child_participated: boolean;
  /** Migration 0071: how the child took part in a looked after review (SSDA903 REVIEW_CODE); null before it was asked. */
  participation: string | null;
  chair: string;
  summary: string;
  recorded_by: string;
  recorded_at: CreatedAt;
}

/** Migration 0041: a case summary; every save a new row, the latest the current one (decision 0032). */
export interface CaseSummaryTable {
  id: Generated<string>;
  record_id: string;
  current_plan: string;
  risks: string;
  key_people: string;
  recorded_by: string;
  recorded_at: CreatedAt;
}

/** Migration 0041: a team manager's management oversight of a case (decision 0032). */
export interface OversightNoteTable {
  id: Generated<string>;
  record_id: string;
  given_on: CalendarDate;
  direction: string;
  next_review_on: CalendarDate | null;
  recorded_by: string;
  recorded_at: CreatedAt;
}

export interface EntryTables {
  statutory_visit: StatutoryVisitTable;
  looked_after_outcome: LookedAfterOutcomeTable;
  statutory_review: StatutoryReviewTable;
  case_summary: CaseSummaryTable;
  oversight_note: OversightNoteTable;
}
