import { sql, type Kysely } from 'kysely';

/**
 * `looked_after_outcome`: dated facts about a looked-after child's health and
 * education (issue 12 item 8; Kent SCS notice 001 and decision 0029) — a
 * health assessment, a dental check, a strengths and difficulties
 * questionnaire (SDQ) with its total score 0–40, a personal education plan
 * review. Typed so that "up to date" can be asked of them; gone with the
 * record (on delete cascade).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table looked_after_outcome (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references case_record(id) on delete cascade,
      kind text not null check (kind in ('health-assessment', 'dental-check', 'sdq', 'pep-review')),
      occurred_on date not null,
      -- the SDQ total difficulties score; only for an SDQ, and then required
      sdq_score integer check (sdq_score between 0 and 40),
      note text not null default '' check (length(note) <= 2000),
      recorded_by uuid not null references account(id),
      recorded_at timestamptz not null default now(),
      check ((kind = 'sdq') = (sdq_score is not null))
    );
    create index looked_after_outcome_record on looked_after_outcome (record_id, occurred_on desc);
  `.execute(db);
}
