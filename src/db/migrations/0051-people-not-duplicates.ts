import { sql, type Kysely } from 'kysely';

/**
 * `person_not_duplicate` (issue 15, the duplicate-people job): two people a
 * member of staff looked at side by side and said are not one person, so
 * the job stops listing them. The earlier id first, one row per pair.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_not_duplicate (
      organisation_id uuid not null references organisation(id),
      person_a uuid not null references person(id) on delete cascade,
      person_b uuid not null references person(id) on delete cascade,
      decided_by uuid references account(id),
      decided_at timestamptz not null default now(),
      primary key (person_a, person_b),
      check (person_a < person_b)
    );
    create index person_not_duplicate_organisation on person_not_duplicate (organisation_id);
  `.execute(db);
}
