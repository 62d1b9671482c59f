import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CensusPersonRow } from '../census.js';
import { loadCensusRows } from '../store.js';
import {
  ANNEX_A_HISTORY_START,
  type AnnexASource,
  type CareRecordRow,
  type HealthCheck,
} from './build.js';

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Everything the Annex A lists are built from, as of a date: the census's
 * rows (every child in need and child protection plan record opened by then,
 * whatever their age, so counts over twelve months and previous plans are
 * right), the looked-after and adoption records, their subjects, who each
 * record is allocated to, the visits and reviews recorded on them, and the
 * looked-after records' health assessments and dental checks. A
 * fixed number of queries whatever the number of children (chunked IN lists).
 */
export async function loadAnnexASource(
  db: Db,
  organisationId: string,
  asOf: string,
): Promise<AnnexASource> {
  const census = await loadCensusRows(db, organisationId, {
    year: Number(asOf.slice(0, 4)),
    start: ANNEX_A_HISTORY_START,
    end: asOf,
  });
  const careRows = await db
    .selectFrom('case_record as r')
    .innerJoin('record_party as rp', (join) =>
      join.onRef('rp.record_id', '=', 'r.id').on('rp.role', '=', 'subject'),
    )
    .select(['r.id', 'r.category', 'r.opened_on', 'r.closed_on', 'r.detail', 'rp.person_id'])
    .where('r.organisation_id', '=', organisationId)
    .where('r.category', 'in', ['looked-after', 'adoption'])
    .where('r.opened_on', '<=', asOf)
    .orderBy('r.opened_on')
    .orderBy('r.id')
    .execute();
  const care: CareRecordRow[] = careRows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    category: r.category as CareRecordRow['category'],
    openedOn: r.opened_on,
    closedOn: r.closed_on,
    detail: (r.detail ?? {}) as Record<string, unknown>,
  }));

  // The subjects of looked-after and adoption records the census rows do not hold.
  const known = new Map<string, CensusPersonRow>(census.map((p) => [p.id, p]));
  const others = [...new Set(care.map((r) => r.personId))].filter((id) => !known.has(id));
  const people = new Map<string, CensusPersonRow>(known);
  for (const ids of chunks(others)) {
    const [persons, ethnicities] = await Promise.all([
      db
        .selectFrom('person')
        .select(['id', 'date_of_birth', 'date_of_death', 'gender'])
        .where('id', 'in', ids)
        .execute(),
      db
        .selectFrom('person_special_category')
        .select(['person_id', 'value'])
        .where('person_id', 'in', ids)
        .where('characteristic', '=', 'ethnicity')
        .orderBy('created_at', 'desc')
        .execute(),
    ]);
    const ethnicity = new Map<string, string>();
    for (const e of ethnicities)
      if (!ethnicity.has(e.person_id)) ethnicity.set(e.person_id, e.value);
    for (const p of persons) {
      people.set(p.id, {
        id: p.id,
        dateOfBirth: p.date_of_birth,
        dateOfDeath: p.date_of_death,
        gender: p.gender,
        upn: null,
        ethnicity: ethnicity.get(p.id) ?? null,
        records: [],
      });
    }
  }

  const recordIds = [
    ...census.flatMap((p) => p.records.map((r) => r.id)),
    ...care.map((r) => r.id),
  ];
  const allocation = new Map<string, { team?: string; worker?: string }>();
  const visits = new Map<string, { on: string; childSeen: boolean; seenAlone: boolean | null }[]>();
  const reviews = new Map<string, string[]>();
  const healthChecks = new Map<string, { kind: HealthCheck; on: string }[]>();
  const careIds = new Set(care.map((r) => r.id));
  for (const ids of chunks(recordIds)) {
    const lacIds = ids.filter((id) => careIds.has(id));
    const [allocated, visitRows, reviewRows, outcomeRows] = await Promise.all([
      db
        .selectFrom('case_record as r')
        .leftJoin('team as t', 't.id', 'r.allocated_team_id')
        .leftJoin('account as a', 'a.id', 'r.allocated_account_id')
        .select(['r.id', 't.name as team', 'a.display_name as worker'])
        .where('r.id', 'in', ids)
        .execute(),
      db
        .selectFrom('statutory_visit')
        .select(['record_id', 'visited_on', 'child_seen', 'seen_alone'])
        .where('record_id', 'in', ids)
        .where('visited_on', '<=', asOf)
        .orderBy('visited_on')
        .execute(),
      db
        .selectFrom('statutory_review')
        .select(['record_id', 'held_on'])
        .where('record_id', 'in', ids)
        .where('held_on', '<=', asOf)
        .orderBy('held_on')
        .execute(),
      lacIds.length
        ? db
            .selectFrom('looked_after_outcome')
            .select(['record_id', 'kind', 'occurred_on'])
            .where('record_id', 'in', lacIds)
            .where('kind', 'in', ['health-assessment', 'dental-check'])
            .where('occurred_on', '<=', asOf)
            .orderBy('occurred_on')
            .execute()
        : Promise.resolve([]),
    ]);
    for (const a of allocated) {
      allocation.set(a.id, { team: a.team ?? undefined, worker: a.worker ?? undefined });
    }
    for (const v of visitRows) {
      const list = visits.get(v.record_id) ?? [];
      list.push({ on: v.visited_on, childSeen: v.child_seen, seenAlone: v.seen_alone });
      visits.set(v.record_id, list);
    }
    for (const r of reviewRows) {
      const list = reviews.get(r.record_id) ?? [];
      list.push(r.held_on);
      reviews.set(r.record_id, list);
    }
    for (const o of outcomeRows) {
      const list = healthChecks.get(o.record_id) ?? [];
      list.push({ kind: o.kind as HealthCheck, on: o.occurred_on });
      healthChecks.set(o.record_id, list);
    }
  }
  return { asOf, census, care, people, allocation, visits, reviews, healthChecks };
}
