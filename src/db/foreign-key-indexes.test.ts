import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import type { ScratchDatabase } from './scratch.js';

/**
 * Destroying a record or a person (the retention sweep: 100,000 at a time
 * at county scale) makes PostgreSQL look, for each row, in every table whose
 * foreign key refers to it. Without an index leading with the referring
 * column that look reads the whole table, once per row destroyed. Every
 * such key has one, not led by organisation_id (which matches a whole
 * organisation's rows) and covering every row that can refer — a partial
 * index on active rows cannot serve the look, one on "column is not null"
 * can.
 * Decision 0055, migration 0083.
 */
let database: ScratchDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe('foreign keys to records and people', () => {
  it('each has an index that finds the referring rows of one record or person', async () => {
    const { rows } = await sql<{ referrer: string; constraint_name: string }>`
      select c.conrelid::regclass::text as referrer, c.conname as constraint_name
      from pg_constraint c
      where c.contype = 'f'
        and c.confrelid in ('case_record'::regclass, 'person'::regclass)
        and not exists (
          select 1 from pg_index i
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
          where i.indrelid = c.conrelid
            and i.indkey[0] = any (c.conkey) and a.attname <> 'organisation_id'
            and (i.indpred is null
              or pg_get_expr(i.indpred, i.indrelid) = '(' || a.attname || ' IS NOT NULL)'))
      order by 1, 2`.execute(database.db);
    expect(rows).toEqual([]);
  });

  it('there are such keys to check (the query sees the schema)', async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_constraint
      where contype = 'f' and confrelid in ('case_record'::regclass, 'person'::regclass)`.execute(
      database.db,
    );
    expect(rows[0]?.n).toBeGreaterThan(30);
  });
});
