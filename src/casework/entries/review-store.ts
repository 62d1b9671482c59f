/**
 * SQL for conferences and looked after reviews. Callers decide access first;
 * nothing here does. reviewRows is also a subquery of the record page's one
 * audited statement (CaseworkStore.contents), as visits are.
 */
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { participationCodes, type Participation } from '../../returns/ssda903/codes.js';
import {
  decisionWords,
  reviewKindWords,
  type ConferenceDecision,
  type ReviewKind,
} from './review-schema.js';

type Source = Kysely<Database> | Transaction<Database> | ExpressionBuilder<Database, never>;

/** Reviews of one record or several, latest first, with who recorded each. */
export function reviewRows(db: Source, recordIds: readonly string[] | string) {
  const query = db
    .selectFrom('statutory_review')
    .innerJoin('account', 'account.id', 'statutory_review.recorded_by')
    .select([
      'statutory_review.id',
      'statutory_review.record_id',
      'statutory_review.kind',
      'statutory_review.held_on',
      'statutory_review.decision',
      'statutory_review.child_participated',
      'statutory_review.participation',
      'statutory_review.chair',
      'statutory_review.summary',
      'statutory_review.recorded_at',
      'account.display_name as recorded_by',
    ])
    .orderBy('statutory_review.held_on', 'desc')
    .orderBy('statutory_review.recorded_at', 'desc');
  return typeof recordIds === 'string'
    ? query.where('statutory_review.record_id', '=', recordIds)
    : query.where('statutory_review.record_id', 'in', recordIds);
}

export interface ReviewView {
  id: string;
  recordId: string;
  kind: ReviewKind;
  heldOn: string;
  decision: string | null;
  childParticipated: boolean;
  /** How the child took part, in words (a looked after review recorded since migration 0071); null otherwise. */
  participation: string | null;
  chair: string;
  summary: string;
  recordedBy: string;
  recordedAt: Date;
  /** "Initial child protection conference — child protection plan made". */
  title: string;
}

type ReviewRow = {
  id: string;
  record_id: string;
  kind: string;
  held_on: string;
  decision: string | null;
  child_participated: boolean;
  participation: string | null;
  chair: string;
  summary: string;
  recorded_at: Date | string;
  recorded_by: string;
};

/** What the meeting was and decided, in the chronology's words. */
export function reviewTitle(row: { kind: string; decision: string | null }): string {
  const what = reviewKindWords[row.kind as ReviewKind] ?? 'Review';
  const decided = row.decision ? decisionWords[row.decision as ConferenceDecision] : undefined;
  return decided ? `${what} — ${decided.charAt(0).toLowerCase()}${decided.slice(1)}` : what;
}

export function reviewOf(row: ReviewRow): ReviewView {
  return {
    id: row.id,
    recordId: row.record_id,
    kind: row.kind as ReviewKind,
    heldOn: row.held_on,
    decision: row.decision,
    childParticipated: row.child_participated,
    participation: row.participation
      ? (participationCodes.codes[row.participation as Participation]?.label ?? null)
      : null,
    chair: row.chair,
    summary: row.summary,
    recordedBy: row.recorded_by,
    recordedAt: new Date(row.recorded_at),
    title: reviewTitle(row),
  };
}
