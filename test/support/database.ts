import {
  openEmptyScratchDatabase,
  openScratchDatabase,
  type ScratchDatabase,
  type ScratchOptions,
} from '../../src/db/scratch.js';

/**
 * A database of the test's own: a fresh in-memory PGlite, or — when
 * DATABASE_URL is set — a fresh schema on that PostgreSQL server, dropped
 * afterwards. Migrated and holding the reference data, nothing else.
 */
export function testDatabase(options: ScratchOptions = {}): Promise<ScratchDatabase> {
  return openScratchDatabase(process.env.DATABASE_URL, options);
}

/**
 * The same, with no schema at all: for a migration test that applies the
 * migrations before the one it checks, then data of that older shape.
 */
export function emptyTestDatabase(): Promise<ScratchDatabase> {
  return openEmptyScratchDatabase(process.env.DATABASE_URL);
}
