import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { prepareRepeatedStatements } from './prepared-statements.js';

/**
 * Repeated statements become prepared statements, one connection at a
 * time, without changing what any statement does (decision 0024). Needs a
 * real server: PGlite has no pool and no named statements to keep.
 */
const serverUrl = process.env.DATABASE_URL;
const onPostgres = serverUrl ? it : it.skip;

const pools: pg.Pool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

/** One connection, so that every query below runs on the same backend. */
function onePool(maxPerConnection = 256) {
  const pool = new pg.Pool({ connectionString: serverUrl, max: 1 });
  prepareRepeatedStatements(pool, { threshold: 2, maxPerConnection });
  pools.push(pool);
  return pool;
}

async function preparedTexts(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ statement: string }>(
    'select statement from pg_prepared_statements order by prepare_time',
  );
  return rows.map((r) => r.statement);
}

describe('prepared statements for repeated texts', () => {
  onPostgres('prepares a parameterised text on its second run, and answers as before', async () => {
    const pool = onePool();
    const text = 'select $1::int + 1 as n';
    expect((await pool.query(text, [1])).rows).toEqual([{ n: 2 }]);
    expect(await preparedTexts(pool)).toEqual([]);
    expect((await pool.query(text, [2])).rows).toEqual([{ n: 3 }]);
    expect((await pool.query(text, [41])).rows).toEqual([{ n: 42 }]);
    expect(await preparedTexts(pool)).toEqual([text]);
  });

  onPostgres(
    'never prepares a text without parameters, which may hold several commands',
    async () => {
      const pool = onePool();
      for (let i = 0; i < 3; i += 1) await pool.query('select 1; select 2');
      expect(await preparedTexts(pool)).toEqual([]);
    },
  );

  onPostgres('keeps at most the given number a connection, and runs the rest unnamed', async () => {
    const pool = onePool(2);
    const texts = ['select $1::int as a', 'select $1::int as b', 'select $1::int as c'];
    for (const text of texts) {
      for (let i = 0; i < 3; i += 1) expect((await pool.query(text, [i])).rows).toHaveLength(1);
    }
    expect(await preparedTexts(pool)).toEqual(texts.slice(0, 2));
    expect((await pool.query('select $1::int as c', [7])).rows).toEqual([{ c: 7 }]);
  });

  onPostgres(
    'a prepared statement that fails leaves the connection and the statement usable',
    async () => {
      const pool = onePool();
      const text = 'select 10 / $1::int as q';
      await pool.query(text, [5]);
      expect((await pool.query(text, [2])).rows).toEqual([{ q: 5 }]);
      await expect(pool.query(text, [0])).rejects.toThrow(/division by zero/);
      expect((await pool.query(text, [1])).rows).toEqual([{ q: 10 }]);
    },
  );

  onPostgres(
    'a table whose shape changed under a prepared select * fails once, then is read afresh',
    async () => {
      // Checked out: pool.query would drop a connection that answered an error.
      const client = await onePool().connect();
      try {
        await client.query('create temporary table shape (a int)');
        await client.query('insert into shape values (1)');
        const text = 'select * from shape where a = $1';
        await client.query(text, [1]);
        expect((await client.query(text, [1])).rows).toEqual([{ a: 1 }]);
        await client.query('alter table shape add column b int');
        await expect(client.query(text, [1])).rejects.toThrow(
          /cached plan must not change result type/,
        );
        expect((await client.query(text, [1])).rows).toEqual([{ a: 1, b: null }]);
        expect((await client.query(text, [1])).rows).toEqual([{ a: 1, b: null }]);
      } finally {
        client.release();
      }
    },
  );

  onPostgres("the app's own pool prepares what it repeats", async () => {
    const database = await testDatabase();
    try {
      const prepared = await database.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 3; i += 1) {
          await trx
            .selectFrom('organisation')
            .select('slug')
            .where('slug', '=', 'kent-scs')
            .execute();
        }
        const { rows } = await sql<{
          statement: string;
        }>`select statement from pg_prepared_statements`.execute(trx);
        return rows.map((r) => r.statement);
      });
      expect(prepared).toContain('select "slug" from "organisation" where "slug" = $1');
    } finally {
      await database.close();
    }
  });
});
