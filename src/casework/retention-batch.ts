/**
 * Every record's retention assessed again in bulk: what a county's whole
 * case load needs after a policy change or a bulk load (issue 16: "due-date
 * recompute of all records"). The same pure engine and the same stored
 * answer as assessAndStoreRetention (casework/retention.ts), asked once per
 * *shape* of record rather than once per record (decision 0056).
 *
 * A record's answer depends only on its organisation, its category and the
 * facts the engine reads for that category (retention/facts-read.ts): a
 * Kent SCS child-in-need record reads its subject's date of birth and
 * nothing else, so its closure date cannot change its answer. PostgreSQL
 * masks each record's facts down to those (the "shape"), groups the records
 * by shape, and the engine answers each shape once, in Node, from the
 * shape's own facts; one UPDATE then writes each answer to every record of
 * its shape whose stored answer differs. At 5,000,000 records there are
 * tens of thousands of shapes, so the engine's own speed stops mattering
 * and the records never leave the database.
 *
 * Masking is exact only while the facts are ones the engine would accept:
 * a record with a date outside the years any date field takes keeps all
 * its facts (its answer names the bad date), and the facts the validator
 * compares with each other are kept whenever a comparison could fail.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { EARLIEST_YEAR, LATEST_YEAR } from '../platform/validation/dates.js';
import { isOrganisationSlug, policyFor } from '../policy/index.js';
import { dateFactNames, type FactName } from '../policy/types.js';
import { crossCheckedFacts, crossCheckTriggers, factsReadBy } from '../retention/facts-read.js';
import { factColumns } from './categories.js';
import { factsOf, londonToday, storedRetentionFor, type StoredRetention } from './retention.js';

export interface ReassessOptions {
  /** Only this organisation's records (a policy change is one organisation's). */
  organisationId?: string;
  /** Only records whose id is after this one and at most `throughId` (a policy change's batch). */
  afterId?: string;
  throughId?: string;
  today?: string;
  /** Told once the answers are written, with the records assessed. */
  onProgress?: (assessed: number) => void;
}

export interface ReassessResult {
  /** Active records assessed. */
  assessed: number;
  /** Of those, records whose stored answer changed and was written. */
  written: number;
  /** Distinct shapes the engine was asked about. */
  shapes: number;
}

/** Where each fact comes from: `c` is the record, `p` its subject (none: nulls). */
const factSource: Record<FactName, string> = {
  dateOfBirth: 'p.date_of_birth',
  dateOfDeath: 'p.date_of_death',
  closureDate: 'c.closed_on',
  ...(Object.fromEntries(
    Object.entries(factColumns).map(([fact, column]) => [fact, `c.${column}`]),
  ) as Record<keyof typeof factColumns, string>),
  childDied: 'c.child_died',
  outcome: 'c.outcome',
};
const facts = Object.keys(factSource) as FactName[];
/** Each fact's column in a shape: f_ and the fact's name in lower case. */
const shapeColumn = (fact: FactName) => `f_${fact.toLowerCase()}`;

interface ShapeRow {
  organisation_id: string;
  category: string;
  key: string;
  records: number | string;
  [column: `f_${string}`]: string | boolean | null;
}

/**
 * Every active record (kept records had their retention decided when they
 * were kept: retention/record-states.ts) as its shape: id, organisation,
 * category, its masked facts (f_…) and `key`, the shape as one text.
 */
function shapedRecords(
  organisations: readonly { id: string; slug: string }[],
  options: Pick<ReassessOptions, 'organisationId' | 'afterId' | 'throughId'>,
): RawBuilder<unknown> {
  // Which facts each (organisation, category) reads, as a small table joined
  // to the records: a record of a category no policy holds reads none.
  const reads = organisations.flatMap((organisation) =>
    isOrganisationSlug(organisation.slug)
      ? policyFor(organisation.slug).categories.map((category) => {
          const read = factsReadBy(category);
          return sql`(${organisation.id}::uuid, ${category.slug}::text, ${sql.join(
            facts.map((fact) => sql`${read.has(fact)}::boolean`),
          )})`;
        })
      : [],
  );
  const readColumns = sql.join(facts.map((fact) => sql.ref(`r_${fact.toLowerCase()}`)));
  const outOfRange = sql.join(
    dateFactNames.map(
      (fact) =>
        sql`${sql.raw(factSource[fact])} not between ${`${EARLIEST_YEAR}-01-01`}::date and ${`${LATEST_YEAR}-12-31`}::date`,
    ),
    sql` or `,
  );
  const crossCheck = sql.join(
    crossCheckTriggers.map((fact) => sql`${sql.raw(factSource[fact])} is not null`),
    sql` or `,
  );
  const masked = facts.map((fact) => {
    const keep = [sql.ref(`r.r_${fact.toLowerCase()}`)];
    if (crossCheckedFacts.includes(fact)) keep.push(sql`k.cross_check`);
    keep.push(sql`k.out_of_range`);
    return sql`case when ${sql.join(keep, sql` or `)} then ${sql.raw(factSource[fact])} end as ${sql.ref(shapeColumn(fact))}`;
  });
  // The two conditions once a record (offset 0 keeps PostgreSQL from
  // copying them into every column's case).
  return sql`
    select c.id, c.organisation_id, c.category, ${sql.join(masked)}
    from case_record c
      left join record_party rp on rp.record_id = c.id and rp.role = 'subject'
      left join person p on p.id = rp.person_id
      ${
        reads.length > 0
          ? sql`left join (values ${sql.join(reads)}) as r(organisation_id, category, ${readColumns})
              on r.organisation_id = c.organisation_id and r.category = c.category`
          : sql`left join (select ${sql.join(facts.map((f) => sql`false as ${sql.ref(`r_${f.toLowerCase()}`)}`))}) r on false`
      }
      cross join lateral (
        select ${crossCheck} as cross_check, (${outOfRange}) as out_of_range offset 0
      ) k
    where c.record_state = 'active'
      ${options.organisationId ? sql`and c.organisation_id = ${options.organisationId}::uuid` : sql``}
      ${options.afterId ? sql`and c.id > ${options.afterId}::uuid` : sql``}
      ${options.throughId ? sql`and c.id <= ${options.throughId}::uuid` : sql``}
  `;
}

/** The shape as one text, unambiguous (quote_nullable tells null from any value). */
const shapeKey = sql.raw(
  `concat_ws('|', s.organisation_id, quote_literal(s.category), ${facts
    .map((fact) => `quote_nullable(s.${shapeColumn(fact)}::text)`)
    .join(', ')})`,
);

/**
 * Assesses every active record and stores the answer where it differs from
 * what is stored: a record whose answer is the same is not rewritten, so a
 * policy change touching one category rewrites that category's records and
 * reads the rest. The answers are written in one statement: a run stopped
 * part-way has written nothing, and running it again does the job.
 */
export async function reassessAllRecords(
  db: Kysely<Database>,
  options: ReassessOptions = {},
): Promise<ReassessResult> {
  // Each pass over every record its own transaction: at county scale a
  // statement outlasts the app's statement timeout (which is for
  // requests), and the engine's minutes between the two passes would
  // outlast its idle-in-transaction timeout.
  const bulk = <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
    db.transaction().execute(async (trx) => {
      await sql`set local statement_timeout = 0`.execute(trx);
      await sql`set local jit = off`.execute(trx);
      return work(trx);
    });
  return reassess(bulk, options);
}

/** The same, in the caller's transaction (a policy change's batch with its bookkeeping). */
export async function reassessRecords(
  trx: Transaction<Database>,
  options: ReassessOptions = {},
): Promise<ReassessResult> {
  return reassess((work) => work(trx), options);
}

async function reassess(
  run: <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T>,
  options: ReassessOptions,
): Promise<ReassessResult> {
  const today = options.today ?? londonToday();
  const { organisations, shapes } = await run(async (trx) => {
    const organisations = await trx.selectFrom('organisation').select(['id', 'slug']).execute();
    const records = shapedRecords(organisations, options);
    const columns = sql.join(facts.map((f) => sql.ref(`s.${shapeColumn(f)}`)));
    const { rows } = await sql<ShapeRow>`
      select s.organisation_id, s.category, ${columns}, ${shapeKey} as key, count(*) as records
      from (${records}) s
      group by s.organisation_id, s.category, ${columns}
    `.execute(trx);
    return { organisations, shapes: rows };
  });
  const slugs = new Map(organisations.map((o) => [o.id, o.slug]));
  const records = shapedRecords(organisations, options);
  const answers = shapes.map((shape) =>
    storedRetentionFor(
      slugs.get(shape.organisation_id) ?? '',
      shape.category,
      factsOfShape(shape),
      today,
    ),
  );
  const assessed = shapes.reduce((sum, shape) => sum + Number(shape.records), 0);
  let written = 0;
  if (shapes.length > 0) {
    const column = <T>(pick: (s: StoredRetention) => T) => answers.map(pick);
    const result = await run((trx) =>
      sql`
      update case_record c set
        retention_status = a.status,
        retention_due = a.due,
        retention_action = a.action,
        retention_rule_id = a.rule_id,
        retention_needs_review = a.needs_review,
        retention_explanation = a.explanation,
        retention_assessed_at = now()
      from (${records}) s
        join unnest(
          ${shapes.map((s) => s.key)}::text[],
          ${column((s) => s.status)}::text[],
          ${column((s) => s.due)}::date[],
          ${column((s) => s.action)}::text[],
          ${column((s) => s.ruleId)}::text[],
          ${column((s) => s.needsReview)}::boolean[],
          ${column((s) => s.explanation)}::text[]
        ) as a(key, status, due, action, rule_id, needs_review, explanation)
          on a.key = ${shapeKey}
      where c.id = s.id
        and (c.retention_status, c.retention_due, c.retention_action, c.retention_rule_id,
             c.retention_needs_review, c.retention_explanation)
          is distinct from (a.status, a.due, a.action, a.rule_id, a.needs_review, a.explanation)
    `.execute(trx),
    );
    written = Number(result.numAffectedRows ?? 0);
  }
  options.onProgress?.(assessed);
  return { assessed, written, shapes: shapes.length };
}

/** A shape's facts as the engine's input: the masked columns, absent where null. */
function factsOfShape(shape: ShapeRow): Record<string, string | boolean> {
  const value = (fact: FactName) => shape[`f_${fact.toLowerCase()}`] ?? null;
  const date = (fact: FactName) => value(fact) as string | null;
  return factsOf(
    {
      closed_on: date('closureDate'),
      child_died: value('childDied') as boolean | null,
      outcome: date('outcome'),
      ...(Object.fromEntries(
        Object.entries(factColumns).map(([fact, column]) => [column, date(fact as FactName)]),
      ) as Record<(typeof factColumns)[keyof typeof factColumns], string | null>),
    },
    { dateOfBirth: date('dateOfBirth'), dateOfDeath: date('dateOfDeath') },
  );
}
