import type { DatabaseHandle } from '../../src/db/connection.js';
import { openScratchDatabase } from '../../src/db/scratch.js';

/**
 * A database of the test's own: a fresh in-memory PGlite, or — when
 * DATABASE_URL is set — a fresh schema on that PostgreSQL server, dropped
 * afterwards. Migrated and holding the reference data, nothing else.
 */
export function testDatabase(): Promise<DatabaseHandle> {
  return openScratchDatabase(process.env.DATABASE_URL);
}
