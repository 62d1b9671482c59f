import { sql, type Kysely } from 'kysely';

/**
 * Data protection complaints (issue 11; DPA 2018 s.164A, decision record
 * 0018):
 *
 * - `complaint`: one complaint to the organisation as controller, from the
 *   public form or recorded by staff for a caller, with its 30-day
 *   acknowledgement clock (stored, computed by governance/complaints/clock.ts
 *   in the same transaction as the date it depends on) and its outcome.
 *   `reference` is the words the complainant was given to read out.
 * - `complaint_entry`: what happened since — internal investigation notes,
 *   and progress updates sent to the complainant (when, how, what was said).
 * - `complaint_link`: what a complaint is about inside Safekeep. One row per
 *   link, with one nullable column per kind of target and a `target_kind`
 *   saying which is set: today a rights request; a breach is added later
 *   by adding `breach_id` and widening the two checks, without touching the
 *   rows already here. The composite key keeps each link inside the
 *   complaint's own organisation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table complaint (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      reference text not null check (reference ~ '^[a-z]+-[a-z]+-[0-9]{2}$'),
      channel text not null check (channel in
        ('web-form', 'email', 'letter', 'phone', 'in-person', 'other')),
      received_on date not null,
      acknowledge_by date not null check (acknowledge_by = received_on + 29),

      complainant_name text not null check (length(complainant_name) between 1 and 200),
      contact_email text check (length(contact_email) <= 320),
      contact_postal text check (length(contact_postal) <= 1000),
      contact_phone text check (length(contact_phone) <= 40),
      about text not null check (length(about) between 1 and 10000),
      their_reference text check (length(their_reference) <= 100),
      on_behalf_of_name text check (length(on_behalf_of_name) <= 200),
      on_behalf_relationship text check (length(on_behalf_relationship) <= 200),

      state text not null check (state in ('received', 'acknowledged', 'closed')),
      acknowledged_on date,
      acknowledged_via text check (acknowledged_via in ('email', 'letter', 'phone', 'in-person')),
      acknowledged_by uuid references account(id),
      outcome text check (outcome in ('upheld', 'partly-upheld', 'not-upheld', 'withdrawn')),
      findings text check (length(findings) <= 10000),
      actions text check (length(actions) <= 10000),
      closed_on date,
      closed_by uuid references account(id),

      -- Null when the complainant used the public form themselves.
      recorded_by uuid references account(id),
      created_at timestamptz not null default now(),
      version integer not null default 1,

      unique (organisation_id, reference),
      constraint complaint_id_organisation unique (id, organisation_id),
      -- s.164A(4)(b): a complaint must be answerable, so at least one way back.
      check (coalesce(contact_email, contact_postal, contact_phone) is not null),
      check ((state = 'received') = (acknowledged_on is null)),
      check ((acknowledged_on is null) = (acknowledged_via is null)),
      check ((state = 'closed') = (closed_on is not null)),
      check ((closed_on is null) = (outcome is null)),
      check (acknowledged_on is null or acknowledged_on >= received_on),
      check (closed_on is null or closed_on >= acknowledged_on)
    );
    create index complaint_open on complaint(organisation_id, state, acknowledge_by);
    create index complaint_received on complaint(organisation_id, received_on);

    create table complaint_entry (
      id uuid primary key default gen_random_uuid(),
      complaint_id uuid not null,
      organisation_id uuid not null,
      kind text not null check (kind in ('note', 'progress-update')),
      body text not null check (length(body) between 1 and 10000),
      -- A progress update: the day it was sent and how; a note has neither.
      sent_on date,
      sent_via text check (sent_via in ('email', 'letter', 'phone', 'in-person')),
      recorded_by uuid not null references account(id),
      created_at timestamptz not null default now(),
      foreign key (complaint_id, organisation_id)
        references complaint (id, organisation_id) on delete cascade,
      check ((kind = 'progress-update') = (sent_on is not null)),
      check ((sent_on is null) = (sent_via is null))
    );
    create index complaint_entry_complaint on complaint_entry(complaint_id, created_at);

    alter table rights_request
      add constraint rights_request_id_organisation unique (id, organisation_id);

    create table complaint_link (
      id uuid primary key default gen_random_uuid(),
      complaint_id uuid not null,
      organisation_id uuid not null,
      target_kind text not null check (target_kind in ('rights-request')),
      rights_request_id uuid,
      linked_by uuid not null references account(id),
      created_at timestamptz not null default now(),
      foreign key (complaint_id, organisation_id)
        references complaint (id, organisation_id) on delete cascade,
      foreign key (rights_request_id, organisation_id)
        references rights_request (id, organisation_id) on delete cascade,
      -- Exactly the column its kind names is set.
      check ((target_kind = 'rights-request') = (rights_request_id is not null)),
      unique (complaint_id, rights_request_id)
    );
  `.execute(db);
}
