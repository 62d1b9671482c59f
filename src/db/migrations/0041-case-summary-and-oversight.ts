import { sql, type Kysely } from 'kysely';

/**
 * Structured recording on a record (issue 13 item 5; decision 0032):
 *
 * - `case_summary`: the case's current plan, its risks and its key people.
 *   Every save is a new row — the latest is the summary, the rest its
 *   history — so what the record said on a day can be shown.
 * - `oversight_note`: a team manager's management oversight: the direction
 *   given, and when the case is next to be looked at.
 *
 * Both go with their record (on delete cascade).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table case_summary (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references case_record(id) on delete cascade,
      current_plan text not null check (length(current_plan) between 1 and 8000),
      risks text not null check (length(risks) between 1 and 8000),
      key_people text not null default '' check (length(key_people) <= 4000),
      recorded_by uuid not null references account(id),
      recorded_at timestamptz not null default now()
    );
    create index case_summary_record on case_summary (record_id, recorded_at desc);
    create table oversight_note (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references case_record(id) on delete cascade,
      given_on date not null,
      direction text not null check (length(direction) between 1 and 8000),
      next_review_on date,
      recorded_by uuid not null references account(id),
      recorded_at timestamptz not null default now(),
      check (next_review_on is null or next_review_on > given_on)
    );
    create index oversight_note_record on oversight_note (record_id, given_on desc);
  `.execute(db);
}
