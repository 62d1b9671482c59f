import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  createPostgresTemplate,
  dropPostgresDatabase,
  migratedPgliteSnapshot,
} from '../../src/db/scratch.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A file holding a migrated PGlite data directory (db/scratch.ts), when tests run on PGlite. */
    pgliteSnapshot: string | null;
    /** A migrated database on the server in DATABASE_URL, for each test's own to be cloned from. */
    postgresTemplate: string | null;
  }
}

/**
 * Vitest global setup: migrates one database before any test file starts,
 * and every test's own database starts from it, instead of running every
 * migration (seconds each time, well over a hundred times a run).
 *
 * - On PGlite: a dump of a migrated in-memory database, which each test's
 *   loads in well under a second instead of running initdb and migrating.
 * - On PostgreSQL (DATABASE_URL set): a migrated database on that server,
 *   which each test's own clones (CREATE DATABASE … TEMPLATE). A database
 *   each, not a schema each, so that advisory locks (the retention sweep's)
 *   and the catalogue are each test's own and files can run side by side.
 *
 * Built from this checkout's migrations on every run, so never stale.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const template = await createPostgresTemplate(serverUrl);
    project.provide('pgliteSnapshot', null);
    project.provide('postgresTemplate', template);
    return () => dropPostgresDatabase(serverUrl, template);
  }
  const directory = await mkdtemp(path.join(tmpdir(), 'safekeep-pglite-'));
  const file = path.join(directory, 'migrated.tar');
  const snapshot = await migratedPgliteSnapshot();
  await writeFile(file, Buffer.from(await snapshot.arrayBuffer()));
  project.provide('pgliteSnapshot', file);
  project.provide('postgresTemplate', null);
  return () => rm(directory, { recursive: true, force: true });
}
