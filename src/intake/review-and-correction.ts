import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { auditIntake, type Actor } from './actor.js';
import { jobRow, kindOf, summary, type JobSummary } from './job-lifecycle.js';
import { runJob } from './run-job.js';
import { rowView, type RowView } from './row-view.js';
import { checkRow, rowKey } from './validate.js';
import { newPersonId, writeAttachments } from './write-rows.js';

/**
 * The two queues a person works through on a job's page: rows held for
 * correction (fixed in the browser, checked again, then matched like any
 * other) and rows waiting for review (link to the candidate, make a new
 * person, or reject).
 */
const uuid = z.uuid();

export async function rowOf(
  db: Kysely<Database>,
  actor: Actor,
  rowId: string,
): Promise<{ job: JobSummary; row: RowView }> {
  if (!uuid.safeParse(rowId).success) throw new NotFoundError();
  const row = await db
    .selectFrom('intake_row')
    .selectAll()
    .where('id', '=', rowId)
    .where('organisation_id', '=', actor.organisationId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  const job = await jobRow(db, actor, row.job_id);
  return { job: await summary(db, job), row: rowView(row) };
}

/** A held row corrected in the browser: checked again, then matched like any other. */
export async function correct(
  db: Kysely<Database>,
  actor: Actor,
  rowId: string,
  input: Record<string, string>,
): Promise<void> {
  const { job, row } = await rowOf(db, actor, rowId);
  if (row.status !== 'invalid') throw new NotFoundError();
  const checked = checkRow(job.kind, input);
  if (checked.errors.length > 0) throw new ValidationError(checked.errors);
  const key = rowKey(job.kind, checked.values);
  await db.transaction().execute(async (trx) => {
    const imported = await trx
      .selectFrom('intake_row')
      .select('id')
      .where('organisation_id', '=', actor.organisationId)
      .where('kind', '=', job.kind.slug)
      .where('row_key', '=', key)
      .where('status', '!=', 'unmapped')
      .where('id', '!=', row.id)
      .executeTakeFirst();
    if (imported) {
      throw new ValidationError([
        {
          field: job.kind.rowKey[0] ?? 'reference',
          message: 'A row with these details has been imported already, so this one is not needed',
        },
      ]);
    }
    await trx
      .updateTable('intake_row')
      .set({
        values: JSON.stringify(checked.values),
        errors: JSON.stringify(null),
        row_key: key,
        status: 'pending',
      })
      .where('id', '=', row.id)
      .execute();
    await auditIntake(trx, actor, 'intake.row.correct', [job.id, row.id]);
  });
  await db.updateTable('intake_job').set({ status: 'running' }).where('id', '=', job.id).execute();
  await runJob(db, actor, job.id);
}

/** A person's decision on a row waiting for review. */
export async function decide(
  db: Kysely<Database>,
  actor: Actor,
  rowId: string,
  decision: 'link' | 'new' | 'reject',
): Promise<{ personId: string | null }> {
  const { job, row } = await rowOf(db, actor, rowId);
  if (row.status !== 'review') throw new NotFoundError();
  const jobHeld = await jobRow(db, actor, job.id);
  return db.transaction().execute(async (trx) => {
    let personId: string | null = null;
    if (decision === 'reject') {
      await trx
        .updateTable('intake_row')
        .set({ status: 'rejected', decided_by: actor.accountId, decided_at: sql`now()` })
        .where('id', '=', row.id)
        .execute();
    } else {
      const linked = decision === 'link' && row.candidatePersonId ? row.candidatePersonId : null;
      personId = linked ?? newPersonId();
      await writeAttachments(trx, actor, jobHeld, kindOf(jobHeld), [
        {
          rowId: row.id,
          values: row.values,
          personId,
          newPerson: linked === null,
          status: decision === 'link' ? 'linked' : 'created',
          probability: row.probability,
          waterfall: row.waterfall,
          decidedBy: actor.accountId,
        },
      ]);
    }
    await auditIntake(trx, actor, `intake.row.${decision}`, [
      job.id,
      row.id,
      ...(personId ? [personId] : []),
    ]);
    return { personId };
  });
}
