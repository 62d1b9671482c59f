import { sql, type Kysely } from 'kysely';

/**
 * "What did this account see" (audit/queries.ts eventsBy) answered from the
 * index alone (issue 16: under 100 ms at 100 million events; decision 0057).
 *
 * The index on (actor_account_id, occurred_at) found an account's events in
 * a month in a few pages, but each event then cost a read of its own heap
 * page: an account's events are spread through the month among everyone
 * else's. Measured at 12 million events, 30 days of one account read 500
 * heap pages for 500 events; at a county's 100 million it would be about
 * 4,000 a question. With the columns the question filters on and returns
 * included in the index, PostgreSQL answers it by an index-only scan, reading
 * the few leaf pages that hold the account's month (once vacuum has marked
 * the month's pages all-visible, which it does soon after a month is full).
 *
 * Built on every monthly partition, as the index it replaces was. On a large
 * log this takes minutes and holds back inserts meanwhile (an index on a
 * partitioned table cannot be built concurrently): run it in a quiet hour.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index audit_event_actor_covering on audit_event (actor_account_id, occurred_at)
      include (organisation_id, outcome, object_ids);
    drop index audit_event_actor;
  `.execute(db);
}
