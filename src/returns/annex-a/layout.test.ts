import { describe, expect, it } from 'vitest';
import { annexALists, listKeys } from './lists.js';

/**
 * Each list's headings, written out as local authorities' Annex A workbooks
 * carry them (the layout liia-tools expects of them,
 * SocialFinanceDigitalLabs/liia-tools, liiatools/spec/annex_a/la-agg.yml,
 * without its own pooling column, LA), so a change to lists.ts that drifts
 * from that layout fails here rather than at an inspection. The best public
 * evidence of Ofsted's template; to be checked against Ofsted's own.
 */

const CHILD = ['Child Unique ID', 'Gender', 'Ethnicity', 'Date of Birth', 'Age of Child (Years)'];
const WORKER = ['Allocated Team', 'Allocated Worker'];

const published: Record<number, string[]> = {
  1: [...CHILD, 'Date of Contact', 'Contact Source'],
  2: [
    ...CHILD,
    'Assessment start date',
    'Assessment completion date',
    'Organisation completing assessment',
  ],
  3: [
    ...CHILD,
    'Date of referral',
    'Referral Source',
    'Referral NFA?',
    'Number of Referrals in Last 12 Months',
    ...WORKER,
  ],
  4: [
    ...CHILD,
    'Does the Child have a Disability',
    'Continuous Assessment Start Date',
    'Child Seen During Continuous Assessment',
    'Continuous Assessment Date of Authorisation',
    "Was the child assessed as requiring LA children's social care support?",
    ...WORKER,
  ],
  5: [
    ...CHILD,
    'Does the Child have a Disability',
    'Strategy discussion initiating Section 47 Enquiry Start Date',
    'Was an Initial Child Protection Conference deemed unnecessary?',
    'Date of Initial Child Protection Conference',
    'Did the Initial Child Protection Conference Result in a Child Protection Plan',
    'Number of Section 47 Enquiries in the last 12 months',
    'Number of ICPCs in the last 12 months',
    ...WORKER,
  ],
  6: [
    ...CHILD,
    'Does the Child have a Disability',
    'CIN Start Date',
    'Primary Need Code',
    'Date Child Was Last Seen',
    'CIN Closure Date',
    'Reason for Closure',
    'Case Status',
    ...WORKER,
  ],
  7: [
    ...CHILD,
    'Does the Child have a Disability',
    'Child Protection Plan Start Date',
    'Initial Category of Abuse',
    'Latest Category of Abuse',
    'Date of the Last Statutory Visit',
    'Was the Child Seen Alone?',
    'Date of latest review conference',
    'Child Protection Plan End Date',
    'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)',
    'Number of Previous Child Protection Plans',
    ...WORKER,
  ],
  8: [
    ...CHILD,
    'Does the Child have a Disability',
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
    ...WORKER,
  ],
  9: [
    ...CHILD,
    'Does the Child have a Disability',
    ...WORKER,
    'Eligibility Category',
    'LA in Touch',
    'Type of Accommodation',
    'Suitability of Accommodation',
    'Activity Status',
  ],
  10: [
    'Child Unique ID',
    'Family identifier',
    'Gender',
    'Ethnicity',
    'Date of Birth',
    'Age of Child (Years)',
    'Does the Child have a Disability',
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
  11: [
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
};

describe('the lists’ layout', () => {
  it('has the eleven lists in order', () => {
    expect(listKeys.map((k) => annexALists[k].number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  for (const key of listKeys) {
    const { number } = annexALists[key];
    it(`List ${number} has the published headings, in their order`, () => {
      expect([...annexALists[key].headings]).toEqual(published[number]);
    });
  }

  it('names no heading twice in a list (a workbook reader keys cells by heading)', () => {
    for (const key of listKeys) {
      const headings = annexALists[key].headings as readonly string[];
      expect(new Set(headings).size, key).toBe(headings.length);
    }
  });
});
