import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { dailySweepJob } from '../../retention/scheduler.js';
import { createRetentionService } from '../../services.js';
import { scheduleJobs } from './scheduler.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe('the daily jobs', () => {
  it('runs every job at start and each period; a failing job does not stop the others', async () => {
    const ran: string[] = [];
    const errors: unknown[] = [];
    const stop = scheduleJobs(
      [
        { name: 'fails', runIfDue: () => Promise.reject(new Error('broken')) },
        { name: 'works', runIfDue: async () => void ran.push('works') },
      ],
      { error: (obj) => errors.push(obj) },
      20,
    );
    await vi.waitFor(() => expect(ran.length).toBeGreaterThanOrEqual(2));
    stop();
    expect(errors.length).toBeGreaterThanOrEqual(1);
  });

  it('sweeps once a day: a finished sweep for today is not run again', async () => {
    const retention = createRetentionService(database.db);
    const sweep = vi.spyOn(retention, 'sweep');
    const job = dailySweepJob(database.db, retention, { info: () => undefined });
    await job.runIfDue();
    await job.runIfDue();
    expect(sweep).toHaveBeenCalledTimes(1);
    const runs = await database.db
      .selectFrom('retention_sweep_run')
      .select('finished_at')
      .execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]?.finished_at).not.toBeNull();
  });
});
