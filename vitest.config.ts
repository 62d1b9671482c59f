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
    // machine, one file at a time. Files spend much of their time waiting on
    // chromium, PostgreSQL or a spawned CLI, so as many as there are cores.
    maxWorkers: Math.max(2, availableParallelism()),
    // On PGlite, one migrated database that every file's own starts from.
    globalSetup: ['test/support/pglite-snapshot.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
