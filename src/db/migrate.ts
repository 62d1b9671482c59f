import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as platform from './migrations/0001-platform.js';

/**
 * Migrations are listed here, in order, rather than found on disk: the list
 * is checked by the compiler and works the same from source or a bundle.
 */
const migrations: Record<string, Migration> = {
  '0001-platform': platform,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// Migrations see the database untyped: they run before the types describe it.
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db: db as unknown as Kysely<unknown>, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
