import { sql, type Kysely } from 'kysely';

/**
 * Indexes on the columns that refer to an import's rows and people
 * (migration 0050 indexed none of them). PostgreSQL checks a foreign key
 * on delete by looking up the referring rows, for each row deleted: with no
 * index that is a scan of the whole referring table each time. Importing a
 * file again (idempotent: its rows, all already held, are deleted) deleted
 * every new row of the job with a scan of every fact ever imported, so a
 * repeated 50,000-row file took time in the square of the imports held; and
 * deleting a person (disposal, an undone creation) scanned every import row
 * twice (person_id, candidate_person_id are set null).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index intake_fact_row on intake_fact (row_id);
    create index intake_row_person on intake_row (person_id) where person_id is not null;
    create index intake_row_candidate on intake_row (candidate_person_id)
      where candidate_person_id is not null;
  `.execute(db);
}
