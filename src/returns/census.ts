import { Temporal } from 'temporal-polyfill';
import {
  abuseCategoryCodes,
  assessmentFactorCodes,
  closureReasons,
  codeOf,
  disabilityCodes,
  genderCodes,
  primaryNeedCodes,
  referralSources,
  UPN_UNKNOWN_UNDER_SIX,
} from './codes.js';

/**
 * The Children in Need census as Safekeep builds it from casework records
 * (pure: store.ts loads the rows, census-xml.ts writes the file, rules.ts
 * checks it). Every item remembers the record it was read from, so a failed
 * rule can send someone to the record to put right.
 *
 * The census year (DfE guide): the census of year Y covers 1 April Y-1 to
 * 31 March Y, its reference date. An episode of need is in it when it was
 * open on any day of that year; events after the reference date are left
 * out (they belong to next year's census).
 */

export interface CensusPeriod {
  year: number;
  /** 1 April of the year before. */
  start: string;
  /** 31 March: the reference date. */
  end: string;
}

export function censusPeriod(year: number): CensusPeriod {
  return { year, start: `${year - 1}-04-01`, end: `${year}-03-31` };
}

export interface CensusAssessment {
  recordId: string;
  startDate?: string;
  authorisationDate?: string;
  /** DfE codes. */
  factors: string[];
}

export interface CensusCinPlan {
  recordId: string;
  startDate: string;
  endDate?: string;
}

export interface CensusSection47 {
  recordId: string;
  startDate: string;
  /** The initial child protection conference it led to. */
  icpcDate?: string;
  icpcNotRequired: boolean;
}

export interface CensusCpPlan {
  recordId: string;
  startDate?: string;
  endDate?: string;
  /** DfE code, or the stored word when it has none (rules report it). */
  initialCategory?: string;
  latestCategory?: string;
  /** Child protection plans the child had before this one, as Safekeep holds them. */
  previousPlans: number;
  reviewDates: string[];
}

export interface CensusEpisode {
  /** The record that holds the referral: the one to fix for episode-level rules. */
  recordId: string;
  referralDate: string;
  /** DfE codes, or the stored word when it maps to none (rule reports it). */
  referralSource?: string;
  primaryNeed?: string;
  closureDate?: string;
  reasonForClosure?: string;
  /** The referral led to no further action: closed with RC8 and no assessment. */
  referralNfa: boolean;
  dateOfInitialCpc?: string;
  assessments: CensusAssessment[];
  cinPlans: CensusCinPlan[];
  section47s: CensusSection47[];
  cpPlans: CensusCpPlan[];
}

export interface CensusChild {
  personId: string;
  /** The local authority's own id for the child: stable across years. */
  laChildId: string;
  upn?: string;
  upnUnknown?: string;
  birthDate?: string;
  deathDate?: string;
  /** DfE code. */
  gender?: string;
  ethnicity: string;
  /** DfE codes; ['NONE'] when none is recorded. */
  disabilities: string[];
  episodes: CensusEpisode[];
}

/* ------------------------------------------------------------------ */
/* From rows                                                            */
/* ------------------------------------------------------------------ */

/** One record of a child in need or a child protection plan, as store.ts loads it. */
export interface CensusRecordRow {
  id: string;
  category: 'child-in-need' | 'child-protection-plan';
  openedOn: string;
  closedOn: string | null;
  detail: Record<string, unknown>;
}

export interface CensusPersonRow {
  id: string;
  dateOfBirth: string | null;
  dateOfDeath: string | null;
  gender: string | null;
  upn: string | null;
  ethnicity: string | null;
  records: CensusRecordRow[];
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const objects = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];

/** A DfE code for the stored word; the word itself if it maps to none, so the rule can say so. */
function coded(list: Parameters<typeof codeOf>[0], word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  return codeOf(list, word) ?? word;
}

/** Within the census: on or before the reference date. */
const byReference = (period: CensusPeriod) => (date: string | undefined) =>
  date !== undefined && date <= period.end ? date : undefined;

/**
 * The DfE's ethnicity codes are four letters (WBRI, MWBC…); anything else
 * recorded, or nothing, is "information not yet obtained" (NOBT).
 */
function ethnicityCode(value: string | null): string {
  return value && /^[A-Z]{4}$/.test(value) ? value : 'NOBT';
}

function ageOn(birthDate: string, on: string): number {
  return Temporal.PlainDate.from(birthDate).until(Temporal.PlainDate.from(on), {
    largestUnit: 'years',
  }).years;
}

/**
 * The child's LAchildID: the first ten hexadecimal digits of their person id,
 * stable from year to year and holding nothing about them. (Rule 8510-style
 * duplicate check in rules.ts catches the one-in-millions collision.)
 */
export function laChildIdOf(personId: string): string {
  return personId.replace(/-/g, '').slice(0, 10).toUpperCase();
}

function episodeFromRecord(record: CensusRecordRow, period: CensusPeriod): CensusEpisode {
  const within = byReference(period);
  const d = record.detail;
  const closureDate = within(record.closedOn ?? undefined);
  const reasonForClosure = closureDate
    ? coded(closureReasons, str(d['reasonForClosure']))
    : undefined;
  const episode: CensusEpisode = {
    recordId: record.id,
    referralDate: record.openedOn,
    referralSource: coded(referralSources, str(d['referralSource'])),
    primaryNeed: coded(primaryNeedCodes, str(d['primaryNeed'])),
    closureDate,
    reasonForClosure,
    referralNfa: false,
    assessments: [],
    cinPlans: [],
    section47s: [],
    cpPlans: [],
  };
  if (record.category === 'child-in-need') {
    const startDate = within(str(d['assessmentStartedOn']));
    const authorisationDate = within(str(d['assessmentCompletedOn']));
    // Assessments still open, or completed in the census year.
    if (
      (startDate || authorisationDate) &&
      !(authorisationDate && authorisationDate < period.start)
    ) {
      episode.assessments.push({
        recordId: record.id,
        startDate,
        authorisationDate,
        // Factors are known once the assessment is authorised.
        factors: authorisationDate
          ? strings(d['assessmentFactors']).map((f) => coded(assessmentFactorCodes, f) ?? f)
          : [],
      });
    }
    const planStart = within(str(d['planStartedOn']));
    const planEnd = within(str(d['planEndedOn']));
    if (planStart && !(planEnd && planEnd < period.start)) {
      episode.cinPlans.push({
        recordId: record.id,
        startDate: planStart,
        endDate: planEnd,
      });
    }
    episode.referralNfa = reasonForClosure === 'RC8' && episode.assessments.length === 0;
  }
  return episode;
}

function addPlan(
  episode: CensusEpisode,
  record: CensusRecordRow,
  period: CensusPeriod,
  previousPlans: number,
): void {
  const within = byReference(period);
  const d = record.detail;
  const conferences = objects(d['conferences']);
  const initial = conferences
    .filter((c) => c['kind'] === 'initial')
    .map((c) => str(c['heldOn']))
    .filter((on): on is string => on !== undefined)
    .sort()[0];
  const icpc = within(initial);
  if (
    icpc &&
    icpc >= period.start &&
    (!episode.dateOfInitialCpc || icpc < episode.dateOfInitialCpc)
  ) {
    episode.dateOfInitialCpc = icpc;
  }
  for (const enquiry of objects(d['section47Enquiries'])) {
    // The census counts the enquiries that began in its year.
    const startDate = within(str(enquiry['startedOn']));
    if (!startDate || startDate < period.start) continue;
    const outcome = str(enquiry['outcome']);
    episode.section47s.push({
      recordId: record.id,
      startDate,
      icpcDate: outcome === 'concerns-substantiated-conference' ? icpc : undefined,
      icpcNotRequired: outcome === 'concerns-not-substantiated',
    });
  }
  const planMade = conferences.find((c) => c['decision'] === 'plan-made');
  const startDate = within(str(d['planStartedOn']) ?? str(planMade?.['heldOn']));
  if (!startDate) return;
  const endDate = within(record.closedOn ?? undefined);
  if (endDate !== undefined && endDate < period.start) return;
  const category = coded(abuseCategoryCodes, str(d['categoryOfAbuse']));
  episode.cpPlans.push({
    recordId: record.id,
    startDate,
    endDate,
    initialCategory: category,
    latestCategory: category,
    previousPlans,
    reviewDates: conferences
      .filter((c) => c['kind'] === 'review')
      .map((c) => within(str(c['heldOn'])))
      .filter((on): on is string => on !== undefined && on >= period.start)
      .sort(),
  });
}

/** Open on some day of the census year. */
function inPeriod(episode: CensusEpisode, period: CensusPeriod): boolean {
  return (
    episode.referralDate <= period.end &&
    (episode.closureDate === undefined || episode.closureDate >= period.start)
  );
}

/**
 * One child's census entry from their records, or null when no episode of
 * need was open in the census year.
 */
export function censusChild(person: CensusPersonRow, period: CensusPeriod): CensusChild | null {
  const records = [...person.records].sort(
    (a, b) => a.openedOn.localeCompare(b.openedOn) || a.id.localeCompare(b.id),
  );
  const episodes = records
    .filter((r) => r.category === 'child-in-need')
    .map((r) => episodeFromRecord(r, period));
  const disabilities = new Set<string>();
  for (const r of records) {
    if (r.category !== 'child-in-need') continue;
    for (const word of strings(r.detail['disabilities'])) {
      disabilities.add(coded(disabilityCodes, word) ?? word);
    }
  }
  // A plan belongs to the episode of need open when it began; a plan with
  // none is an episode of its own (a child on a plan is a child in need).
  // Records are in the order they were opened: the plans before one are the
  // child's previous plans, whether or not the census year sees them.
  const plans = records.filter((r) => r.category === 'child-protection-plan');
  for (const [previousPlans, plan] of plans.entries()) {
    const covering = episodes.find(
      (e) =>
        e.referralDate <= plan.openedOn &&
        (e.closureDate === undefined || e.closureDate >= plan.openedOn),
    );
    const episode = covering ?? episodeFromRecord(plan, period);
    if (!covering) episodes.push(episode);
    addPlan(episode, plan, period, previousPlans);
  }
  const inScope = episodes
    .filter((e) => inPeriod(e, period))
    .sort((a, b) => a.referralDate.localeCompare(b.referralDate));
  if (inScope.length === 0) return null;
  const birthDate = person.dateOfBirth ?? undefined;
  const upn = person.upn ?? undefined;
  return {
    personId: person.id,
    laChildId: laChildIdOf(person.id),
    upn,
    upnUnknown:
      !upn && birthDate && ageOn(birthDate, period.end) < 6 ? UPN_UNKNOWN_UNDER_SIX : undefined,
    birthDate,
    deathDate: person.dateOfDeath ?? undefined,
    gender: coded(genderCodes, person.gender ?? undefined),
    ethnicity: ethnicityCode(person.ethnicity),
    disabilities: disabilities.size ? [...disabilities].sort() : ['NONE'],
    episodes: inScope,
  };
}
