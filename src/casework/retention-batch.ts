/**
 * Every record's retention assessed again in bulk: what a county's whole
 * case load needs after a policy change or a bulk load (issue 16: "due-date
 * recompute of all records"). The same pure engine and the same stored
 * answer as assessAndStoreRetention (casework/retention.ts), but a batch of
 * records is read in two queries (records, then their subjects' dates) and
 * written back in one UPDATE … FROM unnest, instead of four statements a
 * record: at 5,000,000 records the per-record round trips were the cost.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { factColumns } from './categories.js';
import { factsOf, londonToday, storedRetentionFor, type StoredRetention } from './retention.js';

const BATCH = 10_000;

export interface ReassessOptions {
  /** Only this organisation's records (a policy change is one organisation's). */
  organisationId?: string;
  batchSize?: number;
  today?: string;
  /** Told after each batch with the records assessed so far. */
  onProgress?: (assessed: number) => void;
}

export interface ReassessResult {
  /** Active records assessed. */
  assessed: number;
  /** Of those, records whose stored answer changed and was written. */
  written: number;
}

/**
 * Assesses every active record (kept records had their retention decided
 * when they were kept: retention/record-states.ts) and stores the answer
 * where it differs from what is stored: a record whose answer is the same
 * is not rewritten, so a policy change touching one category rewrites that
 * category's records and reads the rest. Each batch is its own statement:
 * a run stopped part-way leaves every record either old-and-consistent or
 * newly assessed, and running it again finishes the job.
 */
export async function reassessAllRecords(
  db: Kysely<Database>,
  options: ReassessOptions = {},
): Promise<ReassessResult> {
  const today = options.today ?? londonToday();
  const batchSize = options.batchSize ?? BATCH;
  const slugs = new Map(
    (await db.selectFrom('organisation').select(['id', 'slug']).execute()).map((o) => [
      o.id,
      o.slug,
    ]),
  );
  const factColumnNames = Object.values(factColumns);
  let cursor = '00000000-0000-0000-0000-000000000000';
  let assessed = 0;
  let written = 0;
  for (;;) {
    let query = db
      .selectFrom('case_record')
      .select([
        'id',
        'organisation_id',
        'category',
        'closed_on',
        'child_died',
        'outcome',
        'retention_status',
        'retention_due',
        'retention_action',
        'retention_rule_id',
        'retention_needs_review',
        'retention_explanation',
        ...factColumnNames,
      ])
      .where('id', '>', cursor)
      .where('record_state', '=', 'active')
      .orderBy('id')
      .limit(batchSize);
    if (options.organisationId) query = query.where('organisation_id', '=', options.organisationId);
    const records = await query.execute();
    const last = records.at(-1);
    if (!last) break;
    cursor = last.id;
    const ids = records.map((r) => r.id);
    const subjects = new Map(
      (
        await db
          .selectFrom('record_party')
          .innerJoin('person', 'person.id', 'record_party.person_id')
          .select(['record_party.record_id', 'person.date_of_birth', 'person.date_of_death'])
          .where('record_party.record_id', '=', sql<string>`any(${ids}::uuid[])`)
          .where('record_party.role', '=', 'subject')
          .execute()
      ).map((s) => [s.record_id, { dateOfBirth: s.date_of_birth, dateOfDeath: s.date_of_death }]),
    );
    const changed: { id: string; stored: StoredRetention }[] = [];
    for (const record of records) {
      const stored = storedRetentionFor(
        slugs.get(record.organisation_id) ?? '',
        record.category,
        factsOf(record, subjects.get(record.id)),
        today,
      );
      if (
        record.retention_status !== stored.status ||
        record.retention_due !== stored.due ||
        record.retention_action !== stored.action ||
        record.retention_rule_id !== stored.ruleId ||
        record.retention_needs_review !== stored.needsReview ||
        record.retention_explanation !== stored.explanation
      ) {
        changed.push({ id: record.id, stored });
      }
    }
    if (changed.length > 0) {
      const column = <T>(pick: (s: StoredRetention) => T) => changed.map((c) => pick(c.stored));
      await sql`
        update case_record c set
          retention_status = v.status,
          retention_due = v.due,
          retention_action = v.action,
          retention_rule_id = v.rule_id,
          retention_needs_review = v.needs_review,
          retention_explanation = v.explanation,
          retention_assessed_at = now()
        from unnest(
          ${changed.map((c) => c.id)}::uuid[],
          ${column((s) => s.status)}::text[],
          ${column((s) => s.due)}::date[],
          ${column((s) => s.action)}::text[],
          ${column((s) => s.ruleId)}::text[],
          ${column((s) => s.needsReview)}::boolean[],
          ${column((s) => s.explanation)}::text[]
        ) as v(id, status, due, action, rule_id, needs_review, explanation)
        where c.id = v.id and c.record_state = 'active'
      `.execute(db);
    }
    assessed += records.length;
    written += changed.length;
    options.onProgress?.(assessed);
  }
  return { assessed, written };
}
