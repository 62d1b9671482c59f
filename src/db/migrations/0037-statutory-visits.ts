import { sql, type Kysely } from 'kysely';

/**
 * `statutory_visit`: a social worker's visit to a child on a child protection
 * plan, looked after, or in need (issue 13 item 5; decision 0029). Typed
 * columns rather than a note, because the visits due on "My work" are derived
 * from them (the last visit and the next visit due). Goes with its record:
 * destroying the record removes its visits (on delete cascade).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table statutory_visit (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references case_record(id) on delete cascade,
      visited_on date not null,
      child_seen boolean not null,
      -- null: not asked (the child was not seen)
      seen_alone boolean,
      -- null: not asked for this kind of record (child in need)
      bedroom_seen boolean,
      present text not null default '' check (length(present) <= 1000),
      wishes_and_feelings text not null default '' check (length(wishes_and_feelings) <= 8000),
      -- null only where no frequency applies (child in need) and none was set
      next_due_on date,
      recorded_by uuid not null references account(id),
      recorded_at timestamptz not null default now(),
      check (next_due_on is null or next_due_on > visited_on),
      check (child_seen or seen_alone is null)
    );
    create index statutory_visit_record on statutory_visit (record_id, visited_on desc);
  `.execute(db);
}
