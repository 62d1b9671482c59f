import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import {
  openEmptyScratchDatabase,
  openScratchDatabase,
  type ScratchDatabase,
  type ScratchOptions,
} from '../../src/db/scratch.js';

/**
 * A database of the test's own: a fresh in-memory PGlite, or — when
 * DATABASE_URL is set — a fresh schema on that PostgreSQL server, dropped
 * afterwards. Migrated and holding the reference data, nothing else. On
 * PGlite it starts from the run's migrated snapshot (pglite-snapshot.ts).
 */
export async function testDatabase(options: ScratchOptions = {}): Promise<ScratchDatabase> {
  return openScratchDatabase(process.env.DATABASE_URL, {
    ...options,
    ...(await snapshot()),
  });
}

/** The run's migrated PGlite, read once per test file. */
let snapshotRead: Promise<{ pgliteSnapshot?: Blob }> | undefined;
function snapshot(): Promise<{ pgliteSnapshot?: Blob }> {
  snapshotRead ??= (async () => {
    const file = process.env.DATABASE_URL ? null : inject('pgliteSnapshot');
    return file ? { pgliteSnapshot: new Blob([await readFile(file)]) } : {};
  })();
  return snapshotRead;
}

/**
 * The same, with no schema at all: for a migration test that applies the
 * migrations before the one it checks, then data of that older shape.
 */
export function emptyTestDatabase(): Promise<ScratchDatabase> {
  return openEmptyScratchDatabase(process.env.DATABASE_URL);
}
