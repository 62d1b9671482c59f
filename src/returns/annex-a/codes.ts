import type { CodeList } from '../codes.js';

/**
 * The values Ofsted's Annex A lists expect where Safekeep stores a word
 * (src/casework/categories.ts). Annex A reuses the DfE's Children in Need
 * census codes (referral source, ethnicity) and SSDA903 codes (legal status,
 * placement type, care leaver activity and accommodation), and writes its own
 * choices as lettered options ("a) Yes").
 *
 * Source: Ofsted, "Inspecting local authority children's services (ILACS):
 * Annex A" child-level lists, and DfE, "Children looked after return
 * (SSDA903) 2025 to 2026: guide", code sets. The SSDA903 codes here are the
 * ones checked in ../ssda903/codes.ts (see each list's `checked`); Ofsted's
 * lettered answers were not checked: its template could not be read
 * (docs/returns.md).
 */

const ANNEX_A = 'Ofsted, ILACS Annex A child-level lists (template as the author knows it)';
const SSDA903 = 'DfE, Children looked after return (SSDA903) 2025 to 2026: guide, code sets';
const NOT_VERIFIED =
  'not verified: Ofsted’s Annex A template could not be read (no copy among the sources searched)';
const AS_SSDA903 =
  'the codes are the SSDA903 ones, checked as src/returns/ssda903/codes.ts says (validator rules 144, 146 and liia-tools’ 2023–24 schema); which Safekeep word maps to which code is Safekeep’s reading';
const YEAR = 2026;

/** Gender as the Annex A lists write it (from the person's recorded gender). */
export const annexAGender = {
  name: 'Gender',
  source: ANNEX_A,
  collectionYear: YEAR,
  checked: NOT_VERIFIED,
  codes: {
    male: { code: 'a) Male', label: 'Male' },
    female: { code: 'b) Female', label: 'Female' },
    'not-known': { code: 'c) Not stated/recorded', label: 'Not stated or recorded' },
    other: { code: 'd) Neither', label: 'Neither' },
  },
} as const satisfies CodeList<string>;

export const YES = 'a) Yes';
export const NO = 'b) No';

/** Category of abuse on a child protection plan, as Annex A List 7 writes it. */
export const annexACategoryOfAbuse = {
  name: 'Category of abuse',
  source: ANNEX_A,
  collectionYear: YEAR,
  checked: NOT_VERIFIED,
  codes: {
    neglect: { code: 'a) Neglect', label: 'Neglect' },
    'physical-abuse': { code: 'b) Physical abuse', label: 'Physical abuse' },
    'sexual-abuse': { code: 'c) Sexual abuse', label: 'Sexual abuse' },
    'emotional-abuse': { code: 'd) Emotional abuse', label: 'Emotional abuse' },
    multiple: { code: 'e) Multiple', label: 'Multiple' },
  },
} as const satisfies CodeList<string>;

/** SSDA903 legal status (Annex A List 8 "Legal status"). Keys: casework's legalStatus. */
export const legalStatusCodes = {
  name: 'Legal status',
  source: SSDA903,
  collectionYear: YEAR,
  checked: AS_SSDA903,
  codes: {
    'interim-care-order': { code: 'C1', label: 'Interim care order' },
    'care-order': { code: 'C2', label: 'Full care order' },
    'placement-order': { code: 'E1', label: 'Placement order granted' },
    'police-protection': {
      code: 'L1',
      label: 'Under police protection and in local authority accommodation',
    },
    'emergency-protection-order': { code: 'L2', label: 'Emergency protection order' },
    remand: {
      code: 'J1',
      label: 'Remanded to local authority accommodation or to youth detention accommodation',
    },
    'section-20': {
      code: 'V2',
      label: 'Single period of accommodation under section 20 (Children Act 1989)',
    },
  },
} as const satisfies CodeList<string>;

/**
 * SSDA903 placement type (Annex A List 8 "Placement type"). Safekeep's
 * placement words are broader than the codes: each maps to the code for its
 * commonest case (foster care to U6, not long-term and not with a relative),
 * which a practitioner may need to correct by hand until the looked-after
 * form records the SSDA903 code itself.
 */
export const placementTypeCodes = {
  name: 'Placement type',
  source: SSDA903,
  collectionYear: YEAR,
  checked: AS_SSDA903,
  codes: {
    'foster-care': {
      code: 'U6',
      label: 'Foster placement with other foster carer: not long term or fostering for adoption',
    },
    'kinship-care': {
      code: 'U3',
      label: 'Foster placement with relative or friend: not long term or fostering for adoption',
    },
    residential: { code: 'K2', label: 'Children’s homes' },
    'semi-independent': {
      code: 'H5',
      label: 'Semi-independent living accommodation not subject to children’s homes regulations',
    },
    'placed-with-parents': { code: 'P1', label: 'Placed with own parent(s)' },
    'placed-for-adoption': { code: 'A6', label: 'Placed for adoption with a placement order' },
    secure: { code: 'K1', label: 'Secure children’s homes' },
    other: { code: 'Z1', label: 'Other placements' },
  },
} as const satisfies CodeList<string>;

/** SSDA903 care leaver accommodation (OC3), Annex A List 9 "Type of accommodation". */
export const careLeaverAccommodationCodes = {
  name: 'Care leaver accommodation',
  source: SSDA903,
  collectionYear: YEAR,
  checked: AS_SSDA903,
  codes: {
    'with-family': { code: 'B', label: 'With parents or relatives' },
    'semi-independent': { code: 'D', label: 'Semi-independent, transitional accommodation' },
    'supported-lodgings': { code: 'E', label: 'Supported lodgings' },
    independent: { code: 'U', label: 'Independent living' },
    custody: { code: 'X', label: 'In custody' },
    other: { code: 'Y', label: 'Other accommodation' },
    'with-former-foster-carers': { code: 'Z', label: 'With former foster carers' },
  },
} as const satisfies CodeList<string>;

/**
 * SSDA903 care leaver activity (OC3), Annex A List 9 "Activity". Safekeep
 * records education and employment apart; the activity is education if any
 * (higher first), else employment or training, else not in education,
 * employment or training (G5: other reasons; G4 and G6 are not recorded).
 */
export function careLeaverActivity(
  education: string | undefined,
  employment: string | undefined,
): string | undefined {
  if (education === undefined && employment === undefined) return undefined;
  if (education === 'higher-education') return 'F1';
  if (education === 'further-education' || education === 'school') return 'F2';
  if (employment === 'apprenticeship') return 'F4';
  if (education === 'training' || employment === 'full-time') return 'F5';
  if (employment === 'part-time') return 'P5';
  return 'G5';
}

export const annexACodeLists = [
  annexAGender,
  annexACategoryOfAbuse,
  legalStatusCodes,
  placementTypeCodes,
  careLeaverAccommodationCodes,
] as const;
