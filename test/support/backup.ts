import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../../src/db/connection.js';
import { openScratchDatabase, TEST_APP_ROLE, type ScratchDatabase } from '../../src/db/scratch.js';

const run = promisify(execFile);

/** A backup of a test's database, as an operator would take it. */
export type Backup =
  | { kind: 'pglite'; dataDir: Blob }
  | { kind: 'postgres'; dumpFile: string; folder: string; schema: string; extensions: string[] };

/**
 * On PGlite: the data directory (dumpDataDir), as copying ./data is the
 * laptop's backup. On PostgreSQL: pg_dump of the test's schema (README,
 * "pg_dump for small sites").
 */
export async function backUp(database: ScratchDatabase): Promise<Backup> {
  if (!database.ownerConnection) {
    if (!database.dumpDataDir) throw new Error('an embedded database can be dumped');
    return { kind: 'pglite', dataDir: await database.dumpDataDir() };
  }
  const { url, schema } = database.ownerConnection;
  // The schema's dump leaves out the extensions in public (fuzzystrmatch…):
  // as in the README's procedure, they are created first on restore.
  const { rows } = await sql<{ name: string }>`
    select extname as name from pg_extension where extname <> 'plpgsql'`.execute(database.owner);
  const folder = await mkdtemp(path.join(tmpdir(), 'safekeep-backup-'));
  const dumpFile = path.join(folder, 'backup.sql');
  await run('pg_dump', ['--dbname', url, '--schema', schema, '--file', dumpFile]);
  return { kind: 'postgres', dumpFile, folder, schema, extensions: rows.map((r) => r.name) };
}

/**
 * The backup restored into a new database: a fresh PGlite from the data
 * directory, or a new PostgreSQL database (dropped on close) loaded with psql
 * and used, as the app uses it, through TEST_APP_ROLE.
 */
export async function restore(backup: Backup): Promise<ScratchDatabase> {
  if (backup.kind === 'pglite') {
    return openScratchDatabase(undefined, { pgliteSnapshot: backup.dataDir });
  }
  const url = new URL(process.env.DATABASE_URL!);
  const name = `restored_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const fresh = new pg.Client({ connectionString: target.toString() });
  await fresh.connect();
  for (const extension of backup.extensions) {
    await fresh.query(`create extension if not exists "${extension}" with schema public`);
  }
  await fresh.end();
  await run('psql', [
    '--quiet',
    '--set',
    'ON_ERROR_STOP=1',
    '--dbname',
    target.toString(),
    '--file',
    backup.dumpFile,
  ]);
  await rm(backup.folder, { recursive: true, force: true });
  const owner = await openDatabase(
    { kind: 'postgres', url: target.toString() },
    { schema: backup.schema, maxConnections: 2 },
  );
  const asApp = new URL(target);
  asApp.username = TEST_APP_ROLE;
  asApp.password = '';
  const app = await openDatabase(
    { kind: 'postgres', url: asApp.toString() },
    { schema: backup.schema },
  );
  return {
    db: app.db,
    kind: 'postgres',
    owner: owner.db,
    async close() {
      await app.close();
      await owner.close();
      const dropper = new pg.Client({ connectionString: url.toString() });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name}`);
      await dropper.end();
    },
  };
}
