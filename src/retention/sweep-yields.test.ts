import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import type { ScratchDatabase } from '../db/scratch.js';
import { createRetentionService } from '../services.js';
import { SweepAlreadyRunningError } from './service.js';
import { latestSweepRuns } from './sweep-runs.js';
import { insertDueRecords } from './synthetic-due-records.js';

/**
 * A sweep does not hold up the application for its whole run (issue 16:
 * "batches that yield between them"). On PGlite, the laptop default, the
 * process has one database session: a sweep that kept it from start to end
 * left every request waiting, and as PGlite answers without I/O, even the
 * event loop did not turn until it had finished. On PostgreSQL the sweep
 * holds one connection of the pool; the same promises hold there too.
 */
const RECORDS = 200;
const BATCH = 25;
// A PGlite sweep on a busy two-core machine is slow; these are not speed tests.
const TIMEOUT = 120_000;
const AS_OF = '2026-11-25';

let database: ScratchDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe('a sweep lets the application in between its batches', () => {
  it(
    'answers other work while it runs, shows itself running, and refuses a second sweep',
    async () => {
      await insertDueRecords(database.db, RECORDS, { notesPerRecord: 1 });
      const retention = createRetentionService(database.db);
      let disposed = 0;
      let seen: Promise<{ disposedThen: number; status?: string; second: string }> | undefined;
      const report = await retention.sweep({
        asOf: AS_OF,
        dryRun: false,
        batchSize: BATCH,
        onProgress: (progress) => {
          disposed = progress.disposed;
          // After the first batch: what someone looking at the sweeps sees.
          seen ??= (async () => {
            const [latest] = await latestSweepRuns(database.db);
            const second = await retention.sweep({ asOf: AS_OF, dryRun: false }).then(
              () => 'ran',
              (error: unknown) =>
                error instanceof SweepAlreadyRunningError ? 'refused' : String(error),
            );
            return { disposedThen: disposed, status: latest?.status, second };
          })();
        },
      });
      expect(report.disposed).toBe(RECORDS);
      const answered = await seen;
      expect(answered).toMatchObject({ status: 'running', second: 'refused' });
      // Answered while records were still to go, not after the sweep.
      expect(answered?.disposedThen).toBeLessThan(RECORDS);
      const [latest] = await latestSweepRuns(database.db);
      expect(latest).toMatchObject({ status: 'finished', recordsDisposed: RECORDS });
    },
    TIMEOUT,
  );

  it(
    'lets timers and requests waiting to be read run before it has finished',
    async () => {
      await insertDueRecords(database.db, RECORDS, { notesPerRecord: 1 });
      let disposed = 0;
      let firedWhenDisposed: number | null = null;
      setTimeout(() => (firedWhenDisposed = disposed), 0);
      const report = await createRetentionService(database.db).sweep({
        asOf: AS_OF,
        dryRun: false,
        batchSize: BATCH,
        onProgress: (progress) => (disposed = progress.disposed),
      });
      expect(report.disposed).toBe(RECORDS);
      expect(firedWhenDisposed).not.toBeNull();
      expect(firedWhenDisposed).toBeLessThan(RECORDS);
    },
    TIMEOUT,
  );
});
