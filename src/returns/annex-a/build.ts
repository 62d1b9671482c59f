import { Temporal } from 'temporal-polyfill';
import {
  censusChild,
  laChildIdOf,
  type CensusChild,
  type CensusEpisode,
  type CensusPeriod,
  type CensusPersonRow,
} from '../census.js';
import { abuseCategoryCodes, codeOf } from '../codes.js';
import {
  annexACategoryOfAbuse,
  annexAGender,
  careLeaverAccommodationCodes,
  careLeaverActivity,
  legalStatusCodes,
  NO,
  placementTypeCodes,
  YES,
} from './codes.js';
import { annexALists, listKeys, type Heading, type ListKey } from './lists.js';

/**
 * The Annex A lists built from Safekeep's records (pure: store.ts loads the
 * rows, workbook.ts writes the file, rules.ts checks it). Referrals,
 * assessments, section 47 enquiries, children in need and child protection
 * plans come from the Children in Need census's own derivation (census.ts)
 * over the child's whole history to the as-of date; children in care, care
 * leavers and adoption from the looked-after and adoption records' detail.
 * Every row remembers the child and the record it was read from, so a
 * failed check can send someone to the record to put right.
 */

/** The census derivation reads from here: every record, however old. */
export const ANNEX_A_HISTORY_START = '1900-01-01';

/** A looked-after or adoption record, as store.ts loads it. */
export interface CareRecordRow {
  id: string;
  personId: string;
  category: 'looked-after' | 'adoption';
  openedOn: string;
  closedOn: string | null;
  detail: Record<string, unknown>;
}

export interface AnnexASource {
  asOf: string;
  /** The census's rows: child in need and child protection plan records by child. */
  census: CensusPersonRow[];
  care: CareRecordRow[];
  /** Every subject (census rows and the subjects of care records). */
  people: Map<string, CensusPersonRow>;
  /** Who each record is allocated to: team name, worker's name. */
  allocation: Map<string, { team?: string; worker?: string }>;
  /** Statutory visits on each record, oldest first, to the as-of date. */
  visits: Map<string, { on: string; childSeen: boolean }[]>;
  /** Statutory reviews and conferences held on each record, oldest first. */
  reviews: Map<string, string[]>;
}

/** A cell: text, a number, a date (written as an Excel date), or empty. */
export type Cell = string | number | { date: string } | undefined;

export interface AnnexARow<K extends ListKey = ListKey> {
  personId: string;
  /** The record the row was read from: the one to fix. */
  recordId: string;
  cells: Partial<Record<Heading<K>, Cell>>;
}

export type AnnexALists = { [K in ListKey]: AnnexARow<K>[] };

export interface AnnexAPeriods {
  asOf: string;
  /** First day of the six months ending on the as-of date. */
  sixMonthsFrom: string;
  /** First day of the twelve months ending on the as-of date. */
  twelveMonthsFrom: string;
}

export function annexAPeriods(asOf: string): AnnexAPeriods {
  const day = Temporal.PlainDate.from(asOf);
  return {
    asOf,
    sixMonthsFrom: day.subtract({ months: 6 }).add({ days: 1 }).toString(),
    twelveMonthsFrom: day.subtract({ months: 12 }).add({ days: 1 }).toString(),
  };
}

export interface AnnexA {
  periods: AnnexAPeriods;
  lists: AnnexALists;
  /** The census derivation of each child in need, over their history to the as-of date. */
  children: CensusChild[];
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const objects = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];
const date = (on: string | undefined): Cell => (on === undefined ? undefined : { date: on });
const latest = (dates: (string | undefined)[]): string | undefined =>
  dates
    .filter((d): d is string => d !== undefined)
    .sort()
    .at(-1);
const between = (on: string | undefined, from: string, to: string) =>
  on !== undefined && on >= from && on <= to;

function ageOn(birthDate: string | null, on: string): number | undefined {
  if (!birthDate || birthDate > on) return undefined;
  return Temporal.PlainDate.from(birthDate).until(Temporal.PlainDate.from(on), {
    largestUnit: 'years',
  }).years;
}

/** The DfE census category code back to Annex A's words. */
function categoryText(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  const slug = Object.entries(abuseCategoryCodes.codes).find(([, c]) => c.code === code)?.[0];
  return slug ? codeOf(annexACategoryOfAbuse, slug) : code;
}

/** A looked-after record's periods of care (its episodes, or the record's own dates). */
function careEpisodes(record: CareRecordRow, asOf: string) {
  const recorded = objects(record.detail['episodes'])
    .map((e) => ({ start: str(e['startedOn']), end: str(e['endedOn']) }))
    .filter((e): e is { start: string; end: string | undefined } => e.start !== undefined);
  const episodes = recorded.length
    ? recorded
    : [{ start: record.openedOn, end: record.closedOn ?? undefined }];
  return episodes
    .filter((e) => e.start <= asOf)
    .map((e) => ({ start: e.start, end: e.end !== undefined && e.end <= asOf ? e.end : undefined }))
    .sort((a, b) => a.start.localeCompare(b.start));
}

function placementsOf(record: CareRecordRow, asOf: string) {
  return objects(record.detail['placements'])
    .map((p) => ({
      type: str(p['type']),
      start: str(p['startedOn']),
      end: str(p['endedOn']),
    }))
    .filter(
      (p): p is { type: string | undefined; start: string; end: string | undefined } =>
        p.start !== undefined && p.start <= asOf,
    )
    .sort((a, b) => a.start.localeCompare(b.start));
}

export function buildAnnexA(source: AnnexASource): AnnexA {
  const periods = annexAPeriods(source.asOf);
  const { asOf, sixMonthsFrom: six, twelveMonthsFrom: twelve } = periods;
  const censusPeriod: CensusPeriod = {
    year: Number(asOf.slice(0, 4)),
    start: ANNEX_A_HISTORY_START,
    end: asOf,
  };
  const children = source.census
    .map((row) => censusChild(row, censusPeriod))
    .filter((c): c is CensusChild => c !== null);
  const byPerson = new Map(children.map((c) => [c.personId, c]));

  const lists = Object.fromEntries(listKeys.map((k) => [k, []])) as unknown as AnnexALists;

  const childCells = (personId: string) => {
    const person = source.people.get(personId);
    const census = byPerson.get(personId);
    const gender = person?.gender ?? undefined;
    const ethnicity = person?.ethnicity;
    return {
      'Child Unique ID': laChildIdOf(personId),
      Gender: codeOf(annexAGender, gender),
      Ethnicity: ethnicity && /^[A-Z]{4}$/.test(ethnicity) ? ethnicity : 'NOBT',
      'Date of Birth': date(person?.dateOfBirth ?? undefined),
      'Age of Child (Years)': ageOn(person?.dateOfBirth ?? null, asOf),
      Disability: census && !census.disabilities.includes('NONE') ? YES : NO,
    } as const;
  };
  const allocated = (recordId: string) => {
    const a = source.allocation.get(recordId);
    return { 'Allocated Team': a?.team, 'Allocated Worker': a?.worker } as const;
  };
  const visitsOf = (recordIds: string[]) => recordIds.flatMap((id) => source.visits.get(id) ?? []);
  const lastVisit = (recordIds: string[]) => latest(visitsOf(recordIds).map((v) => v.on));
  const lastSeen = (recordIds: string[]) =>
    latest(
      visitsOf(recordIds)
        .filter((v) => v.childSeen)
        .map((v) => v.on),
    );

  const lookedAfter = source.care.filter((r) => r.category === 'looked-after');
  const inCareOn = (personId: string, on: string) =>
    lookedAfter.some(
      (r) =>
        r.personId === personId &&
        careEpisodes(r, on).some((e) => e.start <= on && (e.end === undefined || e.end > on)),
    );

  for (const child of children) {
    const id = child.personId;
    const base = childCells(id);
    const episodes = child.episodes;
    const referrals12 = episodes.filter((e) => between(e.referralDate, twelve, asOf)).length;
    const s47s = episodes.flatMap((e) => e.section47s.map((s) => ({ episode: e, s })));
    const s47s12 = s47s.filter(({ s }) => between(s.startDate, twelve, asOf));
    const icpcs12 = new Set(
      s47s12.map(({ s }) => s.icpcDate).filter((on) => between(on, twelve, asOf)),
    ).size;

    // List 3: referrals received in the six months.
    for (const e of episodes.filter((e) => between(e.referralDate, six, asOf))) {
      lists.referrals.push({
        personId: id,
        recordId: e.recordId,
        cells: {
          ...base,
          'Date of Referral': date(e.referralDate),
          'Referral Source': e.referralSource,
          'Referral NFA?': e.referralNfa ? YES : NO,
          'Number of Referrals in Last 12 Months': referrals12,
          ...allocated(e.recordId),
        },
      });
    }

    // List 4: assessments started or authorised in the six months, or open on the date.
    for (const e of episodes) {
      for (const a of e.assessments) {
        const open = a.startDate !== undefined && a.authorisationDate === undefined;
        if (!open && !between(a.startDate, six, asOf) && !between(a.authorisationDate, six, asOf))
          continue;
        const seen = (source.visits.get(a.recordId) ?? []).some(
          (v) =>
            v.childSeen &&
            (a.startDate === undefined || v.on >= a.startDate) &&
            v.on <= (a.authorisationDate ?? asOf),
        );
        lists.assessments.push({
          personId: id,
          recordId: a.recordId,
          cells: {
            ...base,
            'Assessment Start Date': date(a.startDate),
            'Child Seen During Assessment': seen ? YES : NO,
            'Assessment Authorised Date': date(a.authorisationDate),
            'Assessment Factors': a.factors.join(', ') || undefined,
            ...allocated(a.recordId),
          },
        });
      }
    }

    // List 5: section 47 enquiries begun in the six months, with their conference.
    for (const { episode, s } of s47s.filter(({ s }) => between(s.startDate, six, asOf))) {
      lists.section47.push({
        personId: id,
        recordId: s.recordId,
        cells: {
          ...base,
          'Strategy Discussion Initiating Section 47 Enquiry Start Date': date(s.startDate),
          'Was an Initial Child Protection Conference Deemed Unnecessary?': s.icpcNotRequired
            ? YES
            : NO,
          'Date of Initial Child Protection Conference': date(s.icpcDate),
          'Did the Initial Child Protection Conference Result in a Child Protection Plan?':
            s.icpcDate === undefined
              ? undefined
              : episode.cpPlans.some((p) => p.recordId === s.recordId)
                ? YES
                : NO,
          'Number of Section 47 Enquiries in the Last 12 Months': s47s12.length,
          'Number of ICPCs in the Last 12 Months': icpcs12,
          ...allocated(s.recordId),
        },
      });
    }

    // List 6: children in need on the date: an episode of need still open.
    const open = episodes
      .filter((e) => e.referralDate <= asOf && e.closureDate === undefined)
      .at(-1);
    const allPlans = episodes.flatMap((e) => e.cpPlans);
    if (open) {
      const onPlan = allPlans.some(
        (p) => p.startDate !== undefined && p.startDate <= asOf && p.endDate === undefined,
      );
      const status = onPlan
        ? 'Child protection plan'
        : inCareOn(id, asOf)
          ? 'Looked after'
          : 'Child in need';
      const records = childRecordIds(open);
      lists.childrenInNeed.push({
        personId: id,
        recordId: open.recordId,
        cells: {
          ...base,
          'Date of Referral': date(open.referralDate),
          'Primary Need Code': open.primaryNeed,
          'Case Status': status,
          'CIN Plan Start Date': date(
            latest(open.cinPlans.filter((p) => p.endDate === undefined).map((p) => p.startDate)),
          ),
          'Date of Last Statutory Visit': date(lastVisit(records)),
          'Date Child Was Last Seen': date(lastSeen(records)),
          ...allocated(open.recordId),
        },
      });
    }

    // List 7: child protection plans in force on any day of the six months.
    for (const p of allPlans) {
      if (p.startDate === undefined || p.startDate > asOf) continue;
      if (p.endDate !== undefined && p.endDate < six) continue;
      const start = p.startDate;
      lists.childProtection.push({
        personId: id,
        recordId: p.recordId,
        cells: {
          ...base,
          'Child Protection Plan Start Date': date(start),
          'Initial Category of Abuse': categoryText(p.initialCategory),
          'Latest Category of Abuse': categoryText(p.latestCategory),
          'Date of Latest Review Conference': date(p.reviewDates.at(-1)),
          'Date of Last Statutory Visit': date(lastVisit([p.recordId])),
          'Date Child Was Last Seen': date(lastSeen([p.recordId])),
          'Child Protection Plan End Date': date(p.endDate),
          'Number of Previous Child Protection Plans': allPlans.filter(
            (q) => q.startDate !== undefined && q.startDate < start,
          ).length,
          ...allocated(p.recordId),
        },
      });
    }
  }

  // List 8: looked after on any day of the six months.
  for (const r of lookedAfter) {
    const episode = careEpisodes(r, asOf)
      .filter((e) => e.end === undefined || e.end >= six)
      .at(-1);
    if (!episode) continue;
    const placements = placementsOf(r, asOf);
    const placement = placements.filter((p) => p.start >= episode.start).at(-1);
    lists.childrenInCare.push({
      personId: r.personId,
      recordId: r.id,
      cells: {
        ...childCells(r.personId),
        'Date Started to be Looked After': date(episode.start),
        'Legal Status': codeOf(legalStatusCodes, str(r.detail['legalStatus'])),
        'Placement Type': placement ? codeOf(placementTypeCodes, placement.type) : undefined,
        'Placement Start Date': date(placement?.start),
        'Number of Placements in the Last 12 Months': placements.filter(
          (p) => p.end === undefined || p.end >= twelve,
        ).length,
        'Date of Latest Statutory Review': date(source.reviews.get(r.id)?.at(-1)),
        'Date of Last Statutory Visit': date(lastVisit([r.id])),
        'Date Child Was Last Seen': date(lastSeen([r.id])),
        'Date Ceased to be Looked After': date(episode.end),
        ...allocated(r.id),
      },
    });
  }

  // List 9: care leavers on the date: a looked-after record still open with care leaver facts.
  for (const r of lookedAfter) {
    const leaver = r.detail['careLeaver'];
    if (typeof leaver !== 'object' || leaver === null) continue;
    if (r.closedOn !== null && r.closedOn <= asOf) continue;
    const facts = leaver as Record<string, unknown>;
    const { 'Age of Child (Years)': age, ...child } = childCells(r.personId);
    const reviewed = str(facts['pathwayPlanReviewedOn']);
    const a = source.allocation.get(r.id);
    lists.careLeavers.push({
      personId: r.personId,
      recordId: r.id,
      cells: {
        ...child,
        'Age of Young Person (Years)': age,
        'Date Ceased to be Looked After': date(latest(careEpisodes(r, asOf).map((e) => e.end))),
        'Date of Latest Pathway Plan Review': date(
          reviewed !== undefined && reviewed <= asOf ? reviewed : undefined,
        ),
        Activity: careLeaverActivity(str(facts['education']), str(facts['employment'])),
        'Type of Accommodation': codeOf(careLeaverAccommodationCodes, str(facts['accommodation'])),
        'Allocated Team': a?.team,
        'Allocated Personal Adviser': a?.worker,
      },
    });
  }

  // List 10: children with an adoption record open on any day of the twelve months.
  for (const r of source.care.filter((r) => r.category === 'adoption')) {
    if (r.closedOn !== null && r.closedOn < twelve) continue;
    const orders = objects(r.detail['courtOrders']);
    const orderOn = (kind: string) =>
      latest(
        orders
          .filter((o) => o['kind'] === kind)
          .map((o) => str(o['madeOn']))
          .filter((on) => on !== undefined && on <= asOf),
      );
    const care = lookedAfter.filter((l) => l.personId === r.personId);
    lists.adoption.push({
      personId: r.personId,
      recordId: r.id,
      cells: {
        ...childCells(r.personId),
        'Date Started to be Looked After': date(
          care.flatMap((l) => careEpisodes(l, asOf).map((e) => e.start)).sort()[0],
        ),
        'Date of Placement Order': date(orderOn('placement-order')),
        'Date Placed for Adoption': date(
          latest(
            care.flatMap((l) =>
              placementsOf(l, asOf)
                .filter((p) => p.type === 'placed-for-adoption')
                .map((p) => p.start),
            ),
          ),
        ),
        'Date of Adoption Order': date(orderOn('adoption-order')),
        ...allocated(r.id),
      },
    });
  }

  for (const key of listKeys) {
    const heading = annexALists[key].headings[0];
    (lists[key] as AnnexARow[]).sort(
      (a, b) =>
        String(a.cells[heading as never] ?? '').localeCompare(
          String(b.cells[heading as never] ?? ''),
        ) || a.recordId.localeCompare(b.recordId),
    );
  }
  return { periods, lists, children };
}

/** The records behind an episode: its own, its plans' and its enquiries'. */
function childRecordIds(episode: CensusEpisode): string[] {
  return [
    ...new Set([
      episode.recordId,
      ...episode.cpPlans.map((p) => p.recordId),
      ...episode.section47s.map((s) => s.recordId),
    ]),
  ];
}

/** Every record a set of lists was read from (audit and the disclosure record). */
export function recordIdsOf(annex: AnnexA): string[] {
  return [
    ...new Set(listKeys.flatMap((k) => (annex.lists[k] as AnnexARow[]).map((r) => r.recordId))),
  ];
}

/** How many distinct children the lists name. */
export function childCount(annex: AnnexA): number {
  return new Set(listKeys.flatMap((k) => (annex.lists[k] as AnnexARow[]).map((r) => r.personId)))
    .size;
}
