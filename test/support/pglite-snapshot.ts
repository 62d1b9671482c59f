import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migratedPgliteSnapshot } from '../../src/db/scratch.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A file holding a migrated PGlite data directory (db/scratch.ts), when tests run on PGlite. */
    pgliteSnapshot: string | null;
  }
}

/**
 * Vitest global setup: on PGlite, migrates one database before any test
 * file starts and hands every file its dump, so that each file's own
 * database loads in well under a second instead of running initdb and every
 * migration (seconds each, a hundred times over). Built from this checkout's
 * migrations on every run, so it is never stale. On PostgreSQL (DATABASE_URL
 * set) there is nothing to do: each file migrates its own schema.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) {
    project.provide('pgliteSnapshot', null);
    return async () => undefined;
  }
  const directory = await mkdtemp(path.join(tmpdir(), 'safekeep-pglite-'));
  const file = path.join(directory, 'migrated.tar');
  const snapshot = await migratedPgliteSnapshot();
  await writeFile(file, Buffer.from(await snapshot.arrayBuffer()));
  project.provide('pgliteSnapshot', file);
  return () => rm(directory, { recursive: true, force: true });
}
