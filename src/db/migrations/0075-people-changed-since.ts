import { sql, type Kysely } from 'kysely';

/**
 * Indexes for "the people of an organisation changed since" (issue 15,
 * src/intake/people-changed.ts): an import job asks it before each chunk
 * of 2,000 rows, so that it matches its rows against people added or
 * changed while it runs. Without them each look is a scan of every person,
 * name, identifier, address and change held, 25 times a 50,000-row file.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index person_organisation_updated on person (organisation_id, updated_at);
    create index person_name_organisation_created on person_name (organisation_id, created_at);
    create index person_identifier_organisation_created
      on person_identifier (organisation_id, created_at);
    create index person_address_created on person_address (created_at);
    create index person_change_changed on person_change (changed_at);
  `.execute(db);
}
