/**
 * People held in no record (issue 12 item 13; decision 0020): a person is
 * held for the purpose of the records they take part in, so one in none —
 * never linked, or whose last part in a record went — is destroyed by the
 * sweep once the policy's months have passed since that day
 * (person.record_free_since, kept by the database: migration 0027).
 * Destruction is people's own (src/people/disposal.ts, through the
 * RecordDisposal port), reaching every table about a person.
 *
 * Kept still: a person under a legal hold or an Art 18 restriction, and the
 * subject of a rights request not yet finished (their data must not go
 * while the request about it runs).
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import { organisationSlugs } from '../policy/index.js';
import { peopleWithoutRecordsFor } from '../policy/retention-actions.js';

/** The rights request states in which a request is finished (rights/machine.ts). */
export const finishedRequestStates = [
  'responded-in-full',
  'responded-in-part',
  'refused',
  'closed',
] as const;

type PersonRow = ExpressionBuilder<Database, 'person' | 'organisation'>;

function dueBy(eb: PersonRow, asOf: string): Expression<SqlBool> {
  const on = Temporal.PlainDate.from(asOf);
  return eb.and([
    eb('person.merged_into_id', 'is', null),
    eb('person.record_free_since', 'is not', null),
    eb.or(
      organisationSlugs.map((slug) =>
        eb.and([
          eb('organisation.slug', '=', slug),
          eb(
            'person.record_free_since',
            '<=',
            on.subtract({ months: peopleWithoutRecordsFor(slug).months }).toString(),
          ),
        ]),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('record_party')
          .select(sql`1`.as('one'))
          .whereRef('record_party.person_id', '=', 'person.id'),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('retention_hold as h')
          .select(sql`1`.as('one'))
          .where('h.released_at', 'is', null)
          .where('h.scope', '=', 'person')
          .whereRef('h.person_id', '=', 'person.id'),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('restriction as rs')
          .select(sql`1`.as('one'))
          .where('rs.lifted_at', 'is', null)
          .whereRef('rs.person_id', '=', 'person.id'),
      ),
    ),
    eb.not(
      eb.exists(
        eb
          .selectFrom('rights_request as q')
          .select(sql`1`.as('one'))
          .whereRef('q.subject_person_id', '=', 'person.id')
          .where('q.state', 'not in', [...finishedRequestStates]),
      ),
    ),
  ]);
}

/** What a dry run reports: people due, by organisation and rule. */
export async function duePeopleGroups(db: Kysely<Database>, asOf: string) {
  const rows = await db
    .selectFrom('person')
    .innerJoin('organisation', 'organisation.id', 'person.organisation_id')
    .select((eb) => ['organisation.slug as organisation', eb.fn.countAll<number>().as('records')])
    .where((eb) => dueBy(eb, asOf))
    .groupBy('organisation.slug')
    .execute();
  return rows.map((r) => ({
    organisation: r.organisation,
    category: 'person-without-record',
    rule: peopleWithoutRecordsFor(r.organisation).ruleId,
    records: Number(r.records),
  }));
}

/** The next people due, locked for the destroying transaction. */
export function nextDuePeople(db: Kysely<Database>, asOf: string, limit: number) {
  return db
    .selectFrom('person')
    .innerJoin('organisation', 'organisation.id', 'person.organisation_id')
    .select([
      'person.id',
      'person.organisation_id',
      'person.record_free_since',
      'organisation.slug as organisation',
    ])
    .where((eb) => dueBy(eb, asOf))
    .orderBy('person.record_free_since')
    .orderBy('person.id')
    .limit(limit)
    .forUpdate('person')
    .skipLocked()
    .execute();
}
