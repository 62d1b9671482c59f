import type {
  CriminalOffenceCondition,
  OrganisationPolicy,
  PolicyRecipient,
  SpecialCategoryCondition,
} from '../types.js';
import { article6, article9, practiceReviewDuty, schedule1 } from './common.js';
import { kscmpNoticeFacts } from './notice-facts.js';

/*
 * Kent Safeguarding Children Multi-agency Partnership (KSCMP), from the notice
 * in shared/seeds/000_69cac5fa93a9a0d7.txt (last updated 7 April 2025). The
 * retention table gives periods but no action; the notice's own wording for
 * newsletters is "deleted", so destroy is the action throughout, except the
 * MeLearning data, which the notice says is "returned to KSCMP".
 */

/*
 * "When we collect or share special category personal data, we rely upon ...
 * Article 9(2)(f) ... 9(2)(g) ... We rely on the ‘safeguarding of children and
 * of individuals at risk’, and ‘equality of opportunity or treatment’ purposes
 * condition from Schedule 1 ... 9(2)(h) ... 9(2)(j)". The notice names
 * Schedule 1 conditions only for (g); (h) and (j) need a Part 1 condition
 * under DPA 2018 s10(2), named here as inferred.
 */
const reviewSpecialCategory: { conditions: readonly SpecialCategoryCondition[] } = {
  conditions: [
    article9('9(2)(f)', 'notice'),
    article9('9(2)(g)', 'notice', [
      schedule1('safeguarding', 'notice'),
      schedule1('equality', 'notice'),
    ]),
    article9('9(2)(h)', 'notice', [
      schedule1(
        'healthOrSocialCare',
        'inferred',
        'The notice relies on Art 9(2)(h) without naming its Schedule 1 condition.',
      ),
    ]),
    article9('9(2)(j)', 'notice', [
      schedule1(
        'archivingResearchStatistics',
        'inferred',
        'The notice relies on Art 9(2)(j) without naming its Schedule 1 condition.',
      ),
    ]),
  ],
};

/*
 * Reviews collect "Legal status and/or current criminal proceedings" of family
 * and other adults: criminal offence data. The notice takes safeguards for
 * "special category and/or criminal convictions data when relying on the
 * conditions above" without tying a condition to Art 10.
 */
const reviewCriminalOffence: CriminalOffenceCondition = {
  article: '10',
  schedule1: [
    schedule1(
      'safeguarding',
      'inferred',
      'The notice names the safeguarding condition for special category data and says its safeguards cover criminal convictions data; DPA 2018 s10(5) lets that Part 2 condition serve Art 10. Needs DPO confirmation.',
    ),
  ],
  source: 'inferred',
};

const statutoryBases = [article6('6(1)(c)', 'notice'), article6('6(1)(e)', 'notice')];

const reviewPurpose = `To undertake Rapid Reviews, Local Child Safeguarding Practice Reviews and other quality assurance which is part of our statutory duty (${practiceReviewDuty}).`;

/** "Who we share your personal information with", as the notice lists it (src/sharing). */
const recipients: readonly PolicyRecipient[] = [
  {
    id: 'partner-agencies',
    name: 'Partner agencies (KCC, Kent Police, NHS Kent and Medway ICB) and relevant agencies',
    noticeWording:
      'all our partner agencies (KCC, Kent Police, NHS Kent and Medway ICB) and other relevant agencies where relevant including wider health providers  to check for their involvement with the family',
    safekeepOrganisations: ['kent-scs', 'kent-lado'],
  },
  {
    id: 'other-partnerships',
    name: 'Other local safeguarding children partnerships',
    noticeWording:
      'other identified local safeguarding children partnerships and their partners/relevant agencies to check for involvement',
    safekeepOrganisations: ['sscp'],
  },
  {
    id: 'rapid-review-group',
    name: 'The Rapid Review Group',
    noticeWording: 'the Rapid Review Group to consider the case for review',
  },
  {
    id: 'lead-reviewers',
    name: 'Lead reviewers',
    noticeWording: 'lead reviewers for the case when appointed to undertake the review',
  },
  { id: 'review-panel', name: 'The panel for the case', noticeWording: 'the panel for the case' },
  {
    id: 'contributing-practitioners',
    name: 'Practitioners contributing to the review',
    noticeWording:
      'practitioners who have/had involvement with the family and have agreed to contribute to the review (confidentiality is stressed).',
  },
  {
    id: 'kmisa-partners',
    name: 'Partners under the Kent and Medway Information Sharing Agreement',
    noticeWording:
      'Kent Safeguarding Children Multi-agency Partnership is a signatory to the Kent and Medway Information Sharing Agreement (the KMISA).',
    safekeepOrganisations: ['kent-scs', 'kent-lado'],
  },
  {
    id: 'law-enforcement',
    name: 'Law enforcement or other authorities, where the law requires',
    noticeWording:
      'We will share personal information with law enforcement or other authorities if required by applicable law or in connection with legal proceedings.',
  },
];

export const kscmp: OrganisationPolicy = {
  ...kscmpNoticeFacts,
  slug: 'kscmp',
  name: 'Kent Safeguarding Children Multi-agency Partnership',
  shortName: 'KSCMP',
  notice: { seedFile: '000_69cac5fa93a9a0d7.txt', lastUpdated: '2025-04-07' },
  recipients,
  // No recipient abroad and no safeguard named: nothing leaves the UK.
  transfersAbroad: {
    safeguards: [],
    source: null,
    note: 'The notice says nothing about transfers abroad: no recipient it lists is outside the UK and it names no safeguard, so nothing leaves the UK.',
  },
  personSensitiveData: {
    // "Special category characteristics (such as ethnicity/race, disability, sexual
    // orientation, marriage and civil partnership information, religion or belief …,
    // mental health status, and drug and alcohol use or wider health information,
    // which may include gender reassignment information)"; "Legal status and/or
    // current criminal proceedings".
    specialCategory: [
      'ethnicity',
      'disability',
      'sexual-orientation',
      'marriage-or-civil-partnership',
      'religion-or-belief',
      'health',
      'drug-and-alcohol-use',
      'gender-reassignment',
    ],
    offenceData: ['legal-status', 'proceedings'],
    source:
      'Special category characteristics (such as ethnicity/race, disability, sexual orientation, marriage and civil partnership information, religion or belief or non-belief, characteristics of the case which may include mental health status, and drug and alcohol use or wider health information, which may include gender reassignment information). Legal status and/or current criminal proceedings.',
  },
  roleHolderLimits: [],
  categories: [
    {
      slug: 'practice-review',
      name: 'Rapid reviews and Local Child Safeguarding Practice Reviews',
      purpose: reviewPurpose,
      lawfulBases: statutoryBases,
      specialCategory: reviewSpecialCategory,
      criminalOffence: reviewCriminalOffence,
      retention: {
        kind: 'schedule',
        noticeCategoryWording:
          'Local Child Safeguarding Practice Reviews (LCSPRs) including all records relating to cases which have a Rapid Review including those resulting in No Further Action (NFA).',
        combine: 'first-match',
        rules: [
          {
            id: 'kscmp/practice-review/incident-plus-20-child-died',
            trigger: 'incidentDate',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 20 },
            action: 'destroy',
            conditions: [{ kind: 'child-died', died: true }],
            noticeWording:
              'Date of incident +75 years or date of incident +20 years (if child has died)',
            interpretation:
              'Whether the child died decides the period, so it must be recorded (childDied, or a date of death); a review is always opened on a death or serious harm, so the answer is known. Unrecorded, the record goes to review rather than defaulting to either period.',
          },
          {
            id: 'kscmp/practice-review/incident-plus-75',
            trigger: 'incidentDate',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 75 },
            action: 'destroy',
            conditions: [{ kind: 'child-died', died: false }],
            noticeWording:
              'Date of incident +75 years or date of incident +20 years (if child has died)',
          },
        ],
      },
    },
    {
      slug: 'panel-referral-not-notified',
      name: 'Referral considered for notification to the National Panel, not notified',
      purpose: reviewPurpose,
      lawfulBases: statutoryBases,
      specialCategory: reviewSpecialCategory,
      criminalOffence: reviewCriminalOffence,
      retention: {
        kind: 'schedule',
        noticeCategoryWording:
          'Records relating to referrals to KSCMP considered for a notification to National Panel that do not progress to notification.',
        combine: 'first-match',
        rules: [
          {
            id: 'kscmp/panel-referral-not-notified/incident-plus-12',
            trigger: 'incidentDate',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 12 },
            action: 'destroy',
            conditions: [],
            noticeWording: 'Date of incident +12 years',
          },
        ],
      },
    },
    {
      slug: 'training',
      name: 'Learning and development / training bookings',
      purpose: 'To register you for our training and learning and development events.',
      lawfulBases: [
        article6(
          '6(1)(a)',
          'notice',
          'The notice lets people withdraw consent for "learning and development / training sign up".',
        ),
      ],
      specialCategory: false,
      criminalOffence: false,
      retention: {
        kind: 'schedule',
        noticeCategoryWording: 'Learning and development/training information.',
        combine: 'first-match',
        rules: [
          {
            id: 'kscmp/training/current-year-plus-6',
            trigger: 'trainingDate',
            triggerKind: 'known-fact',
            period: { kind: 'end-of-year-plus', years: 6 },
            action: 'destroy',
            conditions: [],
            noticeWording: 'Date of training - Current year +6 years',
            interpretation:
              '"Current year +6 years" keeps the record to the end of the training’s calendar year and six more years: due 1 January of the training year + 7.',
          },
        ],
      },
      notes:
        'Bookings may hold dietary or access requirements for face-to-face courses, which can reveal health or religion; the notice names no Art 9 condition for them. Collect them only as free-text needs, and ask the DPO.',
    },
    {
      slug: 'learning-system-record',
      name: 'MeLearning Learning Management System record',
      purpose: 'To enrol you on KSCMP courses through the Learning Management System (MeLearning).',
      lawfulBases: [
        article6(
          '6(1)(a)',
          'notice',
          'Enrolment is the training sign-up the notice treats as consent; MeLearning has its own notice at registration.',
        ),
      ],
      specialCategory: false,
      criminalOffence: false,
      retention: {
        kind: 'schedule',
        noticeCategoryWording: 'Data held by MeLearning Learning Management System.',
        combine: 'first-match',
        rules: [
          {
            id: 'kscmp/learning-system-record/return-at-contract-end',
            trigger: 'contractEndDate',
            triggerKind: 'future-event',
            period: { kind: 'on-trigger' },
            action: 'return-to-partnership',
            conditions: [],
            noticeWording:
              'Retained electronically on the MeLearning Learning Management System for the length of contract. At end of contract all information to be returned to KSCMP.',
            interpretation:
              'While the contract runs nothing is due. At its end the data is returned to KSCMP, which must then decide (review) how long to keep it; we expect it to be kept as training information (training date: current year + 6), but the notice does not say so.',
          },
        ],
      },
    },
    {
      slug: 'newsletter-subscription',
      name: 'Communications list (newsletter sign-up)',
      purpose:
        'To inform you about forthcoming events and information about safeguarding through our newsletters and other communications.',
      lawfulBases: [
        article6(
          '6(1)(a)',
          'notice',
          'Sign-up is consent; the notice lets people withdraw it by emailing kscmp@kent.gov.uk.',
        ),
      ],
      specialCategory: false,
      criminalOffence: false,
      retention: {
        kind: 'schedule',
        noticeCategoryWording: 'Communication lists – newsletter sign up spreadsheets.',
        combine: 'earliest',
        rules: [
          {
            id: 'kscmp/newsletter-subscription/unsubscribed',
            trigger: 'unsubscribedDate',
            triggerKind: 'future-event',
            period: { kind: 'on-trigger' },
            action: 'destroy',
            conditions: [],
            noticeWording:
              'Dynamic document and individuals information will be kept until a request is received to be removed or the email address no longer exists.',
            interpretation:
              'Destroyed on the day the request to be removed is received ("in which case they will be deleted from the system"). While subscribed, nothing is due.',
          },
          {
            id: 'kscmp/newsletter-subscription/email-no-longer-exists',
            trigger: 'emailInvalidDate',
            triggerKind: 'future-event',
            period: { kind: 'on-trigger' },
            action: 'destroy',
            conditions: [],
            noticeWording:
              'Dynamic document and individuals information will be kept until a request is received to be removed or the email address no longer exists.',
            interpretation:
              'emailInvalidDate is the date we learn the address no longer exists (e.g. a permanent bounce); whichever of it and an unsubscribe comes first applies.',
          },
        ],
      },
    },
    {
      slug: 'audit-qa',
      name: 'Audit and quality assurance work',
      purpose:
        'To evaluate and quality assure multi-agency safeguarding provision and analyse the effectiveness of the wider safeguarding system.',
      lawfulBases: statutoryBases,
      specialCategory: reviewSpecialCategory,
      criminalOffence: false,
      retention: {
        kind: 'schedule',
        noticeCategoryWording: 'Audit/quality assurance work.',
        combine: 'first-match',
        rules: [
          {
            id: 'kscmp/audit-qa/current-year-plus-6',
            trigger: 'completedDate',
            triggerKind: 'known-fact',
            period: { kind: 'end-of-year-plus', years: 6 },
            action: 'destroy',
            conditions: [],
            noticeWording: 'Current year +6 years.',
            interpretation:
              'The notice does not say which year is "current"; we count from the year the audit or quality assurance work was completed (completedDate). Due 1 January of that year + 7.',
          },
        ],
      },
    },
    {
      slug: 'meeting-admin',
      name: 'Administration of board and sub-group meetings',
      purpose:
        'To administer meetings of the partnership board and its sub-groups (attendance, minutes, actions).',
      lawfulBases: [article6('6(1)(e)', 'notice')],
      specialCategory: false,
      criminalOffence: false,
      retention: {
        kind: 'schedule',
        noticeCategoryWording:
          'Records relating to the administration of meetings of the board and the sub groups associated with the board.',
        combine: 'first-match',
        rules: [
          {
            id: 'kscmp/meeting-admin/current-year-plus-6',
            trigger: 'meetingDate',
            triggerKind: 'known-fact',
            period: { kind: 'end-of-year-plus', years: 6 },
            action: 'destroy',
            conditions: [],
            noticeWording: 'Current year +6 years.',
            interpretation:
              'Counted from the year of the meeting (meetingDate). Due 1 January of that year + 7.',
          },
        ],
      },
    },
    {
      slug: 'survey',
      name: 'Survey information',
      purpose:
        'To gather feedback; aggregated results are shared with KSCMP partners and sub-groups and may appear in the annual report.',
      lawfulBases: [
        article6('6(1)(a)', 'notice', '"Surveys are optional."'),
        article6('6(1)(e)', 'notice'),
      ],
      specialCategory: false,
      criminalOffence: false,
      retention: {
        kind: 'schedule',
        noticeCategoryWording: 'Survey information.',
        combine: 'first-match',
        rules: [
          {
            id: 'kscmp/survey/report-plus-6',
            trigger: 'reportDate',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 6 },
            action: 'destroy',
            conditions: [{ kind: 'fact-recorded', fact: 'reportDate', recorded: true }],
            noticeWording: '+6 years from date of report or date of survey if no report.',
          },
          {
            id: 'kscmp/survey/survey-plus-6-no-report',
            trigger: 'surveyDate',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 6 },
            action: 'destroy',
            conditions: [{ kind: 'fact-recorded', fact: 'reportDate', recorded: false }],
            noticeWording: '+6 years from date of report or date of survey if no report.',
            interpretation:
              'With no report date recorded we count from the survey date. A report written later moves the date later when its date is recorded (the engine recomputes on every fact change). "+6 years" here is calendar years from the date, not "current year +6".',
          },
        ],
      },
    },
  ],
};
