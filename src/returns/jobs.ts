import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import type { AnnexAService } from './annex-a/service.js';
import { organisationOf, type ReturnsService } from './service.js';
import type { StatutoryReturnJobTable } from './tables.js';

/**
 * Making a return from the page as a job (issue 17: "at county scale it
 * needs a job with progress shown"), as a large import is
 * (intake/routes.ts): the page records the job and answers at once; the
 * return is made after, through the same service as the command (its role
 * check, audited read, disclosure record and kept file); the job's page
 * shows where it has got to and, once made, links the kept file.
 *
 * The job row holds counts, steps and ids only, never a child's name: the
 * report of what to fix is drawn up again by checking, for whoever looks.
 */

export type ReturnJobKind = StatutoryReturnJobTable['kind'];

/** The steps a job shows, in order; `steps_done` counts those finished. */
export const jobSteps = ['Waiting to start', 'Reading and checking the records', 'Making the file'];

/**
 * A running job writes its heartbeat this often (and at each step and
 * progress report); one whose heartbeat is older than `STOPPED_AFTER_MS`
 * was stopped (the server restarted part-way): the page says so. The limit
 * is several beats, so a busy database or a slow slice is not taken for a
 * stop. (A job on PGlite cannot write while its return's transaction holds
 * the one connection; a county's check there takes seconds, well inside it.)
 */
export const HEARTBEAT_EVERY_MS = 15 * 1000;
export const STOPPED_AFTER_MS = 2 * 60 * 1000;
/** Progress is written at most this often (the rest are kept for the next beat). */
const PROGRESS_WRITE_EVERY_MS = 1000;

export interface ReturnJob {
  id: string;
  kind: ReturnJobKind;
  collectionYear: number | null;
  asOf: string | null;
  status: 'waiting' | 'running' | 'made' | 'refused' | 'failed';
  stepsDone: number;
  /** Children checked of those read, once the check has started. */
  progress: { checked: number; total: number } | null;
  errors: number | null;
  returnId: string | null;
  createdAt: Date;
}

const uuid = z.uuid();

export class ReturnJobs {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly returns: ReturnsService,
    private readonly annexA: AnnexAService,
    private readonly now: () => Date = () => new Date(),
    private readonly heartbeatEveryMs = HEARTBEAT_EVERY_MS,
  ) {}

  /** Records a job for this member of staff (refused without a returns role); not yet run. */
  async create(
    staff: StaffContext,
    what: { kind: 'cin-census' | 'ssda903'; year: number } | { kind: 'annex-a'; asOf: string },
  ): Promise<string> {
    const organisation = organisationOf(staff);
    const row = await this.db
      .insertInto('statutory_return_job')
      .values({
        organisation_id: organisation.id,
        requested_by: staff.accountId,
        kind: what.kind,
        collection_year: what.kind === 'annex-a' ? null : what.year,
        as_of: what.kind === 'annex-a' ? what.asOf : null,
        steps_total: jobSteps.length,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * Makes the job's return, recording each step as it starts. Never throws:
   * a failure is the job's status (the page says so), the error goes to the
   * caller's log, ids only.
   */
  async run(staff: StaffContext, jobId: string): Promise<void> {
    const job = await this.db
      .selectFrom('statutory_return_job')
      .selectAll()
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    // The heartbeat: written every few seconds and with each step and
    // progress report, one write at a time, never awaited by the work (on
    // PGlite it waits for the return's transaction); a failed write is
    // only a missed beat.
    let progress: { checked: number; total: number } | undefined;
    let writing: Promise<unknown> = Promise.resolve();
    let inFlight = false;
    let lastWrite = 0;
    const beat = (set: { status?: 'running'; steps_done?: number; step?: string } = {}) => {
      if (inFlight && !set.status) return;
      inFlight = true;
      lastWrite = Date.now();
      const previous = writing;
      writing = previous
        .then(() =>
          this.db
            .updateTable('statutory_return_job')
            .set({
              ...set,
              heartbeat_at: this.now(),
              ...(progress
                ? { children_checked: progress.checked, children_total: progress.total }
                : {}),
            })
            .where('id', '=', jobId)
            .where('status', 'in', ['waiting', 'running'])
            .execute(),
        )
        .catch(() => undefined)
        .finally(() => {
          inFlight = false;
        });
      return writing;
    };
    const onProgress = (now: { checked: number; total: number }) => {
      progress = now;
      if (Date.now() - lastWrite >= PROGRESS_WRITE_EVERY_MS) void beat();
    };
    const timer = setInterval(() => void beat(), this.heartbeatEveryMs);
    timer.unref();
    try {
      await beat({ status: 'running', steps_done: 1, step: jobSteps[1] ?? '' });
      let made: { returnId?: string; errors: number };
      if (job.kind === 'annex-a') {
        made = await this.annexA.annexA(staff, {
          asOf: String(job.as_of),
          produce: true,
          onProgress,
        });
      } else if (job.kind === 'ssda903') {
        made = await this.returns.ssda903(staff, {
          year: job.collection_year ?? 0,
          produce: true,
          onProgress,
        });
      } else {
        made = await this.returns.cinCensus(staff, {
          year: job.collection_year ?? 0,
          produce: true,
          onProgress,
        });
      }
      clearInterval(timer);
      await writing;
      await this.db
        .updateTable('statutory_return_job')
        .set({
          status: made.returnId ? 'made' : 'refused',
          steps_done: jobSteps.length,
          step: 'Finished',
          errors: made.errors,
          return_id: made.returnId ?? null,
          ...(progress
            ? { children_checked: progress.checked, children_total: progress.total }
            : {}),
          heartbeat_at: this.now(),
          finished_at: this.now(),
        })
        .where('id', '=', jobId)
        .execute();
    } catch (error) {
      clearInterval(timer);
      await writing;
      await this.db
        .updateTable('statutory_return_job')
        .set({ status: 'failed', step: 'Stopped', finished_at: this.now() })
        .where('id', '=', jobId)
        .execute();
      throw error;
    } finally {
      clearInterval(timer);
    }
  }

  /** The organisation's job, for anyone with the returns page there; undefined otherwise. */
  async job(staff: StaffContext, jobId: string): Promise<ReturnJob | undefined> {
    const organisation = organisationOf(staff);
    if (!uuid.safeParse(jobId).success) return undefined;
    const row = await this.db
      .selectFrom('statutory_return_job')
      .selectAll()
      .where('id', '=', jobId)
      .where('organisation_id', '=', organisation.id)
      .executeTakeFirst();
    if (!row) return undefined;
    // Alive while its heartbeat (or, before the first, its creation) is recent.
    const lastSign = row.heartbeat_at ?? row.created_at;
    const stopped =
      (row.status === 'waiting' || row.status === 'running') &&
      this.now().getTime() - lastSign.getTime() > STOPPED_AFTER_MS;
    return {
      id: row.id,
      kind: row.kind,
      collectionYear: row.collection_year,
      asOf: row.as_of,
      status: stopped ? 'failed' : row.status,
      stepsDone: row.steps_done,
      progress:
        row.children_total !== null && row.children_checked !== null
          ? { checked: row.children_checked, total: row.children_total }
          : null,
      errors: row.errors,
      returnId: row.return_id,
      createdAt: row.created_at,
    };
  }
}
