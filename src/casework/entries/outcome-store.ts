/**
 * SQL for a looked-after child's outcomes. Callers decide access first.
 * outcomeRows is also a subquery of the record page's one audited statement
 * (CaseworkStore.contents), as visits are.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import { outcomeKindWords, type OutcomeKind } from './outcome-schema.js';

export function outcomeRows(eb: ExpressionBuilder<Database, never>, recordId: string) {
  return eb
    .selectFrom('looked_after_outcome')
    .innerJoin('account', 'account.id', 'looked_after_outcome.recorded_by')
    .select([
      'looked_after_outcome.id',
      'looked_after_outcome.kind',
      'looked_after_outcome.occurred_on',
      'looked_after_outcome.sdq_score',
      'looked_after_outcome.note',
      'account.display_name as recorded_by',
    ])
    .where('looked_after_outcome.record_id', '=', recordId)
    .orderBy('looked_after_outcome.occurred_on', 'desc')
    .orderBy('looked_after_outcome.recorded_at', 'desc');
}

export interface OutcomeView {
  id: string;
  kind: string;
  /** "Dental check", never the code. */
  kindName: string;
  occurredOn: string;
  sdqScore: number | null;
  note: string;
  recordedBy: string;
}

export function outcomeOf(row: {
  id: string;
  kind: string;
  occurred_on: string;
  sdq_score: number | null;
  note: string;
  recorded_by: string;
}): OutcomeView {
  return {
    id: row.id,
    kind: row.kind,
    kindName: outcomeKindWords[row.kind as OutcomeKind] ?? 'Outcome',
    occurredOn: row.occurred_on,
    sdqScore: row.sdq_score,
    note: row.note,
    recordedBy: row.recorded_by,
  };
}
