/**
 * The file of a rights request itself (issue 12 item 6; decision 0021): the
 * sweep destroys a finished request once the policy's years have passed
 * since it finished (closed, or responded to). Kept still: under a legal
 * hold (on the request, on its subject, or on the category
 * `rights-request`), while a restriction it placed is in force, while a
 * complaint about it is open, or while a reviewer decided to keep it.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import { organisationSlugs } from '../policy/index.js';
import { rightsRequestRetentionFor } from '../policy/retention-actions.js';
import { finishedRequestStates } from './people-without-records.js';

/** The category name holds and certificates use for rights requests. */
export const RIGHTS_REQUEST_CATEGORY = 'rights-request';

type RequestRow = ExpressionBuilder<Database, 'rights_request' | 'organisation'>;

/** When the request finished: closed, else responded to. */
const finishedOn = sql<string>`coalesce((rights_request.closed_at at time zone 'Europe/London')::date, rights_request.responded_on)`;

function dueBy(eb: RequestRow, asOf: string): Expression<SqlBool> {
  const on = Temporal.PlainDate.from(asOf);
  return eb.and([
    eb('rights_request.state', 'in', [...finishedRequestStates]),
    eb(finishedOn, 'is not', null),
    eb.or(
      organisationSlugs.map((slug) =>
        eb.and([
          eb('organisation.slug', '=', slug),
          eb(
            finishedOn,
            '<=',
            on.subtract({ years: rightsRequestRetentionFor(slug).years }).toString(),
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
          .whereRef('h.organisation_id', '=', 'rights_request.organisation_id')
          .where((hold) =>
            hold.or([
              hold.and([
                hold('h.scope', '=', 'record'),
                hold('h.record_id', '=', hold.ref('rights_request.id')),
              ]),
              hold.and([
                hold('h.scope', '=', 'person'),
                hold('h.person_id', '=', hold.ref('rights_request.subject_person_id')),
              ]),
              hold.and([
                hold('h.scope', '=', 'category'),
                hold('h.category', '=', RIGHTS_REQUEST_CATEGORY),
              ]),
            ]),
          ),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('restriction as rs')
          .select(sql`1`.as('one'))
          .where('rs.lifted_at', 'is', null)
          .whereRef('rs.request_id', '=', 'rights_request.id'),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('complaint_link as l')
          .innerJoin('complaint as c', 'c.id', 'l.complaint_id')
          .select(sql`1`.as('one'))
          .whereRef('l.rights_request_id', '=', 'rights_request.id')
          .where('c.state', '!=', 'closed'),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('retention_decision as d')
          .select(sql`1`.as('one'))
          .whereRef('d.record_id', '=', 'rights_request.id')
          .where('d.decision', '=', 'keep-until')
          .where('d.keep_until', '>', asOf),
      ),
    ),
  ]);
}

export async function dueRequestGroups(db: Kysely<Database>, asOf: string) {
  const rows = await db
    .selectFrom('rights_request')
    .innerJoin('organisation', 'organisation.id', 'rights_request.organisation_id')
    .select((eb) => ['organisation.slug as organisation', eb.fn.countAll<number>().as('records')])
    .where((eb) => dueBy(eb, asOf))
    .groupBy('organisation.slug')
    .execute();
  return rows.map((r) => ({
    organisation: r.organisation,
    category: RIGHTS_REQUEST_CATEGORY,
    rule: rightsRequestRetentionFor(r.organisation).ruleId,
    records: Number(r.records),
  }));
}

export function nextDueRequests(db: Kysely<Database>, asOf: string, limit: number) {
  return db
    .selectFrom('rights_request')
    .innerJoin('organisation', 'organisation.id', 'rights_request.organisation_id')
    .select([
      'rights_request.id',
      'rights_request.organisation_id',
      'organisation.slug as organisation',
      finishedOn.as('finished_on'),
    ])
    .where((eb) => dueBy(eb, asOf))
    .orderBy('rights_request.id')
    .limit(limit)
    .forUpdate('rights_request')
    .skipLocked()
    .execute();
}

/**
 * Destroys the requests (locked by the caller) and everything that is only
 * theirs; what belongs elsewhere forgets them: an annotation stays with its
 * record, a restriction (lifted) with what it restricted, a later request
 * that named this one as related keeps its own file.
 */
export async function destroyRequests(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  await db
    .updateTable('rights_request')
    .set({ related_request_id: null })
    .where('related_request_id', 'in', ids)
    .execute();
  await db
    .updateTable('restriction')
    .set({ request_id: null })
    .where('request_id', 'in', ids)
    .execute();
  await db
    .updateTable('rights_annotation')
    .set({ request_id: null })
    .where('request_id', 'in', ids)
    .execute();
  const deleted = await db.deleteFrom('rights_request').where('id', 'in', ids).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
