/**
 * The scalar fields of each category's detail as its page form offers them.
 */
import type { CategorySlug } from '../policy/index.js';
import { yesNo } from '../returns/ssda903/codes.js';
import {
  abuseCategories,
  adopterSexSlugs,
  adopterStatusSlugs,
  assessmentFactorSlugs,
  closureReasonSlugs,
  disabilitySlugs,
  legalStatusSlugs,
  placedCeasedSlugs,
  primaryNeeds,
  referralSourceSlugs,
} from './details-kent-scs.js';
import { employerSectors, harmTestCriteria, ladoReferringAgencies } from './details-kent-lado.js';
import { concernTypes } from './details-maidstone-bc.js';

export interface DetailField {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'date' | 'select' | 'checkboxes';
  options?: readonly string[];
  required?: boolean;
}

/**
 * The scalar detail fields each category's page form offers. Items of
 * lists (conferences, placements, meetings, referrals…) are added with
 * `detailListForms` (detail-list-forms.ts).
 */
export const detailFormFields: Partial<Record<CategorySlug, DetailField[]>> = {
  'child-in-need': [
    { name: 'primaryNeed', label: 'Primary need', kind: 'select', options: primaryNeeds },
    {
      name: 'referralSource',
      label: 'Who referred the child',
      kind: 'select',
      options: referralSourceSlugs,
    },
    { name: 'reasonsForSupport', label: 'Reasons for support', kind: 'textarea' },
    { name: 'assessmentStartedOn', label: 'Assessment started on', kind: 'date' },
    { name: 'assessmentCompletedOn', label: 'Assessment completed on', kind: 'date' },
    {
      name: 'assessmentFactors',
      label: 'Factors identified at the end of the assessment',
      kind: 'checkboxes',
      options: assessmentFactorSlugs,
    },
    { name: 'planStartedOn', label: 'Plan started on', kind: 'date' },
    { name: 'planEndedOn', label: 'Plan ended on', kind: 'date' },
    { name: 'planSummary', label: 'Plan', kind: 'textarea' },
    {
      name: 'disabilities',
      label: 'The child’s disabilities',
      kind: 'checkboxes',
      options: disabilitySlugs,
    },
    {
      name: 'reasonForClosure',
      label: 'Why the case closed',
      kind: 'select',
      options: closureReasonSlugs,
    },
  ],
  'child-protection-plan': [
    {
      name: 'categoryOfAbuse',
      label: 'Category of abuse',
      kind: 'select',
      options: abuseCategories,
      required: true,
    },
    { name: 'planStartedOn', label: 'Plan started on', kind: 'date' },
    { name: 'primaryNeed', label: 'Primary need', kind: 'select', options: primaryNeeds },
    {
      name: 'referralSource',
      label: 'Who referred the child',
      kind: 'select',
      options: referralSourceSlugs,
    },
    {
      name: 'reasonForClosure',
      label: 'Why the case closed',
      kind: 'select',
      options: closureReasonSlugs,
    },
  ],
  'looked-after': [
    { name: 'legalStatus', label: 'Legal status', kind: 'select', options: legalStatusSlugs },
    {
      name: 'unaccompaniedAsylumSeeking',
      label: 'Unaccompanied asylum-seeking child',
      kind: 'select',
      options: yesNo,
    },
    {
      name: 'uascCeasedOn',
      label: 'Stopped being an unaccompanied asylum-seeking child on',
      kind: 'date',
    },
    {
      name: 'ownChildBornOn',
      label: 'If she is a mother: her child’s date of birth',
      kind: 'date',
    },
  ],
  adoption: [
    {
      name: 'decisionToPlaceOn',
      label: 'Decided the child should be placed for adoption on',
      kind: 'date',
    },
    { name: 'matchedOn', label: 'Matched with adopters on', kind: 'date' },
    {
      name: 'adoptedByFosterCarer',
      label: 'Adopted by their foster carers',
      kind: 'select',
      options: yesNo,
    },
    { name: 'adoptersSex', label: 'The adopters', kind: 'select', options: adopterSexSlugs },
    {
      name: 'adoptersLegalStatus',
      label: 'The adopters’ legal status',
      kind: 'select',
      options: adopterStatusSlugs,
    },
    {
      name: 'decisionCeasedOn',
      label: 'The decision to place for adoption ended on',
      kind: 'date',
    },
    {
      name: 'decisionCeasedReason',
      label: 'Why the decision to place for adoption ended',
      kind: 'select',
      options: placedCeasedSlugs,
    },
  ],
  'private-fostering': [
    { name: 'notifiedOn', label: 'Notified on', kind: 'date' },
    { name: 'arrangementStartedOn', label: 'Arrangement started on', kind: 'date' },
    { name: 'expectedEndOn', label: 'Expected to end on', kind: 'date' },
  ],
  'private-foster-parent': [
    { name: 'assessmentCompletedOn', label: 'Assessment completed on', kind: 'date' },
    {
      name: 'suitability',
      label: 'Suitability',
      kind: 'select',
      options: ['suitable', 'unsuitable', 'pending'],
    },
  ],
  'risk-register': [
    { name: 'natureOfRisk', label: 'Nature of the risk', kind: 'textarea', required: true },
    { name: 'offenceDescription', label: 'Offence', kind: 'textarea' },
  ],
  'lado-allegation': [
    { name: 'employer', label: 'Employer', kind: 'text', required: true },
    {
      name: 'employerSector',
      label: 'Sector',
      kind: 'select',
      options: employerSectors,
      required: true,
    },
    { name: 'role', label: 'Role', kind: 'text', required: true },
    { name: 'allegation', label: 'What is alleged', kind: 'textarea', required: true },
    {
      name: 'harmTest',
      label: 'Which part of the harm test does it meet?',
      kind: 'checkboxes',
      options: harmTestCriteria,
    },
    {
      name: 'referredBy',
      label: 'Referred by',
      kind: 'select',
      options: ladoReferringAgencies,
    },
  ],
  'practice-review': [
    {
      name: 'reviewType',
      label: 'Type of review',
      kind: 'select',
      options: ['rapid-review', 'lcspr'],
      required: true,
    },
    { name: 'leadReviewer', label: 'Lead reviewer', kind: 'text' },
    {
      name: 'whereaboutsAtIncident',
      label: 'Where the child was at the time of the critical incident',
      kind: 'textarea',
    },
    {
      name: 'carersAtIncident',
      label: 'Who was caring for the child at the time of the critical incident',
      kind: 'textarea',
    },
    { name: 'educationEstablishment', label: 'School or setting, if any', kind: 'text' },
  ],
  'panel-referral-not-notified': [
    {
      name: 'reviewType',
      label: 'Type of review',
      kind: 'select',
      options: ['rapid-review', 'lcspr'],
      required: true,
    },
  ],
  'audit-qa': [
    { name: 'theme', label: 'Theme', kind: 'text', required: true },
    { name: 'findings', label: 'Findings', kind: 'textarea' },
  ],
  'safeguarding-concern': [
    {
      name: 'concernTypes',
      label: 'Type of concern',
      kind: 'checkboxes',
      options: concernTypes,
      required: true,
    },
    { name: 'gp', label: 'GP', kind: 'text' },
    { name: 'socialCareProvision', label: 'Social care provision', kind: 'textarea' },
  ],
};

export function formFieldsFor(category: CategorySlug): DetailField[] {
  return detailFormFields[category] ?? [{ name: 'summary', label: 'Summary', kind: 'textarea' }];
}
