import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BirthPrecision, Gender, IdentifierType } from '../tables.js';
import { linkPeople, type LinkOptions } from './link.js';
import type { PersonInput } from './record.js';
import type { Waterfall } from './score.js';

/**
 * The duplicate-people job (issue 15, use 2): every person an organisation
 * holds (not merged away), read as the matcher's records, scored against
 * each other, and the likely duplicates returned with their waterfalls for
 * a person to review and merge with the existing merge and undo. Reads
 * only; changes nothing and logs nothing (the pairs are personal data).
 */
export interface DuplicatePair {
  /** Person ids, the earlier-created first. */
  a: string;
  b: string;
  probability: number;
  /** At or above the match threshold: very likely one person. */
  match: boolean;
  waterfall: Waterfall;
}

export interface DuplicateReport {
  people: number;
  pairsCompared: number;
  pairs: DuplicatePair[];
}

export async function findDuplicatePeople(
  db: Kysely<Database>,
  organisationId: string,
  options: Pick<LinkOptions, 'threshold' | 'matchThreshold'> = {},
): Promise<DuplicateReport> {
  const records = await peopleAsRecords(db, organisationId);
  const result = linkPeople(records, { ...options, explain: true });
  return {
    people: records.length,
    pairsCompared: result.pairsCompared,
    pairs: result.pairs
      .map((p) => ({
        a: String(p.a),
        b: String(p.b),
        probability: p.probability,
        match: p.match,
        // Always present: explain was asked for.
        waterfall: p.waterfall ?? { steps: [], weight: 0, probability: p.probability },
      }))
      .sort((x, y) => y.probability - x.probability),
  };
}

const identifierField: Record<IdentifierType, 'nhsNumber' | 'upn' | 'other'> = {
  'nhs-number': 'nhsNumber',
  upn: 'upn',
  'home-office-reference': 'other',
  'port-reference': 'other',
};

/**
 * A person's facts as the matcher reads them, in the order they were
 * created: everyone the organisation holds, or (`only`) those people, as an
 * import reads the people each chunk created or added to.
 */
export async function peopleAsRecords(
  db: Kysely<Database>,
  organisationId: string,
  only?: readonly string[],
): Promise<PersonInput[]> {
  if (only?.length === 0) return [];
  const people = await db
    .selectFrom('person')
    .select([
      'id',
      'given_name',
      'family_name',
      'date_of_birth',
      'date_of_birth_precision',
      'gender',
    ])
    .where('organisation_id', '=', organisationId)
    .where('merged_into_id', 'is', null)
    .$if(only !== undefined, (q) => q.where('id', 'in', only ?? []))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const names = await db
    .selectFrom('person_name')
    .innerJoin('person', 'person.id', 'person_name.person_id')
    .select(['person_name.person_id', 'person_name.given_name', 'person_name.family_name'])
    .where('person.organisation_id', '=', organisationId)
    .where('person_name.kind', '!=', 'current')
    .$if(only !== undefined, (q) => q.where('person_name.person_id', 'in', only ?? []))
    .execute();
  const addresses = await db
    .selectFrom('person_address')
    .innerJoin('person', 'person.id', 'person_address.person_id')
    .select([
      'person_address.person_id',
      'person_address.line1',
      'person_address.line2',
      'person_address.town',
      'person_address.postcode',
      'person_address.to_date',
    ])
    .where('person.organisation_id', '=', organisationId)
    .$if(only !== undefined, (q) => q.where('person_address.person_id', 'in', only ?? []))
    // The current address wins: no end date first, then the latest begun.
    .orderBy('person_address.person_id')
    .orderBy('person_address.to_date', (o) => o.desc().nullsFirst())
    .orderBy('person_address.from_date', (o) => o.desc().nullsLast())
    .execute();
  const identifiers = await db
    .selectFrom('person_identifier')
    .select(['person_id', 'type', 'value'])
    .where('organisation_id', '=', organisationId)
    .$if(only !== undefined, (q) => q.where('person_id', 'in', only ?? []))
    .execute();

  const otherNames = new Map<string, string[]>();
  for (const n of names) {
    const list = otherNames.get(n.person_id) ?? [];
    list.push(`${n.given_name} ${n.family_name}`);
    otherNames.set(n.person_id, list);
  }
  const addressOf = new Map<string, NonNullable<PersonInput['address']>>();
  for (const a of addresses) {
    if (addressOf.has(a.person_id)) continue;
    addressOf.set(a.person_id, {
      line1: a.line1,
      ...(a.line2 ? { line2: a.line2 } : {}),
      ...(a.town ? { town: a.town } : {}),
      ...(a.postcode ? { postcode: a.postcode } : {}),
    });
  }
  const identifiersOf = new Map<string, NonNullable<PersonInput['identifiers']>>();
  for (const i of identifiers) {
    const held = identifiersOf.get(i.person_id) ?? {};
    held[identifierField[i.type]] ??= i.value;
    identifiersOf.set(i.person_id, held);
  }
  return people.map((p) => {
    const record: PersonInput = {
      id: p.id,
      givenName: p.given_name,
      familyName: p.family_name,
    };
    const dob = birthText(p.date_of_birth, p.date_of_birth_precision);
    if (dob) record.dateOfBirth = dob;
    const sex = sexOf(p.gender);
    if (sex) record.sex = sex;
    const others = otherNames.get(p.id);
    if (others) record.otherNames = others;
    const address = addressOf.get(p.id);
    if (address) record.address = address;
    const ids = identifiersOf.get(p.id);
    if (ids) record.identifiers = ids;
    return record;
  });
}

/**
 * Only as much of the date as is known: a year-precise or estimated date
 * is compared by its year, a month-precise one by year and month.
 */
function birthText(date: string | null, precision: BirthPrecision | null): string | null {
  if (!date) return null;
  if (precision === 'year' || precision === 'estimated') return date.slice(0, 4);
  if (precision === 'month') return date.slice(0, 7);
  return date;
}

function sexOf(gender: Gender | null): string | null {
  if (gender === 'female') return 'F';
  if (gender === 'male') return 'M';
  return null;
}
