import { Temporal } from 'temporal-polyfill';
import {
  censusChild,
  laChildIdOf,
  type CensusChild,
  type CensusEpisode,
  type CensusPeriod,
  type CensusPersonRow,
} from '../census.js';
import { abuseCategoryCodes, codeOf, primaryNeedCodes } from '../codes.js';
import {
  accommodationCodes,
  activityCodes,
  ADOPTION_PLACEMENTS,
  inTouchCodes,
  legalStatusCodes,
  placedCeasedCodes,
  placementProviderCodes,
  reasonCeasedCodes,
} from '../ssda903/codes.js';
import { isTemporary } from '../ssda903/episodes.js';
import {
  annexACategoryOfAbuse,
  annexAGender,
  annexASuitability,
  careLeaverActivity,
  N,
  NO,
  Y,
  YES,
} from './codes.js';
import {
  careEpisodes,
  FOSTERING_FOR_ADOPTION,
  legalStatuses,
  placementCode,
  placementsOf,
  PROTECTION,
} from './care-records.js';
import { annexALists, listKeys, type Heading, type ListKey } from './lists.js';

/**
 * The Annex A lists built from Safekeep's records (pure: store.ts loads the
 * rows, workbook.ts writes the file, rules.ts checks it). Referrals,
 * assessments, section 47 enquiries, children in need and child protection
 * plans come from the Children in Need census's own derivation (census.ts)
 * over the child's whole history to the as-of date; children in care, care
 * leavers and adoption from the looked-after and adoption records' detail,
 * read as the SSDA903 return reads them (../ssda903/child.ts), with the
 * same codes.
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
  visits: Map<string, { on: string; childSeen: boolean; seenAlone: boolean | null }[]>;
  /** Statutory reviews and conferences held on each record, oldest first. */
  reviews: Map<string, string[]>;
  /** Health assessments and dental checks on each looked-after record, oldest first. */
  healthChecks: Map<string, { kind: HealthCheck; on: string }[]>;
}

/** The looked-after outcomes List 8 reads (looked_after_outcome.kind). */
export type HealthCheck = 'health-assessment' | 'dental-check';

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
      'Does the Child have a Disability':
        census && !census.disabilities.includes('NONE') ? YES : NO,
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
  /** Whether the child was seen alone at the latest visit (not seen is not seen alone). */
  const seenAloneAtLast = (recordIds: string[]) => {
    const last = visitsOf(recordIds)
      .sort((a, b) => a.on.localeCompare(b.on))
      .at(-1);
    return last === undefined ? undefined : last.seenAlone === true ? YES : NO;
  };

  const lookedAfter = source.care.filter((r) => r.category === 'looked-after');
  // Each child's looked-after records, found once (rows look them up by child).
  const careByPerson = new Map<string, CareRecordRow[]>();
  for (const r of lookedAfter) {
    careByPerson.set(r.personId, [...(careByPerson.get(r.personId) ?? []), r]);
  }
  const careOf = (personId: string) => careByPerson.get(personId) ?? [];
  /** Under police protection or an emergency protection order on any day of the six months. */
  const protectedInSix = (personId: string) =>
    careOf(personId).some((r) =>
      legalStatuses(r, asOf).some(
        (s) => PROTECTION.has(s.status) && s.from <= asOf && (s.to === undefined || s.to >= six),
      ),
    );
  const inCareOn = (personId: string, on: string) =>
    careOf(personId).some((r) =>
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
          'Date of referral': date(e.referralDate),
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
        // Once authorised: no when the episode closed after it with no
        // further action or to early help (RC8, RC9), else yes.
        const noSupport = e.reasonForClosure === 'RC8' || e.reasonForClosure === 'RC9';
        lists.assessments.push({
          personId: id,
          recordId: a.recordId,
          cells: {
            ...base,
            'Continuous Assessment Start Date': date(a.startDate),
            'Child Seen During Continuous Assessment': seen ? YES : NO,
            'Continuous Assessment Date of Authorisation': date(a.authorisationDate),
            "Was the child assessed as requiring LA children's social care support?":
              a.authorisationDate === undefined ? undefined : noSupport ? NO : YES,
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
          'Strategy discussion initiating Section 47 Enquiry Start Date': date(s.startDate),
          'Was an Initial Child Protection Conference deemed unnecessary?': s.icpcNotRequired
            ? YES
            : NO,
          'Date of Initial Child Protection Conference': date(s.icpcDate),
          'Did the Initial Child Protection Conference Result in a Child Protection Plan':
            s.icpcDate === undefined
              ? undefined
              : episode.cpPlans.some((p) => p.recordId === s.recordId)
                ? YES
                : NO,
          'Number of Section 47 Enquiries in the last 12 months': s47s12.length,
          'Number of ICPCs in the last 12 months': icpcs12,
          ...allocated(s.recordId),
        },
      });
    }

    // List 6: episodes of need open on any day of the six months; one closed
    // since is listed with its closure date and the census reason code.
    const allPlans = episodes.flatMap((e) => e.cpPlans);
    const onPlan = allPlans.some(
      (p) => p.startDate !== undefined && p.startDate <= asOf && p.endDate === undefined,
    );
    for (const e of episodes) {
      if (e.referralDate > asOf || (e.closureDate !== undefined && e.closureDate < six)) continue;
      const status =
        e.closureDate !== undefined
          ? 'Closed'
          : onPlan
            ? 'Child protection plan'
            : inCareOn(id, asOf)
              ? 'Looked after'
              : 'Child in need';
      lists.childrenInNeed.push({
        personId: id,
        recordId: e.recordId,
        cells: {
          ...base,
          'CIN Start Date': date(e.referralDate),
          'Primary Need Code': e.primaryNeed,
          'Date Child Was Last Seen': date(lastSeen(childRecordIds(e))),
          'CIN Closure Date': date(e.closureDate),
          'Reason for Closure': e.closureDate === undefined ? undefined : e.reasonForClosure,
          'Case Status': status,
          ...allocated(e.recordId),
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
          'Date of the Last Statutory Visit': date(lastVisit([p.recordId])),
          'Was the Child Seen Alone?': seenAloneAtLast([p.recordId]),
          'Date of latest review conference': date(p.reviewDates.at(-1)),
          'Child Protection Plan End Date': date(p.endDate),
          'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)':
            protectedInSix(id) ? Y : N,
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
    // The latest usual placement: a temporary one (T0–T4) is a stay away from it.
    const placement = placements.filter((p) => p.start >= episode.start && !isTemporary(p)).at(-1);
    // The legal status on the period's last day (or the as-of date) and when it began.
    const on = episode.end ?? asOf;
    const status = legalStatuses(r, asOf)
      .filter((s) => s.from <= on)
      .at(-1);
    // Another period of care, of any of the child's records, before this one
    // and still going in the twelve months.
    const second =
      episode.start >= twelve &&
      careOf(r.personId).some((other) =>
        careEpisodes(other, asOf).some(
          (e) => e.start < episode.start && e.end !== undefined && e.end >= twelve,
        ),
      );
    const away = (kind: 'missing' | 'away') =>
      objects(r.detail['missingEpisodes']).filter(
        (m) => m['kind'] === kind && between(str(m['startedOn']), twelve, asOf),
      ).length;
    const checks = source.healthChecks.get(r.id) ?? [];
    const lastCheck = (kind: HealthCheck) =>
      latest(checks.filter((c) => c.kind === kind).map((c) => c.on));
    lists.childrenInCare.push({
      personId: r.personId,
      recordId: r.id,
      cells: {
        ...childCells(r.personId),
        'Date Started to be Looked After': date(episode.start),
        "Child's Category of Need": codeOf(primaryNeedCodes, episode.categoryOfNeed),
        'Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)':
          second ? Y : N,
        'Start date of current legal status': date(
          status && status.from > episode.start ? status.from : status && episode.start,
        ),
        "Child's Legal Status": codeOf(legalStatusCodes, status?.status),
        'Date of Latest Statutory Review': date(source.reviews.get(r.id)?.at(-1)),
        'Date of Last Social Work Visit': date(lastVisit([r.id])),
        'Date of Last Health Assessment': date(lastCheck('health-assessment')),
        'Date of Last Dental Check': date(lastCheck('dental-check')),
        'Number of Placements in the Last 12 months': placements.filter(
          (p) => p.end === undefined || p.end >= twelve,
        ).length,
        'Date Ceased to be Looked After': date(episode.end),
        'Reason Ceased to be Looked After': codeOf(reasonCeasedCodes, episode.reasonCeased),
        'Start Date of Most Recent Placement': date(placement?.start),
        'Placement Type': placement ? placementCode(placement) : undefined,
        'Placement Provider': codeOf(placementProviderCodes, placement?.providedBy),
        'Placement postcode': placement?.postcode,
        'URN of Placement': placement?.urn,
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months":
          away('missing'),
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months":
          away('away'),
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
    const activity = str(facts['activity']);
    lists.careLeavers.push({
      personId: r.personId,
      recordId: r.id,
      cells: {
        ...childCells(r.personId),
        ...allocated(r.id),
        'LA in Touch': codeOf(inTouchCodes, str(facts['inTouch'])),
        'Type of Accommodation': codeOf(accommodationCodes, str(facts['accommodation'])),
        'Suitability of Accommodation': codeOf(
          annexASuitability,
          str(facts['accommodationSuitable']),
        ),
        // The SSDA903 activity where recorded, else read from education and employment.
        'Activity Status':
          activity !== undefined
            ? codeOf(activityCodes, activity)
            : careLeaverActivity(str(facts['education']), str(facts['employment'])),
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
    const byAsOf = (key: string) => {
      const on = str(r.detail[key]);
      return on !== undefined && on <= asOf ? on : undefined;
    };
    const placements = careOf(r.personId).flatMap((l) => placementsOf(l, asOf));
    const ceasedOn = byAsOf('decisionCeasedOn');
    lists.adoption.push({
      personId: r.personId,
      recordId: r.id,
      cells: {
        ...childCells(r.personId),
        'Date the Child Entered Care': date(
          careOf(r.personId)
            .flatMap((l) => careEpisodes(l, asOf).map((e) => e.start))
            .sort()[0],
        ),
        'Date of Decision that Child Should be Placed for Adoption': date(
          byAsOf('decisionToPlaceOn'),
        ),
        'Date of Placement Order': date(orderOn('placement-order')),
        'Date of Matching Child and Prospective Adopters': date(byAsOf('matchedOn')),
        'Date Placed for Adoption': date(
          latest(
            placements
              .filter(
                (p) =>
                  p.type === 'placed-for-adoption' ||
                  ADOPTION_PLACEMENTS.has(placementCode(p) ?? ''),
              )
              .map((p) => p.start),
          ),
        ),
        'Date of Adoption Order': date(orderOn('adoption-order')),
        'Date of Decision that Child Should No Longer be Placed for Adoption': date(ceasedOn),
        'Reason Why Child No Longer Placed for Adoption':
          ceasedOn === undefined
            ? undefined
            : codeOf(placedCeasedCodes, str(r.detail['decisionCeasedReason'])),
        // Fostering for adoption or concurrent planning: SSDA903 U2 and U5.
        'Date the child was placed for fostering in FFA or concurrent planning placement': date(
          placements.filter((p) => FOSTERING_FOR_ADOPTION.has(placementCode(p) ?? ''))[0]?.start,
        ),
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
