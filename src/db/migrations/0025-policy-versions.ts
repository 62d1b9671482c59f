import { sql, type Kysely } from 'kysely';

/**
 * Each organisation's policy as numbered versions (issue 11 "Policy as
 * versioned data"; docs/decisions/0016-policy-as-documents.md). A version
 * holds the whole document, as written (`document_text`, for people) and as
 * validated (`document`, for the service), and the date it takes effect.
 * Versions are never changed or deleted: every one stays readable.
 *
 * A change is proposed by one person and approved by another (the DPO): the
 * database refuses a version whose proposer approved it. Version 1 of a
 * shipped organisation is seeded from its file at start-up and of an added
 * one by `safekeep organisation add`: neither has a person behind it, so
 * both may be null, but never the same account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table policy_version (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      version integer not null check (version >= 1),
      document_text text not null,
      document jsonb not null,
      effective_from date not null,
      proposed_by uuid references account (id),
      approved_by uuid references account (id),
      created_at timestamptz not null default now(),
      unique (organisation_id, version),
      constraint policy_version_second_person
        check (proposed_by is null or approved_by is null or proposed_by <> approved_by),
      -- The document is the organisation's own: its slug is inside it.
      constraint policy_version_document_is_object check (jsonb_typeof(document) = 'object')
    )
  `.execute(db);
  await sql`
    create function policy_version_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'policy versions are never changed or deleted; add a new version'
        using errcode = 'P0001';
    end $$
  `.execute(db);
  await sql`
    create trigger policy_version_immutable before update or delete on policy_version
      for each row execute function policy_version_immutable()
  `.execute(db);
}
