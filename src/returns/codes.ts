/**
 * The Department for Education's code lists for the Children in Need census,
 * as reference data: each list names where it comes from and for which
 * collection year, and each code maps from the word Safekeep's forms store
 * (src/casework/categories.ts), so the return is read off casework and no one
 * types a DfE code.
 *
 * Source: DfE, "Children in need census 2025 to 2026: guide" (the census of
 * 31 March 2026), section "Code sets". That guide could not be read here:
 * each list's `checked` says what it was compared with instead (published
 * code lists as quoted by open-source tools built on the DfE's guides and
 * specifications, for the years named) and what that leaves unconfirmed.
 * docs/returns.md, "Code lists", keeps the same account and the codes left
 * out on purpose.
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

/*
 * Where the lists were checked. Each is a published code list quoted by an
 * open-source tool that reads or validates the census; none is the 2025–26
 * guide itself, which could not be read here.
 */
const LIIA_CIN_2016 =
  'SocialFinanceDigitalLabs/liia-tools, liiatools/cin_census_pipeline/spec/CIN_schema_2016.yml (the census code sets from 2016–17)';
const LIIA_CIN_2022 =
  'SocialFinanceDigitalLabs/liia-tools, liiatools/cin_census_pipeline/spec/CIN_schema_2022.diff.yml (changes for 2021–22 onwards)';
const LIIA_CIN_2023 =
  'SocialFinanceDigitalLabs/liia-tools, liiatools/cin_census_pipeline/spec/CIN_schema_2023.diff.yml (changes for 2022–23 onwards)';
const CIN_VALIDATOR = 'data-to-insight/csc-validator-be-cin, cin_validator/rules/cin2022_23';
const NOT_2026 =
  'the 2025–26 guide itself was not available, so a change made for 2025–26 would not show';

/**
 * N00101 ReferralSource: who referred the child to children's social care.
 * Keys are the words stored on records; a key keeps its meaning, so fixing a
 * code here fixes every return made after it.
 */
export const referralSources = {
  name: 'Referral source',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes and meanings checked against ${LIIA_CIN_2022}: 1A–1D, 2A–2B, 3A–3F, 4, 5A–5D, 6–10. Until this check the individual codes were one letter out (family member was written 1B, which is an acquaintance) and 1D was missing. ${NOT_2026}.`,
  codes: {
    'individual-family': { code: '1A', label: 'Individual: family member, relative or carer' },
    'individual-acquaintance': {
      code: '1B',
      label: 'Individual: acquaintance (including neighbours and childminders)',
    },
    'individual-self': { code: '1C', label: 'Individual: self' },
    'individual-other': { code: '1D', label: 'Individual: other (including strangers)' },
    school: { code: '2A', label: 'Schools' },
    'education-services': { code: '2B', label: 'Education services' },
    'health-gp': { code: '3A', label: 'Health services: GP' },
    'health-visitor': { code: '3B', label: 'Health services: health visitor' },
    'school-nurse': { code: '3C', label: 'Health services: school nurse' },
    'health-primary-other': { code: '3D', label: 'Health services: other primary health services' },
    'health-a-and-e': { code: '3E', label: 'Health services: A&E' },
    'health-other': { code: '3F', label: 'Health services: other, such as a hospice' },
    housing: { code: '4', label: 'Housing: council housing or a housing association' },
    'la-social-care': {
      code: '5A',
      label: 'Local authority services: social care, such as adult social care',
    },
    'la-other-internal': {
      code: '5B',
      label: 'Local authority services: other internal, such as youth offending',
    },
    'la-external': {
      code: '5C',
      label: 'Local authority services: external, such as another local authority',
    },
    'early-help': { code: '5D', label: 'Local authority services: early help' },
    police: { code: '6', label: 'Police' },
    'other-legal-agency': {
      code: '7',
      label: 'Other legal agency, such as courts, probation, immigration, Cafcass or prison',
    },
    other: {
      code: '8',
      label: 'Other, such as children’s centres, independent providers or voluntary organisations',
    },
    anonymous: { code: '9', label: 'Anonymous' },
    unknown: { code: '10', label: 'Unknown' },
  },
} as const satisfies CodeList<string>;
export type ReferralSource = keyof typeof referralSources.codes;

/**
 * N00103 PrimaryNeedCode. Keys are casework's `primaryNeeds` words. N9 ("cases
 * other than children in need") is a valid code but not offered: a record in
 * the child in need category is a child in need.
 */
export const primaryNeedCodes = {
  name: 'Primary need',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes and meanings checked against ${LIIA_CIN_2016}, and the codes against DfE rule 8650 as quoted in ${CIN_VALIDATOR}/rule_8650.py (valid: N0–N9). N9 is left out on purpose (see above). ${NOT_2026}.`,
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
  checked: `Codes and meanings checked against ${LIIA_CIN_2023} (RC1–RC9; RC9 added for 2022–23). ${NOT_2026}.`,
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
  checked: `Codes checked against ${LIIA_CIN_2016} (NEG, PHY, SAB, EMO, and MUL, which the list marks “not recommended”). ${NOT_2026}.`,
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
  checked: `Codes and meanings checked against ${LIIA_CIN_2016} (MOB … DDA, and NONE). ${NOT_2026}.`,
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
    autism: { code: 'AUT', label: 'Autism' },
    other: { code: 'DDA', label: 'Other disability' },
  },
} as const satisfies CodeList<string>;
export type Disability = keyof typeof disabilityCodes.codes;
export const NO_DISABILITY = 'NONE';

/**
 * N00181 Factors identified at the end of assessment (the A/B/C suffix: the
 * child, a parent or carer, another person in the household). Keys are the
 * words stored on records.
 */
export const assessmentFactorCodes = {
  name: 'Factors identified at the end of assessment',
  source: GUIDE,
  collectionYear: YEAR,
  checked: `Codes and meanings checked against ${LIIA_CIN_2022} (the list from 2021–22: 1A–7A, 8B–8F, 9A–17A, 18B, 18C, 19B, 19C, 20, 21, 22A–24A). Until this check 18B/18C and 19B/19C were the wrong way round (B is abuse by another child, C by an adult) and female genital mutilation was written 20, which is “other”; it is 22A. ${NOT_2026}.`,
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
    'private-fostering-overseas-returning': {
      code: '8B',
      label: 'Privately fostered: a child from overseas who means to return',
    },
    'private-fostering-overseas-staying': {
      code: '8C',
      label: 'Privately fostered: a child from overseas who means to stay',
    },
    'private-fostering-education': {
      code: '8D',
      label: 'Privately fostered: a UK child in an educational placement',
    },
    'private-fostering-family-arrangement': {
      code: '8E',
      label: 'Privately fostered: a UK child in an alternative family arrangement',
    },
    'private-fostering-other': { code: '8F', label: 'Privately fostered: other' },
    'unaccompanied-asylum-seeking': { code: '9A', label: 'Unaccompanied asylum-seeking child' },
    'going-missing': { code: '10A', label: 'Going or being missing' },
    'sexual-exploitation': { code: '11A', label: 'Child sexual exploitation' },
    trafficking: { code: '12A', label: 'Trafficking' },
    gangs: { code: '13A', label: 'Gangs' },
    'socially-unacceptable-behaviour': { code: '14A', label: 'Socially unacceptable behaviour' },
    'self-harm': { code: '15A', label: 'Self-harm' },
    neglect: { code: '16A', label: 'Abuse or neglect: neglect' },
    'emotional-abuse': { code: '17A', label: 'Abuse or neglect: emotional abuse' },
    'physical-abuse-by-child': {
      code: '18B',
      label: 'Abuse or neglect: physical abuse by another child',
    },
    'physical-abuse-by-adult': {
      code: '18C',
      label: 'Abuse or neglect: physical abuse by an adult',
    },
    'sexual-abuse-by-child': {
      code: '19B',
      label: 'Abuse or neglect: sexual abuse by another child',
    },
    'sexual-abuse-by-adult': { code: '19C', label: 'Abuse or neglect: sexual abuse by an adult' },
    'other-factor': { code: '20', label: 'Another factor' },
    'no-factors': { code: '21', label: 'No factors identified' },
    fgm: { code: '22A', label: 'Female genital mutilation' },
    'faith-or-belief-abuse': { code: '23A', label: 'Abuse linked to faith or belief' },
    'criminal-exploitation': { code: '24A', label: 'Child criminal exploitation' },
  },
} as const satisfies CodeList<string>;
export type AssessmentFactor = keyof typeof assessmentFactorCodes.codes;

/**
 * N00783 Sex, from the person's recorded gender. From 2024–25 the census
 * carries <Sex> (M, F, U) where it carried <Gender> (1, 2, 0, 9); a gender
 * recorded as neither male nor female is written U, as not known.
 */
export const genderCodes = {
  name: 'Sex',
  source: GUIDE,
  collectionYear: YEAR,
  checked:
    'Checked against DfE, Children in need census 2024 to 2025: business and technical specification, version 1.2 (November 2024), as summarised at https://www.customercarephonenumber.in/children-in-need-census-2024-2025-business-and-technical-specification-version-12: “<Sex> (N00783) replaces <Gender> (N00007)”, with F, M and U. The mapping of a gender recorded as “other” to U is Safekeep’s reading; the 2025–26 guide itself was not available.',
  codes: {
    'not-known': { code: 'U', label: 'Not known' },
    male: { code: 'M', label: 'Male' },
    female: { code: 'F', label: 'Female' },
    other: { code: 'U', label: 'Not known' },
  },
} as const satisfies CodeList<string>;

/**
 * N00135 reason a UPN is not given (UN1–UN7 are valid codes: liia-tools CIN_schema_2016.yml).
 * Only UN1 is derived (a child under six, not yet of school age); any other
 * reason is recorded nowhere yet, so a child of six or more without a UPN is
 * a query for someone to look into.
 */
export const UPN_UNKNOWN_UNDER_SIX = 'UN1';

/** The local authority code by organisation: Kent is 886 (the DfE's LA number for Kent County Council). */
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
