/**
 * Ofsted's Annex A child-level lists (ILACS) as Safekeep produces them: each
 * list's number, sheet name, column headings in their order, and the period
 * it covers before the as-of date (the day the lists are drawn up for, the
 * inspection's notification day).
 *
 * The headings and periods are the author's reading of the Annex A template
 * as they know it; this session had no access to the published Annex A.
 * Compare with the template Ofsted sends before an inspection
 * (docs/returns.md, "Ofsted Annex A").
 */

/** The columns every child-level list starts with. */
const CHILD = [
  'Child Unique ID',
  'Gender',
  'Ethnicity',
  'Date of Birth',
  'Age of Child (Years)',
] as const;
const ALLOCATED = ['Allocated Team', 'Allocated Worker'] as const;

export type Coverage = 'six-months' | 'twelve-months' | 'on-the-date';

export const coverageText: Record<Coverage, string> = {
  'six-months': 'the six months up to and including the as-of date',
  'twelve-months': 'the twelve months up to and including the as-of date',
  'on-the-date': 'on the as-of date',
};

export const annexALists = {
  contacts: {
    number: 1,
    sheet: 'List 1 - Contacts',
    title: 'Contacts',
    covers: 'six-months',
    headings: [...CHILD, 'Date of Contact', 'Contact Source'],
  },
  earlyHelp: {
    number: 2,
    sheet: 'List 2 - Early help',
    title: 'Early help',
    covers: 'six-months',
    headings: [
      ...CHILD,
      'Disability',
      'Early Help Assessment Start Date',
      'Early Help Assessment Completion Date',
      'Organisation Completing Early Help Assessment',
    ],
  },
  referrals: {
    number: 3,
    sheet: 'List 3 - Referrals',
    title: 'Referrals',
    covers: 'six-months',
    headings: [
      ...CHILD,
      'Date of Referral',
      'Referral Source',
      'Referral NFA?',
      'Number of Referrals in Last 12 Months',
      ...ALLOCATED,
    ],
  },
  assessments: {
    number: 4,
    sheet: 'List 4 - Assessments',
    title: 'Assessments',
    covers: 'six-months',
    headings: [
      ...CHILD,
      'Disability',
      'Assessment Start Date',
      'Child Seen During Assessment',
      'Assessment Authorised Date',
      'Assessment Factors',
      ...ALLOCATED,
    ],
  },
  section47: {
    number: 5,
    sheet: 'List 5 - Section 47 and ICPC',
    title: 'Section 47 enquiries and initial child protection conferences',
    covers: 'six-months',
    headings: [
      ...CHILD,
      'Disability',
      'Strategy Discussion Initiating Section 47 Enquiry Start Date',
      'Was an Initial Child Protection Conference Deemed Unnecessary?',
      'Date of Initial Child Protection Conference',
      'Did the Initial Child Protection Conference Result in a Child Protection Plan?',
      'Number of Section 47 Enquiries in the Last 12 Months',
      'Number of ICPCs in the Last 12 Months',
      ...ALLOCATED,
    ],
  },
  childrenInNeed: {
    number: 6,
    sheet: 'List 6 - Children in need',
    title: 'Children in need',
    covers: 'on-the-date',
    headings: [
      ...CHILD,
      'Disability',
      'Unaccompanied Asylum Seeking Child',
      'Date of Referral',
      'Primary Need Code',
      'Case Status',
      'CIN Plan Start Date',
      'Date of Last Statutory Visit',
      'Date Child Was Last Seen',
      ...ALLOCATED,
    ],
  },
  childProtection: {
    number: 7,
    sheet: 'List 7 - Child protection',
    title: 'Child protection',
    covers: 'six-months',
    headings: [
      ...CHILD,
      'Disability',
      'Child Protection Plan Start Date',
      'Initial Category of Abuse',
      'Latest Category of Abuse',
      'Date of Latest Review Conference',
      'Date of Last Statutory Visit',
      'Date Child Was Last Seen',
      'Child Protection Plan End Date',
      'Number of Previous Child Protection Plans',
      ...ALLOCATED,
    ],
  },
  childrenInCare: {
    number: 8,
    sheet: 'List 8 - Children in care',
    title: 'Children in care',
    covers: 'six-months',
    headings: [
      ...CHILD,
      'Disability',
      'Unaccompanied Asylum Seeking Child',
      'Date Started to be Looked After',
      'Legal Status',
      'Placement Type',
      'Placement Provider',
      'Placement Start Date',
      'Number of Placements in the Last 12 Months',
      'Date of Latest Statutory Review',
      'Date of Last Statutory Visit',
      'Date Child Was Last Seen',
      'Date Ceased to be Looked After',
      'Reason Ceased to be Looked After',
      ...ALLOCATED,
    ],
  },
  careLeavers: {
    number: 9,
    sheet: 'List 9 - Care leavers',
    title: 'Care leavers',
    covers: 'on-the-date',
    headings: [
      'Child Unique ID',
      'Gender',
      'Ethnicity',
      'Date of Birth',
      'Age of Young Person (Years)',
      'Disability',
      'Unaccompanied Asylum Seeking Child',
      'Date Ceased to be Looked After',
      'Date of Latest Pathway Plan Review',
      'Activity',
      'Type of Accommodation',
      'Suitability of Accommodation',
      'Allocated Team',
      'Allocated Personal Adviser',
    ],
  },
  adoption: {
    number: 10,
    sheet: 'List 10 - Adoption',
    title: 'Adoption',
    covers: 'twelve-months',
    headings: [
      ...CHILD,
      'Disability',
      'Date Started to be Looked After',
      'Date of Decision that Child Should be Placed for Adoption',
      'Date of Placement Order',
      'Date of Matching',
      'Date Placed for Adoption',
      'Date of Adoption Order',
      'Date of Decision that Child Should No Longer be Placed for Adoption',
      'Reason No Longer Planned for Adoption',
      ...ALLOCATED,
    ],
  },
  adopters: {
    number: 11,
    sheet: 'List 11 - Adopters',
    title: 'Adopters',
    covers: 'twelve-months',
    headings: [
      'Adopter Unique ID',
      'Gender',
      'Ethnicity',
      'Age of Adopter (Years)',
      'Date of Initial Enquiry',
      'Date Stage 1 Started',
      'Date Stage 2 Started',
      'Date of Approval',
      'Number of Children Placed',
      'Allocated Worker',
    ],
  },
} as const satisfies Record<
  string,
  { number: number; sheet: string; title: string; covers: Coverage; headings: readonly string[] }
>;

export type ListKey = keyof typeof annexALists;
export type Heading<K extends ListKey> = (typeof annexALists)[K]['headings'][number];

/** The lists in Annex A's order. */
export const listKeys = (Object.keys(annexALists) as ListKey[]).sort(
  (a, b) => annexALists[a].number - annexALists[b].number,
);

/**
 * Why a list has no rows whatever the records say: Safekeep records nothing
 * it is built from. The sheet still goes in the workbook with its headings.
 */
export const notRecorded: Partial<Record<ListKey, string>> = {
  contacts:
    'Safekeep records referrals, not the contacts that come before them: contacts are handled in the front door system.',
  earlyHelp: 'Safekeep has no early help record: early help assessments are kept elsewhere.',
  adopters: 'Safekeep records children, not prospective adopters and their assessment.',
};
