import { sql, type Kysely } from 'kysely';

/**
 * `research_extract` (issue 14; decision 0034): a pseudonymised extract for
 * research or statistics — its purpose, the question, the fields chosen and
 * k — requested by information governance and approved by a second person
 * there. The key its pseudonyms are made with is created at approval and
 * held here, readable only through governance's pages, so two extracts
 * cannot be joined. What the k-anonymity check did is kept with it; the
 * rows are not (they are built again, and checked again, at each download).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table research_extract (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      purpose text not null,
      question text not null check (length(question) between 1 and 500),
      fields jsonb not null,
      k integer not null check (k >= 2),
      requested_by uuid not null references account(id),
      requested_at timestamptz not null default now(),
      approved_by uuid references account(id),
      approved_at timestamptz,
      pseudonym_key bytea,
      report jsonb,
      check ((approved_by is null) = (pseudonym_key is null)),
      check (approved_by is null or approved_by <> requested_by)
    );
    create index research_extract_organisation on research_extract(organisation_id, requested_at desc);
  `.execute(db);
}
