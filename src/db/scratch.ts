import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { syncReferenceData } from '../platform/reference-data.js';
import type { DatabaseTimeouts } from '../config.js';
import { openDatabase, type DatabaseHandle } from './connection.js';
import { migrateToLatest } from './migrate.js';

/**
 * A throw-away database with the schema and reference data and nothing
 * else: an in-memory PGlite, or — given a PostgreSQL URL — a fresh schema on
 * that server, dropped on close. Tests and benchmarks use it so they never
 * touch anyone's records.
 */
export interface ScratchOptions {
  /** On PostgreSQL: other limits than the defaults, for a test that runs into one. */
  timeouts?: Partial<DatabaseTimeouts>;
}

export async function openScratchDatabase(
  postgresUrl?: string,
  options: ScratchOptions = {},
): Promise<DatabaseHandle> {
  const handle = await openEmptyScratchDatabase(postgresUrl, options);
  await migrateToLatest(handle.db);
  await syncReferenceData(handle.db);
  return handle;
}

/**
 * The same throw-away database with nothing in it, not even the schema: for
 * a test that applies migrations one by one over data of an older shape.
 */
export async function openEmptyScratchDatabase(
  postgresUrl?: string,
  options: ScratchOptions = {},
): Promise<DatabaseHandle> {
  if (!postgresUrl) return openDatabase({ kind: 'pglite', dataDir: null });
  const schema = `scratch_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = await openDatabase(
    { kind: 'postgres', url: postgresUrl },
    {
      schema,
      applicationName: `safekeep ${schema}`,
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    },
  );
  return {
    ...handle,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: postgresUrl });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}
