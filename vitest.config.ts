import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One runner for unit, integration and browser tests. Files run in separate
// worker processes, each with its own database (PGlite in memory, or a fresh
// schema on the PostgreSQL server named by DATABASE_URL).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on a two-core CI
    // machine, one file at a time. On PGlite each file's database is its own
    // process's, and files spend much of their time waiting on chromium or a
    // spawned CLI, so as many as there are cores. On PostgreSQL files share
    // one server database, whose advisory locks (the retention sweep's) and
    // catalogue (Kysely's migrator reads every schema's tables while another
    // file migrates its own) are database-wide: one file at a time there.
    maxWorkers: process.env.DATABASE_URL ? 1 : Math.max(2, availableParallelism()),
    // On PGlite, one migrated database that every file's own starts from.
    globalSetup: ['test/support/pglite-snapshot.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
