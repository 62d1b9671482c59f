import { sql, type Kysely } from 'kysely';

/**
 * Statutory returns (issue 17; docs/decisions/0043): each production of a
 * return is a disclosure to a government department, recorded with who
 * produced it, for which collection year, under which basis, the file's
 * hash and its counts, and which records it was read from (so a subject
 * access request or a correction can find every return a child was in).
 * Ids and codes only: the file itself is not kept here (its retention is a
 * policy question the docs leave open).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table statutory_return (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      kind text not null check (kind in ('cin-census')),
      collection_year integer not null check (collection_year between 2000 and 2100),
      reference_date date not null,
      produced_by uuid not null references account(id),
      produced_at timestamptz not null default now(),
      recipient_id text not null,
      purpose text not null,
      lawful_basis text not null,
      file_sha256 text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
      children integer not null check (children >= 0),
      errors integer not null check (errors >= 0),
      queries integer not null check (queries >= 0)
    );
    create index statutory_return_organisation on statutory_return(organisation_id, kind, collection_year);

    create table statutory_return_record (
      return_id uuid not null references statutory_return(id) on delete cascade,
      record_id uuid not null references case_record(id) on delete cascade,
      primary key (return_id, record_id)
    );
    create index statutory_return_record_record on statutory_return_record(record_id);
  `.execute(db);
}
