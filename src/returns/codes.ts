/**
 * The Department for Education's code lists for the Children in Need census,
 * as reference data: each list names where it comes from and for which
 * collection year, and each code maps from the word Safekeep's forms store
 * (src/casework/categories.ts), so the return is read off casework and no one
 * types a DfE code.
 *
 * Source: DfE, "Children in need census 2025 to 2026: guide" (the census of
 * 31 March 2026), section "Code sets". These lists were written from that
 * guide as the author knows it, without network access to re-read it while
 * writing; `checked` says for each list what it has been checked against.
 * docs/returns.md lists what must be compared with the published guide
 * before a real submission, and the codes deliberately left out.
 */

export interface CodeList<Slug extends string> {
  /** The DfE's name for the list (its data item). */
  name: string;
  source: string;
  /** The census year the list is for: 2026 is the census of 31 March 2026. */
  collectionYear: number;
  /** What the list was checked against; "not verified" where nothing was. */
  checked: string;
  codes: Readonly<Record<Slug, { code: string; label: string }>>;
}

const GUIDE = 'DfE, Children in need census 2025 to 2026: guide, code sets';
const YEAR = 2026;

/** N00101 ReferralSource: who referred the child to children's social care. */
export const referralSources = {
  name: 'Referral source',
  source: GUIDE,
  collectionYear: YEAR,
  checked: 'not verified against the published guide in this session',
  codes: {
    'individual-family': { code: '1B', label: 'Individual: family member, relative or carer' },
    'individual-acquaintance': {
      code: '1C',
      label: 'Individual: acquaintance (including neighbours and childminders)',
    },
    'individual-self': { code: '1D', label: 'Individual: self' },
    school: { code: '2A', label: 'Schools' },
    'education-services': { code: '2B', label: 'Education services' },
    'health-gp': { code: '3A', label: 'Health services: GP' },
    'health-visitor': { code: '3B', label: 'Health services: health visitor' },
    'school-nurse': { code: '3C', label: 'Health services: school nurse' },
    'health-primary-other': { code: '3D', label: 'Health services: other primary health services' },
    'health-a-and-e': { code: '3E', label: 'Health services: A&E' },
    'health-other': { code: '3F', label: 'Health services: other' },
    housing: { code: '4', label: 'Housing' },
    'la-social-care': { code: '5A', label: 'Local authority services: social care' },
    'la-other-internal': { code: '5B', label: 'Local authority services: other internal' },
    'la-external': {
      code: '5C',
      label: 'Local authority services: external, such as another local authority',
    },
    'early-help': { code: '5D', label: 'Early help' },
    police: { code: '6', label: 'Police' },
    'other-legal-agency': { code: '7', label: 'Other legal agency' },
    other: { code: '8', label: 'Other' },
    anonymous: { code: '9', label: 'Anonymous' },
    unknown: { code: '10', label: 'Unknown' },
  },
} as const satisfies CodeList<string>;
export type ReferralSource = keyof typeof referralSources.codes;

/**
 * N00103 PrimaryNeedCode. Keys are casework's `primaryNeeds` words. N9 ("cases
 * other than children in need") is not offered: a record in the child in
 * need category is a child in need.
 */
export const primaryNeedCodes = {
  name: 'Primary need',
  source: GUIDE,
  collectionYear: YEAR,
  checked:
    'N1 to N8 and N0 as in the guide to the author’s knowledge; the validator rule 8650 ("Primary Need Code invalid") confirms the list exists, not its contents',
  codes: {
    'abuse-or-neglect': { code: 'N1', label: 'Abuse or neglect' },
    'child-disability': { code: 'N2', label: 'Child’s disability or illness' },
    'parental-illness-or-disability': { code: 'N3', label: 'Parental disability or illness' },
    'family-in-acute-stress': { code: 'N4', label: 'Family in acute stress' },
    'family-dysfunction': { code: 'N5', label: 'Family dysfunction' },
    'socially-unacceptable-behaviour': { code: 'N6', label: 'Socially unacceptable behaviour' },
    'low-income': { code: 'N7', label: 'Low income' },
    'absent-parenting': { code: 'N8', label: 'Absent parenting' },
    'not-stated': { code: 'N0', label: 'Not stated' },
  },
} as const satisfies CodeList<string>;

/** N00104 ReasonForClosure: why the episode of need ended. */
export const closureReasons = {
  name: 'Reason for closure',
  source: GUIDE,
  collectionYear: YEAR,
  checked: 'not verified against the published guide in this session',
  codes: {
    adopted: { code: 'RC1', label: 'Adopted' },
    died: { code: 'RC2', label: 'Died' },
    'child-arrangements-order': { code: 'RC3', label: 'Child arrangements order' },
    'special-guardianship-order': { code: 'RC4', label: 'Special guardianship order' },
    'transferred-to-another-la': {
      code: 'RC5',
      label: 'Transferred to services of another local authority',
    },
    'transferred-to-adult-services': { code: 'RC6', label: 'Transferred to adult social care' },
    'services-ceased': {
      code: 'RC7',
      label: 'Services ceased for any other reason, including the child no longer being in need',
    },
    'closed-after-assessment-no-further-action': {
      code: 'RC8',
      label: 'Case closed after assessment, no further action',
    },
    'closed-after-assessment-early-help': {
      code: 'RC9',
      label: 'Case closed after assessment, referred to early help',
    },
  },
} as const satisfies CodeList<string>;
export type ClosureReason = keyof typeof closureReasons.codes;

/** N00113/N00114 category of abuse. Keys are casework's `abuseCategories`. */
export const abuseCategoryCodes = {
  name: 'Category of abuse',
  source: GUIDE,
  collectionYear: YEAR,
  checked:
    'the four categories are Working Together to Safeguard Children 2023’s; the codes are not verified against the guide in this session',
  codes: {
    neglect: { code: 'NEG', label: 'Neglect' },
    'physical-abuse': { code: 'PHY', label: 'Physical abuse' },
    'sexual-abuse': { code: 'SAB', label: 'Sexual abuse' },
    'emotional-abuse': { code: 'EMO', label: 'Emotional abuse' },
    multiple: { code: 'MUL', label: 'Multiple (not for new plans)' },
  },
} as const satisfies CodeList<string>;

/** N00099 Disability. "NONE" is written when no disability is recorded. */
export const disabilityCodes = {
  name: 'Disability',
  source: GUIDE,
  collectionYear: YEAR,
  checked: 'not verified against the published guide in this session',
  codes: {
    mobility: { code: 'MOB', label: 'Mobility' },
    'hand-function': { code: 'HAND', label: 'Hand function' },
    'personal-care': { code: 'PC', label: 'Personal care' },
    incontinence: { code: 'INC', label: 'Incontinence' },
    communication: { code: 'COMM', label: 'Communication' },
    learning: { code: 'LD', label: 'Learning' },
    hearing: { code: 'HEAR', label: 'Hearing' },
    vision: { code: 'VIS', label: 'Vision' },
    behaviour: { code: 'BEH', label: 'Behaviour' },
    consciousness: { code: 'CON', label: 'Consciousness' },
    autism: { code: 'AUT', label: 'Diagnosis of autism or Asperger syndrome' },
    other: { code: 'DDA', label: 'Other disability (Equality Act 2010)' },
  },
} as const satisfies CodeList<string>;
export type Disability = keyof typeof disabilityCodes.codes;
export const NO_DISABILITY = 'NONE';

/**
 * N00181 Factors identified at the end of assessment. Only the factors the
 * author is sure of are here (the A/B/C suffix: the child, a parent or carer,
 * another person in the household); the privately fostered (8x), and newer
 * factors (22A onwards) are left out until checked against the guide, and
 * docs/returns.md says so.
 */
export const assessmentFactorCodes = {
  name: 'Factors identified at the end of assessment',
  source: GUIDE,
  collectionYear: YEAR,
  checked:
    'partly: 1A to 6C by the pattern the guide uses; the others not verified in this session',
  codes: {
    'alcohol-child': { code: '1A', label: 'Alcohol misuse: the child' },
    'alcohol-parent': { code: '1B', label: 'Alcohol misuse: a parent or carer' },
    'alcohol-other': { code: '1C', label: 'Alcohol misuse: another person in the household' },
    'drugs-child': { code: '2A', label: 'Drug misuse: the child' },
    'drugs-parent': { code: '2B', label: 'Drug misuse: a parent or carer' },
    'drugs-other': { code: '2C', label: 'Drug misuse: another person in the household' },
    'domestic-abuse-child': { code: '3A', label: 'Domestic abuse: the child is the subject' },
    'domestic-abuse-parent': { code: '3B', label: 'Domestic abuse: a parent or carer' },
    'domestic-abuse-other': {
      code: '3C',
      label: 'Domestic abuse: another person in the household',
    },
    'mental-health-child': { code: '4A', label: 'Mental health: the child' },
    'mental-health-parent': { code: '4B', label: 'Mental health: a parent or carer' },
    'mental-health-other': { code: '4C', label: 'Mental health: another person in the household' },
    'learning-disability-child': { code: '5A', label: 'Learning disability: the child' },
    'learning-disability-parent': { code: '5B', label: 'Learning disability: a parent or carer' },
    'learning-disability-other': {
      code: '5C',
      label: 'Learning disability: another person in the household',
    },
    'physical-disability-child': { code: '6A', label: 'Physical disability or illness: the child' },
    'physical-disability-parent': {
      code: '6B',
      label: 'Physical disability or illness: a parent or carer',
    },
    'physical-disability-other': {
      code: '6C',
      label: 'Physical disability or illness: another person in the household',
    },
    'young-carer': { code: '7A', label: 'Young carer' },
    'unaccompanied-asylum-seeking': { code: '9A', label: 'Unaccompanied asylum-seeking child' },
    'going-missing': { code: '10A', label: 'Going or being missing' },
    'sexual-exploitation': { code: '11A', label: 'Child sexual exploitation' },
    trafficking: { code: '12A', label: 'Trafficking' },
    gangs: { code: '13A', label: 'Gangs' },
    'socially-unacceptable-behaviour': { code: '14A', label: 'Socially unacceptable behaviour' },
    'self-harm': { code: '15A', label: 'Self-harm' },
    neglect: { code: '16A', label: 'Abuse or neglect: neglect' },
    'emotional-abuse': { code: '17A', label: 'Abuse or neglect: emotional abuse' },
    'physical-abuse-by-adult': {
      code: '18B',
      label: 'Abuse or neglect: physical abuse by an adult',
    },
    'physical-abuse-by-child': {
      code: '18C',
      label: 'Abuse or neglect: physical abuse by another child',
    },
    'sexual-abuse-by-adult': { code: '19B', label: 'Abuse or neglect: sexual abuse by an adult' },
    'sexual-abuse-by-child': {
      code: '19C',
      label: 'Abuse or neglect: sexual abuse by another child',
    },
    fgm: { code: '20', label: 'Female genital mutilation' },
    'no-factors': { code: '21', label: 'No factors identified' },
  },
} as const satisfies CodeList<string>;
export type AssessmentFactor = keyof typeof assessmentFactorCodes.codes;

/** N00783 GenderCurrent. Keys are people's `genders`. */
export const genderCodes = {
  name: 'Gender',
  source: GUIDE,
  collectionYear: YEAR,
  checked: 'not verified against the published guide in this session',
  codes: {
    'not-known': { code: '0', label: 'Not known' },
    male: { code: '1', label: 'Male' },
    female: { code: '2', label: 'Female' },
    other: { code: '9', label: 'Not specified' },
  },
} as const satisfies CodeList<string>;

/**
 * N00135 reason a UPN is not given. Only UN1 is derived (a child under six,
 * not yet of school age); any other reason is recorded nowhere yet, so a
 * child of six or more without a UPN is a query for someone to look into.
 */
export const UPN_UNKNOWN_UNDER_SIX = 'UN1';

/** The local authority code (Kent: 886) by organisation; not verified in this session beyond Kent. */
export const localAuthorityCodes: Readonly<Record<string, string>> = {
  'kent-scs': '886',
};

/** Every list, for docs and the returns page. */
export const cinCodeLists = [
  referralSources,
  primaryNeedCodes,
  closureReasons,
  abuseCategoryCodes,
  disabilityCodes,
  assessmentFactorCodes,
  genderCodes,
] as const;

/** The DfE code for a stored word, or undefined when the word is not in the list. */
export function codeOf<Slug extends string>(
  list: CodeList<Slug>,
  slug: string | undefined | null,
): string | undefined {
  if (!slug) return undefined;
  return Object.hasOwn(list.codes, slug) ? list.codes[slug as Slug].code : undefined;
}

/** The keys of a list, for zod enums and form options. */
export function slugsOf<Slug extends string>(list: CodeList<Slug>): [Slug, ...Slug[]] {
  return Object.keys(list.codes) as [Slug, ...Slug[]];
}
