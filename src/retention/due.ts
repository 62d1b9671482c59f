import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/schema.js';
import { appliedActions } from './record-states.js';

/**
 * Which case records are due, and for what, as of a date: to destroy, for a
 * person to review, or for an action the sweep applies (archive, make
 * inaccessible, return) — each respecting legal holds, Art 18 restrictions
 * and reviewers' keep decisions. Shared by the dashboard, the review queue
 * and the sweep (sweep.ts), so all three count the same records.
 */

type RecordRow = ExpressionBuilder<Database, 'case_record'>;

/**
 * No active hold covers the record: by record, by a person in it, or by its
 * category — and no restriction of processing (UK GDPR Art 18) is in force
 * on it or a person in it. Restricted data may only be stored, and Art
 * 18(1)(c) keeps it for the person's legal claims, so it is kept and
 * reported with the held records until the restriction is lifted.
 */
export function notHeld(eb: RecordRow): Expression<SqlBool> {
  return eb.and([notLegallyHeld(eb), notRestricted(eb)]);
}

function notRestricted(eb: RecordRow): Expression<SqlBool> {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('restriction as rs')
        .select(sql`1`.as('one'))
        .where('rs.lifted_at', 'is', null)
        .where((r) =>
          r.or([
            r('rs.record_id', '=', r.ref('case_record.id')),
            r.exists(
              r
                .selectFrom('record_party as rsp')
                .select(sql`1`.as('one'))
                .whereRef('rsp.record_id', '=', 'case_record.id')
                .whereRef('rsp.person_id', '=', 'rs.person_id'),
            ),
          ]),
        ),
    ),
  );
}

function notLegallyHeld(eb: RecordRow): Expression<SqlBool> {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('retention_hold as h')
        .select(sql`1`.as('one'))
        .where('h.released_at', 'is', null)
        .whereRef('h.organisation_id', '=', 'case_record.organisation_id')
        .where((hold) =>
          hold.or([
            hold.and([
              hold('h.scope', '=', 'record'),
              hold('h.record_id', '=', hold.ref('case_record.id')),
            ]),
            hold.and([
              hold('h.scope', '=', 'category'),
              hold('h.category', '=', hold.ref('case_record.category')),
            ]),
            hold.and([
              hold('h.scope', '=', 'person'),
              hold.exists(
                hold
                  .selectFrom('record_party as p')
                  .select(sql`1`.as('one'))
                  .whereRef('p.record_id', '=', 'case_record.id')
                  .whereRef('p.person_id', '=', 'h.person_id'),
              ),
            ]),
          ]),
        ),
    ),
  );
}

/** No reviewer has decided to keep the record beyond `asOf`. */
function notKeptBeyond(eb: RecordRow, asOf: string): Expression<SqlBool> {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('retention_decision as d')
        .select(sql`1`.as('one'))
        .whereRef('d.record_id', '=', 'case_record.id')
        .where('d.decision', '=', 'keep-until')
        .where('d.keep_until', '>', asOf),
    ),
  );
}

/** Records the schedule says to destroy by `asOf`, not held and not kept by a decision. */
export function dueForDestruction(eb: RecordRow, asOf: string): Expression<SqlBool> {
  return eb.and([
    eb('case_record.retention_status', '=', 'scheduled'),
    eb('case_record.retention_action', '=', 'destroy'),
    eb('case_record.retention_needs_review', '=', false),
    eb('case_record.retention_due', '<=', asOf),
    notHeld(eb),
    notKeptBeyond(eb, asOf),
  ]);
}

/** Records a person must look at by `asOf`: reviews due, unknown dates, no rule. */
export function dueForReview(eb: RecordRow, asOf: string): Expression<SqlBool> {
  return eb.and([
    eb.or([
      eb('case_record.retention_needs_review', '=', true),
      eb.and([
        eb('case_record.retention_status', '=', 'scheduled'),
        eb('case_record.retention_action', 'not in', ['destroy', ...appliedActions]),
        eb('case_record.retention_due', '<=', asOf),
      ]),
    ]),
    // A kept record's retention was decided when it was kept.
    eb('case_record.record_state', '=', 'active'),
    notHeld(eb),
    notKeptBeyond(eb, asOf),
  ]);
}

/**
 * Records whose schedule says to archive, make inaccessible or return by
 * `asOf` (record-states.ts): the sweep applies these, as it destroys what is
 * due for destruction — holds and keep decisions respected alike.
 */
export function dueForAction(eb: RecordRow, asOf: string): Expression<SqlBool> {
  return eb.and([
    eb('case_record.retention_status', '=', 'scheduled'),
    eb('case_record.retention_action', 'in', [...appliedActions]),
    eb('case_record.retention_needs_review', '=', false),
    eb('case_record.retention_due', '<=', asOf),
    eb('case_record.record_state', '=', 'active'),
    notHeld(eb),
    notKeptBeyond(eb, asOf),
  ]);
}
