/**
 * The in-process scheduler for the daily jobs (design.md "Jobs"): every
 * hour, each job is asked to run if it is due. Jobs are idempotent and guard
 * themselves (the sweep's advisory lock), so a replica or an hour more or
 * less does no harm, and a failing job never stops the others.
 */
export interface Job {
  name: string;
  runIfDue(): Promise<void>;
}

export function scheduleJobs(
  jobs: readonly Job[],
  log: { error(obj: unknown, msg: string): void },
  everyMs = 60 * 60 * 1000,
): () => void {
  const runAll = async () => {
    for (const job of jobs) {
      try {
        await job.runIfDue();
      } catch (error) {
        log.error({ err: error, job: job.name }, 'scheduled job failed');
      }
    }
  };
  const timer = setInterval(() => void runAll(), everyMs);
  timer.unref();
  void runAll();
  return () => clearInterval(timer);
}
