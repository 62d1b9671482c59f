import { mkdir } from 'node:fs/promises';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { pglitePool } from './pglite-pool.js';
import type { Database } from './schema.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/**
 * Values come back the same from both databases: calendar dates as
 * 'YYYY-MM-DD' strings (a date is not a timestamp; see design.md "Dates"),
 * bigints as numbers (ids and counts stay well below 2^53), timestamps as Date.
 */
const DATE_OID = 1082;
const INT8_OID = 20;

export async function openDatabase(
  database: Config['database'],
  options: { schema?: string } = {},
): Promise<DatabaseHandle> {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: database.url,
      max: 10,
      // A test gets its own schema so that runs never see each other's rows;
      // public stays on the path for the extensions, which live there once
      // per database (migrations/0002-people.ts).
      ...(options.schema ? { options: `-c search_path=${options.schema},public` } : {}),
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === DATE_OID) return (value: string) => value;
          if (oid === INT8_OID) return (value: string) => Number(value);
          return pg.types.getTypeParser(oid, format ?? 'text');
        }) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }

  if (database.dataDir) await mkdir(database.dataDir, { recursive: true });
  const embedded = await PGlite.create({
    ...(database.dataDir ? { dataDir: database.dataDir } : {}),
    // Name search tolerant of spelling variants (people/store.ts).
    extensions: { pg_trgm, fuzzystrmatch },
    parsers: {
      [pgliteTypes.DATE]: (value: string) => value,
      [pgliteTypes.INT8]: (value: string) => Number(value),
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(embedded) }) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
