import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropPostgresDatabase, openScratchDatabase } from './scratch.js';

/**
 * `safekeep bench --keep-database NAME` fills a database with a million
 * synthetic people and keeps it. It must never do that to a database it did
 * not make: named after a live one by mistake, it would mix synthetic people
 * into real records. Needs a real server: PGlite has no other databases.
 */
const serverUrl = process.env.DATABASE_URL;
const onPostgres = serverUrl ? it : it.skip;

const made: string[] = [];
afterAll(async () => {
  for (const name of made) await dropPostgresDatabase(serverUrl ?? '', name);
});

function newName(): string {
  const name = `safekeep_kept_test_${randomBytes(4).toString('hex')}`;
  made.push(name);
  return name;
}

async function schemasOf(name: string): Promise<string[]> {
  const url = new URL(serverUrl ?? '');
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname not like 'pg\\_%' and nspname <> 'information_schema' order by 1",
    );
    return rows.map((r) => r.nspname);
  } finally {
    await client.end();
  }
}

describe('a kept benchmark database', () => {
  onPostgres('refuses a database the bench did not make, and leaves it as it was', async () => {
    const name = newName();
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    await expect(openScratchDatabase(serverUrl, { keep: name })).rejects.toThrow(
      `The database "${name}" was not made by the bench`,
    );
    expect(await schemasOf(name)).toEqual(['public']);
  });

  onPostgres('makes, marks and reopens a database of its own', async () => {
    const name = newName();
    const first = await openScratchDatabase(serverUrl, { keep: name });
    await first.close();
    const again = await openScratchDatabase(serverUrl, { keep: name });
    await again.close();
    expect(await schemasOf(name)).toEqual(['public', 'scratch']);
  });
});
