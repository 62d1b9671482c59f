import { sql, type Kysely } from 'kysely';

/**
 * People (issue 3): names with history, dates of birth that may be unknown
 * or approximate, addresses, contacts, identifiers, relationships, and the
 * special category and criminal offence data that UK GDPR Art 9 and Art 10
 * say must be handled apart. Plus what merging two entries needs to be
 * undone exactly.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Test files migrate their own schemas at the same time on one server, and
  // CREATE EXTENSION IF NOT EXISTS is not safe against a concurrent twin: one
  // waits here for the other to commit, then finds the extension there.
  await sql`select pg_advisory_xact_lock(7261002)`.execute(db);
  // In public, which every connection's search_path includes (tests put their
  // own schema first): an extension exists once per database, not per schema.
  await sql`
    create extension if not exists pg_trgm schema public;
    create extension if not exists fuzzystrmatch schema public;
  `.execute(db);

  await sql`
    alter table person
      add column version integer not null default 1,
      -- How much of date_of_birth is known: 'exact', or only the 'month' or
      -- 'year' (stored as the 1st of it), or an 'estimated' date. Null date
      -- of birth means not known at all.
      add column date_of_birth_precision text
        check (date_of_birth_precision in ('exact', 'month', 'year', 'estimated')),
      add column date_of_death date,
      add column gender text check (gender in ('female', 'male', 'other', 'not-known')),
      add column merged_into_id uuid references person(id),
      add column updated_at timestamptz not null default now();
    -- Dates of birth already held were entered as exact dates.
    update person set date_of_birth_precision = 'exact' where date_of_birth is not null;
    alter table person
      add constraint person_precision_needs_date
        check ((date_of_birth is null) = (date_of_birth_precision is null)),
      add constraint person_not_merged_into_self check (merged_into_id <> id);
    create index person_organisation_birth on person(organisation_id, date_of_birth);
    -- Approximate dates of birth are matched by their precision (people/store.ts birthMatches).
    create index person_organisation_birth_precision
      on person(organisation_id, date_of_birth_precision, date_of_birth);
    create index person_merged_into on person(merged_into_id) where merged_into_id is not null;

    -- Every name a person is or was known by, the current one included, so
    -- that one index finds them all. organisation_id is copied from person so
    -- the search indexes can narrow to one controller first.
    create table person_name (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      organisation_id uuid not null references organisation(id),
      kind text not null check (kind in ('current', 'previous', 'alias')),
      given_name text not null,
      family_name text not null,
      from_date date,
      to_date date,
      search_text text generated always as (lower(given_name || ' ' || family_name)) stored,
      given_metaphone text generated always as (dmetaphone(given_name)) stored,
      family_metaphone text generated always as (dmetaphone(family_name)) stored,
      created_at timestamptz not null default now(),
      check (to_date is null or from_date is null or to_date >= from_date)
    );
    create index person_name_person on person_name(person_id);
    create index person_name_trgm on person_name using gin (search_text gin_trgm_ops);
    create index person_name_family_trgm on person_name using gin (lower(family_name) gin_trgm_ops);
    create index person_name_metaphone on person_name(organisation_id, family_metaphone);
    create index person_name_given_metaphone on person_name(organisation_id, given_metaphone);

    create table person_address (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      line1 text not null,
      line2 text,
      town text,
      -- Normalised by validatePostcode: upper case, one space before the inward code.
      postcode text,
      from_date date,
      to_date date,
      created_at timestamptz not null default now(),
      check (to_date is null or from_date is null or to_date >= from_date)
    );
    create index person_address_person on person_address(person_id);

    create table person_contact (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      kind text not null check (kind in ('phone', 'email', 'other')),
      value text not null,
      created_at timestamptz not null default now()
    );
    create index person_contact_person on person_contact(person_id);

    -- One person per identifier within an organisation: two entries with the
    -- same NHS number are one person, so the second is refused.
    create table person_identifier (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      organisation_id uuid not null references organisation(id),
      type text not null
        check (type in ('nhs-number', 'upn', 'home-office-reference', 'port-reference')),
      value text not null,
      created_at timestamptz not null default now(),
      unique (organisation_id, type, value)
    );
    create index person_identifier_person on person_identifier(person_id);

    -- SPECIAL CATEGORY DATA (UK GDPR Art 9): kept out of person and read only
    -- through its own audited path, so that nothing shows it by accident.
    create table person_special_category (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      characteristic text not null check (characteristic in (
        'ethnicity', 'disability', 'religion-or-belief', 'sexual-orientation',
        'marriage-or-civil-partnership', 'gender-reassignment', 'health',
        'drug-and-alcohol-use')),
      value text not null,
      recorded_on date,
      created_at timestamptz not null default now()
    );
    create index person_special_category_person on person_special_category(person_id);

    -- CRIMINAL OFFENCE DATA (UK GDPR Art 10, DPA 2018 s11(2)): kept apart too.
    create table person_offence_data (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      kind text not null check (kind in ('legal-status', 'proceedings', 'caution', 'conviction')),
      description text not null,
      occurred_on date,
      created_at timestamptz not null default now()
    );
    create index person_offence_data_person on person_offence_data(person_id);

    create table person_relationship (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      person_id uuid not null references person(id),
      related_person_id uuid not null references person(id),
      type text not null
        check (type in ('family', 'extended-family', 'friend', 'carer', 'professional')),
      -- How the related person stands to the person, e.g. "mother", "GP".
      description text,
      from_date date,
      to_date date,
      created_at timestamptz not null default now(),
      check (person_id <> related_person_id)
    );
    create index person_relationship_person on person_relationship(person_id);
    create index person_relationship_related on person_relationship(related_person_id);

    -- A merge folds "merged" into "survivor". Each row it changed is listed in
    -- person_merge_item, so that undoing puts back exactly what was there.
    create table person_merge (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      survivor_id uuid not null references person(id),
      merged_id uuid not null references person(id),
      merged_by uuid not null references account(id),
      merged_at timestamptz not null default now(),
      undone_by uuid references account(id),
      undone_at timestamptz
    );
    create index person_merge_survivor on person_merge(survivor_id);
    create index person_merge_merged on person_merge(merged_id);

    create table person_merge_item (
      id uuid primary key default gen_random_uuid(),
      merge_id uuid not null references person_merge(id),
      table_name text not null,
      -- 'moved': the row's column pointed at merged and now at survivor
      -- (detail: column, and anything else changed with its old value).
      -- 'removed': the row could not move (it would duplicate one the survivor
      -- has, or relate the survivor to itself); detail holds the whole row.
      action text not null check (action in ('moved', 'removed')),
      row_key jsonb not null,
      detail jsonb not null default '{}'
    );
    create index person_merge_item_merge on person_merge_item(merge_id);

  `.execute(db);

  // Everyone already held gets their current name in person_name.
  await sql`
    insert into person_name (person_id, organisation_id, kind, given_name, family_name)
    select id, organisation_id, 'current', given_name, family_name from person;
  `.execute(db);
}
