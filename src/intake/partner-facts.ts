import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { intakeKinds } from './kinds.js';
import type { FactKind } from './tables.js';

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
      'intake_fact.created_at as createdAt',
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

/** Each fact in words, for the "From partners" tab and the chronology. */
export const factWords: Record<FactKind, string> = {
  'missing-episode': 'Missing from home',
  chronology: 'Chronology',
  alert: 'Alert',
  attendance: 'School attendance',
  exclusion: 'Exclusion from school',
  'court-order': 'Court order',
  referral: 'Referral',
};

/**
 * The facts that are events in a child's life, for their chronology: the
 * entry a Police notification makes for it (not also its missing episode,
 * the same report on the same day, nor its alert, a warning rather than an
 * event), exclusions, court orders and referrals. A school's weekly
 * attendance figures are not events, and would bury the rest.
 */
const chronologyFacts: readonly FactKind[] = ['chronology', 'exclusion', 'court-order', 'referral'];

export interface PartnerChronologyEntry {
  date: string;
  text: string;
  /** The partner, and what they sent: "Kent Police: Police missing-from-home notifications". */
  source: string;
  /** When it was imported, to order entries of one day. */
  at: number;
}

/**
 * What partners' files put in a person's chronology, read from the facts
 * the import wrote (intake_fact is the one record of them): the chronology
 * shows them as they are, and a correction or undone merge shows there too.
 */
export async function partnerChronology(
  db: Kysely<Database>,
  organisationId: string,
  personId: string,
): Promise<PartnerChronologyEntry[]> {
  const facts = await partnerFactsFor(db, organisationId, personId);
  return facts
    .filter((f) => chronologyFacts.includes(f.fact))
    .map((f) => ({
      date: f.occurredOn,
      text: f.summary,
      source: `${f.partner}: ${intakeKinds[f.kind as keyof typeof intakeKinds]?.name ?? factWords[f.fact]}`,
      at: f.createdAt.getTime(),
    }));
}
