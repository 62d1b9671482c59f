/**
 * SQL for statutory visits. Callers decide access first; nothing here does.
 * visitRows is also a subquery of the record page's one statement
 * (CaseworkStore.contents), so the page shows visits under the same audited
 * read as its notes.
 */
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Source = Kysely<Database> | Transaction<Database> | ExpressionBuilder<Database, never>;

/** A record's visits, latest first, with who recorded each. */
export function visitRows(db: Source, recordIds: readonly string[] | string) {
  const query = db
    .selectFrom('statutory_visit')
    .innerJoin('account', 'account.id', 'statutory_visit.recorded_by')
    .select([
      'statutory_visit.id',
      'statutory_visit.record_id',
      'statutory_visit.visited_on',
      'statutory_visit.child_seen',
      'statutory_visit.seen_alone',
      'statutory_visit.bedroom_seen',
      'statutory_visit.present',
      'statutory_visit.wishes_and_feelings',
      'statutory_visit.next_due_on',
      'statutory_visit.recorded_at',
      'account.display_name as recorded_by',
    ])
    .orderBy('statutory_visit.visited_on', 'desc')
    .orderBy('statutory_visit.recorded_at', 'desc');
  return typeof recordIds === 'string'
    ? query.where('statutory_visit.record_id', '=', recordIds)
    : query.where('statutory_visit.record_id', 'in', recordIds);
}

export interface VisitView {
  id: string;
  recordId: string;
  visitedOn: string;
  childSeen: boolean;
  seenAlone: boolean | null;
  bedroomSeen: boolean | null;
  present: string;
  wishesAndFeelings: string;
  nextDueOn: string | null;
  recordedAt: Date;
  recordedBy: string;
  /** The chronology's words: "Statutory visit — seen alone". */
  summary: string;
}

type VisitRow = {
  id: string;
  record_id: string;
  visited_on: string;
  child_seen: boolean;
  seen_alone: boolean | null;
  bedroom_seen: boolean | null;
  present: string;
  wishes_and_feelings: string;
  next_due_on: string | null;
  recorded_at: Date | string;
  recorded_by: string;
};

/** What a visit was, in the chronology's words. */
export function visitSummary(visit: { child_seen: boolean; seen_alone: boolean | null }): string {
  if (!visit.child_seen) return 'Statutory visit — child not seen';
  return visit.seen_alone ? 'Statutory visit — seen alone' : 'Statutory visit — child seen';
}

/** A row (from a query, or through JSON as a subquery) as the page shows it. */
export function visitOf(row: VisitRow): VisitView {
  return {
    id: row.id,
    recordId: row.record_id,
    visitedOn: row.visited_on,
    childSeen: row.child_seen,
    seenAlone: row.seen_alone,
    bedroomSeen: row.bedroom_seen,
    present: row.present,
    wishesAndFeelings: row.wishes_and_feelings,
    nextDueOn: row.next_due_on,
    recordedAt: new Date(row.recorded_at),
    recordedBy: row.recorded_by,
    summary: visitSummary(row),
  };
}
