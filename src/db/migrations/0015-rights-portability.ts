import { sql, type Kysely } from 'kysely';

/**
 * Data portability (UK GDPR Art 20, issue 5): the training bookings and
 * newsletter subscriptions a person confirmed, from what discovery found,
 * as the subject's. Confirmed before review so the second person approves
 * exactly what the export will contain. Ids only: the rows they name may
 * later be erased, and nothing they said is copied here.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rights_portable_item (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null references rights_request(id) on delete cascade,
      source text not null check (source in ('training-booking', 'newsletter-subscriber')),
      item_id uuid not null,
      confirmed_by uuid not null references account(id),
      confirmed_at timestamptz not null default now(),
      unique (request_id, source, item_id)
    );
  `.execute(db);
}
