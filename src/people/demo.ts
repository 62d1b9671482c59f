import type { Faker } from '@faker-js/faker';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { factColumns } from '../casework/categories.js';
import {
  factsOf,
  londonToday,
  retentionColumns,
  storedRetentionFor,
} from '../casework/retention.js';
import type { Database } from '../db/schema.js';
import { policyFor, type CategorySlug, type OrganisationSlug } from '../policy/index.js';
import { syntheticNhsNumber, syntheticUpn, validatePostcode } from './identifiers.js';
import { familiarForms } from './linkage/nicknames.js';
import type { PeopleTables } from './tables.js';

/**
 * Synthetic people: names (some aliases and previous names), dates of birth
 * (some unknown or known only to the year), identifiers from the synthetic
 * ranges only (NHS numbers 999…, UPNs with LA code 999), Kent-like
 * addresses, phone numbers from Ofcom's drama range, relationships within
 * households, and a little special category and offence data. Never real
 * people: every value comes from faker with a fixed seed.
 *
 * Rows are built in memory and inserted in batches, so 100,000 people load
 * in well under a minute (`safekeep demo --people 100000`).
 */

/** The day the synthetic people's ages and dates are reckoned from. */
export const REF_DATE = '2026-11-01';

/** Bulk records carry no dated facts beyond opening and closing. */
const noFactDates = Object.fromEntries(Object.values(factColumns).map((c) => [c, null])) as {
  [C in (typeof factColumns)[keyof typeof factColumns]]: null;
};
const BATCH = 1000;
export const towns = [
  'Maidstone',
  'Canterbury',
  'Ashford',
  'Dover',
  'Folkestone',
  'Tonbridge',
  'Margate',
];
const postcodeAreas = ['ME', 'CT', 'TN', 'DA', 'BR'];
const ethnicities = [
  'White British',
  'White Irish',
  'Mixed: White and Black Caribbean',
  'Asian or Asian British: Indian',
  'Black or Black British: African',
  'Gypsy or Irish Traveller',
  'Any other ethnic group',
];

// Demo people have no history of changes yet, and no consents (recorded by staff).
type Rows = {
  [T in Exclude<keyof PeopleTables, 'person_change' | 'person_consent'>]: Insertable<
    PeopleTables[T]
  >[];
};

function emptyRows(): Rows {
  return {
    person: [],
    person_name: [],
    person_address: [],
    person_contact: [],
    person_identifier: [],
    person_special_category: [],
    person_offence_data: [],
    person_relationship: [],
    person_merge: [],
    person_merge_item: [],
  };
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A valid postcode in one of the demo's Kent areas. */
export function syntheticPostcode(faker: Faker): string {
  const area = faker.helpers.arrayElement(postcodeAreas);
  const raw = `${area}${faker.number.int({ min: 1, max: 20 })} ${faker.number.int({ min: 0, max: 9 })}${faker.string.alpha({ length: 2, casing: 'upper', exclude: ['C', 'I', 'K', 'M', 'O', 'V'] })}`;
  const result = validatePostcode(raw);
  return result.ok ? result.value : 'ME14 1XX';
}

/** Counters that keep synthetic identifiers distinct across calls. */
export interface IdentifierCounters {
  nhs: number;
  upn: number;
  homeOffice: number;
}

export async function identifierCounters(db: Kysely<Database>): Promise<IdentifierCounters> {
  const { count } = await db
    .selectFrom('person_identifier')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  // Every earlier identifier used at most one number from each range.
  return { nhs: Number(count), upn: Number(count), homeOffice: Number(count) };
}

/**
 * Builds `count` people of one organisation in memory. In each group of
 * three, two are children and the third an adult of their household (the
 * order casework's demo records rely on: subject i*3, adult i*3+2).
 */
function buildPeople(
  faker: Faker,
  organisation: { id: string; slug: OrganisationSlug },
  count: number,
  counters: IdentifierCounters,
): { ids: string[]; rows: Rows } {
  const organisationId = organisation.id;
  // Only the sensitive data the organisation's notice says it holds (decision 0013).
  const sensitive = policyFor(organisation.slug).personSensitiveData;
  const otherSpecial = (['disability', 'health'] as const).filter((c) =>
    sensitive.specialCategory.includes(c),
  );
  const offences = (['caution', 'conviction'] as const).filter((k) =>
    sensitive.offenceData.includes(k),
  );
  const rows = emptyRows();
  const ids: string[] = [];
  let household: { adult?: string; children: string[]; family: string } = {
    children: [],
    family: '',
  };
  for (let i = 0; i < count; i += 1) {
    const id = faker.string.uuid();
    ids.push(id);
    const child = i % 3 !== 2;
    if (i % 3 === 0) household = { children: [], family: faker.person.lastName() };
    const sex = faker.helpers.arrayElement(['female', 'male'] as const);
    const givenName = faker.person.firstName(sex);
    // Most of a household shares a surname; some children do not.
    const familyName = faker.number.int(9) < 8 ? household.family : faker.person.lastName();
    const birth = child
      ? faker.date.birthdate({ mode: 'age', min: 0, max: 17, refDate: REF_DATE })
      : faker.date.birthdate({ mode: 'age', min: 20, max: 70, refDate: REF_DATE });
    // Real records have gaps: some dates of birth are unknown or approximate.
    const roll = i % 20;
    const precision =
      roll === 19 || roll === 9 ? null : roll === 4 ? 'year' : roll === 14 ? 'estimated' : 'exact';
    const dob =
      precision === null
        ? null
        : precision === 'year'
          ? `${birth.getUTCFullYear()}-01-01`
          : isoDate(birth);
    const died = !child && faker.number.int(99) === 0;
    rows.person.push({
      id,
      organisation_id: organisationId,
      given_name: givenName,
      family_name: familyName,
      date_of_birth: dob,
      date_of_birth_precision: precision,
      date_of_death: died ? isoDate(faker.date.past({ years: 3, refDate: REF_DATE })) : null,
      gender: faker.number.int(49) === 0 ? 'not-known' : sex,
    });
    rows.person_name.push({
      person_id: id,
      organisation_id: organisationId,
      kind: 'current',
      given_name: givenName,
      family_name: familyName,
    });
    if (faker.number.int(99) < 12) {
      rows.person_name.push({
        person_id: id,
        organisation_id: organisationId,
        kind: 'alias',
        given_name: faker.person.firstName(sex),
        family_name: familyName,
      });
    }
    if (!child && faker.number.int(99) < 20) {
      rows.person_name.push({
        person_id: id,
        organisation_id: organisationId,
        kind: 'previous',
        given_name: givenName,
        family_name: faker.person.lastName(),
        to_date: isoDate(faker.date.past({ years: 15, refDate: REF_DATE })),
      });
    }
    if (faker.number.int(99) < (child ? 75 : 55)) {
      rows.person_identifier.push({
        person_id: id,
        organisation_id: organisationId,
        type: 'nhs-number',
        value: syntheticNhsNumber(counters.nhs++),
      });
    }
    const age = 2026 - birth.getUTCFullYear();
    if (child && age >= 4 && faker.number.int(99) < 70) {
      rows.person_identifier.push({
        person_id: id,
        organisation_id: organisationId,
        type: 'upn',
        value: syntheticUpn(counters.upn++, { temporary: faker.number.int(49) === 0 }),
      });
    }
    if (faker.number.int(99) < 2) {
      rows.person_identifier.push({
        person_id: id,
        organisation_id: organisationId,
        type: 'home-office-reference',
        // Z and nine digits: a shape no Home Office reference is known to take.
        value: `Z9${String(counters.homeOffice++).padStart(8, '0')}`,
      });
    }
    if (faker.number.int(99) < 85) {
      rows.person_address.push({
        person_id: id,
        line1: faker.location.streetAddress(),
        line2: null,
        town: faker.helpers.arrayElement(towns),
        postcode: syntheticPostcode(faker),
        from_date: isoDate(faker.date.past({ years: 5, refDate: REF_DATE })),
      });
      if (faker.number.int(99) < 25) {
        rows.person_address.push({
          person_id: id,
          line1: faker.location.streetAddress(),
          town: faker.helpers.arrayElement(towns),
          postcode: syntheticPostcode(faker),
          from_date: isoDate(faker.date.between({ from: '2008-01-01', to: '2018-12-31' })),
          to_date: isoDate(faker.date.between({ from: '2019-01-01', to: '2021-06-01' })),
        });
      }
    }
    if (!child && faker.number.int(99) < 60) {
      rows.person_contact.push({
        person_id: id,
        kind: 'phone',
        // Ofcom reserves 07700 900000–900999 for drama: never a real phone.
        value: `07700 900${String(faker.number.int(999)).padStart(3, '0')}`,
      });
    }
    if (faker.number.int(99) < 10 && sensitive.specialCategory.includes('ethnicity')) {
      rows.person_special_category.push({
        person_id: id,
        characteristic: 'ethnicity',
        value: faker.helpers.arrayElement(ethnicities),
      });
    }
    if (faker.number.int(99) < 4 && otherSpecial.length > 0) {
      rows.person_special_category.push({
        person_id: id,
        characteristic: faker.helpers.arrayElement(otherSpecial),
        value: 'Synthetic note for demonstration',
      });
    }
    if (!child && faker.number.int(99) < 3 && offences.length > 0) {
      rows.person_offence_data.push({
        person_id: id,
        kind: faker.helpers.arrayElement(offences),
        description: 'Synthetic entry for demonstration',
        occurred_on: isoDate(faker.date.past({ years: 10, refDate: REF_DATE })),
      });
    }
    if (child) {
      household.children.push(id);
    } else {
      household.adult = id;
      for (const childId of household.children) {
        rows.person_relationship.push({
          organisation_id: organisationId,
          person_id: childId,
          related_person_id: id,
          type: 'family',
          description: sex === 'female' ? 'Mother' : 'Father',
        });
      }
      const [first, second] = household.children;
      if (first && second) {
        rows.person_relationship.push({
          organisation_id: organisationId,
          person_id: first,
          related_person_id: second,
          type: 'family',
          description: 'Sibling',
        });
      }
    }
  }
  return { ids, rows };
}

const insertOrder: (keyof Rows)[] = [
  'person',
  'person_name',
  'person_identifier',
  'person_address',
  'person_contact',
  'person_special_category',
  'person_offence_data',
  'person_relationship',
];

async function insertRows(db: Kysely<Database> | Transaction<Database>, rows: Rows): Promise<void> {
  for (const table of insertOrder) {
    const list = rows[table];
    for (let start = 0; start < list.length; start += BATCH) {
      await db
        .insertInto(table)
        .values(list.slice(start, start + BATCH) as never)
        .execute();
    }
  }
}

/**
 * The demo world's people of one organisation and, from the demo's full
 * size up (PLANT_FROM), a few children recorded twice: the duplicate-people
 * job (People → People who may be recorded twice) has something real to
 * find. Each second entry is the same child as first recorded with one
 * everyday mistake: a typing slip in the surname, the day and month of
 * birth the wrong way round, or the name they are known by. The second
 * entries hold no records and no identifiers (as one made from a phone
 * call would not), and are not among the ids returned, which casework's
 * demo records are built on. They are derived from the first entries
 * without drawing on faker, so every other demo value stays as it was.
 */
export const PLANT_FROM = 30;

export async function createDemoPeople(
  trx: Transaction<Database>,
  faker: Faker,
  options: { organisationId: string; organisation: OrganisationSlug; count: number },
): Promise<{ ids: string[]; plantedDuplicates: [string, string][] }> {
  const counters = await identifierCounters(trx);
  const { ids, rows } = buildPeople(
    faker,
    { id: options.organisationId, slug: options.organisation },
    options.count,
    counters,
  );
  const plantedDuplicates =
    options.count >= PLANT_FROM ? plantDuplicates(rows, options.organisationId) : [];
  await insertRows(trx, rows);
  return { ids, plantedDuplicates };
}

type Mistake = (person: Insertable<PeopleTables['person']>) => {
  given_name?: string;
  family_name?: string;
  date_of_birth?: string;
} | null;

const mistakes: readonly Mistake[] = [
  // A typing slip: two letters of the surname swapped.
  (p) => {
    const name = p.family_name;
    if (name.length < 5 || name[2] === name[3]) return null;
    return { family_name: `${name.slice(0, 2)}${name[3]}${name[2]}${name.slice(4)}` };
  },
  // Day and month of birth the wrong way round.
  (p) => {
    const dob = p.date_of_birth;
    if (typeof dob !== 'string' || p.date_of_birth_precision !== 'exact') return null;
    const [year, month, day] = dob.split('-');
    if (!year || !month || !day || Number(day) > 12 || day === month) return null;
    return { date_of_birth: `${year}-${day}-${month}` };
  },
  // The name they are known by.
  (p) => {
    const form = familiarForms(p.given_name)[0];
    if (!form) return null;
    return { given_name: `${form[0]?.toUpperCase() ?? ''}${form.slice(1)}` };
  },
];

/** Adds a second entry for a few children, one mistake each; returns [first, second] ids. */
function plantDuplicates(rows: Rows, organisationId: string): [string, string][] {
  const planted: [string, string][] = [];
  const used = new Set<string>();
  // Children with a known date of birth: in each group of three the first two (buildPeople).
  const children = rows.person.filter(
    (p, i) => i % 3 !== 2 && p.date_of_birth && p.date_of_birth_precision === 'exact',
  );
  for (const mistake of mistakes) {
    for (const first of children) {
      const id = first.id;
      if (!id || used.has(id)) continue;
      const changed = mistake(first);
      if (!changed) continue;
      used.add(id);
      // A uuid from the first's, so the demo stays the same from run to run.
      const second = `${id.slice(0, 24)}dddddddddddd`;
      rows.person.push({ ...first, ...changed, id: second });
      rows.person_name.push({
        person_id: second,
        organisation_id: organisationId,
        kind: 'current',
        given_name: changed.given_name ?? first.given_name,
        family_name: changed.family_name ?? first.family_name,
      });
      const address = rows.person_address.find((a) => a.person_id === id && !a.to_date);
      if (address) rows.person_address.push({ ...address, person_id: second });
      planted.push([id, second]);
      break;
    }
  }
  return planted;
}

/**
 * How a large synthetic population spreads over the five bodies: most
 * people are known to children's social care; the district council's
 * concern log and the partnerships hold far fewer.
 */
export const bulkShares: Record<OrganisationSlug, number> = {
  'kent-scs': 0.7,
  'kent-lado': 0.08,
  kscmp: 0.08,
  sscp: 0.06,
  'maidstone-bc': 0.08,
};

export const bulkCategories: Record<OrganisationSlug, CategorySlug[]> = {
  'kent-scs': [
    'child-in-need',
    'child-protection-plan',
    'looked-after',
    'private-fostering',
    'adoption',
  ],
  'kent-lado': ['lado-allegation'],
  kscmp: ['practice-review'],
  sscp: ['practice-review'],
  'maidstone-bc': ['safeguarding-concern'],
};

/**
 * Adds `count` synthetic people across the organisations in proportion,
 * with one record for every three people (a child subject and an adult),
 * allocated to the organisation's demo teams where it has them, one
 * transaction per few thousand people.
 */
export async function createBulkDemoPeople(
  db: Kysely<Database>,
  faker: Faker,
  options: { count: number; onProgress?: (done: number) => void },
): Promise<number> {
  const organisations = await db.selectFrom('organisation').select(['id', 'slug']).execute();
  const teams = await db.selectFrom('team').select(['id', 'organisation_id']).execute();
  const counters = await identifierCounters(db);
  const today = londonToday();
  let done = 0;
  const slugs = Object.keys(bulkShares) as OrganisationSlug[];
  for (const [index, slug] of slugs.entries()) {
    const organisation = organisations.find((o) => o.slug === slug);
    if (!organisation) continue;
    const share =
      index === slugs.length - 1
        ? options.count - done
        : Math.round(options.count * (bulkShares[slug] ?? 0));
    const orgTeams = teams.filter((t) => t.organisation_id === organisation.id).map((t) => t.id);
    for (let offset = 0; offset < share; offset += 3 * BATCH) {
      const size = Math.min(3 * BATCH, share - offset);
      const { ids, rows } = buildPeople(faker, { id: organisation.id, slug }, size, counters);
      const born = new Map(rows.person.map((p) => [p.id, p.date_of_birth ?? null]));
      await db.transaction().execute(async (trx) => {
        await insertRows(trx, rows);
        const records: { id: string; subject: string; adult: string | undefined }[] = [];
        for (let i = 0; i * 3 < ids.length; i += 1) {
          const subject = ids[i * 3];
          if (subject) records.push({ id: faker.string.uuid(), subject, adult: ids[i * 3 + 2] });
        }
        const categories = bulkCategories[slug] ?? [];
        for (let start = 0; start < records.length; start += BATCH) {
          const chunk = records.slice(start, start + BATCH);
          await trx
            .insertInto('case_record')
            .values(
              chunk.map((r, i) => {
                const opened = faker.date.past({ years: 8, refDate: REF_DATE });
                const category =
                  categories[(start + i) % categories.length] ?? categories[0] ?? 'unknown';
                const closedOn =
                  i % 2 === 0 ? isoDate(faker.date.between({ from: opened, to: REF_DATE })) : null;
                // Every path that creates a record assesses its retention, this one
                // too, from the facts it has (issue #12 item 16).
                const retention = storedRetentionFor(
                  slug,
                  category,
                  factsOf(
                    { closed_on: closedOn, child_died: null, outcome: null, ...noFactDates },
                    { dateOfBirth: born.get(r.subject) ?? null, dateOfDeath: null },
                  ),
                  today,
                );
                return {
                  id: r.id,
                  organisation_id: organisation.id,
                  category,
                  opened_on: isoDate(opened),
                  closed_on: closedOn,
                  allocated_team_id:
                    orgTeams.length > 0 ? (orgTeams[i % orgTeams.length] ?? null) : null,
                  ...retentionColumns(retention),
                };
              }),
            )
            .execute();
          const parties = chunk.flatMap((r) => [
            { record_id: r.id, person_id: r.subject, role: 'subject' },
            ...(r.adult
              ? [
                  {
                    record_id: r.id,
                    person_id: r.adult,
                    role: slug === 'kent-lado' ? 'alleged-person' : 'parent',
                  },
                ]
              : []),
          ]);
          await trx.insertInto('record_party').values(parties).execute();
        }
      });
      done += size;
      options.onProgress?.(done);
    }
  }
  // Fresh statistics, so the planner uses the search indexes straight away.
  await sql`analyze`.execute(db);
  return done;
}
