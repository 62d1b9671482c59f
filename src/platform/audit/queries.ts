import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * The audit log's two questions that must stay fast at a year of events
 * (issue 16: 100 million; both under 100 ms, `npm run bench -- --only
 * audit`). Each is answered from one index per monthly partition (migration
 * 0070): "who saw this" from the GIN index on object_ids, "what did this
 * account see" from (actor_account_id, occurred_at) with only the months in
 * the window read.
 */

/** "Who has seen this record": the newest events naming the object, newest first. */
export function eventsAbout(db: Kysely<Database>, objectId: string, limit = 1000) {
  return (
    db
      .selectFrom('audit_event')
      .leftJoin('account', 'account.id', 'audit_event.actor_account_id')
      .select([
        'audit_event.occurred_at',
        'audit_event.action',
        'audit_event.purpose',
        'audit_event.outcome',
        'audit_event.actor_account_id',
        'account.display_name',
      ])
      .where(sql<boolean>`audit_event.object_ids @> array[${objectId}]::text[]`)
      // Newest first by time, then seq: no index gives this order, so the
      // planner finds the few matching events through the GIN index and sorts
      // them, rather than walking every month's primary key backwards hoping
      // to meet them (one run at a million events, on a busy machine, took
      // p95 1.5 s where another took 96 ms: a plan that depends on luck).
      .orderBy('audit_event.occurred_at', 'desc')
      .orderBy('audit_event.seq', 'desc')
      .limit(limit)
  );
}

/** "What did this account see": its successful events in the organisation between two times. */
export function eventsBy(
  db: Kysely<Database>,
  query: { organisationId: string; accountId: string; from: Date; to: Date },
) {
  return db
    .selectFrom('audit_event')
    .select('object_ids')
    .where('actor_account_id', '=', query.accountId)
    .where('organisation_id', '=', query.organisationId)
    .where('outcome', '=', 'success')
    .where('occurred_at', '>=', query.from)
    .where('occurred_at', '<', query.to);
}
