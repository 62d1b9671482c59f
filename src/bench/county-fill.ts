import { faker } from '@faker-js/faker/locale/en';
import { sql, type Kysely } from 'kysely';
import { reassessAllRecords } from '../casework/retention-batch.js';
import type { Database } from '../db/schema.js';
import { bulkCategories, bulkShares, REF_DATE, syntheticPostcode, towns } from '../people/demo.js';
import { syntheticNhsNumber, syntheticUpn } from '../people/identifiers.js';
import { policyFor, type OrganisationSlug } from '../policy/index.js';

/**
 * The county-scale fill (issue 16: 1,000,000 people and 5,000,000 records on
 * PostgreSQL) in minutes rather than hours. createBulkDemoPeople builds each
 * person in JavaScript and sends them a few thousand at a time, with one
 * record per household; here PostgreSQL makes the rows itself, set-based
 * (generate_series, insert … select), a chunk of households per
 * transaction, from the same name lists faker draws on for the demo
 * (passed in as arrays, drawn uniformly as faker draws them), so a name
 * search is as selective as on demo data.
 *
 * The same shape as the demo's bulk people: households of two children and
 * an adult, spread over the five organisations in the demo's shares, names
 * (aliases, previous names), dates of birth with the demo's gaps,
 * identifiers from the synthetic ranges only (NHS 999…, UPN LA code 999),
 * Kent-like addresses, drama-range phone numbers, relationships. Records:
 * RECORDS_PER_PERSON for every person on average (a household's children are
 * the subjects, in turn, and its adult the other party), in the
 * organisation's categories, half of them closed, each with a chronology
 * note (some naming the child, as notes do, so subject access discovery has
 * real text to search). Retention is assessed for every record afterwards by
 * reassessAllRecords, the product's own bulk recompute: every row is as the
 * app would store it.
 *
 * Run as the tables' owner: row triggers are switched off for the fill
 * (session_replication_role, a superuser setting) when the owner may, since
 * the rows are valid by construction and every person starts in a record
 * (record_free_since is written null, as the record_party trigger would);
 * otherwise the triggers run and the fill is slower.
 */

/** The demo's reference date as a literal: a typed literal takes no parameter. */
const refDate = sql.raw(`date '${REF_DATE}'`);
/** Households (of three people) a transaction. */
const HOUSEHOLDS_PER_CHUNK = 10_000;
export const RECORDS_PER_PERSON = 5;

const noteTexts = [
  'Home visit. Spoke with the child alone; the child said things at home were better.',
  'Telephone call from school: attendance has dropped this half term.',
  'Strategy discussion held with police and health. Actions agreed.',
  'Supervision: plan reviewed, next visit booked within ten working days.',
  'Letter sent to the family with the outcome of the assessment.',
];

export interface CountyFillOptions {
  people: number;
  recordsPerPerson?: number;
  log: (line: string) => void;
}

/** Whether the fill should be set-based: PostgreSQL and a county-scale size. */
export const COUNTY_FILL_FROM = 200_000;

/**
 * Fills `db` (the tables' owner) up to `people` people, set-based. Returns
 * the seconds the people and records took and the seconds the first
 * retention assessment of the new records took.
 */
export async function countyFill(
  db: Kysely<Database>,
  options: CountyFillOptions,
): Promise<{ fillSeconds: number; assessSeconds: number } | null> {
  const existing = Number(
    (
      await db
        .selectFrom('person')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (existing >= options.people) return null;
  const wanted = options.people - existing;
  const recordsPerHousehold = 3 * (options.recordsPerPerson ?? RECORDS_PER_PERSON);
  options.log(
    `  county fill: ${wanted.toLocaleString('en-GB')} people, about ${(wanted * (options.recordsPerPerson ?? RECORDS_PER_PERSON)).toLocaleString('en-GB')} records, set-based…`,
  );
  faker.seed(options.people);
  const person = faker.definitions.person;
  const female = person.first_name.female ?? [];
  const male = person.first_name.male ?? [];
  const family = (person.last_name as { generic?: string[] }).generic ?? [];
  const streets = Array.from({ length: 2000 }, () => faker.location.streetAddress());
  const postcodes = Array.from({ length: 5000 }, () => syntheticPostcode(faker));
  const author = await bulkAuthor(db);
  const organisations = await db.selectFrom('organisation').select(['id', 'slug']).execute();
  const teams = await db.selectFrom('team').select(['id', 'organisation_id']).execute();
  const counted = await db
    .selectFrom('person_identifier')
    .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('type')
    .execute();
  const counter = (type: string) => Number(counted.find((c) => c.type === type)?.n ?? 0);
  let nhsNext = counter('nhs-number');
  let upnNext = counter('upn');
  let homeOfficeNext = counter('home-office-reference');
  // Households are numbered across the whole fill, so each chunk's are its own.
  let household = Math.ceil(existing / 3);
  const superuser = Boolean(
    (
      await sql<{
        rolsuper: boolean;
      }>`select rolsuper from pg_roles where rolname = current_user`.execute(db)
    ).rows[0]?.rolsuper,
  );
  const started = performance.now();
  let done = 0;
  const slugs = Object.keys(bulkShares) as OrganisationSlug[];
  for (const [index, slug] of slugs.entries()) {
    const organisation = organisations.find((o) => o.slug === slug);
    if (!organisation) continue;
    const share =
      index === slugs.length - 1 ? wanted - done : Math.round(wanted * (bulkShares[slug] ?? 0));
    const orgTeams = teams.filter((t) => t.organisation_id === organisation.id).map((t) => t.id);
    const sensitive = policyFor(slug).personSensitiveData;
    const households = Math.ceil(share / 3);
    for (let offset = 0; offset < households; offset += HOUSEHOLDS_PER_CHUNK) {
      const count = Math.min(HOUSEHOLDS_PER_CHUNK, households - offset);
      // Identifiers from the product's own synthetic generators, an upper bound's worth.
      const nhs = Array.from({ length: 3 * count }, (_, i) => syntheticNhsNumber(nhsNext + i));
      const upn = Array.from({ length: 2 * count }, (_, i) =>
        syntheticUpn(upnNext + i, { temporary: (upnNext + i) % 50 === 0 }),
      );
      const used = await db.transaction().execute(async (trx) => {
        if (superuser) await sql`set local session_replication_role = replica`.execute(trx);
        await fillChunk(trx, {
          organisationId: organisation.id,
          firstHousehold: household,
          households: count,
          recordsPerHousehold,
          categories: bulkCategories[slug] ?? [],
          teams: orgTeams,
          lado: slug === 'kent-lado',
          ethnicity: sensitive.specialCategory.includes('ethnicity'),
          offences: sensitive.offenceData.includes('caution'),
          author,
          homeOfficeFrom: homeOfficeNext,
          arrays: { female, male, family, streets, postcodes, nhs, upn },
        });
        return (
          await sql<{ type: string; n: string }>`
            select type, count(*) as n from fill_identifier group by type`.execute(trx)
        ).rows;
      });
      const n = (type: string) => Number(used.find((u) => u.type === type)?.n ?? 0);
      nhsNext += n('nhs-number');
      upnNext += n('upn');
      homeOfficeNext += n('home-office-reference');
      household += count;
      done += 3 * count;
      options.log(
        `    ${done.toLocaleString('en-GB')} people (${Math.round((performance.now() - started) / 1000)} s)`,
      );
    }
  }
  const fillSeconds = (performance.now() - started) / 1000;
  // Statistics first: without them PostgreSQL plans each batch's keyset read
  // as a scan and sort of every record (5,000 records a second, not 50,000).
  await sql`analyze`.execute(db);
  options.log('  assessing retention of every record (reassessAllRecords)…');
  const assessing = performance.now();
  const result = await reassessAllRecords(db, {
    onProgress: (n) => {
      if (n % 500_000 === 0) options.log(`    ${n.toLocaleString('en-GB')} records assessed`);
    },
  });
  const assessSeconds = (performance.now() - assessing) / 1000;
  options.log(
    `  filled in ${Math.round(fillSeconds)} s; ${result.written.toLocaleString('en-GB')} records assessed in ${Math.round(assessSeconds)} s`,
  );
  await sql`analyze`.execute(db);
  return { fillSeconds, assessSeconds };
}

/** The synthetic worker the bulk chronology notes are written by (no password: never signs in). */
async function bulkAuthor(db: Kysely<Database>): Promise<string> {
  const email = 'county-fill@bench.example';
  const found = await db
    .selectFrom('account')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  if (found) return found.id;
  return (
    await db
      .insertInto('account')
      .values({ email, display_name: 'Bulk synthetic worker', password_hash: '!' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

interface Chunk {
  organisationId: string;
  firstHousehold: number;
  households: number;
  recordsPerHousehold: number;
  categories: string[];
  teams: string[];
  lado: boolean;
  ethnicity: boolean;
  offences: boolean;
  author: string;
  homeOfficeFrom: number;
  arrays: Record<'female' | 'male' | 'family' | 'streets' | 'postcodes' | 'nhs' | 'upn', string[]>;
}

async function fillChunk(trx: Kysely<Database>, c: Chunk): Promise<void> {
  const a = c.arrays;
  // Each list a parameter of the statement that draws on it: an array read
  // from a table column is detoasted again for every row, which made a chunk
  // take minutes; a parameter is one value in memory.
  const pick = (list: readonly string[]) =>
    sql`(${list}::text[])[1 + floor(random() * ${list.length}::int)::int]`;
  // One row a person: in each household two children (0, 1) and an adult (2).
  await sql`
    create temp table fill_person on commit drop as
    with base as (
      select h, k, gen_random_uuid() as id, k < 2 as child, random() < 0.5 as female,
        (h * 3 + k) % 20 as roll,
        ${refDate} - case when k < 2 then floor(random() * 365 * 18)::int
          else (365 * 20 + floor(random() * 365 * 50))::int end as birth
      from generate_series(${c.firstHousehold}::int, ${c.firstHousehold + c.households - 1}::int) h,
        generate_series(0, 2) k
    )
    select b.*,
      case when b.female then ${pick(a.female)} else ${pick(a.male)} end as given_name,
      case when random() < 0.8 then (${a.family}::text[])[1 + abs(hashint4(b.h)) % ${a.family.length}::int]
        else ${pick(a.family)} end as family_name,
      case when b.roll in (19, 9) then null when b.roll = 4 then 'year'
        when b.roll = 14 then 'estimated' else 'exact' end as precision,
      random() as r_alias, random() as r_previous, random() as r_nhs, random() as r_upn,
      random() as r_home, random() as r_address, random() as r_moved, random() as r_phone,
      random() as r_ethnic, random() as r_offence, random() as r_died
    from base b
  `.execute(trx);
  await sql`
    insert into person (id, organisation_id, given_name, family_name, date_of_birth,
      date_of_birth_precision, date_of_death, gender, record_free_since)
    select id, ${c.organisationId}::uuid, given_name, family_name,
      case when precision is null then null
        when precision = 'year' then make_date(extract(year from birth)::int, 1, 1)
        else birth end,
      precision,
      case when not child and r_died < 0.01 then ${refDate} - floor(random() * 1000)::int end,
      case when random() < 0.02 then 'not-known' when female then 'female' else 'male' end,
      null
    from fill_person
  `.execute(trx);
  await sql`
    insert into person_name (person_id, organisation_id, kind, given_name, family_name, to_date)
    select id, ${c.organisationId}::uuid, 'current', given_name, family_name, null::date from fill_person
    union all
    select id, ${c.organisationId}::uuid, 'alias',
      case when female then ${pick(a.female)} else ${pick(a.male)} end,
      family_name, null::date
    from fill_person where r_alias < 0.12
    union all
    select id, ${c.organisationId}::uuid, 'previous', given_name, ${pick(a.family)},
      ${refDate} - floor(random() * 365 * 15)::int
    from fill_person where not child and r_previous < 0.2
  `.execute(trx);
  // The identifiers in their own table first, so the caller can count what each range used.
  await sql`
    create temp table fill_identifier on commit drop as
    select id as person_id, 'nhs-number' as type,
      (${a.nhs}::text[])[row_number() over (order by h, k)] as value
    from fill_person where r_nhs < case when child then 0.75 else 0.55 end
    union all
    select id, 'upn', (${a.upn}::text[])[row_number() over (order by h, k)]
    from fill_person where child and birth <= ${refDate} - 365 * 4 and r_upn < 0.7
    union all
    select id, 'home-office-reference',
      'Z9' || lpad((${c.homeOfficeFrom}::int + row_number() over (order by h, k))::text, 8, '0')
    from fill_person where r_home < 0.02
  `.execute(trx);
  await sql`
    insert into person_identifier (person_id, organisation_id, type, value)
    select person_id, ${c.organisationId}::uuid, type, value from fill_identifier
  `.execute(trx);
  await sql`
    insert into person_address (person_id, line1, town, postcode, from_date, to_date)
    select id, ${pick(a.streets)}, ${pick(towns)}, ${pick(a.postcodes)},
      ${refDate} - floor(random() * 365 * 5)::int, null::date
    from fill_person where r_address < 0.85
    union all
    select id, ${pick(a.streets)}, ${pick(towns)}, ${pick(a.postcodes)},
      date '2008-01-01' + floor(random() * 365 * 10)::int,
      date '2019-01-01' + floor(random() * 880)::int
    from fill_person where r_address < 0.85 and r_moved < 0.25
  `.execute(trx);
  await sql`
    insert into person_contact (person_id, kind, value)
    select id, 'phone', '07700 900' || lpad(floor(random() * 1000)::int::text, 3, '0')
    from fill_person where not child and r_phone < 0.6
  `.execute(trx);
  if (c.ethnicity) {
    await sql`
      insert into person_special_category (person_id, characteristic, value)
      select id, 'ethnicity', (array['White British', 'White Irish',
        'Mixed: White and Black Caribbean', 'Asian or Asian British: Indian',
        'Black or Black British: African', 'Gypsy or Irish Traveller',
        'Any other ethnic group'])[1 + floor(random() * 7)::int]
      from fill_person where r_ethnic < 0.1
    `.execute(trx);
  }
  if (c.offences) {
    await sql`
      insert into person_offence_data (person_id, kind, description, occurred_on)
      select id, 'caution', 'Synthetic entry for demonstration',
        ${refDate} - floor(random() * 3650)::int
      from fill_person where not child and r_offence < 0.03
    `.execute(trx);
  }
  await sql`
    insert into person_relationship (organisation_id, person_id, related_person_id, type, description)
    select ${c.organisationId}::uuid, child.id, adult.id, 'family',
      case when adult.female then 'Mother' else 'Father' end
    from fill_person child join fill_person adult on adult.h = child.h and adult.k = 2
    where child.k < 2
    union all
    select ${c.organisationId}::uuid, first.id, second.id, 'family', 'Sibling'
    from fill_person first join fill_person second on second.h = first.h and second.k = 1
    where first.k = 0
  `.execute(trx);
  // Records: recordsPerHousehold a household, the children the subjects in turn.
  await sql`
    create temp table fill_record on commit drop as
    select gen_random_uuid() as id, p.h, r, subject.id as subject_id, adult.id as adult_id,
      subject.given_name as subject_name, opened
    from (select distinct h from fill_person) p
      cross join generate_series(0, ${c.recordsPerHousehold - 1}::int) r
      join fill_person subject on subject.h = p.h and subject.k = r % 2
      join fill_person adult on adult.h = p.h and adult.k = 2
      cross join lateral (select ${refDate} - floor(random() * 365 * 8)::int as opened) o
  `.execute(trx);
  await sql`
    insert into case_record (id, organisation_id, category, opened_on, closed_on, allocated_team_id)
    select r.id, ${c.organisationId}::uuid, (${c.categories}::text[])[1 + (r.h * 7 + r.r) % ${c.categories.length}::int],
      r.opened,
      case when r.r % 2 = 0 then r.opened + floor(random() * (${refDate} - r.opened + 1))::int end,
      case when ${c.teams.length}::int > 0
        then (${c.teams}::uuid[])[1 + (r.h + r.r) % greatest(${c.teams.length}::int, 1)] end
    from fill_record r
  `.execute(trx);
  await sql`
    insert into record_party (record_id, person_id, role)
    select id, subject_id, 'subject' from fill_record
    union all
    select id, adult_id, ${c.lado ? 'alleged-person' : 'parent'} from fill_record
  `.execute(trx);
  await sql`
    insert into case_note (record_id, author_account_id, occurred_on, kind, text)
    select r.id, ${c.author}::uuid, r.opened + floor(random() * (${refDate} - r.opened + 1))::int,
      'visit',
      case when random() < 0.3 then 'Visited ' || r.subject_name || '. ' else '' end
        || ${pick(noteTexts)}
    from fill_record r
  `.execute(trx);
}
