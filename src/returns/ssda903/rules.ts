import { validateUpn } from '../../people/identifiers.js';
import type { CensusPeriod } from '../census.js';
import type { CodeList } from '../codes.js';
import { primaryNeedCodes } from '../codes.js';
import type { Finding, RuleContext, RuleKind } from '../rules.js';
import { ageOn, type Ssda903Child } from './child.js';
import {
  accommodationCodes,
  activityCodes,
  ADOPTION_PLACEMENTS,
  adopterSexCodes,
  adopterStatusCodes,
  inTouchCodes,
  legalStatusCodes,
  NOT_IN_CONTACT,
  placedCeasedCodes,
  placementChangeCodes,
  placementCodes,
  placementProviderCodes,
  previousPermanenceCodes,
  reasonCeasedCodes,
  socialWorkerChangeCodes,
  TEMPORARY_PLACEMENTS,
} from './codes.js';
import { addDays, addYears, perEpisode } from './rule-helpers.js';
import { temporaryPlacementRules } from './temporary-rules.js';

/**
 * The SSDA903 return's validation rules, run in Safekeep before the files
 * leave, so people fix the record, not the file (issue 17).
 *
 * Written from the DfE's published SSDA903 validation rules as the author
 * understands them, without the specification to hand. A rule carries the
 * DfE's number where the open-source validator's rule of that number was
 * read (for understanding, never copied) and checks the same table for the
 * same thing; where Safekeep's check is broader or narrower, docs/returns.md
 * says how. The others keep Safekeep's own id alone.
 * Errors stop the return; queries are for a person to confirm.
 */

export interface Ssda903Rule {
  id: string;
  /**
   * The DfE's rule number, where its wording was read and checks the same
   * thing (docs/returns.md gives where Safekeep's check differs); undefined
   * where no DfE rule was found to match.
   */
  dfeCode?: string;
  kind: RuleKind;
  /** The SSDA903 table the rule is about. */
  table: string;
  message: string;
  check(child: Ssda903Child, period: CensusPeriod, context: RuleContext): Finding[];
}

const codes = (list: CodeList<string>) =>
  new Set(Object.values(list.codes).map((c: { code: string }) => c.code));
const validLs = codes(legalStatusCodes);
const validPlace = codes(placementCodes);
const validProvider = codes(placementProviderCodes);
const validRec = codes(reasonCeasedCodes);
const validPlaceChange = codes(placementChangeCodes);
const validInTouch = codes(inTouchCodes);
const validActivity = codes(activityCodes);
const validAccommodation = new Set(
  [...codes(accommodationCodes)].flatMap((letter) => [`${letter}1`, `${letter}2`]),
);
const validPrevPerm = codes(previousPermanenceCodes);
const validAdopterSex = codes(adopterSexCodes);
const validAdopterStatus = codes(adopterStatusCodes);
const validPlacedCeased = codes(placedCeasedCodes);
const validSwReason = codes(socialWorkerChangeCodes);
/** CIN in the Episodes table: N1 to N8 (N0 "not stated" is the census's, not the 903's). */
const validCin = new Set([...codes(primaryNeedCodes)].filter((c) => c !== 'N0'));

/** UK postcode shape (not whether it exists). */
const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;
/** A Social Work England registration number: SW and digits. */
const SW_ID = /^SW\d{1,7}$/;

const childLevel = (child: Ssda903Child): Finding[] => [{ recordId: child.recordId }];
/** Looked after on the day: within some episode (the end day counts). */
const lookedAfterOn = (child: Ssda903Child, day: string) =>
  child.allEpisodes.some((e) => e.decom <= day && (e.dec === undefined || e.dec >= day));

export const ssda903Rules: readonly Ssda903Rule[] = [
  // Header
  {
    id: 'child-id-unique',
    kind: 'error',
    table: 'Header',
    message: 'Two children have the same local authority child id',
    check: (child, _p, context) =>
      context.duplicateChildIds.has(child.childId) ? childLevel(child) : [],
  },
  {
    id: 'dob-present',
    kind: 'error',
    table: 'Header',
    message: 'The child’s date of birth is missing',
    check: (child) => (child.dob ? [] : childLevel(child)),
  },
  {
    id: 'sex-valid',
    dfeCode: '101',
    kind: 'error',
    table: 'Header',
    message: 'The child’s sex is missing, or is neither male nor female as the return needs',
    check: (child) => (child.sex === '1' || child.sex === '2' ? [] : childLevel(child)),
  },
  {
    id: 'upn-valid',
    dfeCode: '168',
    kind: 'error',
    table: 'Header',
    message: 'The unique pupil number is not a valid UPN (its check letter or shape is wrong)',
    check: (child) =>
      child.upn && !/^UN\d+$/.test(child.upn) && !validateUpn(child.upn).ok
        ? childLevel(child)
        : [],
  },
  {
    id: 'upn-present',
    kind: 'query',
    table: 'Header',
    message:
      'The child is six or older and has no unique pupil number: record it, or check why it is not known',
    check: (child) => (child.upn ? [] : childLevel(child)),
  },
  {
    id: 'mother-child-dob',
    kind: 'error',
    table: 'Header',
    message: 'Her child’s date of birth must be after her own and no later than 31 March',
    check: (child, period) =>
      child.mother === '1' &&
      (!child.motherChildDob ||
        (child.dob !== undefined && child.motherChildDob <= child.dob) ||
        child.motherChildDob > period.end)
        ? childLevel(child)
        : [],
  },
  // Episodes
  {
    id: 'decom-after-birth',
    dfeCode: '302',
    kind: 'error',
    table: 'Episodes',
    message: 'The child is recorded as looked after before they were born',
    check: perEpisode((e, child) => child.dob !== undefined && e.decom < child.dob),
  },
  {
    id: 'episode-before-18',
    dfeCode: '352',
    kind: 'error',
    table: 'Episodes',
    message: 'A period of care or a change in it is dated on or after the child’s 18th birthday',
    check: perEpisode((e, child) => child.dob !== undefined && e.decom >= addYears(child.dob, 18)),
  },
  {
    id: 'period-ends-after-start',
    dfeCode: '356',
    kind: 'error',
    table: 'Episodes',
    message: 'A period of being looked after ends before it starts',
    check: perEpisode((e) => e.dec !== undefined && e.dec < e.decom),
  },
  {
    id: 'periods-do-not-overlap',
    dfeCode: '501',
    kind: 'error',
    table: 'Episodes',
    message: 'Two periods of being looked after overlap',
    check: (child) => {
      const found: Finding[] = [];
      const rows = [...child.allEpisodes].sort((a, b) => a.decom.localeCompare(b.decom));
      for (let i = 1; i < rows.length; i += 1) {
        const before = rows[i - 1];
        const after = rows[i];
        if (!before || !after || after.rne !== 'S') continue;
        if (before.dec === undefined || before.dec > after.decom) {
          found.push({ recordId: after.recordId });
        }
      }
      return found;
    },
  },
  {
    id: 'legal-status-valid',
    dfeCode: '144',
    kind: 'error',
    table: 'Episodes',
    message: 'The child’s legal status is not recorded for part of the time they were looked after',
    check: perEpisode((e) => !e.ls || !validLs.has(e.ls)),
  },
  {
    id: 'category-of-need-valid',
    dfeCode: '145',
    kind: 'error',
    table: 'Episodes',
    message: 'The category of need when the child became looked after is not recorded',
    check: perEpisode((e) => !e.cin || !validCin.has(e.cin)),
  },
  {
    id: 'placement-valid',
    dfeCode: '146',
    kind: 'error',
    table: 'Episodes',
    message:
      'There is no placement, or its type as the Department for Education counts it, for part of the time the child was looked after',
    check: perEpisode((e) => !e.place || !validPlace.has(e.place)),
  },
  {
    id: 'provider-valid',
    dfeCode: '178',
    kind: 'error',
    table: 'Episodes',
    message: 'Who provides the placement is not recorded',
    // A temporary placement has none (the usual placement's provider stands).
    check: perEpisode(
      (e) =>
        !!e.place &&
        !TEMPORARY_PLACEMENTS.has(e.place) &&
        (!e.placeProvider || !validProvider.has(e.placeProvider)),
    ),
  },
  {
    id: 'provider-for-parents',
    dfeCode: '550',
    kind: 'error',
    table: 'Episodes',
    message:
      'A placement with parents must be provided by the parents, and only a placement with parents can be',
    check: perEpisode(
      (e) => !!e.placeProvider && !!e.place && (e.place === 'P1') !== (e.placeProvider === 'PR0'),
    ),
  },
  {
    id: 'adoption-placement-order',
    kind: 'error',
    table: 'Episodes',
    message:
      'A placement for adoption under a placement order needs the legal status “placement order granted”',
    check: perEpisode((e) => (e.place === 'A5' || e.place === 'A6') && e.ls !== 'E1'),
  },
  {
    id: 'reason-ceased-valid',
    dfeCode: '149',
    kind: 'error',
    table: 'Episodes',
    message: 'The period of being looked after has ended but why it ended is not recorded',
    check: perEpisode((e) => e.dec !== undefined && (!e.rec || !validRec.has(e.rec))),
  },
  {
    id: 'placement-change-reason',
    dfeCode: '1009',
    kind: 'error',
    table: 'Episodes',
    message: 'A placement ended and another began, but why it changed is not recorded',
    check: perEpisode(
      (e) =>
        e.placementChanges === true &&
        (!e.reasonPlaceChange || !validPlaceChange.has(e.reasonPlaceChange)),
    ),
  },
  ...temporaryPlacementRules,
  {
    id: 'postcodes-valid',
    dfeCode: '392c',
    kind: 'query',
    table: 'Episodes',
    message:
      'Please check: the postcode of the child’s home or of the placement is missing or not a postcode',
    check: perEpisode(
      (e) =>
        !e.homePost ||
        !POSTCODE.test(e.homePost) ||
        // A temporary stay (a hospital, a holiday) may have no postcode of its own.
        (e.place !== undefined &&
          !TEMPORARY_PLACEMENTS.has(e.place) &&
          (!e.plPost || !POSTCODE.test(e.plPost))),
    ),
  },
  {
    id: 'childrens-home-urn',
    dfeCode: '218',
    kind: 'query',
    table: 'Episodes',
    message: 'Please check: a children’s home placement has no Ofsted unique reference number',
    check: perEpisode((e) => (e.place === 'K1' || e.place === 'K2') && e.urn === 'XXXXXXX'),
  },
  // Reviews
  {
    id: 'review-while-looked-after',
    kind: 'error',
    table: 'Reviews',
    message: 'A looked-after review is dated when the child was not looked after',
    check: (child) => child.reviews.filter((r) => !lookedAfterOn(child, r.date)),
  },
  // UASC
  {
    id: 'uasc-ceased-at-18',
    kind: 'error',
    table: 'UASC',
    message:
      'The child turned 18 by 31 March but the date they stopped being an unaccompanied asylum-seeking child is not recorded',
    check: (child, period) =>
      child.uasc && !child.uasc.duc && child.dob && ageOn(child.dob, period.end) >= 18
        ? [{ recordId: child.uasc.recordId }]
        : [],
  },
  {
    id: 'uasc-ceased-by-18',
    dfeCode: '304',
    kind: 'query',
    table: 'UASC',
    message:
      'Please check: the date the child stopped being an unaccompanied asylum-seeking child is after their 18th birthday',
    check: (child) =>
      child.uasc?.duc && child.dob && child.uasc.duc > addYears(child.dob, 18)
        ? [{ recordId: child.uasc.recordId }]
        : [],
  },
  // OC2
  {
    id: 'oc2-recorded',
    dfeCode: '191',
    kind: 'error',
    table: 'OC2',
    message:
      'The child was looked after all year but the year’s health and offending facts are not recorded',
    check: (child) => (child.oc2 && !child.oc2.recorded ? [{ recordId: child.oc2.recordId }] : []),
  },
  {
    id: 'oc2-sdq',
    dfeCode: '186',
    kind: 'error',
    table: 'OC2',
    message:
      'The child is 4 to 16: record a strengths and difficulties questionnaire score in the year, or why there is none',
    check: (child, period) => {
      const oc2 = child.oc2;
      if (!oc2?.recorded || !child.dob) return [];
      const age = ageOn(child.dob, period.end);
      return age >= 4 && age <= 16 && oc2.sdqScore === undefined && !oc2.sdqReason
        ? [{ recordId: oc2.recordId }]
        : [];
    },
  },
  {
    id: 'oc2-substance-help',
    dfeCode: '192',
    kind: 'error',
    table: 'OC2',
    message:
      'A substance misuse problem was identified: record whether help was offered and received',
    check: (child) =>
      child.oc2?.substanceMisuse === '1' &&
      (child.oc2.interventionOffered === undefined || child.oc2.interventionReceived === undefined)
        ? [{ recordId: child.oc2.recordId }]
        : [],
  },
  {
    id: 'oc2-health-assessment',
    kind: 'query',
    table: 'OC2',
    message:
      'Please check: no health assessment is recorded in the year for a child looked after all year',
    check: (child) =>
      child.oc2?.recorded && child.oc2.healthAssessment === '0'
        ? [{ recordId: child.oc2.recordId }]
        : [],
  },
  // OC3
  {
    id: 'oc3-in-touch',
    dfeCode: '131',
    kind: 'error',
    table: 'OC3',
    message:
      'The care leaver had a birthday in the year but whether the council is in touch is not recorded',
    check: (child) =>
      child.oc3 && (!child.oc3.inTouch || !validInTouch.has(child.oc3.inTouch))
        ? [{ recordId: child.oc3.recordId }]
        : [],
  },
  {
    id: 'oc3-activity-accommodation',
    kind: 'error',
    table: 'OC3',
    message:
      'The council is in touch with the care leaver: record their main activity, their accommodation and whether it is suitable',
    check: (child) => {
      const oc3 = child.oc3;
      if (!oc3?.inTouch || NOT_IN_CONTACT.has(oc3.inTouch)) return [];
      return !oc3.activity ||
        !validActivity.has(oc3.activity) ||
        !oc3.accommodation ||
        !validAccommodation.has(oc3.accommodation)
        ? [{ recordId: oc3.recordId }]
        : [];
    },
  },
  {
    id: 'oc3-contact-near-birthday',
    kind: 'query',
    table: 'OC3',
    message:
      'Please check: the contact with the care leaver should be within three months before or one month after their birthday',
    check: (child) => {
      const oc3 = child.oc3;
      if (oc3?.inTouch !== 'YES') return [];
      return !oc3.contactOn ||
        oc3.contactOn < addDays(oc3.birthday, -92) ||
        oc3.contactOn > addDays(oc3.birthday, 31)
        ? [{ recordId: oc3.recordId }]
        : [];
    },
  },
  // AD1
  {
    id: 'ad1-dates',
    dfeCode: '333',
    kind: 'error',
    table: 'AD1',
    message:
      'The child was adopted: record the decision to place for adoption and the match, in that order, before the adoption',
    check: (child) => {
      const ad1 = child.ad1;
      if (!ad1) return [];
      return !ad1.dateInt ||
        !ad1.dateMatch ||
        ad1.dateMatch < ad1.dateInt ||
        ad1.dateMatch > ad1.adoptedOn
        ? [{ recordId: ad1.recordId }]
        : [];
    },
  },
  {
    id: 'ad1-adopters',
    kind: 'error',
    table: 'AD1',
    message:
      'The child was adopted: record who the adopters are, their legal status and whether they were the foster carers',
    check: (child) => {
      const ad1 = child.ad1;
      if (!ad1) return [];
      return !ad1.sexAdopters ||
        !validAdopterSex.has(ad1.sexAdopters) ||
        !ad1.lsAdopters ||
        !validAdopterStatus.has(ad1.lsAdopters) ||
        ad1.fosterCare === undefined
        ? [{ recordId: ad1.recordId }]
        : [];
    },
  },
  {
    id: 'ad1-adopters-consistent',
    // 514 is one way round (a single adopter's status with a couple); this
    // is both, which also holds L11, L2 and L3 to a couple (520, 519, 517).
    dfeCode: '514',
    kind: 'error',
    table: 'AD1',
    message:
      'The adopters are recorded as one person but with a couple’s legal status, or the other way round',
    check: (child) => {
      const ad1 = child.ad1;
      if (!ad1?.numberOfAdopters || !ad1.lsAdopters) return [];
      return (ad1.numberOfAdopters === '1') !== (ad1.lsAdopters === 'L0')
        ? [{ recordId: ad1.recordId }]
        : [];
    },
  },
  {
    id: 'adopted-from-adoption-placement',
    kind: 'query',
    table: 'AD1',
    message:
      'Please check: the child was adopted but was not in a placement for adoption when care ended',
    check: (child) => {
      const ad1 = child.ad1;
      if (!ad1) return [];
      const last = child.episodes.find((e) => e.dec === ad1.adoptedOn && e.rec !== 'X1');
      return last && !ADOPTION_PLACEMENTS.has(last.place ?? '')
        ? [{ recordId: last.recordId }]
        : [];
    },
  },
  // PlacedAdoption
  {
    id: 'placed-ceased-reason',
    dfeCode: '119',
    kind: 'error',
    table: 'PlacedAdoption',
    message: 'The decision to place the child for adoption ended but why is not recorded',
    check: (child) =>
      child.placedAdoption.filter(
        (p) =>
          p.dateCeased !== undefined && (!p.reasonCeased || !validPlacedCeased.has(p.reasonCeased)),
      ),
  },
  // PrevPerm
  {
    id: 'previous-permanence-recorded',
    dfeCode: '631',
    kind: 'error',
    table: 'PrevPerm',
    message:
      'The child became looked after in the year: record whether they were adopted or under a special guardianship or child arrangements order before',
    check: (child) => child.prevPerm.filter((p) => !p.prevPerm || !validPrevPerm.has(p.prevPerm)),
  },
  {
    id: 'previous-permanence-details',
    kind: 'query',
    table: 'PrevPerm',
    message:
      'Please check: an earlier order is recorded without its date or the three-digit code of the council involved',
    check: (child) =>
      child.prevPerm.filter(
        (p) =>
          p.prevPerm !== undefined &&
          p.prevPerm !== 'Z1' &&
          (!p.datePerm || !p.laPerm || !/^\d{3}$/.test(p.laPerm)),
      ),
  },
  // Missing
  {
    id: 'missing-ends-after-start',
    dfeCode: '567',
    kind: 'error',
    table: 'Missing',
    message: 'A time missing or away from placement ends before it starts',
    check: (child) => child.missing.filter((m) => m.end !== undefined && m.end < m.start),
  },
  {
    id: 'missing-while-looked-after',
    kind: 'query',
    table: 'Missing',
    message:
      'Please check: a time missing or away from placement starts when the child was not looked after',
    check: (child) => child.missing.filter((m) => !lookedAfterOn(child, m.start)),
  },
  // SWEpisodes
  {
    id: 'social-worker-recorded',
    dfeCode: 'SW01STG1',
    kind: 'error',
    table: 'SWEpisodes',
    message:
      'The child was looked after in the year but no social worker is recorded for that time',
    check: (child) =>
      child.episodes.length > 0 && child.swEpisodes.length === 0 ? childLevel(child) : [],
  },
  {
    id: 'social-worker-id',
    dfeCode: 'SW02STG1',
    kind: 'error',
    table: 'SWEpisodes',
    message:
      'A social worker’s Social Work England registration number is not in the form SW and digits',
    check: (child) => child.swEpisodes.filter((w) => !SW_ID.test(w.swId)),
  },
  {
    id: 'social-worker-change-reason',
    dfeCode: 'SW13STG1',
    kind: 'error',
    table: 'SWEpisodes',
    message: 'A social worker’s time with the child ended but why is not recorded',
    check: (child) =>
      child.swEpisodes.filter(
        (w) => w.end !== undefined && (!w.reason || !validSwReason.has(w.reason)),
      ),
  },
];

export interface Ssda903Failure {
  rule: Ssda903Rule;
  child: Ssda903Child;
  recordId: string;
}

/** What the rules need to know of all the children at once (the ids used twice). */
export function ssda903RuleContext(children: readonly Ssda903Child[]): RuleContext {
  const seenIds = new Set<string>();
  const duplicateChildIds = new Set<string>();
  for (const child of children) {
    if (seenIds.has(child.childId)) duplicateChildIds.add(child.childId);
    seenIds.add(child.childId);
  }
  return { duplicateChildIds };
}

/**
 * Every rule over every child: one failure per child, rule and record. A
 * slice of the children may be checked with the context of them all (the
 * service checks in slices to show progress).
 */
export function validateSsda903(
  children: readonly Ssda903Child[],
  period: CensusPeriod,
  context: RuleContext = ssda903RuleContext(children),
): Ssda903Failure[] {
  const failures: Ssda903Failure[] = [];
  for (const rule of ssda903Rules) {
    for (const child of children) {
      const seen = new Set<string>();
      for (const finding of rule.check(child, period, context)) {
        if (seen.has(finding.recordId)) continue;
        seen.add(finding.recordId);
        failures.push({ rule, child, recordId: finding.recordId });
      }
    }
  }
  return failures;
}
