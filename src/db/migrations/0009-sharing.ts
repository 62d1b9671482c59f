import { sql, type Kysely } from 'kysely';

/**
 * Sharing with partners (issue 6; design.md principle 6): sharing
 * agreements as data, and every disclosure with its items, recipient,
 * purpose, agreement, lawful basis and consent. A disclosure to an
 * organisation inside Safekeep is a grant (read-only, until it expires or is
 * revoked); to anyone else it is a package, downloaded once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sharing_agreement (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      title text not null check (length(title) between 1 and 200),
      -- Parties inside Safekeep, by organisation slug.
      party_organisations text[] not null,
      -- Recipients outside Safekeep the agreement covers, by the policy
      -- recipient ids of the notices (src/policy/organisations).
      external_recipients text[] not null default '{}',
      purposes text[] not null check (cardinality(purposes) > 0),
      data_categories text[] not null check (cardinality(data_categories) > 0),
      -- Art 6 bases, e.g. '6(1)(e)'; Art 9 conditions the agreement allows.
      lawful_bases text[] not null check (cardinality(lawful_bases) > 0),
      special_conditions text[] not null default '{}',
      review_date date not null,
      created_at timestamptz not null default now()
    );

    create table disclosure (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      requested_by uuid not null references account(id),
      requested_at timestamptz not null,
      recipient_id text not null,
      recipient_name text not null check (length(recipient_name) between 1 and 200),
      -- Set: a grant to that organisation. Null: a package for outside.
      recipient_organisation_id uuid references organisation(id),
      purpose text not null,
      agreement_id uuid references sharing_agreement(id),
      lawful_basis text not null,
      special_condition text,
      consent text not null check (consent in ('given', 'refused', 'not-sought')),
      consent_reason text check (consent_reason in
        ('risk-to-child', 'cannot-be-obtained', 'not-reasonably-expected')),
      justification text,
      status text not null check (status in ('awaiting-approval', 'approved', 'refused', 'revoked')),
      approved_by uuid references account(id),
      approved_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz,
      revoked_by uuid references account(id),
      package_downloaded_at timestamptz,
      package_downloaded_by uuid references account(id),
      -- Not sought: one of the reasons the notices allow, recorded.
      check ((consent = 'not-sought') = (consent_reason is not null)),
      -- Outside every agreement: a written justification and a second person.
      check (agreement_id is not null or justification is not null),
      check (approved_by is null or approved_by <> requested_by),
      check ((recipient_organisation_id is null) or expires_at is not null)
    );
    create index disclosure_organisation on disclosure(organisation_id, requested_at desc);
    create index disclosure_recipient on disclosure(recipient_organisation_id)
      where recipient_organisation_id is not null;

    -- What was shared. Destroying a record removes its items (the log keeps
    -- the disclosure, which holds no copy of the record).
    create table disclosure_item (
      disclosure_id uuid not null references disclosure(id) on delete cascade,
      record_id uuid not null references case_record(id) on delete cascade,
      item_kind text not null check (item_kind in ('record', 'note', 'document')),
      item_id uuid not null,
      primary key (disclosure_id, item_kind, item_id)
    );
    create index disclosure_item_record on disclosure_item(record_id);
  `.execute(db);
}
