import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// One runner for unit, integration and browser tests. Files run in separate
// worker processes, each with its own database (PGlite in memory, or a fresh
// database on the PostgreSQL server named by DATABASE_URL).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on a two-core CI
    // machine, one file at a time. Each file's database is its own (an
    // in-memory PGlite, or a database cloned on the PostgreSQL server, with
    // its own advisory locks and catalogue), and files spend much of their
    // time waiting on chromium, a spawned CLI or the database server: as
    // many as there are cores.
    maxWorkers: Math.max(2, availableParallelism()),
    // One migrated database that every file's own starts from.
    globalSetup: ['test/support/database-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
