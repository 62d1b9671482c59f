import { Temporal } from 'temporal-polyfill';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { SweepAlreadyRunningError, type RetentionService } from './service.js';

/**
 * The daily sweep inside the server. Every hour it asks whether today's
 * sweep has finished; if not, it runs one. The sweep's advisory lock keeps
 * replicas from running two at once, and a sweep is safe to repeat, so a
 * missed or doubled hour does no harm.
 */
export function scheduleDailySweep(
  db: Kysely<Database>,
  retention: RetentionService,
  log: { info(msg: string): void; error(obj: unknown, msg: string): void },
): () => void {
  const runIfDue = async () => {
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
      log.info(`retention sweep as of ${today}: ${report.disposed} record(s) disposed of`);
    } catch (error) {
      if (error instanceof SweepAlreadyRunningError) return;
      log.error({ err: error }, 'retention sweep failed');
    }
  };
  const timer = setInterval(() => void runIfDue(), 60 * 60 * 1000);
  timer.unref();
  void runIfDue();
  return () => clearInterval(timer);
}
