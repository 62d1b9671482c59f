/**
 * The Department for Education's code lists for the SSDA903 return (children
 * looked after), as reference data: each list names its source and collection
 * year, and maps the word Safekeep's forms store (src/casework/categories.ts)
 * to the DfE's code and its label, so no one types a code and no page shows
 * one.
 *
 * Source: DfE, "Children looked after return 2025 to 2026: guide" (the
 * return for the year 1 April 2025 to 31 March 2026). That guide could not be
 * read here: each list's `checked` says what it was compared with instead —
 * the DfE's rule wording and code lists as quoted by the open-source SSDA903
 * validator and data tools, and the DfE's own statistics — and what that
 * leaves unconfirmed. docs/returns.md keeps the same account.
 */
import { codeOf, type CodeList } from '../codes.js';

const GUIDE = 'DfE, Children looked after return 2025 to 2026: guide, code sets';
const YEAR = 2026;

/*
 * Where the lists were checked; none is the 2025–26 guide itself. The
 * validator's rule files quote the DfE's rule number, its wording and the
 * valid codes; liia-tools' schema lists every column's codes for 2023–24;
 * data-to-insight's 903 dashboard quotes each code's meaning from the guide.
 */
const VALIDATOR = 'data-to-insight/csc-validator-be-903, validator903/validators';
const LIIA_2024 =
  'SocialFinanceDigitalLabs/liia-tools, liiatools/spec/s903/SSDA903_schema_2024.yml';
const MEANINGS = 'data-to-insight/patch, apps/016_903_drilldown/903_drilldown.py (code meanings)';
const NOT_2026 =
  'the 2025–26 guide itself was not available, so a change made for 2025–26 would not show';
const CODES_ONLY = (where: string, extra = '') =>
  `Codes checked against ${where}; meanings not found in any source read, so the labels are Safekeep's reading${extra}. ${NOT_2026}.`;

/** LS: the legal status of the child in the episode. Keys are the looked-after record's `legalStatus` words. */
export const legalStatusCodes = {
  name: 'Legal status (LS)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against DfE rule 144 (“The legal status code is not a valid code”, ${VALIDATOR}/rule_144.py) and ${LIIA_2024}; meanings against ${MEANINGS}. Two valid codes are not offered: D1 (freeing order, replaced by placement orders in 2005) and V3 (short breaks recorded episode by episode, which Safekeep does not record). ${NOT_2026}.`,
  codes: {
    'section-20': {
      code: 'V2',
      label: 'Single period of accommodation under section 20 (Children Act 1989)',
    },
    'short-breaks-series': {
      code: 'V4',
      label: 'Accommodated under an agreed series of short-term breaks (agreements recorded)',
    },
    'interim-care-order': { code: 'C1', label: 'Interim care order' },
    'care-order': { code: 'C2', label: 'Full care order' },
    'placement-order': { code: 'E1', label: 'Placement order granted' },
    'police-protection': {
      code: 'L1',
      label: 'Under police protection and in local authority accommodation',
    },
    'emergency-protection-order': { code: 'L2', label: 'Emergency protection order' },
    'child-assessment-order': {
      code: 'L3',
      label: 'Under a child assessment order and in local authority accommodation',
    },
    remand: {
      code: 'J1',
      label: 'Remanded to local authority accommodation or youth detention accommodation',
    },
    'pace-accommodation': {
      code: 'J2',
      label: 'Placed in local authority accommodation under the Police and Criminal Evidence Act',
    },
    'supervision-order-residence': {
      code: 'J3',
      label:
        'Sentenced to a youth rehabilitation order with a residence or intensive fostering requirement',
    },
  },
} as const satisfies CodeList<string>;
export type LegalStatus = keyof typeof legalStatusCodes.codes;

/** RNE: why a new episode began. Derived, never recorded: see episodes.ts. */
export const reasonNewEpisodeCodes = {
  name: 'Reason for new episode (RNE)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against ${LIIA_2024} and meanings against ${MEANINGS}: S, L, P, T, B, U. T and U (a change of placement with the same carers) are not derived: Safekeep's placements do not say whether the carers stayed the same, so every change of placement is P or B. ${NOT_2026}.`,
  codes: {
    started: { code: 'S', label: 'Started to be looked after' },
    'legal-status': { code: 'L', label: 'Change of legal status only' },
    placement: { code: 'P', label: 'Change of placement only' },
    both: { code: 'B', label: 'Change of legal status and placement at the same time' },
  },
} as const satisfies CodeList<string>;

/** PLACE: the placement type. */
export const placementCodes = {
  name: 'Placement type (PLACE)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against DfE rule 146 (“Placement type code is not a valid code”, ${VALIDATOR}/rule_146.py) and ${LIIA_2024}; meanings against ${MEANINGS}. Temporary placements T0–T4 (codes and meanings as quoted in DfE rules 375, 376, 379, 380, 381 and 383 by the same validator; read, not copied): a short stay away from the usual placement (hospital, a holiday, while the usual foster carers are on holiday, seven days or less for another reason), recorded as a placement of its own while the usual placement stays open, and written as an episode between two of the usual placement. Not offered: K3 (registered supported accommodation), which the meanings source lists after the 2023 supported accommodation reforms but the validator and schema do not. ${NOT_2026}.`,
  codes: {
    'relative-long-term': {
      code: 'U1',
      label: 'Foster placement with a relative or friend: long-term fostering',
    },
    'relative-for-adoption': {
      code: 'U2',
      label:
        'Foster placement with a relative or friend who is also an approved adopter: fostering for adoption or concurrent planning',
    },
    'relative-other': {
      code: 'U3',
      label: 'Foster placement with a relative or friend: not long-term or fostering for adoption',
    },
    'foster-long-term': {
      code: 'U4',
      label: 'Foster placement with other foster carer: long-term fostering',
    },
    'foster-for-adoption': {
      code: 'U5',
      label:
        'Foster placement with other foster carer who is also an approved adopter: fostering for adoption or concurrent planning',
    },
    'foster-other': {
      code: 'U6',
      label: 'Foster placement with other foster carer: not long-term or fostering for adoption',
    },
    'adoption-consent-current-carer': {
      code: 'A3',
      label: 'Placed for adoption with parental consent, with current foster carers',
    },
    'adoption-consent-new-carer': {
      code: 'A4',
      label: 'Placed for adoption with parental consent, not with current foster carers',
    },
    'adoption-order-current-carer': {
      code: 'A5',
      label: 'Placed for adoption under a placement order, with current foster carers',
    },
    'adoption-order-new-carer': {
      code: 'A6',
      label: 'Placed for adoption under a placement order, not with current foster carers',
    },
    'with-parents': {
      code: 'P1',
      label: 'Placed with own parents or others with parental responsibility',
    },
    'independent-living': {
      code: 'P2',
      label: 'Independent living, such as a flat, lodgings or with friends',
    },
    'residential-employment': { code: 'P3', label: 'Residential employment' },
    'secure-childrens-home': { code: 'K1', label: 'Secure children’s home' },
    'childrens-home': { code: 'K2', label: 'Children’s home registered with Ofsted' },
    'semi-independent': {
      code: 'H5',
      label: 'Semi-independent living accommodation not subject to children’s homes regulations',
    },
    'care-home': { code: 'R1', label: 'Residential care home' },
    'nhs-setting': { code: 'R2', label: 'NHS or health trust residential setting' },
    'family-centre': { code: 'R3', label: 'Family centre or mother and baby unit' },
    'young-offender-institution': { code: 'R5', label: 'Young offender institution or prison' },
    'residential-school': {
      code: 'S1',
      label: 'Residential school, unless also registered as a children’s home',
    },
    'other-placement': {
      code: 'Z1',
      label: 'Other placement (listed for the Department for Education with the return)',
    },
    'temporary-other': {
      code: 'T0',
      label: 'Temporary placement of another kind than those below',
    },
    'temporary-hospital': { code: 'T1', label: 'Temporary placement: a period in hospital' },
    'temporary-holiday': {
      code: 'T2',
      label: 'Temporary placement: the child away on holiday',
    },
    'temporary-carer-holiday': {
      code: 'T3',
      label: 'Temporary placement while the usual foster carers are on holiday',
    },
    'temporary-short': {
      code: 'T4',
      label: 'Temporary placement of seven days or less, for a reason not above',
    },
  },
} as const satisfies CodeList<string>;
export type PlacementCode = keyof typeof placementCodes.codes;

/**
 * PLACE codes of a temporary placement (T0–T4): the child is away from the
 * usual placement for a short while and goes back to it. The episode has no
 * placement provider, and neither its start nor its end is a change of the
 * usual placement, so no reason for a placement change is given for either.
 */
export const TEMPORARY_PLACEMENTS: ReadonlySet<string> = new Set(['T0', 'T1', 'T2', 'T3', 'T4']);

/** PLACE codes that are placements for adoption (A3–A6). */
export const ADOPTION_PLACEMENTS: ReadonlySet<string> = new Set(['A3', 'A4', 'A5', 'A6']);
/** PLACE codes with a carer Ofsted registers, for whom the URN is given. */
export const FOSTER_PLACEMENTS: ReadonlySet<string> = new Set(['U1', 'U2', 'U3', 'U4', 'U5', 'U6']);

/**
 * The DfE code a placement's Safekeep type stands for on its own, where it
 * stands for exactly one; other types need the DfE type recorded.
 */
export const placementCodeFromType: Readonly<Record<string, PlacementCode>> = {
  'placed-with-parents': 'with-parents',
  secure: 'secure-childrens-home',
};

/** PLACE_PROVIDER: who provides the placement. */
export const placementProviderCodes = {
  name: 'Placement provider (PLACE_PROVIDER)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against ${LIIA_2024} (PR0–PR5) and meanings against ${MEANINGS}. ${NOT_2026}.`,
  codes: {
    'parent-provider': { code: 'PR0', label: 'Parents or others with parental responsibility' },
    'own-provision': {
      code: 'PR1',
      label: 'The council’s own provision, or a regional adoption agency it hosts',
    },
    'other-la-provision': { code: 'PR2', label: 'Another local authority’s provision' },
    'other-public-provision': { code: 'PR3', label: 'Other public provision, such as the NHS' },
    'private-provision': { code: 'PR4', label: 'Private provision' },
    'voluntary-provision': { code: 'PR5', label: 'Voluntary or third sector provision' },
  },
} as const satisfies CodeList<string>;

/** REC: why an episode ceased (X1: a new episode follows the same day). */
export const reasonCeasedCodes = {
  name: 'Reason episode ceased (REC)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against DfE rule 149 (“Reason episode ceased code is not valid”, ${VALIDATOR}/rule_149.py) and ${LIIA_2024}; meanings against ${MEANINGS}. Until this check E5 and E7 were the wrong way round (E5 is independent living with formal support, E7 residential care funded by adult social care) and E6 (independent living without formal support) and E14 (accommodation on remand ended) were missing. ${NOT_2026}.`,
  codes: {
    'new-episode': {
      code: 'X1',
      label: 'Episode ended and a new one began the same day (still looked after)',
    },
    'adopted-unopposed': { code: 'E11', label: 'Adopted: application unopposed' },
    'adopted-consent-dispensed': {
      code: 'E12',
      label: 'Adopted: consent dispensed with by the court',
    },
    'child-died': { code: 'E2', label: 'Died' },
    'care-taken-by-another-la': {
      code: 'E3',
      label: 'Care taken over by another local authority in the UK',
    },
    'returned-home-planned': {
      code: 'E4A',
      label: 'Returned home to live with parents or relatives as part of the care plan',
    },
    'returned-home-unplanned': {
      code: 'E4B',
      label: 'Returned home to live with parents or relatives, not as part of the care plan',
    },
    'left-to-live-with-parents-no-pr': {
      code: 'E13',
      label: 'Left care to live with parents, relatives or others without parental responsibility',
    },
    'child-arrangements-order': {
      code: 'E41',
      label: 'Child arrangements order (or residence order) granted',
    },
    'sgo-former-foster-carer-relative': {
      code: 'E45',
      label: 'Special guardianship order to former foster carers who are relatives or friends',
    },
    'sgo-former-foster-carer-other': {
      code: 'E46',
      label: 'Special guardianship order to former foster carers who are not relatives or friends',
    },
    'sgo-carer-relative': {
      code: 'E47',
      label:
        'Special guardianship order to carers other than former foster carers: relatives or friends',
    },
    'sgo-carer-other': {
      code: 'E48',
      label: 'Special guardianship order to carers other than former foster carers: others',
    },
    'moved-to-independent-living': {
      code: 'E5',
      label: 'Moved to independent living with formal advice or support, such as a hostel or foyer',
    },
    'moved-to-independent-living-unsupported': {
      code: 'E6',
      label: 'Moved to independent living without formal support, such as their own flat',
    },
    'transferred-to-adult-care': {
      code: 'E7',
      label: 'Moved to residential care funded by adult social care',
    },
    'sentenced-to-custody': { code: 'E9', label: 'Sentenced to custody' },
    'remand-ended': { code: 'E14', label: 'Accommodation on remand ended' },
    'age-assessed-adult': {
      code: 'E15',
      label: 'An age assessment found the child to be 18 or over',
    },
    'moved-abroad': { code: 'E16', label: 'Moved abroad' },
    'staying-put': {
      code: 'E17',
      label: 'Aged 18 or over and stayed with current carers (staying put)',
    },
    'ceased-other': { code: 'E8', label: 'Stopped being looked after for any other reason' },
  },
} as const satisfies CodeList<string>;
export type ReasonCeased = keyof typeof reasonCeasedCodes.codes;

/** REC codes that are adoptions (the AD1 table's children). */
export const ADOPTED: ReadonlySet<string> = new Set(['E11', 'E12']);

/** REASON_PLACE_CHANGE: why a placement ended and another began. */
export const placementChangeCodes = {
  name: 'Reason for placement change (REASON_PLACE_CHANGE)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against DfE rule 1009 (“Reason for placement change is not a valid code”, ${VALIDATOR}/rule_1009.py) and ${LIIA_2024}; meanings against ${MEANINGS}. Until this check “the child asked for it to end” was written CHREQ, which the DfE does not accept; it is CHILD. ${NOT_2026}.`,
  codes: {
    'care-plan': { code: 'CARPL', label: 'Change to, or carrying out, the care plan' },
    'placement-closed': { code: 'CLOSE', label: 'The carer resigned or the provision closed' },
    'allegation-against-carer': { code: 'ALLEG', label: 'An allegation was made (section 47)' },
    'standards-of-care': { code: 'STAND', label: 'Concern about the standard of care' },
    'approval-removed': { code: 'APPRR', label: 'The carer’s approval was removed' },
    'carer-request-behaviour': {
      code: 'CREQB',
      label: 'The carers asked for it to end because of the child’s behaviour',
    },
    'carer-request-other': {
      code: 'CREQO',
      label: 'The carers asked for it to end for another reason',
    },
    'child-request': { code: 'CHILD', label: 'The child asked for it to end' },
    'la-request': { code: 'LAREQ', label: 'The responsible or area authority asked for it to end' },
    'placement-status-change': { code: 'PLACE', label: 'A change in the placement’s status only' },
    'custody-arrangement': { code: 'CUSTOD', label: 'A custody arrangement' },
    'other-change-reason': { code: 'OTHER', label: 'Another reason' },
  },
} as const satisfies CodeList<string>;

/**
 * REVIEW_CODE: how the child took part in their review. Recorded on the
 * review form (`participation`, migration 0071); PN0 is derived from the
 * child's age, never chosen. Reviews recorded before the form asked are read
 * from their yes-or-no answer: see participationOf.
 */
export const participationCodes = {
  name: 'Participation in review (REVIEW_CODE)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against DfE rule 167 (“Data entry for participation is invalid or blank”, ${VALIDATOR}.py, validate_167) and ${LIIA_2024} (PN0–PN7); meanings against ${MEANINGS}. ${NOT_2026}.`,
  codes: {
    'under-four': { code: 'PN0', label: 'The child was under 4 at the time of the review' },
    'attended-spoke': { code: 'PN1', label: 'Attended and spoke for themselves' },
    'attended-advocate': {
      code: 'PN2',
      label: 'Attended, and an advocate or the reviewing officer spoke for them',
    },
    'attended-non-verbal': {
      code: 'PN3',
      label: 'Attended and gave their views without words, such as with symbols',
    },
    'attended-no-contribution': {
      code: 'PN4',
      label: 'Attended but did not give their views in any way',
    },
    'absent-advocate': {
      code: 'PN5',
      label: 'Did not attend, but briefed an advocate or the reviewing officer to speak for them',
    },
    'absent-views-sent': {
      code: 'PN6',
      label:
        'Did not attend, but sent their views another way, such as in writing, by text or by phone',
    },
    'did-not-take-part': {
      code: 'PN7',
      label: 'Did not attend and their views were not given',
    },
  },
} as const satisfies CodeList<string>;
export type Participation = keyof typeof participationCodes.codes;

/** The answers the review form offers: every participation but PN0, which is the child's age. */
export const participationChoices = (
  Object.keys(participationCodes.codes) as Participation[]
).filter((p) => p !== 'under-four') as [Participation, ...Participation[]];

/**
 * REVIEW_CODE for one review: PN0 under 4, else the recorded participation,
 * else — a review recorded before the form asked — the old yes-or-no answer
 * read as PN1 (took part) or PN7 (did not), the nearest codes it can stand for.
 */
export function participationOf(review: {
  participation: string | null | undefined;
  childParticipated: boolean;
  childUnderFour: boolean;
}): string {
  if (review.childUnderFour) return 'PN0';
  const recorded = review.participation
    ? participationCodes.codes[review.participation as Participation]
    : undefined;
  if (recorded) return recorded.code;
  return review.childParticipated ? 'PN1' : 'PN7';
}

/** SDQ_REASON: why no strengths and difficulties questionnaire score is given. */
export const sdqReasonCodes = {
  name: 'Reason for no SDQ score (SDQ_REASON)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against ${LIIA_2024} (SDQ1–SDQ5) and meanings against ${MEANINGS}. ${NOT_2026}.`,
  codes: {
    'sdq-age': { code: 'SDQ1', label: 'No questionnaire: the child was under 4 or over 16' },
    'sdq-carer-refused': { code: 'SDQ2', label: 'The carer refused to complete it' },
    'sdq-disability': {
      code: 'SDQ3',
      label: 'Not possible because of the severity of the child’s disability',
    },
    'sdq-other': { code: 'SDQ4', label: 'Another reason' },
    'sdq-child-refused': { code: 'SDQ5', label: 'The child refused' },
  },
} as const satisfies CodeList<string>;

/** IN_TOUCH: whether the council is in touch with the care leaver around their birthday. */
export const inTouchCodes = {
  name: 'In touch with the care leaver (IN_TOUCH)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against ${LIIA_2024} and meanings against ${MEANINGS}. ${NOT_2026}.`,
  codes: {
    'in-touch': { code: 'YES', label: 'In touch' },
    'not-in-touch': { code: 'NO', label: 'Not in touch' },
    'care-leaver-died': { code: 'DIED', label: 'The young person died after leaving care' },
    'refused-contact': { code: 'REFU', label: 'The young person refuses contact' },
    'no-longer-required': {
      code: 'NREQ',
      label: 'The young person no longer needs children’s social care services',
    },
    'returned-home': { code: 'RHOM', label: 'Returned home to parents for 6 months or more' },
  },
} as const satisfies CodeList<string>;

/** Codes of IN_TOUCH for which activity and accommodation are not given. */
export const NOT_IN_CONTACT: ReadonlySet<string> = new Set(['NO', 'DIED', 'REFU', 'NREQ', 'RHOM']);

/**
 * ACTIV: the care leaver's main activity. An apprenticeship is F4/P4; other
 * training and employment F5/P5.
 */
export const activityCodes = {
  name: 'Care leaver’s activity (ACTIV)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against ${LIIA_2024} and meanings against ${MEANINGS}. Until this check training was written F4/P4, which is an apprenticeship only; training and employment are F5/P5, and the apprenticeship answers are added. ${NOT_2026}.`,
  codes: {
    'higher-education-full-time': { code: 'F1', label: 'Full-time higher education' },
    'higher-education-part-time': { code: 'P1', label: 'Part-time higher education' },
    'other-education-full-time': {
      code: 'F2',
      label: 'Full-time education other than higher education',
    },
    'other-education-part-time': {
      code: 'P2',
      label: 'Part-time education other than higher education',
    },
    'apprenticeship-full-time': { code: 'F4', label: 'Full-time apprenticeship' },
    'apprenticeship-part-time': { code: 'P4', label: 'Part-time apprenticeship' },
    'training-full-time': { code: 'F5', label: 'Full-time training (not an apprenticeship)' },
    'training-part-time': { code: 'P5', label: 'Part-time training (not an apprenticeship)' },
    'employment-full-time': { code: 'F5', label: 'Full-time employment' },
    'employment-part-time': { code: 'P5', label: 'Part-time employment' },
    'neet-illness': {
      code: 'G4',
      label: 'Not in education, employment or training because of illness or disability',
    },
    'neet-other': {
      code: 'G5',
      label: 'Not in education, employment or training for another reason',
    },
    'neet-parenting': {
      code: 'G6',
      label: 'Not in education, employment or training because of pregnancy or parenting',
    },
  },
} as const satisfies CodeList<string>;

/**
 * ACCOM's letter: the care leaver's accommodation. Keys are the care leaver
 * form's `accommodation` words; the file adds 1 (suitable) or 2 (not).
 */
export const accommodationCodes = {
  name: 'Care leaver’s accommodation (ACCOM, its letter)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Letters checked against ${LIIA_2024} (B, C, D, E, G, H, K, R, S, T, U, V, W, X, Y, Z, each with 1 or 2) and meanings against ${MEANINGS}. ${NOT_2026}.`,
  codes: {
    'with-family': { code: 'B', label: 'With parents or relatives' },
    'community-home': { code: 'C', label: 'Community home or other form of residential care' },
    'semi-independent': { code: 'D', label: 'Semi-independent, transitional accommodation' },
    'supported-lodgings': { code: 'E', label: 'Supported lodgings' },
    'gone-abroad': { code: 'G', label: 'Gone abroad' },
    deported: { code: 'H', label: 'Deported' },
    'ordinary-lodgings': { code: 'K', label: 'Ordinary lodgings, without formal support' },
    'residence-not-known': { code: 'R', label: 'Where they live is not known' },
    'no-fixed-abode': { code: 'S', label: 'No fixed abode or homeless' },
    foyer: { code: 'T', label: 'Foyer or similar supported accommodation' },
    independent: { code: 'U', label: 'Independent living, such as their own tenancy' },
    'emergency-accommodation': { code: 'V', label: 'Emergency accommodation' },
    'bed-and-breakfast': { code: 'W', label: 'Bed and breakfast' },
    custody: { code: 'X', label: 'In custody' },
    other: { code: 'Y', label: 'Other accommodation' },
    'with-former-foster-carers': { code: 'Z', label: 'With former foster carers (staying put)' },
  },
} as const satisfies CodeList<string>;

/** MISSING: missing, or away from the placement without authorisation. */
export const missingCodes = {
  name: 'Missing or away from placement (MISSING)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against ${LIIA_2024} and meanings against ${MEANINGS}. ${NOT_2026}.`,
  codes: {
    missing: { code: 'M', label: 'Missing from placement' },
    away: { code: 'A', label: 'Away from placement without authorisation' },
  },
} as const satisfies CodeList<string>;

/** PREV_PERM: a permanence order before this period of care. */
export const previousPermanenceCodes = {
  name: 'Previous permanence (PREV_PERM)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against ${LIIA_2024} (P1–P4, Z1) and meanings against ${MEANINGS}; P4 (not known whether there was one) was missing until this check. ${NOT_2026}.`,
  codes: {
    'previously-adopted': { code: 'P1', label: 'Adopted before' },
    'previous-special-guardianship': { code: 'P2', label: 'A special guardianship order before' },
    'previous-child-arrangements': {
      code: 'P3',
      label: 'A residence or child arrangements order before',
    },
    'previous-permanence-unknown': {
      code: 'P4',
      label: 'Not known whether there was an order before',
    },
    'no-previous-permanence': {
      code: 'Z1',
      label: 'No previous adoption, special guardianship or child arrangements order',
    },
  },
} as const satisfies CodeList<string>;

/** SEX_ADOPTR (and NB_ADOPTR, derived from it: singles 1, couples 2). */
export const adopterSexCodes = {
  name: 'Sex of adopters (SEX_ADOPTR)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: CODES_ONLY(LIIA_2024),
  codes: {
    'single-man': { code: 'M1', label: 'A single man' },
    'single-woman': { code: 'F1', label: 'A single woman' },
    'couple-two-men': { code: 'MM', label: 'A couple, both men' },
    'couple-two-women': { code: 'FF', label: 'A couple, both women' },
    'couple-man-and-woman': { code: 'MF', label: 'A couple, a man and a woman' },
  },
} as const satisfies CodeList<string>;

/**
 * LS_ADOPTR: the adopters' legal status. Each word stored on the adoption
 * record has the code for a couple of different sexes here; a couple of the
 * same sex is written with its own code by `adoptersLegalStatusCode`.
 */
export const adopterStatusCodes = {
  name: 'Adopters’ legal status (LS_ADOPTR)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against DfE rule 177 (“The legal status of adopter(s) code is not a valid code”, ${VALIDATOR}/rule_177.py) and ${LIIA_2024}: L0, L11, L12, L2, L3, L4. Meanings from the DfE rules that pair each with the adopters' sexes (${VALIDATOR}/rule_514.py, rule_517.py to rule_520.py): L0 a single adopter (514), L11 a married couple of different sexes (520), L2 civil partners of any sexes (519), L3 a couple of different sexes (517) and L4 a couple of the same sex (518). No rule read names L12, nor says which of L3 and L4 are unmarried: L12 as a married couple of the same sex, and L3 and L4 as unmarried couples, are Safekeep's reading, the codes left over once the others are placed. ${NOT_2026}.`,
  codes: {
    'married-couple': { code: 'L11', label: 'Married couple' },
    'civil-partners': { code: 'L2', label: 'Civil partners' },
    'unmarried-couple': { code: 'L3', label: 'Unmarried couple' },
    'single-adopter': { code: 'L0', label: 'Single adopter' },
  },
} as const satisfies CodeList<string>;

/**
 * The LS_ADOPTR code for the recorded legal status and SEX_ADOPTR code: a
 * married or unmarried couple of the same sex (MM or FF) has codes of its
 * own (L12, L4), as the DfE's rules 518 and 520 hold L4 to a same-sex
 * couple and L11 to a couple of different sexes. A word not in the list is
 * passed through as it is, as every other coded column is.
 */
export function adoptersLegalStatusCode(
  status: string | undefined,
  sexCode: string | undefined,
): string | undefined {
  if (status === undefined) return undefined;
  const code = codeOf(adopterStatusCodes, status) ?? status;
  const sameSex = sexCode === 'MM' || sexCode === 'FF';
  if (sameSex && code === 'L11') return 'L12';
  if (sameSex && code === 'L3') return 'L4';
  return code;
}

/** REASON_PLACED_CEASED: why a decision that a child should be placed for adoption ended. */
export const placedCeasedCodes = {
  name: 'Reason the adoption decision ceased (REASON_PLACED_CEASED)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: CODES_ONLY(LIIA_2024),
  codes: {
    'needs-changed': { code: 'RD1', label: 'The child’s needs changed after the decision' },
    'no-placement-order': { code: 'RD2', label: 'The court did not make a placement order' },
    'no-adopters-found': { code: 'RD3', label: 'Prospective adopters could not be found' },
    'other-ceased-reason': { code: 'RD4', label: 'Another reason' },
  },
} as const satisfies CodeList<string>;

/**
 * SW_REASON: why the child's social worker changed. Keys are the words
 * stored on records; "the social worker moved to another role" is LEFTRL,
 * as leaving the role.
 */
export const socialWorkerChangeCodes = {
  name: 'Reason the social worker changed (SW_REASON)',
  source: GUIDE,
  collectionYear: YEAR,
  checked:
    'Codes checked against the validator rule SW13STG1 (data-to-insight lac_validator: “The reason for social worker change is either not valid or has not been entered”) and ' +
    `${LIIA_2024}: MANAGE, FCONTA, LEFTRL, ORGRST, TSPROC, ABSENC, CHCHAN, PCCHAN, SWDIED, OTHERS. Every code Safekeep wrote before this check was wrong. Meanings of ABSENC, CHCHAN, FCONTA, MANAGE and TSPROC from the DfE's statistics, “Stability measures for children looked after in England”, data set “Social worker reasons for change” (https://explore-education-statistics.service.gov.uk/data-catalogue/data-set/d1bd579b-4ef3-4ea2-a5f5-8282862a378c); LEFTRL, ORGRST, PCCHAN and SWDIED are read from the code alone. ${NOT_2026}.`,
  codes: {
    'case-load-managed': { code: 'MANAGE', label: 'Managing caseloads' },
    'first-contact': { code: 'FCONTA', label: 'First contact or re-referral' },
    'worker-left': { code: 'LEFTRL', label: 'The social worker left their role' },
    'worker-new-role': { code: 'LEFTRL', label: 'The social worker moved to another role' },
    restructure: { code: 'ORGRST', label: 'The organisation was restructured' },
    'case-moved-team': {
      code: 'TSPROC',
      label: 'The child’s case moved team in the usual way (standard process)',
    },
    'worker-absence': { code: 'ABSENC', label: 'Cover for an absence, or return from one' },
    'child-asked': { code: 'CHCHAN', label: 'The child asked for a different social worker' },
    'family-asked': {
      code: 'PCCHAN',
      label: 'A parent or carer asked for a different social worker',
    },
    'worker-died': { code: 'SWDIED', label: 'The social worker died' },
    'other-worker-change': { code: 'OTHERS', label: 'Another reason' },
  },
} as const satisfies CodeList<string>;

/** SEX in the Header: 1 male, 2 female, from the person's gender. */
export const sexCodes = {
  name: 'Sex (SEX)',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes checked against DfE rule 101 (“Gender code is not valid”, ${VALIDATOR}.py, validate_101) and ${LIIA_2024}: 1 male, 2 female. ${NOT_2026}.`,
  codes: {
    male: { code: '1', label: 'Male' },
    female: { code: '2', label: 'Female' },
  },
} as const satisfies CodeList<string>;

/** "Yes" and "no" answers, for OC2's facts and the record forms. */
export const yesNo = ['yes', 'no'] as const;

/** Every list, for docs and tests. */
export const ssda903CodeLists = [
  legalStatusCodes,
  reasonNewEpisodeCodes,
  placementCodes,
  placementProviderCodes,
  reasonCeasedCodes,
  placementChangeCodes,
  participationCodes,
  sdqReasonCodes,
  inTouchCodes,
  activityCodes,
  accommodationCodes,
  missingCodes,
  previousPermanenceCodes,
  adopterSexCodes,
  adopterStatusCodes,
  placedCeasedCodes,
  socialWorkerChangeCodes,
  sexCodes,
] as const;
