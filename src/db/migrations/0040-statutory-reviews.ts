import { sql, type Kysely } from 'kysely';

/**
 * `statutory_review`: a child protection conference (initial or review) on a
 * plan, or a looked-after review (Care Planning, Placement and Case Review
 * (England) Regulations 2010, reg 33), recorded on the record (issue 13
 * item 2; decision 0031). Typed, because the next one due is derived from
 * them. Goes with its record (on delete cascade).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table statutory_review (
      id uuid primary key default gen_random_uuid(),
      record_id uuid not null references case_record(id) on delete cascade,
      kind text not null check (kind in ('initial-conference', 'review-conference', 'looked-after-review')),
      held_on date not null,
      -- a conference's decision; null for a looked-after review
      decision text check (decision in ('plan-made', 'no-plan', 'plan-continued', 'plan-ended')),
      child_participated boolean not null,
      chair text not null default '' check (length(chair) <= 200),
      summary text not null check (length(summary) between 1 and 8000),
      recorded_by uuid not null references account(id),
      recorded_at timestamptz not null default now(),
      check ((kind = 'looked-after-review') = (decision is null))
    );
    create index statutory_review_record on statutory_review (record_id, held_on desc);
  `.execute(db);
}
