import { sql, type Kysely } from 'kysely';

/**
 * Destroying a record or a person makes PostgreSQL look, for each row, in
 * every table whose foreign key refers to it (to refuse, cascade or clear).
 * Where no index leads with the referring column that look reads the whole
 * table, once per destroyed row: a sweep of 100,000 records read these
 * tables 100,000 times over. Each had only an index on active rows (a
 * partial index, which such a look cannot use) or none. Decision 0055.
 *
 * - restriction: by person and by record, lifted or not (on delete cascade);
 * - retention_hold: by person, released or not (on delete cascade);
 * - rights_request: by subject (on delete set null);
 * - person_not_duplicate: by its second person (its key leads with the first);
 * - person_consent: by person, withdrawn or not (on delete cascade).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index restriction_person on restriction (person_id);
    create index restriction_record on restriction (record_id);
    create index retention_hold_person on retention_hold (person_id);
    create index rights_request_subject on rights_request (subject_person_id);
    create index person_not_duplicate_second on person_not_duplicate (person_b);
    create index person_consent_person on person_consent (person_id);
  `.execute(db);
}
