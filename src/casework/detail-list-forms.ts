/**
 * The lists and single objects inside a category's detail that the record
 * page adds to, changes and removes from, each on its own page.
 */
import type { CategorySlug } from '../policy/index.js';
import { yesNo } from '../returns/ssda903/codes.js';
import type { DetailField } from './detail-fields.js';
import {
  activitySlugs,
  careLeaverAccommodation,
  careLeaverEducation,
  careLeaverEmployment,
  dfePlacementSlugs,
  inTouchSlugs,
  legalStatusSlugs,
  missingSlugs,
  placementChangeSlugs,
  placementProviderSlugs,
  placementTypes,
  previousPermanenceSlugs,
  primaryNeeds,
  reasonCeasedSlugs,
  sdqReasonSlugs,
  socialWorkerChangeSlugs,
} from './details-kent-scs.js';
import { maidstonePartners } from './details-maidstone-bc.js';
import { nationalPanelDecisions } from './details-partnerships.js';

/**
 * A list inside a category's detail whose items the record page adds,
 * changes and removes, one page per item, all drawn by one template.
 */
export interface DetailListForm {
  /** The list's key in the detail, e.g. "conferences". */
  name: string;
  /** The list's heading, e.g. "Child protection conferences". */
  label: string;
  /** One item, for "Add a …", e.g. "child protection conference". */
  itemLabel: string;
  /**
   * 'object' (the default): each item is an object of `fields`. 'text': each
   * item is a plain string (a review's panel members), edited as the one field.
   */
  items?: 'object' | 'text';
  /** One item's fields, as its zod item schema (details-*.ts) has them (the schema still validates). */
  fields: DetailField[];
}

/**
 * A single object inside a category's detail (a care leaver's education,
 * employment and accommodation; the national panel notification decision),
 * changed as a whole on its own page by the same template as list items.
 */
export interface DetailObjectForm {
  /** Its key in the detail, e.g. "careLeaver". */
  name: string;
  /** Its heading on the record page, e.g. "Care leaver". */
  label: string;
  /** What the form is for, as a sentence, e.g. "Change the care leaver's situation". */
  changeLabel: string;
  fields: DetailField[];
}

const chronologiesRequested: DetailListForm = {
  name: 'chronologiesRequested',
  label: 'Chronologies requested',
  itemLabel: 'chronology request',
  fields: [
    { name: 'agency', label: 'Agency', kind: 'text', required: true },
    { name: 'requestedOn', label: 'Requested on', kind: 'date', required: true },
    { name: 'receivedOn', label: 'Received on', kind: 'date' },
  ],
};

const practitioners: DetailListForm = {
  name: 'practitioners',
  label: 'Practitioners contributing',
  itemLabel: 'practitioner',
  fields: [
    { name: 'name', label: 'Name', kind: 'text', required: true },
    { name: 'agency', label: 'Agency', kind: 'text', required: true },
    { name: 'role', label: 'Role', kind: 'text' },
  ],
};

const panelMembers: DetailListForm = {
  name: 'panel',
  label: 'Panel',
  itemLabel: 'panel member',
  items: 'text',
  fields: [{ name: 'name', label: 'Name', kind: 'text', required: true }],
};

/**
 * The lists in each category's detail that pages add to, change and remove
 * from, one form per list. Every list a detail schema (details-*.ts) holds has one
 * (routes.test.ts checks), so nothing is left to the API alone.
 */
export const detailListForms: Partial<Record<CategorySlug, DetailListForm[]>> = {
  'child-protection-plan': [
    {
      name: 'section47Enquiries',
      label: 'Section 47 enquiries',
      itemLabel: 'Section 47 enquiry',
      fields: [
        { name: 'startedOn', label: 'Started on', kind: 'date', required: true },
        { name: 'completedOn', label: 'Completed on', kind: 'date' },
        {
          name: 'outcome',
          label: 'Outcome',
          kind: 'select',
          options: ['concerns-not-substantiated', 'concerns-substantiated-conference', 'other'],
        },
      ],
    },
    {
      name: 'conferences',
      label: 'Child protection conferences',
      itemLabel: 'child protection conference',
      fields: [
        {
          name: 'kind',
          label: 'Kind of conference',
          kind: 'select',
          options: ['initial', 'review', 'transfer-in'],
          required: true,
        },
        { name: 'heldOn', label: 'Held on', kind: 'date', required: true },
        {
          name: 'decision',
          label: 'Decision',
          kind: 'select',
          options: ['plan-made', 'plan-continued', 'plan-ended', 'no-plan'],
          required: true,
        },
      ],
    },
  ],
  'looked-after': [
    {
      name: 'episodes',
      label: 'Episodes of being looked after',
      itemLabel: 'period of being looked after',
      fields: [
        { name: 'startedOn', label: 'Started on', kind: 'date', required: true },
        { name: 'endedOn', label: 'Ended on', kind: 'date' },
        { name: 'reasonEnded', label: 'Reason it ended, in your words', kind: 'text' },
        {
          name: 'reasonCeased',
          label: 'Why it ended',
          kind: 'select',
          options: reasonCeasedSlugs,
        },
        {
          name: 'categoryOfNeed',
          label: 'Category of need when it started',
          kind: 'select',
          options: primaryNeeds,
        },
        {
          name: 'homePostcode',
          label: 'Postcode of the child’s home when it started',
          kind: 'text',
        },
        {
          name: 'previousPermanence',
          label: 'Adopted or under a special guardianship or child arrangements order before',
          kind: 'select',
          options: previousPermanenceSlugs,
        },
        { name: 'previousPermanenceOn', label: 'Date of that earlier order', kind: 'date' },
        {
          name: 'previousPermanenceLa',
          label: 'Council that arranged that earlier order',
          kind: 'text',
        },
      ],
    },
    {
      name: 'legalStatusChanges',
      label: 'Legal status changes',
      itemLabel: 'legal status',
      fields: [
        {
          name: 'status',
          label: 'Legal status',
          kind: 'select',
          options: legalStatusSlugs,
          required: true,
        },
        { name: 'from', label: 'From', kind: 'date', required: true },
      ],
    },
    {
      name: 'placements',
      label: 'Placements',
      itemLabel: 'placement',
      fields: [
        {
          name: 'type',
          label: 'Type of placement',
          kind: 'select',
          options: placementTypes,
          required: true,
        },
        { name: 'startedOn', label: 'Started on', kind: 'date', required: true },
        { name: 'endedOn', label: 'Ended on', kind: 'date' },
        { name: 'provider', label: 'Provider', kind: 'text' },
        {
          name: 'dfeType',
          label: 'Type of placement, as the Department for Education counts it',
          kind: 'select',
          options: dfePlacementSlugs,
        },
        {
          name: 'providedBy',
          label: 'Who provides it',
          kind: 'select',
          options: placementProviderSlugs,
        },
        { name: 'postcode', label: 'Postcode of the placement', kind: 'text' },
        { name: 'urn', label: 'Ofsted unique reference number of the provider', kind: 'text' },
        {
          name: 'reasonChanged',
          label: 'If it ended and another began: why',
          kind: 'select',
          options: placementChangeSlugs,
        },
      ],
    },
    {
      name: 'missingEpisodes',
      label: 'Missing or away from placement',
      itemLabel: 'time missing or away',
      fields: [
        {
          name: 'kind',
          label: 'Missing or away without permission',
          kind: 'select',
          options: missingSlugs,
          required: true,
        },
        { name: 'startedOn', label: 'From', kind: 'date', required: true },
        { name: 'endedOn', label: 'Back on', kind: 'date' },
      ],
    },
    {
      name: 'yearOutcomes',
      label: 'Health and offending for the year',
      itemLabel: 'year’s health and offending',
      fields: [
        { name: 'yearEnding', label: 'Year ending 31 March', kind: 'date', required: true },
        {
          name: 'convicted',
          label: 'Convicted or given a youth caution in the year',
          kind: 'select',
          options: yesNo,
        },
        {
          name: 'immunisationsUpToDate',
          label: 'Immunisations up to date',
          kind: 'select',
          options: yesNo,
        },
        {
          name: 'substanceMisuse',
          label: 'Substance misuse problem identified',
          kind: 'select',
          options: yesNo,
        },
        {
          name: 'interventionReceived',
          label: 'Received help for substance misuse',
          kind: 'select',
          options: yesNo,
        },
        {
          name: 'interventionOffered',
          label: 'Offered help for substance misuse',
          kind: 'select',
          options: yesNo,
        },
        {
          name: 'sdqReason',
          label: 'If there is no strengths and difficulties score: why',
          kind: 'select',
          options: sdqReasonSlugs,
        },
      ],
    },
    {
      name: 'socialWorkers',
      label: 'Social workers',
      itemLabel: 'social worker',
      fields: [
        {
          name: 'registrationNumber',
          label: 'Social Work England registration number',
          kind: 'text',
          required: true,
        },
        { name: 'startedOn', label: 'Started on', kind: 'date', required: true },
        { name: 'endedOn', label: 'Ended on', kind: 'date' },
        {
          name: 'reasonChanged',
          label: 'If they changed: why',
          kind: 'select',
          options: socialWorkerChangeSlugs,
        },
      ],
    },
  ],
  adoption: [
    {
      name: 'courtOrders',
      label: 'Court orders',
      itemLabel: 'court order',
      fields: [
        {
          name: 'kind',
          label: 'Kind of order',
          kind: 'select',
          options: ['placement-order', 'adoption-order', 'special-guardianship-order', 'other'],
          required: true,
        },
        { name: 'court', label: 'Court', kind: 'text', required: true },
        { name: 'madeOn', label: 'Made on', kind: 'date', required: true },
      ],
    },
    {
      name: 'postAdoptionSupport',
      label: 'Post-adoption support',
      itemLabel: 'period of post-adoption support',
      fields: [
        {
          name: 'kind',
          label: 'Kind of support',
          kind: 'select',
          options: ['financial', 'therapeutic', 'contact', 'advice', 'other'],
          required: true,
        },
        { name: 'startedOn', label: 'Started on', kind: 'date', required: true },
        { name: 'endedOn', label: 'Ended on', kind: 'date' },
      ],
    },
  ],
  'private-fostering': [
    {
      name: 'visits',
      label: 'Visits',
      itemLabel: 'visit',
      fields: [{ name: 'visitedOn', label: 'Visited on', kind: 'date', required: true }],
    },
  ],
  'lado-allegation': [
    {
      name: 'meetings',
      label: 'Meetings',
      itemLabel: 'meeting',
      fields: [
        {
          name: 'kind',
          label: 'Kind of meeting',
          kind: 'select',
          options: ['initial-consideration', 'strategy', 'position-of-trust', 'evaluation'],
          required: true,
        },
        { name: 'heldOn', label: 'Held on', kind: 'date', required: true },
      ],
    },
    {
      name: 'employments',
      label: 'All their paid or voluntary work',
      itemLabel: 'job or voluntary role',
      fields: [
        { name: 'employer', label: 'Employer or organisation', kind: 'text', required: true },
        { name: 'role', label: 'Role', kind: 'text', required: true },
        {
          name: 'basis',
          label: 'Paid or voluntary',
          kind: 'select',
          options: ['paid', 'voluntary'],
          required: true,
        },
      ],
    },
    {
      name: 's47Information',
      label: 'Information from section 47 enquiries and child protection conferences',
      itemLabel: 'piece of information',
      fields: [
        { name: 'receivedOn', label: 'Received on', kind: 'date', required: true },
        { name: 'from', label: 'From', kind: 'text', required: true },
        { name: 'summary', label: 'What it says', kind: 'textarea', required: true },
      ],
    },
  ],
  'practice-review': [chronologiesRequested, practitioners, panelMembers],
  'panel-referral-not-notified': [chronologiesRequested, practitioners, panelMembers],
  'audit-qa': [
    {
      name: 'agencies',
      label: 'Agencies taking part',
      itemLabel: 'agency',
      items: 'text',
      fields: [{ name: 'agency', label: 'Agency', kind: 'text', required: true }],
    },
  ],
  'safeguarding-concern': [
    {
      name: 'referrals',
      label: 'Referrals',
      itemLabel: 'referral',
      fields: [
        {
          name: 'partner',
          label: 'Referred to',
          kind: 'select',
          options: maidstonePartners,
          required: true,
        },
        { name: 'referredOn', label: 'Referred on', kind: 'date', required: true },
        {
          name: 'consent',
          label: 'Consent',
          kind: 'select',
          options: ['given', 'refused', 'not-sought'],
          required: true,
        },
        {
          name: 'reasonWithoutConsent',
          label: 'Why the referral was made without consent',
          kind: 'textarea',
        },
      ],
    },
  ],
};

export function detailListFormsFor(category: CategorySlug): DetailListForm[] {
  return detailListForms[category] ?? [];
}

const nationalPanelNotification: DetailObjectForm = {
  name: 'nationalPanelNotification',
  label: 'National panel notification',
  changeLabel: 'Record the national panel notification decision',
  fields: [
    {
      name: 'decision',
      label: 'Was the Child Safeguarding Practice Review Panel notified?',
      kind: 'select',
      options: nationalPanelDecisions,
      required: true,
    },
    { name: 'decidedOn', label: 'Decided on', kind: 'date' },
  ],
};

/** The single nested objects in each category's detail that pages change. */
export const detailObjectForms: Partial<Record<CategorySlug, DetailObjectForm[]>> = {
  'looked-after': [
    {
      name: 'careLeaver',
      label: 'Care leaver',
      changeLabel: 'Change the care leaver’s education, employment and accommodation',
      fields: [
        {
          name: 'education',
          label: 'Education',
          kind: 'select',
          options: careLeaverEducation,
          required: true,
        },
        {
          name: 'employment',
          label: 'Employment',
          kind: 'select',
          options: careLeaverEmployment,
          required: true,
        },
        {
          name: 'accommodation',
          label: 'Accommodation',
          kind: 'select',
          options: careLeaverAccommodation,
          required: true,
        },
        { name: 'pathwayPlanReviewedOn', label: 'Pathway plan reviewed on', kind: 'date' },
        {
          name: 'inTouch',
          label: 'In touch around their last birthday',
          kind: 'select',
          options: inTouchSlugs,
        },
        { name: 'contactOn', label: 'Date of that contact', kind: 'date' },
        { name: 'activity', label: 'Main activity', kind: 'select', options: activitySlugs },
        {
          name: 'accommodationSuitable',
          label: 'Is the accommodation suitable',
          kind: 'select',
          options: yesNo,
        },
      ],
    },
  ],
  'practice-review': [nationalPanelNotification],
  'panel-referral-not-notified': [nationalPanelNotification],
};

export function detailObjectFormsFor(category: CategorySlug): DetailObjectForm[] {
  return detailObjectForms[category] ?? [];
}
