import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Actor } from './actor.js';
import {
  applyMapping,
  jobs,
  jobWithRows,
  proposedMapping,
  unfinishedJobs,
  upload,
  type JobSummary,
} from './job-lifecycle.js';
import type { IntakeKind } from './kinds.js';
import { partnerFactsFor } from './partner-facts.js';
import { correct, decide, rowOf } from './review-and-correction.js';
import type { RowView } from './row-view.js';
import { runJob, type JobTimings } from './run-job.js';
import { kindFor } from './source.js';
import type { Mapping } from './validate.js';

export { actorOf, type Actor } from './actor.js';
export type { JobSummary } from './job-lifecycle.js';
export type { RowView } from './row-view.js';

/**
 * Imports from partners (issue 15), as jobs: a file is read and kept row by
 * row, its columns mapped (saved per partner), every row checked (those
 * with errors held in the correction queue, fixable in the browser), then
 * each row matched to a person: attached, left for review, or a new person.
 * A job is resumable: `run` picks up the rows still pending. Every step is
 * audited with the job's id, which names the partner, the notice's words
 * for that source and the lawful bases the information is held under.
 *
 * The one entry point routes and the CLI use; the work is in
 * job-lifecycle.ts (file to pending rows), run-job.ts (matching, a chunk at
 * a time), write-rows.ts (what rows put on records), review-and-correction.ts
 * (the two queues) and partner-facts.ts (a person's "From partners").
 */
export class IntakeService {
  constructor(private readonly db: Kysely<Database>) {}

  upload(
    actor: Actor,
    input: { kind: string; partner: string; fileName: string; content: Buffer },
  ): Promise<string> {
    return upload(this.db, actor, input);
  }

  proposedMapping(actor: Actor, jobId: string) {
    return proposedMapping(this.db, actor, jobId);
  }

  applyMapping(actor: Actor, jobId: string, mapping: Mapping): Promise<void> {
    return applyMapping(this.db, actor, jobId, mapping);
  }

  run(
    actor: Actor,
    jobId: string,
    onProgress?: (done: number, total: number) => void,
    timings?: JobTimings,
  ): Promise<void> {
    return runJob(this.db, actor, jobId, onProgress, timings);
  }

  unfinishedJobs(actor: Actor): Promise<{ id: string; fileName: string }[]> {
    return unfinishedJobs(this.db, actor);
  }

  jobs(actor: Actor): Promise<JobSummary[]> {
    return jobs(this.db, actor);
  }

  job(actor: Actor, jobId: string): Promise<{ job: JobSummary; rows: RowView[] }> {
    return jobWithRows(this.db, actor, jobId);
  }

  row(actor: Actor, rowId: string): Promise<{ job: JobSummary; row: RowView }> {
    return rowOf(this.db, actor, rowId);
  }

  correct(actor: Actor, rowId: string, input: Record<string, string>): Promise<void> {
    return correct(this.db, actor, rowId, input);
  }

  decide(
    actor: Actor,
    rowId: string,
    decision: 'link' | 'new' | 'reject',
  ): Promise<{ personId: string | null }> {
    return decide(this.db, actor, rowId, decision);
  }

  factsFor(organisationId: string, personId: string) {
    return partnerFactsFor(this.db, organisationId, personId);
  }

  kindFor(actor: Actor, slug: string): IntakeKind {
    return kindFor(actor, slug);
  }
}
