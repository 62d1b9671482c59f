/**
 * The kept file of a statutory return (issue 17; migration 0072): the sweep
 * destroys it once the policy's years have passed since the date the
 * return is for (policy/retention-actions.ts, statutoryReturnFileRetentionFor).
 * The return's row stays: the disclosure happened and is recorded for good
 * (who, when, which records, the file's hash); only the copy of the file
 * goes, and the row says when. A legal hold on the category
 * `statutory-return-file` keeps every file of the organisation.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import {
  STATUTORY_RETURN_FILE_CATEGORY,
  statutoryReturnFileRetentionFor,
} from '../policy/retention-actions.js';
import { organisationSlugs } from '../policy/index.js';

type ReturnRow = ExpressionBuilder<Database, 'statutory_return' | 'organisation'>;

function dueBy(eb: ReturnRow, asOf: string): Expression<SqlBool> {
  const on = Temporal.PlainDate.from(asOf);
  return eb.and([
    eb('statutory_return.file_destroyed_at', 'is', null),
    eb.exists(
      eb
        .selectFrom('statutory_return_file as f')
        .select(sql`1`.as('one'))
        .whereRef('f.return_id', '=', 'statutory_return.id'),
    ),
    eb.or(
      organisationSlugs.map((slug) =>
        eb.and([
          eb('organisation.slug', '=', slug),
          eb(
            'statutory_return.reference_date',
            '<=',
            on.subtract({ years: statutoryReturnFileRetentionFor(slug).years }).toString(),
          ),
        ]),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('retention_hold as h')
          .select(sql`1`.as('one'))
          .where('h.released_at', 'is', null)
          .whereRef('h.organisation_id', '=', 'statutory_return.organisation_id')
          .where('h.scope', '=', 'category')
          .where('h.category', '=', STATUTORY_RETURN_FILE_CATEGORY),
      ),
    ),
  ]);
}

export async function dueReturnFileGroups(db: Kysely<Database>, asOf: string) {
  const rows = await db
    .selectFrom('statutory_return')
    .innerJoin('organisation', 'organisation.id', 'statutory_return.organisation_id')
    .select((eb) => ['organisation.slug as organisation', eb.fn.countAll<number>().as('records')])
    .where((eb) => dueBy(eb, asOf))
    .groupBy('organisation.slug')
    .execute();
  return rows.map((r) => ({
    organisation: r.organisation,
    category: STATUTORY_RETURN_FILE_CATEGORY,
    rule: statutoryReturnFileRetentionFor(r.organisation).ruleId,
    records: Number(r.records),
  }));
}

export function nextDueReturnFiles(db: Kysely<Database>, asOf: string, limit: number) {
  return db
    .selectFrom('statutory_return')
    .innerJoin('organisation', 'organisation.id', 'statutory_return.organisation_id')
    .select([
      'statutory_return.id',
      'statutory_return.organisation_id',
      'organisation.slug as organisation',
      'statutory_return.reference_date',
    ])
    .where((eb) => dueBy(eb, asOf))
    .orderBy('statutory_return.id')
    .limit(limit)
    .forUpdate('statutory_return')
    .skipLocked()
    .execute();
}

/** Destroys the kept files of these returns (locked by the caller) and marks each row with when. */
export async function destroyReturnFiles(
  db: Kysely<Database>,
  ids: readonly string[],
  at: Date,
): Promise<number> {
  if (ids.length === 0) return 0;
  const deleted = await db
    .deleteFrom('statutory_return_file')
    .where('return_id', 'in', ids)
    .executeTakeFirst();
  await db
    .updateTable('statutory_return')
    .set({ file_destroyed_at: at })
    .where('id', 'in', ids)
    .execute();
  return Number(deleted.numDeletedRows);
}
