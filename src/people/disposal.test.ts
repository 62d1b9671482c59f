import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import type { ScratchDatabase } from '../db/scratch.js';
import { personTables } from './disposal.js';

let database: ScratchDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

/**
 * Destroying a person must reach every row about them. This compares the
 * database's own foreign keys to `person` with what destruction handles, so
 * a new table about people cannot be forgotten.
 */
describe('destroying a person', () => {
  it('handles every table that refers to a person', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select kcu.table_name, kcu.column_name
      from information_schema.referential_constraints rc
      join information_schema.key_column_usage kcu
        on kcu.constraint_name = rc.constraint_name and kcu.constraint_schema = rc.constraint_schema
      join information_schema.constraint_column_usage ccu
        on ccu.constraint_name = rc.unique_constraint_name and ccu.constraint_schema = rc.unique_constraint_schema
      where ccu.table_name = 'person' and rc.constraint_schema = current_schema()
      order by 1, 2`.execute(
      // information_schema shows a constraint's columns to the tables' owner only.
      database.owner,
    );
    const handled = new Set([
      ...personTables.map((t) => `${t}.person_id`),
      'person.merged_into_id',
      'person_relationship.person_id',
      'person_relationship.related_person_id',
      'person_merge.survivor_id',
      'person_merge.merged_id',
      // Parties go with their record first: a person is destroyed only once in no record.
      'record_party.person_id',
      // Migration 0016: restrictions and holds on the person go with them
      // (on delete cascade); a rights request keeps its own copy of the
      // subject's details and forgets the link (on delete set null). These
      // keys also hold the row's organisation, to name only its own people.
      'restriction.person_id',
      'restriction.organisation_id',
      'retention_hold.person_id',
      'retention_hold.organisation_id',
      'rights_request.subject_person_id',
      'rights_request.organisation_id',
      // Migration 0021: a breach's link to a person it affected goes with the
      // person (on delete cascade); the breach keeps its own approximate
      // counts of people and records, so the register stays whole.
      'breach_subject.person_id',
      'breach_subject.organisation_id',
      // Migrations 0050–0051 (people/disposal.ts): import rows matched to the
      // person are deleted with them, their facts by cascade; a row only
      // proposed as a match loses the proposal (set null); "not the same
      // person" decisions go by cascade.
      'intake_row.person_id',
      'intake_row.candidate_person_id',
      'intake_fact.person_id',
      'person_not_duplicate.person_a',
      'person_not_duplicate.person_b',
    ]);
    // The catalogue query itself works: the people tables are found.
    expect(rows.length).toBeGreaterThan(8);
    const unhandled = rows
      .map((r) => `${r.table_name}.${r.column_name}`)
      .filter((c) => !handled.has(c));
    expect(unhandled).toEqual([]);
  });
});
