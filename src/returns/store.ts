import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CensusPeriod, CensusPersonRow, CensusRecordRow } from './census.js';

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * The census's source rows: every child in need and child protection plan
 * record of the organisation open on some day of the census year, with
 * its subject's date of birth and death, gender, UPN and ethnicity. Four
 * queries whatever the number of children (chunked IN lists).
 */
export async function loadCensusRows(
  db: Db,
  organisationId: string,
  period: CensusPeriod,
): Promise<CensusPersonRow[]> {
  const records = await db
    .selectFrom('case_record as r')
    .innerJoin('record_party as rp', (join) =>
      join.onRef('rp.record_id', '=', 'r.id').on('rp.role', '=', 'subject'),
    )
    .select(['r.id', 'r.category', 'r.opened_on', 'r.closed_on', 'r.detail', 'rp.person_id'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.category', 'in', ['child-in-need', 'child-protection-plan'])
    .where('r.opened_on', '<=', period.end)
    .where((eb) => eb.or([eb('r.closed_on', 'is', null), eb('r.closed_on', '>=', period.start)]))
    .execute();
  const byPerson = new Map<string, CensusRecordRow[]>();
  for (const r of records) {
    const list = byPerson.get(r.person_id) ?? [];
    list.push({
      id: r.id,
      category: r.category as CensusRecordRow['category'],
      openedOn: r.opened_on,
      closedOn: r.closed_on,
      detail: (r.detail ?? {}) as Record<string, unknown>,
    });
    byPerson.set(r.person_id, list);
  }
  const people: CensusPersonRow[] = [];
  for (const ids of chunks([...byPerson.keys()])) {
    const [persons, upns, ethnicities] = await Promise.all([
      db
        .selectFrom('person')
        .select(['id', 'date_of_birth', 'date_of_death', 'gender'])
        .where('id', 'in', ids)
        .execute(),
      db
        .selectFrom('person_identifier')
        .select(['person_id', 'value'])
        .where('person_id', 'in', ids)
        .where('type', '=', 'upn')
        .orderBy('created_at', 'desc')
        .execute(),
      db
        .selectFrom('person_special_category')
        .select(['person_id', 'value'])
        .where('person_id', 'in', ids)
        .where('characteristic', '=', 'ethnicity')
        .orderBy('created_at', 'desc')
        .execute(),
    ]);
    const first = (rows: { person_id: string; value: string }[]) => {
      const map = new Map<string, string>();
      for (const row of rows) if (!map.has(row.person_id)) map.set(row.person_id, row.value);
      return map;
    };
    const upn = first(upns);
    const ethnicity = first(ethnicities);
    for (const p of persons) {
      people.push({
        id: p.id,
        dateOfBirth: p.date_of_birth,
        dateOfDeath: p.date_of_death,
        gender: p.gender,
        upn: upn.get(p.id) ?? null,
        ethnicity: ethnicity.get(p.id) ?? null,
        records: byPerson.get(p.id) ?? [],
      });
    }
  }
  return people.sort((a, b) => a.id.localeCompare(b.id));
}

/** What the access decision needs about each record a failure points to. */
export async function loadRecordScopes(db: Db, recordIds: readonly string[]) {
  const rows = [];
  for (const ids of chunks([...new Set(recordIds)])) {
    rows.push(
      ...(await db
        .selectFrom('case_record')
        .select([
          'id',
          'organisation_id',
          'category',
          'allocated_account_id',
          'allocated_team_id',
          'record_state',
        ])
        .where('id', 'in', ids)
        .execute()),
    );
  }
  return rows;
}

/** Names of the children a viewer may see, by person id. */
export async function loadNames(db: Db, personIds: readonly string[]) {
  const names = new Map<string, string>();
  for (const ids of chunks([...new Set(personIds)])) {
    const rows = await db
      .selectFrom('person')
      .select(['id', 'given_name', 'family_name'])
      .where('id', 'in', ids)
      .execute();
    for (const r of rows) names.set(r.id, `${r.given_name} ${r.family_name}`);
  }
  return names;
}

/** A produced file, as kept with its return (migration 0072). */
export interface ReturnFile {
  name: string;
  mediaType: string;
  content: Buffer;
}

/**
 * Keeps the produced file with the return's row, in the transaction that
 * recorded the disclosure: a return made is a return kept, for the period
 * the policy sets (the retention sweep destroys it: retention/return-files.ts).
 */
export async function keepReturnFile(db: Db, returnId: string, file: ReturnFile): Promise<void> {
  await db
    .updateTable('statutory_return')
    .set({ file_name: file.name, media_type: file.mediaType })
    .where('id', '=', returnId)
    .execute();
  await db
    .insertInto('statutory_return_file')
    .values({ return_id: returnId, content: file.content })
    .execute();
}
