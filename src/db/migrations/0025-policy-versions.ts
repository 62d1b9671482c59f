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
 *
 * `policy_change` is a change on its way to becoming a version: proposed by
 * information governance, previewed, approved by the DPO (another person:
 * checked here too), then applied — every record of the organisation
 * assessed again in batches, `applied_through` being the last record done
 * so that an interrupted run resumes where it stopped.
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
    create table policy_change (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation (id),
      document_text text not null,
      document jsonb not null,
      effective_from date not null,
      proposed_by uuid not null references account (id),
      proposed_at timestamptz not null default now(),
      approved_by uuid references account (id),
      approved_at timestamptz,
      version_id uuid references policy_version (id),
      applied_through uuid,
      records_recomputed integer not null default 0,
      applied_at timestamptz,
      constraint policy_change_second_person check (approved_by <> proposed_by),
      constraint policy_change_approval_whole check (
        (approved_by is null) = (approved_at is null)
        and (approved_by is null) = (version_id is null)),
      constraint policy_change_applied_after_approval check (applied_at is null or version_id is not null)
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
