import { defineConfig } from 'vitest/config';

// One runner for unit, integration and browser tests. Files run in separate
// worker processes, each with its own database (PGlite in memory, or a fresh
// schema on the PostgreSQL server named by DATABASE_URL).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    // On PGlite, one migrated database that every file's own starts from.
    globalSetup: ['test/support/pglite-snapshot.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
