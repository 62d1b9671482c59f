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

/**
 * SSDA903 placement type (Annex A List 8 "Placement type"). Safekeep's
 * placement words are broader than the codes: each maps to the code for its
 * commonest case (foster care to U6, not long-term and not with a relative),
 * used only for a placement whose DfE type (the looked-after form's SSDA903
 * placement code) is not recorded.
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

/**
 * Suitability of a care leaver's accommodation (List 9), from the care
 * leaver form's yes or no (SSDA903 writes it as ACCOM's 1 or 2). Ofsted's
 * wording for the answer is not verified.
 */
export const annexASuitability = {
  name: 'Suitability of accommodation',
  source: ANNEX_A,
  collectionYear: YEAR,
  checked: NOT_VERIFIED,
  codes: {
    yes: { code: 'a) Suitable', label: 'Suitable' },
    no: { code: 'b) Unsuitable', label: 'Unsuitable' },
  },
} as const satisfies CodeList<string>;

/**
 * The answer to a column whose heading asks "(Y/N)" (List 8's second period
 * of care and return interviews, List 7's emergency protection): the
 * heading's own letters; the other yes-or-no columns take the lettered
 * answers above.
 */
export const Y = 'Y';
export const N = 'N';

/**
 * Annex A's own code lists. Legal status, placement provider, reason ceased,
 * care leaver accommodation, activity and in touch are SSDA903's
 * (../ssda903/codes.ts), read from the same words on the same records.
 */
export const annexACodeLists = [
  annexAGender,
  annexACategoryOfAbuse,
  placementTypeCodes,
  annexASuitability,
] as const;
