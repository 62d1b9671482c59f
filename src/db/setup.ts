import type { Config, DatabaseTimeouts } from '../config.js';
import { openDatabase, type DatabaseHandle } from './connection.js';
import { migrateToLatest } from './migrate.js';
import { currentRole, grantAppRole } from './roles.js';

/**
 * Migrations may rebuild a large table, and several instances starting at
 * once wait on each other's migration lock: no statement, lock or idle
 * limit for them, only for connecting.
 */
export const MIGRATION_TIMEOUTS: Partial<DatabaseTimeouts> = {
  statementMs: 0,
  lockMs: 0,
  idleInTransactionMs: 0,
};

/**
 * Brings the app's database up to date. On PostgreSQL with
 * DATABASE_OWNER_URL, the migrations run as that owner, which then grants
 * the app's own role (DATABASE_URL) what it needs (db/roles.ts). Without it
 * — a laptop, or PGlite, one embedded process with no roles at all — they
 * run as the app's role, which then owns the tables, as before.
 */
export async function migrateDatabase(
  database: Config['database'],
  app: DatabaseHandle,
): Promise<string[]> {
  if (database.kind !== 'postgres') return migrateToLatest(app.db);
  const owner = await openDatabase(
    { ...database, url: database.ownerUrl ?? database.url },
    {
      timeouts: MIGRATION_TIMEOUTS,
      applicationName: 'safekeep migrations',
      prepareRepeatedStatements: false,
    },
  );
  try {
    const applied = await migrateToLatest(owner.db);
    if (database.ownerUrl) await grantAppRole(owner.db, await currentRole(app.db));
    return applied;
  } finally {
    await owner.close();
  }
}
