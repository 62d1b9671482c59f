import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otherSession, testDatabase } from '../../test/support/database.js';
import type { ScratchDatabase } from '../db/scratch.js';
import { createRetentionService, recordDisposal } from '../services.js';
import type { RecordDisposal } from './disposal.js';
import { RetentionService, SweepAlreadyRunningError } from './service.js';
import { latestSweepRuns, SWEEP_LOCK } from './sweep-runs.js';
import { insertDueRecords } from './synthetic-due-records.js';

/**
 * A sweep stopped part-way is marked interrupted by the next sweep (or the
 * next look at the list), never left "unfinished" for ever; a second sweep
 * while one runs is refused, saying so (issue #10 item 9).
 */
let database: ScratchDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

/** A run row as a sweep killed with SIGKILL leaves it: started, never finished. */
async function strandedRun(): Promise<string> {
  const { id } = await database.db
    .insertInto('retention_sweep_run')
    .values({ as_of: '2026-11-24', dry_run: false })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

async function runStatus(id: string) {
  const run = await database.db
    .selectFrom('retention_sweep_run')
    .select(['finished_at', 'interrupted_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return run.finished_at ? 'finished' : run.interrupted_at ? 'interrupted' : 'unfinished';
}

describe('sweeps stopped part-way', () => {
  it('are marked interrupted by the next sweep, which says how many it found', async () => {
    const stranded = await strandedRun();
    const report = await createRetentionService(database.db).sweep({
      asOf: '2026-11-25',
      dryRun: false,
    });
    expect(report.interruptedEarlier).toBe(1);
    expect(await runStatus(stranded)).toBe('interrupted');
    expect(await runStatus(report.runId!)).toBe('finished');
  });

  it('show as interrupted in the list of sweeps while no sweep is running', async () => {
    const stranded = await strandedRun();
    const runs = await latestSweepRuns(database.db);
    expect(runs[0]).toMatchObject({ asOf: '2026-11-24', status: 'interrupted' });
    expect(runs.map((r) => r.status)).toContain('finished');
    expect(await runStatus(stranded)).toBe('interrupted');
  });

  it('are marked interrupted at once when the sweep stops on an error', async () => {
    await insertDueRecords(database.db, 5, { notesPerRecord: 1 });
    const real = recordDisposal();
    const failing: RecordDisposal = {
      ...real,
      destroyRecords: () => Promise.reject(new Error('disk full')),
    };
    await expect(
      new RetentionService(database.db, failing).sweep({ asOf: '2026-11-25', dryRun: false }),
    ).rejects.toThrow('disk full');
    const [latest] = await latestSweepRuns(database.db);
    expect(latest).toMatchObject({ asOf: '2026-11-25', status: 'interrupted', recordsDisposed: 0 });
  });
});

(process.env.DATABASE_URL ? describe : describe.skip)('a sweep while another runs', () => {
  it('is not started, saying so, and the running one is listed as running', async () => {
    const other = await otherSession(database);
    try {
      // Another instance's sweep: its lock, and its run row.
      await other.query('select pg_advisory_lock($1)', [SWEEP_LOCK]);
      await other.query(
        `insert into retention_sweep_run (as_of, dry_run) values ('2026-11-26', false)`,
      );
      const second = createRetentionService(database.db).sweep({
        asOf: '2026-11-26',
        dryRun: false,
      });
      await expect(second).rejects.toThrow(SweepAlreadyRunningError);
      await expect(second).rejects.toThrow(
        'Not started: a retention sweep is already running. Try again when it has finished.',
      );
      const [latest] = await latestSweepRuns(database.db);
      expect(latest).toMatchObject({ asOf: '2026-11-26', status: 'running' });
    } finally {
      await other.end();
    }
    // Its connection gone (killed), the lock goes with it.
    const [latest] = await latestSweepRuns(database.db);
    expect(latest).toMatchObject({ asOf: '2026-11-26', status: 'interrupted' });
  });
});
