import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * What partners' files put on a person's record, newest first: theirs and
 * those of entries merged into them (a merge can be undone, so the facts
 * stay with the entry they were matched to).
 */
export async function partnerFactsFor(
  db: Kysely<Database>,
  organisationId: string,
  personId: string,
) {
  return db
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
          eb.selectFrom('person').select('person.id').where('person.merged_into_id', '=', personId),
        ),
      ]),
    )
    .orderBy('intake_fact.occurred_on', 'desc')
    .orderBy('intake_fact.created_at', 'desc')
    .execute();
}
