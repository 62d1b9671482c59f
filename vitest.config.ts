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
    // time waiting on chromium, a spawned CLI or the database server. With
    // as many workers as cores the cores were busy 62% of a pass (26
    // CPU-minutes in 20.8; decision 0045), so one more than the cores.
    maxWorkers: Math.max(2, availableParallelism()) + 1,
    // Files share a worker's loaded modules instead of each loading the app,
    // its dependencies and the test helpers afresh: that was a third of the
    // suite's time (import 621 s of 1,844 s on PGlite). Nothing in the suite
    // needs a fresh module: every file opens its own database and app, no
    // file mocks a module, a file that changes the environment puts it back,
    // and what a file may change in the process (the policies in force, the
    // audit sealing key) is put back before the next (each-file.ts). vitest
    // itself resets its config and mocks after each file.
    isolate: false,
    setupFiles: ['test/support/each-file.ts'],
    // One migrated database that every file's own starts from.
    globalSetup: ['test/support/database-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
