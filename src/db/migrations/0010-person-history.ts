import { sql, type Kysely } from 'kysely';

/**
 * Facts about a person keep their history (issue 4): a corrected date of
 * birth or death moves due dates, so what it was, what it became, who
 * changed it and when are kept — with the person, and destroyed with them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table person_change (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references person(id),
      version integer not null,
      field text not null,
      from_value text,
      to_value text,
      changed_by uuid not null references account(id),
      changed_at timestamptz not null default now()
    );
    create index person_change_person on person_change(person_id, changed_at);
  `.execute(db);
}
