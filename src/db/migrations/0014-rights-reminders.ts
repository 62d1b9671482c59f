import { sql, type Kysely } from 'kysely';

/**
 * Rights requests (issue 5), after review:
 *
 * - `rights_reminder`: what the daily job found needing attention on each
 *   day — a request overdue, due soon, or at the last day to tell the
 *   requester of an extension. One row per request, day and kind, so the
 *   job can run every hour (and on every replica) and record each once.
 *   Ids, dates and codes only: no requester or subject details.
 * - `rights_ncnd`: an access request answered "neither confirm nor deny",
 *   with the exemption relied on and why, chosen in review and approved by
 *   a second person with the rest of the response.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rights_reminder (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      request_id uuid not null references rights_request(id) on delete cascade,
      on_date date not null,
      kind text not null check (kind in ('overdue', 'due-soon', 'extension-notice')),
      due date not null,
      days_left integer not null,
      created_at timestamptz not null default now(),
      unique (request_id, on_date, kind)
    );
    create index rights_reminder_day on rights_reminder(organisation_id, on_date);

    create table rights_ncnd (
      request_id uuid primary key references rights_request(id) on delete cascade,
      ground text not null,
      reason text not null check (length(reason) between 10 and 2000),
      decided_by uuid not null references account(id),
      decided_at timestamptz not null default now()
    );
  `.execute(db);
}
