/**
 * Ofsted's Annex A child-level lists (ILACS) as Safekeep produces them: each
 * list's number, sheet name, column headings in their order, and the period
 * it covers before the as-of date (the day the lists are drawn up for, the
 * inspection's notification day).
 *
 * The headings and their order are those local authorities' Annex A
 * workbooks carry, as Social Finance's liia-tools expects them
 * (SocialFinanceDigitalLabs/liia-tools, liiatools/spec/annex_a/la-agg.yml,
 * without its own last column, LA, which it adds when pooling authorities).
 * That is the best public evidence of Ofsted's template found; Ofsted's own
 * could not be read. Check against the template Ofsted sends before an
 * inspection (docs/returns.md, "Compared with a published layout").
 */

/** The columns every child-level list starts with. */
const CHILD = [
  'Child Unique ID',
  'Gender',
  'Ethnicity',
  'Date of Birth',
  'Age of Child (Years)',
] as const;
const DISABILITY = 'Does the Child have a Disability';
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
      'Assessment start date',
      'Assessment completion date',
      'Organisation completing assessment',
    ],
  },
  referrals: {
    number: 3,
    sheet: 'List 3 - Referrals',
    title: 'Referrals',
    covers: 'six-months',
    headings: [
      ...CHILD,
      'Date of referral',
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
      DISABILITY,
      'Continuous Assessment Start Date',
      'Child Seen During Continuous Assessment',
      'Continuous Assessment Date of Authorisation',
      "Was the child assessed as requiring LA children's social care support?",
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
      DISABILITY,
      'Strategy discussion initiating Section 47 Enquiry Start Date',
      'Was an Initial Child Protection Conference deemed unnecessary?',
      'Date of Initial Child Protection Conference',
      'Did the Initial Child Protection Conference Result in a Child Protection Plan',
      'Number of Section 47 Enquiries in the last 12 months',
      'Number of ICPCs in the last 12 months',
      ...ALLOCATED,
    ],
  },
  childrenInNeed: {
    number: 6,
    sheet: 'List 6 - Children in need',
    title: 'Children in need',
    covers: 'six-months',
    headings: [
      ...CHILD,
      DISABILITY,
      'CIN Start Date',
      'Primary Need Code',
      'Date Child Was Last Seen',
      'CIN Closure Date',
      'Reason for Closure',
      'Case Status',
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
      DISABILITY,
      'Child Protection Plan Start Date',
      'Initial Category of Abuse',
      'Latest Category of Abuse',
      'Date of the Last Statutory Visit',
      'Was the Child Seen Alone?',
      'Date of latest review conference',
      'Child Protection Plan End Date',
      'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)',
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
      DISABILITY,
      'Date Started to be Looked After',
      "Child's Category of Need",
      'Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)',
      'Start date of current legal status',
      "Child's Legal Status",
      'Date of Latest Statutory Review',
      'Date of Last Social Work Visit',
      'What is the permanence plan for this child?',
      'Date of Last IRO Visit / Contact to the Child',
      'Date of Last Health Assessment',
      'Date of Last Dental Check',
      'Number of Placements in the Last 12 months',
      'Date Ceased to be Looked After',
      'Reason Ceased to be Looked After',
      'Start Date of Most Recent Placement',
      'Placement Type',
      'Placement Provider',
      'Placement postcode',
      'URN of Placement',
      'Placement Location',
      'LA of Placement',
      "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
      "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
      'Was the child offered a Return Interview after their last missing episode (Y/N)?',
      'Did the child accept a Return Interview after their last missing episode (Y/N)?',
      ...ALLOCATED,
    ],
  },
  careLeavers: {
    number: 9,
    sheet: 'List 9 - Care leavers',
    title: 'Care leavers',
    covers: 'on-the-date',
    headings: [
      ...CHILD,
      DISABILITY,
      ...ALLOCATED,
      'Eligibility Category',
      'LA in Touch',
      'Type of Accommodation',
      'Suitability of Accommodation',
      'Activity Status',
    ],
  },
  adoption: {
    number: 10,
    sheet: 'List 10 - Adoption',
    title: 'Adoption',
    covers: 'twelve-months',
    headings: [
      'Child Unique ID',
      'Family identifier',
      'Gender',
      'Ethnicity',
      'Date of Birth',
      'Age of Child (Years)',
      DISABILITY,
      'Date the Child Entered Care',
      'Date of Decision that Child Should be Placed for Adoption',
      'Date of Placement Order',
      'Date of Matching Child and Prospective Adopters',
      'Date Placed for Adoption',
      'Date of Adoption Order',
      'Date of Decision that Child Should No Longer be Placed for Adoption',
      'Reason Why Child No Longer Placed for Adoption',
      'Date the child was placed for fostering in FFA or concurrent planning placement',
    ],
  },
  adopters: {
    number: 11,
    sheet: 'List 11 - Adopters',
    title: 'Adopters',
    covers: 'twelve-months',
    headings: [
      'Individual adopter identifier',
      'Family identifier',
      'Gender',
      'Ethnicity',
      'Disability',
      'Is the (prospective) adopter fostering for adoption?',
      'Date enquiry received',
      'Date Stage 1 started',
      'Date Stage 1 ended',
      'Date Stage 2 started',
      'Date Stage 2 ended',
      'Date application submitted',
      'Date application approved',
      'Date adopter matched with child(ren)',
      'Date child/children placed with adopter(s)',
      'No. of children placed',
      'Date of Adoption Order',
      'Date of leaving adoption process',
      'Reason for leaving adoption process',
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
