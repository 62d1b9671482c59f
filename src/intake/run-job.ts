import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { peopleAsRecords } from '../people/linkage/duplicates.js';
import { thresholdsFor } from '../people/linkage/thresholds.js';
import type { Actor } from './actor.js';
import { counts, jobRow, kindOf } from './job-lifecycle.js';
import { RowMatcher } from './match.js';
import { peopleChangedSince, watermark } from './people-changed.js';
import {
  newPersonId,
  writeAttachments,
  writeReviews,
  type Attachment,
  type ReviewOutcome,
} from './write-rows.js';

export interface JobTimings {
  /** Reading the people held and the rows, and learning the models. */
  learning: number;
  /** Reading each chunk's rows and counting progress. */
  reading: number;
  matching: number;
  /** Writing people, facts, outcomes and audit events, reading back the people written, committing. */
  writing: number;
}

/** Rows matched and written per transaction. */
const CHUNK = 2_000;

export interface RunOptions {
  /** Rows a chunk takes (CHUNK): a test runs a short file in several chunks. */
  chunkRows?: number;
}

/**
 * Matches a job's pending rows to people, a chunk at a time, each chunk in
 * its own transaction: stopped half way, it carries on from the next
 * pending row. Each row is attached to a person held (at or above the
 * auto-link threshold), left for review, or becomes a new person; rows of
 * one new person in the same chunk become that one person.
 */
export async function runJob(
  db: Kysely<Database>,
  actor: Actor,
  jobId: string,
  /** Called, and waited for, after each chunk is committed. */
  onProgress?: (done: number, total: number) => void | Promise<void>,
  timings?: JobTimings,
  options: RunOptions = {},
): Promise<void> {
  const job = await jobRow(db, actor, jobId);
  let lapStart = performance.now();
  // Seconds spent in each part of the run, for the bench to say where the time goes.
  const lap = (part: keyof JobTimings) => {
    const now = performance.now();
    if (timings) timings[part] += (now - lapStart) / 1000;
    lapStart = now;
  };
  if (job.status === 'mapping') return;
  const kind = kindOf(job);
  const thresholds = thresholdsFor(actor.organisationSlug);
  // Learned once for the job (match.ts): the people held now and every row
  // still to match. A job resumed after a stop learns again from what is
  // left, with the people its earlier run created among those held.
  // Taken before the people held are read: what is committed after, the first chunk reads.
  let looked = await watermark(db);
  const pending = await db
    .selectFrom('intake_row')
    .select(['id', 'values'])
    .where('job_id', '=', job.id)
    .where('status', '=', 'pending')
    .orderBy('row_number')
    .execute();
  const matcher = new RowMatcher(
    await peopleAsRecords(db, actor.organisationId),
    pending.map((r) => ({ id: r.id, values: r.values ?? {} })),
    thresholds,
  );
  lap('learning');
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      // Everyone added or changed since the last look, by this job (its
      // last chunk) or by anyone else meanwhile: the people pages, a review
      // decision, another import. Without them a child added while the job
      // ran would be made a second time by a later row.
      const changed = await peopleChangedSince(trx, actor.organisationId, looked);
      matcher.forget(changed.gone);
      matcher.remember(changed.people);
      looked = changed.watermark;
      const rows = await trx
        .selectFrom('intake_row')
        .select(['id', 'values'])
        .where('job_id', '=', job.id)
        .where('status', '=', 'pending')
        .orderBy('row_number')
        .limit(options.chunkRows ?? CHUNK)
        .forUpdate()
        .execute();
      if (rows.length === 0) return true;
      lap('reading');
      const values = rows.map((r) => r.values ?? {});
      const matches = matcher.match(rows.map((r, i) => ({ id: r.id, values: values[i] ?? {} })));
      lap('matching');
      // The new person each row of someone new starts, by row index.
      const created = new Map<number, string>();
      const reviews: ReviewOutcome[] = [];
      const attachments: Attachment[] = [];
      for (const [i, row] of rows.entries()) {
        const match = matches[i];
        if (!match) continue;
        if (match.outcome === 'review') {
          reviews.push({
            rowId: row.id,
            candidatePersonId: match.personId,
            probability: match.probability,
            waterfall: match.waterfall,
          });
          continue;
        }
        const earlier = match.sameAsRow === null ? undefined : created.get(match.sameAsRow);
        const linked = match.outcome === 'link' && match.personId ? match.personId : earlier;
        const personId = linked ?? newPersonId();
        if (match.outcome === 'new' && !earlier) created.set(i, personId);
        attachments.push({
          rowId: row.id,
          values: values[i] ?? {},
          personId,
          newPerson: linked === undefined,
          status: match.outcome === 'link' || earlier ? 'linked' : 'created',
          probability: match.probability,
          waterfall: match.waterfall,
        });
      }
      await writeReviews(trx, reviews);
      await writeAttachments(trx, actor, job, kind, attachments);
      await trx
        .updateTable('intake_job')
        .set({
          rows_done: sql<number>`(select count(*) from intake_row where job_id = ${job.id}
            and status not in ('unmapped', 'pending'))`,
        })
        .where('id', '=', job.id)
        .execute();
      return false;
    });
    lap('writing');
    const counted = await counts(db, job.id);
    await onProgress?.(job.rows_total - counted.unmapped - counted.pending, job.rows_total);
    lap('reading');
    if (done) break;
  }
  await db
    .updateTable('intake_job')
    .set({ status: 'finished', finished_at: sql`now()` })
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .execute();
}
