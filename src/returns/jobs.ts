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

/** A job still running after this long was stopped (the server restarted): say so. */
const STOPPED_AFTER_MS = 60 * 60 * 1000;

export interface ReturnJob {
  id: string;
  kind: ReturnJobKind;
  collectionYear: number | null;
  asOf: string | null;
  status: 'waiting' | 'running' | 'made' | 'refused' | 'failed';
  stepsDone: number;
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
    const step = (status: 'running', stepsDone: number) =>
      this.db
        .updateTable('statutory_return_job')
        .set({ status, steps_done: stepsDone, step: jobSteps[stepsDone] ?? '' })
        .where('id', '=', jobId)
        .execute();
    try {
      await step('running', 1);
      let made: { returnId?: string; errors: number };
      if (job.kind === 'annex-a') {
        made = await this.annexA.annexA(staff, { asOf: String(job.as_of), produce: true });
      } else if (job.kind === 'ssda903') {
        made = await this.returns.ssda903(staff, {
          year: job.collection_year ?? 0,
          produce: true,
        });
      } else {
        made = await this.returns.cinCensus(staff, {
          year: job.collection_year ?? 0,
          produce: true,
        });
      }
      await this.db
        .updateTable('statutory_return_job')
        .set({
          status: made.returnId ? 'made' : 'refused',
          steps_done: jobSteps.length,
          step: 'Finished',
          errors: made.errors,
          return_id: made.returnId ?? null,
          finished_at: this.now(),
        })
        .where('id', '=', jobId)
        .execute();
    } catch (error) {
      await this.db
        .updateTable('statutory_return_job')
        .set({ status: 'failed', step: 'Stopped', finished_at: this.now() })
        .where('id', '=', jobId)
        .execute();
      throw error;
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
    const stopped =
      (row.status === 'waiting' || row.status === 'running') &&
      this.now().getTime() - row.created_at.getTime() > STOPPED_AFTER_MS;
    return {
      id: row.id,
      kind: row.kind,
      collectionYear: row.collection_year,
      asOf: row.as_of,
      status: stopped ? 'failed' : row.status,
      stepsDone: row.steps_done,
      errors: row.errors,
      returnId: row.return_id,
      createdAt: row.created_at,
    };
  }
}
