import { sql, type Kysely } from 'kysely';

/**
 * `person_consent`: a person's consent to a purpose their organisation's
 * policy says rests on consent (policy `consentPurposes`; issue 12 item 7,
 * Kent SCS: Open Access registration and events information "if you have
 * consented"). Captured with how it was given and where the evidence is;
 * withdrawn by setting the withdrawal columns, never by deleting, so the
 * history shows what was done while consent stood. A rights request that
 * withdrew it is named. At most one standing consent per person and purpose.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_consent (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisation(id),
      person_id uuid not null references person(id) on delete cascade,
      purpose text not null check (length(purpose) between 1 and 80),
      given_on date not null,
      given_how text not null check (given_how in ('in-writing', 'spoken', 'online', 'at-a-meeting')),
      evidence text not null check (length(evidence) between 1 and 500),
      recorded_by uuid not null references account(id),
      recorded_at timestamptz not null default now(),
      withdrawn_on date,
      withdrawn_how text check (withdrawn_how in ('in-writing', 'spoken', 'online', 'at-a-meeting', 'rights-request', 'objection-to-direct-marketing')),
      withdrawn_by uuid references account(id),
      withdrawn_request_id uuid references rights_request(id) on delete set null,
      check ((withdrawn_on is null) = (withdrawn_how is null)),
      check (withdrawn_on is null or withdrawn_on >= given_on)
    );
    create unique index person_consent_standing
      on person_consent (person_id, purpose) where withdrawn_on is null;
    create index person_consent_purpose
      on person_consent (organisation_id, purpose) where withdrawn_on is null;
  `.execute(db);
}
