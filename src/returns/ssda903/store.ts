import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CensusPeriod } from '../census.js';
import type { LacPersonRow, LacRecordRow } from './child.js';

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * The SSDA903 return's source rows: every looked-after record of the
 * organisation opened by the end of the year, and every adoption record (a care leaver's record may
 * have closed years before their birthday in it), with the subject's date of
 * birth, gender, UPN and ethnicity, the records' looked-after reviews and
 * health outcomes. A fixed number of queries per 1,000 children.
 */
export async function loadSsda903Rows(
  db: Db,
  organisationId: string,
  period: CensusPeriod,
): Promise<LacPersonRow[]> {
  const records = await db
    .selectFrom('case_record as r')
    .innerJoin('record_party as rp', (join) =>
      join.onRef('rp.record_id', '=', 'r.id').on('rp.role', '=', 'subject'),
    )
    .select(['r.id', 'r.category', 'r.opened_on', 'r.closed_on', 'r.detail', 'rp.person_id'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.category', 'in', ['looked-after', 'adoption'])
    // An adoption record may be opened after the adoption it records.
    .where((eb) => eb.or([eb('r.category', '=', 'adoption'), eb('r.opened_on', '<=', period.end)]))
    .execute();
  const byPerson = new Map<string, { lookedAfter: LacRecordRow[]; adoption: LacRecordRow[] }>();
  for (const r of records) {
    const entry = byPerson.get(r.person_id) ?? { lookedAfter: [], adoption: [] };
    const row: LacRecordRow = {
      id: r.id,
      openedOn: r.opened_on,
      closedOn: r.closed_on,
      detail: (r.detail ?? {}) as Record<string, unknown>,
    };
    (r.category === 'adoption' ? entry.adoption : entry.lookedAfter).push(row);
    byPerson.set(r.person_id, entry);
  }
  const people: LacPersonRow[] = [];
  for (const ids of chunks([...byPerson.keys()])) {
    const recordIds = ids.flatMap((id) => (byPerson.get(id)?.lookedAfter ?? []).map((r) => r.id));
    const [persons, upns, ethnicities, reviews, outcomes] = await Promise.all([
      db
        .selectFrom('person')
        .select(['id', 'date_of_birth', 'gender'])
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
      recordIds.length
        ? db
            .selectFrom('statutory_review')
            .select(['record_id', 'held_on', 'child_participated', 'participation'])
            .where('record_id', 'in', recordIds)
            .where('kind', '=', 'looked-after-review')
            .where('held_on', '<=', period.end)
            .execute()
        : Promise.resolve([]),
      recordIds.length
        ? db
            .selectFrom('looked_after_outcome')
            .select(['record_id', 'kind', 'occurred_on', 'sdq_score'])
            .where('record_id', 'in', recordIds)
            .where('occurred_on', '>=', period.start)
            .where('occurred_on', '<=', period.end)
            .execute()
        : Promise.resolve([]),
    ]);
    const first = (rows: { person_id: string; value: string }[]) => {
      const map = new Map<string, string>();
      for (const row of rows) if (!map.has(row.person_id)) map.set(row.person_id, row.value);
      return map;
    };
    const upn = first(upns);
    const ethnicity = first(ethnicities);
    const byRecord = <T extends { record_id: string }>(rows: T[]) => {
      const map = new Map<string, T[]>();
      for (const row of rows) map.set(row.record_id, [...(map.get(row.record_id) ?? []), row]);
      return map;
    };
    const reviewsOf = byRecord(reviews);
    const outcomesOf = byRecord(outcomes);
    for (const p of persons) {
      const entry = byPerson.get(p.id) ?? { lookedAfter: [], adoption: [] };
      const mine = entry.lookedAfter.map((r) => r.id);
      people.push({
        id: p.id,
        dateOfBirth: p.date_of_birth,
        gender: p.gender,
        upn: upn.get(p.id) ?? null,
        ethnicity: ethnicity.get(p.id) ?? null,
        lookedAfter: entry.lookedAfter,
        adoption: entry.adoption,
        reviews: mine
          .flatMap((id) => reviewsOf.get(id) ?? [])
          .map((r) => ({
            recordId: r.record_id,
            heldOn: r.held_on,
            childParticipated: r.child_participated,
            participation: r.participation,
          })),
        outcomes: mine
          .flatMap((id) => outcomesOf.get(id) ?? [])
          .map((o) => ({
            recordId: o.record_id,
            kind: o.kind,
            occurredOn: o.occurred_on,
            sdqScore: o.sdq_score,
          })),
      });
    }
  }
  return people.sort((a, b) => a.id.localeCompare(b.id));
}
