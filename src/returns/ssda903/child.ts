import { Temporal } from 'temporal-polyfill';
import { laChildIdOf, type CensusPeriod } from '../census.js';
import { codeOf } from '../codes.js';
import {
  accommodationCodes,
  activityCodes,
  ADOPTED,
  adopterSexCodes,
  adoptersLegalStatusCode,
  inTouchCodes,
  missingCodes,
  placedCeasedCodes,
  previousPermanenceCodes,
  reasonCeasedCodes,
  sdqReasonCodes,
  sexCodes,
  socialWorkerChangeCodes,
  participationOf,
} from './codes.js';
import { episodeRows, type EpisodeRow, type PeriodOfCare } from './episodes.js';

/**
 * One child's SSDA903 entry, read off their looked-after and adoption
 * records (pure: store.ts loads the rows, files.ts writes the CSV files,
 * rules.ts checks it). Every item remembers the record it came from, so a
 * failing rule sends someone to the record to put right.
 *
 * The collection year is the census's: 2026 is 1 April 2025 to 31 March
 * 2026. Events after 31 March are left out (next year's return).
 */

export interface LacRecordRow {
  id: string;
  openedOn: string;
  closedOn: string | null;
  detail: Record<string, unknown>;
}

export interface LacPersonRow {
  id: string;
  dateOfBirth: string | null;
  gender: string | null;
  upn: string | null;
  ethnicity: string | null;
  lookedAfter: LacRecordRow[];
  adoption: LacRecordRow[];
  reviews: {
    recordId: string;
    heldOn: string;
    childParticipated: boolean;
    /** How the child took part (migration 0071); null for reviews recorded before it was asked. */
    participation?: string | null;
  }[];
  outcomes: { recordId: string; kind: string; occurredOn: string; sdqScore: number | null }[];
}

export interface ReviewRow {
  recordId: string;
  date: string;
  code: string;
}
export interface Oc2Row {
  recordId: string;
  sdqScore?: number;
  sdqReason?: string;
  convicted?: string;
  healthCheck?: string;
  immunisations?: string;
  teethCheck: string;
  healthAssessment: string;
  substanceMisuse?: string;
  interventionReceived?: string;
  interventionOffered?: string;
  /** Whether the year's facts were recorded at all. */
  recorded: boolean;
}
export interface Oc3Row {
  recordId: string;
  birthday: string;
  inTouch?: string;
  activity?: string;
  accommodation?: string;
  contactOn?: string;
}
export interface Ad1Row {
  recordId: string;
  dateInt?: string;
  dateMatch?: string;
  fosterCare?: string;
  numberOfAdopters?: string;
  sexAdopters?: string;
  lsAdopters?: string;
  adoptedOn: string;
}
export interface PlacedAdoptionRow {
  recordId: string;
  datePlaced: string;
  dateCeased?: string;
  reasonCeased?: string;
}
export interface PrevPermRow {
  recordId: string;
  prevPerm?: string;
  laPerm?: string;
  datePerm?: string;
}
export interface MissingRow {
  recordId: string;
  missing: string;
  start: string;
  end?: string;
}
export interface SwEpisodeRow {
  recordId: string;
  swId: string;
  start: string;
  end?: string;
  reason?: string;
}

export interface Ssda903Child {
  personId: string;
  childId: string;
  /** The record for child-level facts: the latest looked-after record. */
  recordId: string;
  sex?: string;
  dob?: string;
  ethnic: string;
  upn?: string;
  mother?: string;
  motherChildDob?: string;
  /** Every episode of every period of care, for rules across years; `episodes` are the year's. */
  allEpisodes: EpisodeRow[];
  episodes: EpisodeRow[];
  reviews: ReviewRow[];
  uasc?: { recordId: string; duc?: string };
  oc2?: Oc2Row;
  oc3?: Oc3Row;
  ad1?: Ad1Row;
  placedAdoption: PlacedAdoptionRow[];
  prevPerm: PrevPermRow[];
  missing: MissingRow[];
  swEpisodes: SwEpisodeRow[];
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const objects = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];

/** A DfE code for the stored word; the word itself when it maps to none, so a rule says so. */
function coded(list: Parameters<typeof codeOf>[0], word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  return codeOf(list, word) ?? word;
}

const yes = (value: unknown): string | undefined =>
  value === 'yes' ? '1' : value === 'no' ? '0' : undefined;

export function ageOn(birthDate: string, on: string): number {
  return Temporal.PlainDate.from(birthDate).until(Temporal.PlainDate.from(on), {
    largestUnit: 'years',
  }).years;
}

function addYears(date: string, years: number): string {
  return Temporal.PlainDate.from(date).add({ years }).toString();
}

function daysBetween(from: string, to: string): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' })
    .days;
}

function ethnicityCode(value: string | null): string {
  return value && /^[A-Z]{4}$/.test(value) ? value : 'NOBT';
}

const overlaps = (start: string, end: string | undefined, period: CensusPeriod) =>
  start <= period.end && (end === undefined || end >= period.start);
/** A date in the year or before it; undefined when after 31 March. */
const byEnd = (date: string | undefined, period: CensusPeriod) =>
  date !== undefined && date <= period.end ? date : undefined;

/** The periods of care of one looked-after record. */
function periodsOf(record: LacRecordRow): PeriodOfCare[] {
  const d = record.detail;
  return objects(d['episodes']).flatMap((e) => {
    const startedOn = str(e['startedOn']);
    if (!startedOn) return [];
    return [
      {
        recordId: record.id,
        startedOn,
        endedOn: str(e['endedOn']),
        reasonCeased: coded(reasonCeasedCodes, str(e['reasonCeased'])),
        categoryOfNeed: str(e['categoryOfNeed']),
        homePostcode: str(e['homePostcode']),
        legalStatus: str(d['legalStatus']),
        legalStatusChanges: objects(d['legalStatusChanges']).flatMap((c) => {
          const status = str(c['status']);
          const from = str(c['from']);
          return status && from ? [{ status, from }] : [];
        }),
        placements: objects(d['placements']).flatMap((p) => {
          const startedOn = str(p['startedOn']);
          const type = str(p['type']);
          return startedOn && type
            ? [
                {
                  type,
                  startedOn,
                  endedOn: str(p['endedOn']),
                  dfeType: str(p['dfeType']),
                  providedBy: str(p['providedBy']),
                  postcode: str(p['postcode']),
                  urn: str(p['urn']),
                  reasonChanged: str(p['reasonChanged']),
                },
              ]
            : [];
        }),
      },
    ];
  });
}

/** Days looked after on or after `from`, up to `to`, over every period of care. */
function daysLookedAfter(periods: readonly PeriodOfCare[], from: string, to: string): number {
  let days = 0;
  for (const p of periods) {
    const start = p.startedOn > from ? p.startedOn : from;
    const end = p.endedOn !== undefined && p.endedOn < to ? p.endedOn : to;
    if (end > start) days += daysBetween(start, end);
  }
  return days;
}

/** Leaving care to permanence or by death: not a care leaver. */
const NOT_CARE_LEAVING: ReadonlySet<string> = new Set([
  'E11',
  'E12',
  'E2',
  'E41',
  'E45',
  'E46',
  'E47',
  'E48',
]);

/**
 * One child's SSDA903 entry, or null when they were neither looked after in
 * the year nor a care leaver with a birthday in it.
 */
export function ssda903Child(person: LacPersonRow, period: CensusPeriod): Ssda903Child | null {
  const lac = [...person.lookedAfter].sort(
    (a, b) => a.openedOn.localeCompare(b.openedOn) || a.id.localeCompare(b.id),
  );
  const periods = lac
    .flatMap(periodsOf)
    .sort((a, b) => a.startedOn.localeCompare(b.startedOn) || a.recordId.localeCompare(b.recordId));
  const allEpisodes = periods.flatMap((p) => episodeRows(p, period));
  const episodes = allEpisodes.filter((e) => overlaps(e.decom, e.dec, period));
  const dob = person.dateOfBirth ?? undefined;
  const latest = lac.at(-1);
  if (!latest) return null;

  // OC3: a care leaver with their 17th to 21st birthday in the year.
  let oc3: Oc3Row | undefined;
  if (dob) {
    const age = ageOn(dob, period.end);
    const birthday = addYears(dob, age);
    const last = periods.at(-1);
    if (
      age >= 17 &&
      age <= 21 &&
      birthday >= period.start &&
      last?.endedOn !== undefined &&
      last.endedOn <= birthday &&
      last.endedOn >= addYears(dob, 16) &&
      !NOT_CARE_LEAVING.has(last.reasonCeased ?? '') &&
      daysLookedAfter(periods, addYears(dob, 14), last.endedOn) >= 91
    ) {
      const holder = [...lac].reverse().find((r) => typeof r.detail['careLeaver'] === 'object');
      const cl = (holder?.detail['careLeaver'] ?? {}) as Record<string, unknown>;
      const inTouch = coded(inTouchCodes, str(cl['inTouch']));
      const letter = coded(accommodationCodes, str(cl['accommodation']));
      const suitable = str(cl['accommodationSuitable']);
      oc3 = {
        recordId: holder?.id ?? last.recordId,
        birthday,
        inTouch,
        activity: coded(activityCodes, str(cl['activity'])),
        accommodation: letter && suitable ? `${letter}${suitable === 'yes' ? '1' : '2'}` : letter,
        contactOn: str(cl['contactOn']),
      };
    }
  }
  if (episodes.length === 0 && !oc3) return null;

  const lacIds = new Set(lac.map((r) => r.id));
  const inYear = (date: string) => date >= period.start && date <= period.end;
  const reviews: ReviewRow[] = person.reviews
    .filter((r) => lacIds.has(r.recordId) && inYear(r.heldOn))
    .sort((a, b) => a.heldOn.localeCompare(b.heldOn))
    .map((r) => ({
      recordId: r.recordId,
      date: r.heldOn,
      code: participationOf({
        participation: r.participation,
        childParticipated: r.childParticipated,
        childUnderFour: !!dob && ageOn(dob, r.heldOn) < 4,
      }),
    }));

  const uascRecord = [...lac]
    .reverse()
    .find((r) => r.detail['unaccompaniedAsylumSeeking'] === 'yes');
  const uasc =
    uascRecord && episodes.length > 0
      ? { recordId: uascRecord.id, duc: byEnd(str(uascRecord.detail['uascCeasedOn']), period) }
      : undefined;

  // OC2: looked after continuously for at least 12 months at 31 March.
  let oc2: Oc2Row | undefined;
  const continuous = periods.find(
    (p) => p.startedOn <= period.start && (p.endedOn === undefined || p.endedOn > period.end),
  );
  if (continuous) {
    const record = lac.find((r) => r.id === continuous.recordId) ?? latest;
    const outcomes = person.outcomes.filter(
      (o) => o.recordId === record.id && inYear(o.occurredOn),
    );
    const facts = objects(record.detail['yearOutcomes']).find(
      (y) => y['yearEnding'] === period.end,
    );
    const age = dob ? ageOn(dob, period.end) : undefined;
    const sdq = outcomes
      .filter((o) => o.kind === 'sdq' && o.sdqScore !== null)
      .sort((a, b) => b.occurredOn.localeCompare(a.occurredOn))[0];
    const healthAssessment = outcomes.some((o) => o.kind === 'health-assessment') ? '1' : '0';
    oc2 = {
      recordId: record.id,
      sdqScore: sdq?.sdqScore ?? undefined,
      sdqReason: coded(sdqReasonCodes, str(facts?.['sdqReason'])),
      convicted: age !== undefined && age >= 10 ? yes(facts?.['convicted']) : undefined,
      healthCheck: age !== undefined && age < 5 ? healthAssessment : undefined,
      immunisations: yes(facts?.['immunisationsUpToDate']),
      teethCheck: outcomes.some((o) => o.kind === 'dental-check') ? '1' : '0',
      healthAssessment,
      substanceMisuse: yes(facts?.['substanceMisuse']),
      interventionReceived:
        facts?.['substanceMisuse'] === 'yes' ? yes(facts['interventionReceived']) : undefined,
      interventionOffered:
        facts?.['substanceMisuse'] === 'yes' ? yes(facts['interventionOffered']) : undefined,
      recorded: facts !== undefined,
    };
  }

  // AD1: adopted in the year (an episode ended E11 or E12).
  let ad1: Ad1Row | undefined;
  const adopted = episodes.find(
    (e) => e.rec !== undefined && ADOPTED.has(e.rec) && e.dec !== undefined && inYear(e.dec),
  );
  const adoptionRecords = [...person.adoption].sort((a, b) => a.openedOn.localeCompare(b.openedOn));
  if (adopted?.dec) {
    // The adoption record that holds the decision to place, else the latest.
    const record =
      [...adoptionRecords].reverse().find((r) => str(r.detail['decisionToPlaceOn'])) ??
      adoptionRecords.at(-1);
    const d = record?.detail ?? {};
    const sex = coded(adopterSexCodes, str(d['adoptersSex']));
    ad1 = {
      recordId: record?.id ?? adopted.recordId,
      adoptedOn: adopted.dec,
      dateInt: str(d['decisionToPlaceOn']),
      dateMatch: str(d['matchedOn']),
      fosterCare: yes(d['adoptedByFosterCarer']),
      numberOfAdopters: sex ? (sex.endsWith('1') ? '1' : '2') : undefined,
      sexAdopters: sex,
      lsAdopters: adoptersLegalStatusCode(str(d['adoptersLegalStatus']), sex),
    };
  }

  const placedAdoption: PlacedAdoptionRow[] =
    episodes.length === 0
      ? []
      : adoptionRecords.flatMap((r) => {
          const datePlaced = str(r.detail['decisionToPlaceOn']);
          const ceased = str(r.detail['decisionCeasedOn']);
          if (!datePlaced || !overlaps(datePlaced, ceased, period)) return [];
          const dateCeased = byEnd(ceased, period);
          return [
            {
              recordId: r.id,
              datePlaced,
              dateCeased,
              reasonCeased: dateCeased
                ? coded(placedCeasedCodes, str(r.detail['decisionCeasedReason']))
                : undefined,
            },
          ];
        });

  const prevPerm: PrevPermRow[] = periods
    .filter((p) => inYear(p.startedOn))
    .map((p) => {
      const item = objects(lac.find((r) => r.id === p.recordId)?.detail['episodes']).find(
        (e) => e['startedOn'] === p.startedOn,
      );
      return {
        recordId: p.recordId,
        prevPerm: coded(previousPermanenceCodes, str(item?.['previousPermanence'])),
        laPerm: str(item?.['previousPermanenceLa']),
        datePerm: str(item?.['previousPermanenceOn']),
      };
    });

  const missing: MissingRow[] = lac.flatMap((r) =>
    objects(r.detail['missingEpisodes']).flatMap((m) => {
      const start = str(m['startedOn']);
      const end = str(m['endedOn']);
      if (!start || !overlaps(start, end, period)) return [];
      return [
        {
          recordId: r.id,
          missing: coded(missingCodes, str(m['kind'])) ?? '',
          start,
          end: byEnd(end, period),
        },
      ];
    }),
  );

  const swEpisodes: SwEpisodeRow[] =
    episodes.length === 0
      ? []
      : lac.flatMap((r) =>
          objects(r.detail['socialWorkers']).flatMap((w) => {
            const start = str(w['startedOn']);
            const end = str(w['endedOn']);
            if (!start || !overlaps(start, end, period)) return [];
            const ended = byEnd(end, period);
            return [
              {
                recordId: r.id,
                swId: str(w['registrationNumber']) ?? '',
                start,
                end: ended,
                reason: ended ? coded(socialWorkerChangeCodes, str(w['reasonChanged'])) : undefined,
              },
            ];
          }),
        );

  const sex = coded(sexCodes, person.gender ?? undefined);
  const ownChild = [...lac]
    .reverse()
    .map((r) => str(r.detail['ownChildBornOn']))
    .find(Boolean);
  const upn = person.upn ?? undefined;
  return {
    personId: person.id,
    childId: laChildIdOf(person.id),
    recordId: latest.id,
    sex,
    dob,
    ethnic: ethnicityCode(person.ethnicity),
    upn: upn ?? (dob && ageOn(dob, period.end) < 6 ? 'UN1' : undefined),
    mother: sex === '2' ? (ownChild ? '1' : '0') : undefined,
    motherChildDob: sex === '2' ? byEnd(ownChild, period) : undefined,
    allEpisodes,
    episodes,
    reviews,
    uasc,
    oc2,
    oc3,
    ad1,
    placedAdoption,
    prevPerm,
    missing,
    swEpisodes,
  };
}
