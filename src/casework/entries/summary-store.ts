/**
 * SQL for case summaries and management oversight notes. Callers decide
 * access first; nothing here does. Both row functions are also subqueries
 * of the record page's one audited statement (CaseworkStore.contents).
 */
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Source = Kysely<Database> | Transaction<Database> | ExpressionBuilder<Database, never>;

/** A record's summaries, latest first: the first is the summary, the rest its history. */
export function summaryRows(db: Source, recordIds: readonly string[] | string) {
  const query = db
    .selectFrom('case_summary')
    .innerJoin('account', 'account.id', 'case_summary.recorded_by')
    .select([
      'case_summary.id',
      'case_summary.record_id',
      'case_summary.current_plan',
      'case_summary.risks',
      'case_summary.key_people',
      'case_summary.recorded_at',
      'account.display_name as recorded_by',
    ])
    .orderBy('case_summary.recorded_at', 'desc');
  return typeof recordIds === 'string'
    ? query.where('case_summary.record_id', '=', recordIds)
    : query.where('case_summary.record_id', 'in', recordIds);
}

export function oversightRows(db: Source, recordIds: readonly string[] | string) {
  const query = db
    .selectFrom('oversight_note')
    .innerJoin('account', 'account.id', 'oversight_note.recorded_by')
    .select([
      'oversight_note.id',
      'oversight_note.record_id',
      'oversight_note.given_on',
      'oversight_note.direction',
      'oversight_note.next_review_on',
      'oversight_note.recorded_at',
      'account.display_name as recorded_by',
    ])
    .orderBy('oversight_note.given_on', 'desc')
    .orderBy('oversight_note.recorded_at', 'desc');
  return typeof recordIds === 'string'
    ? query.where('oversight_note.record_id', '=', recordIds)
    : query.where('oversight_note.record_id', 'in', recordIds);
}

export interface SummaryView {
  id: string;
  currentPlan: string;
  risks: string;
  keyPeople: string;
  recordedBy: string;
  recordedAt: Date;
  /** The London calendar day it was saved, for "Updated 3 June 2026". */
  recordedOn: string;
}

export interface OversightView {
  id: string;
  givenOn: string;
  direction: string;
  nextReviewOn: string | null;
  recordedBy: string;
}

/** The London calendar day of an instant (a summary is dated by when it was saved). */
export function londonDay(at: Date): string {
  return at.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
}

export function summaryOf(row: {
  id: string;
  current_plan: string;
  risks: string;
  key_people: string;
  recorded_at: Date | string;
  recorded_by: string;
}): SummaryView {
  const at = new Date(row.recorded_at);
  return {
    id: row.id,
    currentPlan: row.current_plan,
    risks: row.risks,
    keyPeople: row.key_people,
    recordedBy: row.recorded_by,
    recordedAt: at,
    recordedOn: londonDay(at),
  };
}

export function oversightOf(row: {
  id: string;
  given_on: string;
  direction: string;
  next_review_on: string | null;
  recorded_by: string;
}): OversightView {
  return {
    id: row.id,
    givenOn: row.given_on,
    direction: row.direction,
    nextReviewOn: row.next_review_on,
    recordedBy: row.recorded_by,
  };
}
