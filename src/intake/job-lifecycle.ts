import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { auditIntake, type Actor } from './actor.js';
import { intakeKinds, type IntakeKind } from './kinds.js';
import { readPartnerFile } from './read-file.js';
import { kindFor, lawfulBasesOf, sourceOf } from './source.js';
import { rowView, type RowView } from './row-view.js';
import type { RowStatus } from './tables.js';
import {
  checkRow,
  mapRow,
  mappingProblems,
  rowKey,
  suggestMapping,
  type Mapping,
} from './validate.js';

/**
 * A job from file to pending rows: the file read and kept row by row, its
 * columns mapped (saved per partner), every row checked and keyed. Rows
 * with errors wait in the correction queue (review-and-correction.ts);
 * good rows wait for matching (run-job.ts).
 */
export interface JobSummary {
  id: string;
  kind: IntakeKind;
  partner: string;
  fileName: string;
  status: 'mapping' | 'running' | 'finished';
  source: string;
  lawfulBases: string;
  createdAt: Date;
  rowsTotal: number;
  rowsRepeated: number;
  counts: Record<RowStatus, number>;
}

const uuid = z.uuid();
/** Rows a statement carries when the file is stored and when rows are checked. */
const BATCH = 1_000;

export type JobRow = Awaited<ReturnType<typeof jobRow>>;

export async function jobRow(db: Kysely<Database>, actor: Actor, jobId: string) {
  if (!uuid.safeParse(jobId).success) throw new NotFoundError();
  const job = await db
    .selectFrom('intake_job')
    .selectAll()
    .where('id', '=', jobId)
    .where('organisation_id', '=', actor.organisationId)
    .executeTakeFirst();
  if (!job) throw new NotFoundError();
  return job;
}

export function kindOf(job: JobRow): IntakeKind {
  return intakeKinds[job.kind as keyof typeof intakeKinds];
}

/** Reads the file and keeps every row; the columns are mapped next. */
export async function upload(
  db: Kysely<Database>,
  actor: Actor,
  input: { kind: string; partner: string; fileName: string; content: Buffer },
): Promise<string> {
  const kind = kindFor(actor, input.kind);
  const partner = input.partner.trim();
  const source = sourceOf(actor, kind, partner);
  const file = await readPartnerFile(input.fileName, input.content);
  return db.transaction().execute(async (trx) => {
    const job = await trx
      .insertInto('intake_job')
      .values({
        organisation_id: actor.organisationId,
        kind: kind.slug,
        partner,
        file_name: input.fileName.slice(-255) || 'file',
        file_hash: createHash('sha256').update(input.content).digest('hex'),
        headers: JSON.stringify(file.headers),
        source,
        lawful_bases: lawfulBasesOf(actor, kind),
        rows_total: file.rows.length,
        created_by: actor.accountId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let start = 0; start < file.rows.length; start += BATCH) {
      await trx
        .insertInto('intake_row')
        .values(
          file.rows.slice(start, start + BATCH).map((cells, i) => ({
            job_id: job.id,
            organisation_id: actor.organisationId,
            kind: kind.slug,
            row_number: start + i + 1,
            row_key: `unmapped:${job.id}:${start + i + 1}`,
            raw: JSON.stringify(cells),
            values: JSON.stringify(null),
            errors: JSON.stringify(null),
            status: 'unmapped' as const,
            waterfall: JSON.stringify(null),
          })),
        )
        .execute();
    }
    await auditIntake(trx, actor, 'intake.upload', [job.id]);
    return job.id;
  });
}

/** The mapping to offer: the partner's saved one where its columns are all here, else by name. */
export async function proposedMapping(db: Kysely<Database>, actor: Actor, jobId: string) {
  const job = await jobRow(db, actor, jobId);
  const kind = kindOf(job);
  const saved = await db
    .selectFrom('intake_mapping')
    .select('columns')
    .where('organisation_id', '=', actor.organisationId)
    .where('kind', '=', job.kind)
    .where('partner', '=', job.partner)
    .executeTakeFirst();
  const fits =
    saved && Object.values(saved.columns).every((column) => job.headers.includes(column));
  return {
    kind,
    headers: job.headers,
    mapping: fits ? saved.columns : suggestMapping(kind, job.headers),
    savedForPartner: Boolean(fits),
  };
}

/**
 * Saves the mapping for the partner, checks every row, and leaves good rows
 * pending. A row whose key was imported before (earlier in this file, or in
 * an earlier file) is removed: importing it again changes nothing.
 */
export async function applyMapping(
  db: Kysely<Database>,
  actor: Actor,
  jobId: string,
  mapping: Mapping,
): Promise<void> {
  const job = await jobRow(db, actor, jobId);
  if (job.status !== 'mapping') return;
  const kind = kindOf(job);
  const cleaned = Object.fromEntries(Object.entries(mapping).filter(([, column]) => column));
  const problems = mappingProblems(kind, job.headers, cleaned);
  if (problems.length > 0) throw new ValidationError(problems);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('intake_mapping')
      .values({
        organisation_id: actor.organisationId,
        kind: kind.slug,
        partner: job.partner,
        columns: JSON.stringify(cleaned),
      })
      .onConflict((oc) =>
        oc.columns(['organisation_id', 'kind', 'partner']).doUpdateSet({
          columns: JSON.stringify(cleaned),
          updated_at: sql`now()`,
        }),
      )
      .execute();
    const rows = await trx
      .selectFrom('intake_row')
      .select(['id', 'raw'])
      .where('job_id', '=', job.id)
      .where('status', '=', 'unmapped')
      .orderBy('row_number')
      .execute();
    const checked = rows.map((row) => {
      const c = checkRow(kind, mapRow(kind, job.headers, cleaned, row.raw));
      return { id: row.id, ...c, key: rowKey(kind, c.values) };
    });
    // Keys imported by earlier jobs, read in batches rather than row by row.
    const keys = [...new Set(checked.map((c) => c.key))];
    const held = new Set<string>();
    for (let start = 0; start < keys.length; start += BATCH) {
      const found = await trx
        .selectFrom('intake_row')
        .select('row_key')
        .where('organisation_id', '=', actor.organisationId)
        .where('kind', '=', kind.slug)
        .where('status', '!=', 'unmapped')
        .where('row_key', 'in', keys.slice(start, start + BATCH))
        .execute();
      for (const f of found) held.add(f.row_key);
    }
    const seen = new Set<string>();
    const repeated: string[] = [];
    const kept: typeof checked = [];
    for (const c of checked) {
      if (seen.has(c.key) || held.has(c.key)) repeated.push(c.id);
      else kept.push(c);
      seen.add(c.key);
    }
    for (let start = 0; start < repeated.length; start += BATCH) {
      await trx
        .deleteFrom('intake_row')
        .where('id', 'in', repeated.slice(start, start + BATCH))
        .execute();
    }
    for (let start = 0; start < kept.length; start += BATCH) {
      await sql`
        update intake_row as r
           set "values" = v."values", errors = v.errors, row_key = v.row_key, status = v.status
          from jsonb_to_recordset(${JSON.stringify(
            kept.slice(start, start + BATCH).map((c) => ({
              id: c.id,
              values: c.values,
              errors: c.errors.length ? c.errors : null,
              row_key: c.key,
              status: c.errors.length ? 'invalid' : 'pending',
            })),
          )}::jsonb) as v(id uuid, "values" jsonb, errors jsonb, row_key text, status text)
         where r.id = v.id`.execute(trx);
    }
    await trx
      .updateTable('intake_job')
      .set({ status: 'running', rows_repeated: repeated.length })
      .where('id', '=', job.id)
      .execute();
    await auditIntake(trx, actor, 'intake.map', [job.id]);
  });
}

/** Jobs stopped part way (a crash, a restart): `run` finishes them. */
export async function unfinishedJobs(
  db: Kysely<Database>,
  actor: Actor,
): Promise<{ id: string; fileName: string }[]> {
  return db
    .selectFrom('intake_job')
    .select(['id', 'file_name as fileName'])
    .where('organisation_id', '=', actor.organisationId)
    .where('status', '=', 'running')
    .orderBy('created_at')
    .execute();
}

export async function jobs(db: Kysely<Database>, actor: Actor): Promise<JobSummary[]> {
  const rows = await db
    .selectFrom('intake_job')
    .selectAll()
    .where('organisation_id', '=', actor.organisationId)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return Promise.all(rows.map(async (job) => summary(db, job)));
}

/** A job's page: the job and its first rows (read, so audited). */
export async function jobWithRows(
  db: Kysely<Database>,
  actor: Actor,
  jobId: string,
): Promise<{ job: JobSummary; rows: RowView[] }> {
  const job = await jobRow(db, actor, jobId);
  const rows = await db
    .selectFrom('intake_row')
    .selectAll()
    .where('job_id', '=', job.id)
    .where('status', 'not in', ['unmapped'])
    .orderBy('row_number')
    .limit(500)
    .execute();
  await db.transaction().execute((trx) => auditIntake(trx, actor, 'intake.read', [job.id]));
  return { job: await summary(db, job), rows: rows.map(rowView) };
}

export async function counts(
  db: Kysely<Database>,
  jobId: string,
): Promise<Record<RowStatus, number>> {
  const rows = await db
    .selectFrom('intake_row')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('job_id', '=', jobId)
    .groupBy('status')
    .execute();
  const counted = {
    unmapped: 0,
    invalid: 0,
    pending: 0,
    review: 0,
    linked: 0,
    created: 0,
    rejected: 0,
  };
  for (const r of rows) counted[r.status] = Number(r.n);
  return counted;
}

export async function summary(db: Kysely<Database>, job: JobRow): Promise<JobSummary> {
  return {
    id: job.id,
    kind: kindOf(job),
    partner: job.partner,
    fileName: job.file_name,
    status: job.status,
    source: job.source,
    lawfulBases: job.lawful_bases,
    createdAt: job.created_at,
    rowsTotal: job.rows_total,
    rowsRepeated: job.rows_repeated,
    counts: await counts(db, job.id),
  };
}
