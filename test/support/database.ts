import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import {
  openEmptyScratchDatabase,
  openScratchDatabase,
  type ScratchDatabase,
  type ScratchOptions,
} from '../../src/db/scratch.js';

/**
 * A database of the test's own: a fresh in-memory PGlite, or — when
 * DATABASE_URL is set — a fresh database on that PostgreSQL server, dropped
 * afterwards. Migrated and holding the reference data, nothing else. Each
 * starts from the run's migrated one (database-setup.ts).
 */
export async function testDatabase(options: ScratchOptions = {}): Promise<ScratchDatabase> {
  return openScratchDatabase(process.env.DATABASE_URL, {
    ...options,
    ...(await migrated()),
  });
}

/** The run's migrated database: on PGlite its dump, read once per test file. */
let migratedRead: Promise<Pick<ScratchOptions, 'pgliteSnapshot' | 'postgresTemplate'>> | undefined;
function migrated(): Promise<Pick<ScratchOptions, 'pgliteSnapshot' | 'postgresTemplate'>> {
  migratedRead ??= (async () => {
    const template = inject('postgresTemplate');
    if (process.env.DATABASE_URL) return template ? { postgresTemplate: template } : {};
    const file = inject('pgliteSnapshot');
    return file ? { pgliteSnapshot: new Blob([await readFile(file)]) } : {};
  })();
  return migratedRead;
}

/**
 * Another session on a test's own PostgreSQL database, as the tables' owner,
 * in its schema: for a test that must hold a lock or a transaction open
 * beside the app's own connections. The caller ends it.
 */
export async function otherSession(database: ScratchDatabase): Promise<pg.Client> {
  if (!database.ownerConnection) throw new Error('only a PostgreSQL database has other sessions');
  const client = new pg.Client({ connectionString: database.ownerConnection.url });
  await client.connect();
  await client.query(`set search_path = ${database.ownerConnection.schema}, public`);
  return client;
}

/**
 * The same, with no schema at all: for a migration test that applies the
 * migrations before the one it checks, then data of that older shape.
 */
export function emptyTestDatabase(): Promise<ScratchDatabase> {
  return openEmptyScratchDatabase(process.env.DATABASE_URL);
}
