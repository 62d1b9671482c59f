import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import type { Job } from '../platform/jobs/scheduler.js';
import { SweepAlreadyRunningError, type RetentionService } from './service.js';

/**
 * The daily sweep: runs once a day, when no sweep has yet finished for
 * today. Another replica's sweep in progress is left to finish.
 */
export function dailySweepJob(
  db: Kysely<Database>,
  retention: RetentionService,
  log: { info(msg: string): void },
): Job {
  return {
    name: 'retention.sweep',
    async runIfDue() {
      const today = Temporal.Now.plainDateISO('Europe/London').toString();
      const done = await db
        .selectFrom('retention_sweep_run')
        .select('id')
        .where('as_of', '=', today)
        .where('dry_run', '=', false)
        .where('finished_at', 'is not', null)
        .executeTakeFirst();
      if (done) return;
      try {
        const report = await retention.sweep({ asOf: today, dryRun: false });
        log.info(`retention sweep as of ${today}: ${report.disposed} item(s) disposed of`);
      } catch (error) {
        if (!(error instanceof SweepAlreadyRunningError)) throw error;
      }
    },
  };
}
