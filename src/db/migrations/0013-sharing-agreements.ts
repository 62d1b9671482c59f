import { sql, type Kysely } from 'kysely';

/**
 * Sharing agreements become managed data (issue 6): information governance
 * creates, edits, reviews and ends them, and every change is a new version.
 * A disclosure names the version it relied on, so it still shows the terms
 * of the day even after the agreement changes (docs/decisions/0006).
 * Disclosure items can also be single fields of a record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table sharing_agreement
      add column lead_organisation_id uuid references organisation(id),
      add column version integer not null default 1 check (version > 0),
      add column last_reviewed_on date,
      add column last_reviewed_by uuid references account(id),
      add column ended_on date,
      add column ended_by uuid references account(id),
      add column end_reason text,
      add column updated_at timestamptz not null default now();

    -- Agreements seeded before this migration are led by their first party.
    update sharing_agreement
      set lead_organisation_id = (
        select id from organisation where slug = sharing_agreement.party_organisations[1]
      );
    alter table sharing_agreement alter column lead_organisation_id set not null;
    alter table sharing_agreement add check ((ended_on is null) = (end_reason is null));

    -- Every version of an agreement's terms, as it stood: what a disclosure
    -- relied on stays readable after the agreement is edited or ended.
    create table sharing_agreement_version (
      agreement_id uuid not null references sharing_agreement(id),
      version integer not null check (version > 0),
      change text not null check (change in ('created', 'edited', 'reviewed', 'ended')),
      -- Null only for agreements seeded before they were managed here.
      changed_by uuid references account(id),
      changed_at timestamptz not null,
      title text not null,
      party_organisations text[] not null,
      external_recipients text[] not null,
      purposes text[] not null,
      data_categories text[] not null,
      lawful_bases text[] not null,
      special_conditions text[] not null,
      review_date date not null,
      last_reviewed_on date,
      ended_on date,
      end_reason text,
      primary key (agreement_id, version)
    );
    insert into sharing_agreement_version (
      agreement_id, version, change, changed_by, changed_at, title, party_organisations,
      external_recipients, purposes, data_categories, lawful_bases, special_conditions,
      review_date
    )
    select id, 1, 'created', null, created_at, title, party_organisations,
      external_recipients, purposes, data_categories, lawful_bases, special_conditions,
      review_date
    from sharing_agreement;

    alter table disclosure add column agreement_version integer;
    update disclosure set agreement_version = 1 where agreement_id is not null;
    alter table disclosure
      add constraint disclosure_agreement_version
        foreign key (agreement_id, agreement_version)
        references sharing_agreement_version(agreement_id, version),
      add check ((agreement_id is null) = (agreement_version is null));

    -- Field items: one field of a record (a fact, a detail field, the
    -- subject's name or date of birth), named in "field"; item_id is the record.
    alter table disclosure_item add column field text not null default '';
    alter table disclosure_item drop constraint disclosure_item_pkey;
    alter table disclosure_item drop constraint disclosure_item_item_kind_check;
    alter table disclosure_item
      add primary key (disclosure_id, item_kind, item_id, field),
      add check (item_kind in ('record', 'note', 'document', 'field')),
      add check ((item_kind = 'field') = (field <> '')),
      add check (item_kind not in ('record', 'field') or item_id = record_id);
  `.execute(db);
}
