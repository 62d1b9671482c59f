import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { addPartnerIdentifiers, createPersonFromPartner } from '../people/from-partner.js';
import { peopleAsRecords } from '../people/linkage/duplicates.js';
import type { Gender } from '../people/tables.js';
import { canPeople } from '../platform/access/access.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import type { StaffContext } from '../platform/auth/service.js';
import { NotFoundError, ValidationError } from '../platform/errors/errors.js';
import { isOrganisationSlug, policyFor } from '../policy/index.js';
import { intakeKinds, isIntakeKind, kindsFor, type IntakeKind } from './kinds.js';
import { matchRows } from './match.js';
import { readPartnerFile } from './read-file.js';
import type { FieldProblem, RowStatus } from './tables.js';
import { thresholdsFor } from '../people/linkage/thresholds.js';
import {
  checkRow,
  mapRow,
  mappingProblems,
  rowKey,
  suggestMapping,
  type Mapping,
} from './validate.js';

/**
 * Imports from partners (issue 15), as jobs: a file is read and kept row by
 * row, its columns mapped (saved per partner), every row checked (those
 * with errors held in the correction queue, fixable in the browser), then
 * each row matched to a person: attached, left for review, or a new person.
 * A job is resumable: `run` picks up the rows still pending. Every step is
 * audited with the job's id, which names the partner, the notice's words
 * for that source and the lawful bases the information is held under.
 */
export interface Actor {
  /** Null for the command line (an operator with the database's keys). */
  accountId: string | null;
  organisationId: string;
  organisationSlug: string;
}

export function actorOf(staff: StaffContext): Actor {
  const organisation = staff.organisation;
  if (!organisation || !canPeople(staff, 'person.write', organisation.id)) {
    throw new NotFoundError();
  }
  return {
    accountId: staff.accountId,
    organisationId: organisation.id,
    organisationSlug: organisation.slug,
  };
}

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

export interface RowView {
  id: string;
  jobId: string;
  rowNumber: number;
  status: RowStatus;
  values: Record<string, string>;
  errors: FieldProblem[];
  candidatePersonId: string | null;
  probability: number | null;
  waterfall: unknown;
  personId: string | null;
}

const CHUNK = 2_000;
const uuid = z.uuid();

export class IntakeService {
  constructor(private readonly db: Kysely<Database>) {}

  /** Reads the file and keeps every row; the columns are mapped next. */
  async upload(
    actor: Actor,
    input: { kind: string; partner: string; fileName: string; content: Buffer },
  ): Promise<string> {
    const kind = this.kindFor(actor, input.kind);
    const partner = input.partner.trim();
    const source = sourceOf(actor, kind, partner);
    const file = await readPartnerFile(input.fileName, input.content);
    return this.db.transaction().execute(async (trx) => {
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
      for (let start = 0; start < file.rows.length; start += 1_000) {
        await trx
          .insertInto('intake_row')
          .values(
            file.rows.slice(start, start + 1_000).map((cells, i) => ({
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
      await this.audit(trx, actor, 'intake.upload', [job.id]);
      return job.id;
    });
  }

  /** The mapping to offer: the partner's saved one where its columns are all here, else by name. */
  async proposedMapping(actor: Actor, jobId: string) {
    const job = await this.jobRow(actor, jobId);
    const kind = intakeKinds[job.kind as keyof typeof intakeKinds];
    const saved = await this.db
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

  /** Saves the mapping for the partner, checks every row, and leaves good rows pending. */
  async applyMapping(actor: Actor, jobId: string, mapping: Mapping): Promise<void> {
    const job = await this.jobRow(actor, jobId);
    if (job.status !== 'mapping') return;
    const kind = intakeKinds[job.kind as keyof typeof intakeKinds];
    const cleaned = Object.fromEntries(Object.entries(mapping).filter(([, column]) => column));
    const problems = mappingProblems(kind, job.headers, cleaned);
    if (problems.length > 0) throw new ValidationError(problems);
    await this.db.transaction().execute(async (trx) => {
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
      const seen = new Set<string>();
      let repeated = 0;
      for (const row of rows) {
        const checked = checkRow(kind, mapRow(kind, job.headers, cleaned, row.raw));
        const key = rowKey(kind, checked.values);
        if (seen.has(key) || (await this.keyHeld(trx, actor, kind.slug, key))) {
          // Imported before (this file twice, or an earlier file): nothing changes.
          await trx.deleteFrom('intake_row').where('id', '=', row.id).execute();
          repeated += 1;
          continue;
        }
        seen.add(key);
        await trx
          .updateTable('intake_row')
          .set({
            values: JSON.stringify(checked.values),
            errors: JSON.stringify(checked.errors.length ? checked.errors : null),
            row_key: key,
            status: checked.errors.length ? 'invalid' : 'pending',
          })
          .where('id', '=', row.id)
          .execute();
      }
      await trx
        .updateTable('intake_job')
        .set({ status: 'running', rows_repeated: repeated })
        .where('id', '=', job.id)
        .execute();
      await this.audit(trx, actor, 'intake.map', [job.id]);
    });
  }

  /**
   * Matches the pending rows, a chunk at a time, each chunk in its own
   * transaction: stopped half way, it carries on from the next pending row.
   */
  async run(
    actor: Actor,
    jobId: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<void> {
    const job = await this.jobRow(actor, jobId);
    if (job.status === 'mapping') return;
    const kind = intakeKinds[job.kind as keyof typeof intakeKinds];
    const thresholds = thresholdsFor(actor.organisationSlug);
    for (;;) {
      const done = await this.db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('intake_row')
          .select(['id', 'values'])
          .where('job_id', '=', job.id)
          .where('status', '=', 'pending')
          .orderBy('row_number')
          .limit(CHUNK)
          .forUpdate()
          .execute();
        if (rows.length === 0) return true;
        const held = await peopleAsRecords(trx, actor.organisationId);
        const values = rows.map((r) => r.values ?? {});
        const matches = matchRows(held, values, thresholds);
        const created = new Map<number, string>();
        for (const [i, row] of rows.entries()) {
          const match = matches[i];
          const v = values[i] ?? {};
          if (!match) continue;
          if (match.outcome === 'review') {
            await trx
              .updateTable('intake_row')
              .set({
                status: 'review',
                candidate_person_id: match.personId,
                probability: match.probability,
                waterfall: JSON.stringify(match.waterfall),
              })
              .where('id', '=', row.id)
              .execute();
            continue;
          }
          const earlier = match.sameAsRow === null ? undefined : created.get(match.sameAsRow);
          const personId =
            match.outcome === 'link' && match.personId
              ? match.personId
              : (earlier ?? (await this.newPerson(trx, actor, v)));
          if (match.outcome === 'new' && !earlier) created.set(i, personId);
          await this.attach(trx, actor, job, kind, row.id, personId, v, {
            status: match.outcome === 'link' || earlier ? 'linked' : 'created',
            probability: match.probability,
            waterfall: match.waterfall,
          });
        }
        await this.progress(trx, job.id);
        return false;
      });
      const counts = await this.counts(job.id);
      onProgress?.(job.rows_total - counts.unmapped - counts.pending, job.rows_total);
      if (done) break;
    }
    await this.db
      .updateTable('intake_job')
      .set({ status: 'finished', finished_at: sql`now()` })
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .execute();
  }

  /** Jobs stopped part way (a crash, a restart): `run` finishes them. */
  async unfinishedJobs(actor: Actor): Promise<{ id: string; fileName: string }[]> {
    return this.db
      .selectFrom('intake_job')
      .select(['id', 'file_name as fileName'])
      .where('organisation_id', '=', actor.organisationId)
      .where('status', '=', 'running')
      .orderBy('created_at')
      .execute();
  }

  async jobs(actor: Actor): Promise<JobSummary[]> {
    const rows = await this.db
      .selectFrom('intake_job')
      .selectAll()
      .where('organisation_id', '=', actor.organisationId)
      .orderBy('created_at', 'desc')
      .limit(50)
      .execute();
    return Promise.all(rows.map(async (job) => this.summary(job)));
  }

  async job(actor: Actor, jobId: string): Promise<{ job: JobSummary; rows: RowView[] }> {
    const job = await this.jobRow(actor, jobId);
    const rows = await this.db
      .selectFrom('intake_row')
      .selectAll()
      .where('job_id', '=', job.id)
      .where('status', 'not in', ['unmapped'])
      .orderBy('row_number')
      .limit(500)
      .execute();
    await this.db.transaction().execute((trx) => this.audit(trx, actor, 'intake.read', [job.id]));
    return { job: await this.summary(job), rows: rows.map(rowView) };
  }

  async row(actor: Actor, rowId: string): Promise<{ job: JobSummary; row: RowView }> {
    if (!uuid.safeParse(rowId).success) throw new NotFoundError();
    const row = await this.db
      .selectFrom('intake_row')
      .selectAll()
      .where('id', '=', rowId)
      .where('organisation_id', '=', actor.organisationId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError();
    const job = await this.jobRow(actor, row.job_id);
    return { job: await this.summary(job), row: rowView(row) };
  }

  /** A held row corrected in the browser: checked again, then matched like any other. */
  async correct(actor: Actor, rowId: string, input: Record<string, string>): Promise<void> {
    const { job, row } = await this.row(actor, rowId);
    if (row.status !== 'invalid') throw new NotFoundError();
    const checked = checkRow(job.kind, input);
    if (checked.errors.length > 0) throw new ValidationError(checked.errors);
    const key = rowKey(job.kind, checked.values);
    await this.db.transaction().execute(async (trx) => {
      if (await this.keyHeld(trx, actor, job.kind.slug, key, row.id)) {
        throw new ValidationError([
          {
            field: job.kind.rowKey[0] ?? 'reference',
            message:
              'A row with these details has been imported already, so this one is not needed',
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
      await this.audit(trx, actor, 'intake.row.correct', [job.id, row.id]);
    });
    await this.db
      .updateTable('intake_job')
      .set({ status: 'running' })
      .where('id', '=', job.id)
      .execute();
    await this.run(actor, job.id);
  }

  /** A person's decision on a row waiting for review. */
  async decide(
    actor: Actor,
    rowId: string,
    decision: 'link' | 'new' | 'reject',
  ): Promise<{ personId: string | null }> {
    const { job, row } = await this.row(actor, rowId);
    if (row.status !== 'review') throw new NotFoundError();
    const jobRow = await this.jobRow(actor, job.id);
    return this.db.transaction().execute(async (trx) => {
      let personId: string | null = null;
      if (decision === 'reject') {
        await trx
          .updateTable('intake_row')
          .set({ status: 'rejected', decided_by: actor.accountId, decided_at: sql`now()` })
          .where('id', '=', row.id)
          .execute();
      } else {
        personId =
          decision === 'link' && row.candidatePersonId
            ? row.candidatePersonId
            : await this.newPerson(trx, actor, row.values);
        await this.attach(trx, actor, jobRow, job.kind, row.id, personId, row.values, {
          status: decision === 'link' ? 'linked' : 'created',
          probability: row.probability,
          waterfall: row.waterfall,
          decidedBy: actor.accountId,
        });
      }
      await this.audit(trx, actor, `intake.row.${decision}`, [
        job.id,
        row.id,
        ...(personId ? [personId] : []),
      ]);
      return { personId };
    });
  }

  /**
   * What partners' files put on a person's record, newest first: theirs and
   * those of entries merged into them (a merge can be undone, so the facts
   * stay with the entry they were matched to).
   */
  async factsFor(organisationId: string, personId: string) {
    return this.db
      .selectFrom('intake_fact')
      .innerJoin('intake_row', 'intake_row.id', 'intake_fact.row_id')
      .innerJoin('intake_job', 'intake_job.id', 'intake_row.job_id')
      .select([
        'intake_fact.id',
        'intake_fact.fact',
        'intake_fact.occurred_on as occurredOn',
        'intake_fact.summary',
        'intake_fact.partner',
        'intake_job.kind',
        'intake_job.source',
      ])
      .where('intake_fact.organisation_id', '=', organisationId)
      .where((eb) =>
        eb.or([
          eb('intake_fact.person_id', '=', personId),
          eb(
            'intake_fact.person_id',
            'in',
            eb
              .selectFrom('person')
              .select('person.id')
              .where('person.merged_into_id', '=', personId),
          ),
        ]),
      )
      .orderBy('intake_fact.occurred_on', 'desc')
      .orderBy('intake_fact.created_at', 'desc')
      .execute();
  }

  // ---------------------------------------------------------------------------

  kindFor(actor: Actor, slug: string): IntakeKind {
    const kind = isIntakeKind(slug) ? intakeKinds[slug] : undefined;
    if (!kind || !kindsFor(actor.organisationSlug).includes(kind)) {
      throw new ValidationError([
        {
          field: 'kind',
          message: `Choose the kind of file: ${kindsFor(actor.organisationSlug)
            .map((k) => k.name.toLowerCase())
            .join(', ')}`,
        },
      ]);
    }
    return kind;
  }

  private async attach(
    trx: Transaction<Database>,
    actor: Actor,
    job: { id: string; partner: string },
    kind: IntakeKind,
    rowId: string,
    personId: string,
    values: Record<string, string>,
    outcome: {
      status: 'linked' | 'created';
      probability: number | null;
      waterfall: unknown;
      decidedBy?: string | null;
    },
  ): Promise<void> {
    await addPartnerIdentifiers(trx, actor.organisationId, personId, {
      nhsNumber: values.nhsNumber || null,
      upn: values.upn || null,
    });
    const facts = kind.creates(values, job.partner);
    if (facts.length > 0) {
      await trx
        .insertInto('intake_fact')
        .values(
          facts.map((f) => ({
            organisation_id: actor.organisationId,
            person_id: personId,
            row_id: rowId,
            fact: f.fact,
            occurred_on: f.occurredOn,
            summary: f.summary.slice(0, 1000),
            partner: job.partner,
          })),
        )
        .execute();
    }
    await trx
      .updateTable('intake_row')
      .set({
        status: outcome.status,
        person_id: personId,
        probability: outcome.probability,
        waterfall: JSON.stringify(outcome.waterfall ?? null),
        ...(outcome.decidedBy !== undefined
          ? { decided_by: outcome.decidedBy, decided_at: sql<Date>`now()` }
          : {}),
      })
      .where('id', '=', rowId)
      .execute();
    await this.audit(trx, actor, `intake.row.${outcome.status === 'linked' ? 'link' : 'new'}`, [
      job.id,
      rowId,
      personId,
    ]);
  }

  private newPerson(trx: Transaction<Database>, actor: Actor, v: Record<string, string>) {
    return createPersonFromPartner(trx, actor.organisationId, {
      givenName: v.givenName ?? '',
      familyName: v.familyName ?? '',
      dateOfBirth: v.dateOfBirth || null,
      gender: (v.sex || null) as Gender | null,
      addressLine1: v.addressLine1 || null,
      postcode: v.postcode || null,
      nhsNumber: v.nhsNumber || null,
      upn: v.upn || null,
    });
  }

  private async keyHeld(
    trx: Transaction<Database>,
    actor: Actor,
    kind: string,
    key: string,
    except?: string,
  ): Promise<boolean> {
    let query = trx
      .selectFrom('intake_row')
      .select('id')
      .where('organisation_id', '=', actor.organisationId)
      .where('kind', '=', kind)
      .where('row_key', '=', key)
      .where('status', '!=', 'unmapped');
    if (except) query = query.where('id', '!=', except);
    return (await query.executeTakeFirst()) !== undefined;
  }

  private async jobRow(actor: Actor, jobId: string) {
    if (!uuid.safeParse(jobId).success) throw new NotFoundError();
    const job = await this.db
      .selectFrom('intake_job')
      .selectAll()
      .where('id', '=', jobId)
      .where('organisation_id', '=', actor.organisationId)
      .executeTakeFirst();
    if (!job) throw new NotFoundError();
    return job;
  }

  private async counts(jobId: string): Promise<Record<RowStatus, number>> {
    const rows = await this.db
      .selectFrom('intake_row')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('job_id', '=', jobId)
      .groupBy('status')
      .execute();
    const counts = {
      unmapped: 0,
      invalid: 0,
      pending: 0,
      review: 0,
      linked: 0,
      created: 0,
      rejected: 0,
    };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  private async progress(trx: Transaction<Database>, jobId: string): Promise<void> {
    await trx
      .updateTable('intake_job')
      .set({
        rows_done: sql<number>`(select count(*) from intake_row where job_id = ${jobId}
          and status not in ('unmapped', 'pending'))`,
      })
      .where('id', '=', jobId)
      .execute();
  }

  private async summary(job: Awaited<ReturnType<IntakeService['jobRow']>>): Promise<JobSummary> {
    return {
      id: job.id,
      kind: intakeKinds[job.kind as keyof typeof intakeKinds],
      partner: job.partner,
      fileName: job.file_name,
      status: job.status,
      source: job.source,
      lawfulBases: job.lawful_bases,
      createdAt: job.created_at,
      rowsTotal: job.rows_total,
      rowsRepeated: job.rows_repeated,
      counts: await this.counts(job.id),
    };
  }

  private audit(trx: Transaction<Database>, actor: Actor, action: string, ids: string[]) {
    return recordAudit(trx, {
      action,
      actorAccountId: actor.accountId,
      organisationId: actor.organisationId,
      objectType: 'intake-job',
      objectIds: ids,
      // The job names the partner, the notice's words for the source and the lawful bases.
      purpose: 'information-from-partners',
    });
  }
}

function rowView(row: {
  id: string;
  job_id: string;
  row_number: number;
  status: RowStatus;
  values: Record<string, string> | null;
  errors: FieldProblem[] | null;
  candidate_person_id: string | null;
  probability: number | null;
  waterfall: unknown;
  person_id: string | null;
}): RowView {
  return {
    id: row.id,
    jobId: row.job_id,
    rowNumber: row.row_number,
    status: row.status,
    values: row.values ?? {},
    errors: row.errors ?? [],
    candidatePersonId: row.candidate_person_id,
    probability: row.probability,
    waterfall: row.waterfall,
    personId: row.person_id,
  };
}

/** The notice's own words for where this comes from. */
function sourceOf(actor: Actor, kind: IntakeKind, partner: string): string {
  if (partner === '') {
    throw new ValidationError([{ field: 'partner', message: 'Enter who sent the file' }]);
  }
  if (partner.length > 120) {
    throw new ValidationError([
      { field: 'partner', message: 'Who sent the file must be 120 characters or fewer' },
    ]);
  }
  const policy = isOrganisationSlug(actor.organisationSlug)
    ? policyFor(actor.organisationSlug)
    : null;
  const wording = kind.partners ? kind.partners.find((p) => p === partner) : kind.noticeWording;
  if (kind.partners && !wording) {
    throw new ValidationError([
      { field: 'partner', message: 'Choose which of the agencies the notice names sent the file' },
    ]);
  }
  const item = policy?.sources.items.find((s) => s.noticeWording === wording);
  return item ? `${item.description} (“${item.noticeWording}”)` : (wording ?? partner);
}

function lawfulBasesOf(actor: Actor, kind: IntakeKind): string {
  const policy = isOrganisationSlug(actor.organisationSlug)
    ? policyFor(actor.organisationSlug)
    : null;
  const category = policy?.categories.find((c) => c.slug === kind.category);
  return (category?.lawfulBases ?? []).map((b) => `Article ${b.article}: ${b.name}`).join('; ');
}
