import { sql, type Kysely } from 'kysely';

/**
 * Statutory returns kept and made in the background (issue 17).
 *
 * - The produced file itself (census XML, SSDA903 zip, Annex A workbook),
 *   kept with the record of the return for the period the policy sets
 *   (policy/retention-actions.ts, `statutoryReturnFileRetentionFor`), in
 *   the database as bytea like a record's documents (0003), so a backup
 *   holds it and the sweep destroys it in the same transaction as its
 *   disposal certificate. In a table of its own, so listing returns never
 *   reads the bytes. When the sweep destroys it, the return's row stays
 *   (the disclosure is still a fact) and says when the file went.
 * - Jobs: a return made from the page runs after the page answers; the job
 *   row holds its progress, who asked, and the return it made. No personal
 *   data: counts, steps and ids only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table statutory_return
      add column file_name text,
      add column media_type text,
      add column file_destroyed_at timestamptz;

    create table statutory_return_file (
      return_id uuid primary key references statutory_return(id) on delete cascade,
      content bytea not null
    );

    alter table disposal_certificate
      drop constraint disposal_certificate_item_kind_check,
      add constraint disposal_certificate_item_kind_check check (item_kind in ('case-record',
        'training-booking', 'survey', 'partnership-meeting', 'person', 'rights-request',
        'statutory-return-file'));

    create table statutory_return_job (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      requested_by uuid not null references account(id),
      kind text not null check (kind in ('cin-census', 'ssda903', 'annex-a')),
      collection_year integer check (collection_year between 2000 and 2100),
      as_of date,
      status text not null default 'waiting'
        check (status in ('waiting', 'running', 'made', 'refused', 'failed')),
      step text not null default 'waiting',
      steps_done integer not null default 0 check (steps_done >= 0),
      steps_total integer not null default 3 check (steps_total > 0),
      errors integer check (errors >= 0),
      return_id uuid references statutory_return(id) on delete set null,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index statutory_return_job_organisation on statutory_return_job(organisation_id, created_at);
  `.execute(db);
}
