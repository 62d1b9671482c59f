import type { CategoryRetention, OrganisationPolicy, PolicyRecipient } from '../types.js';
import { article6, article9, practiceReviewDuty, schedule1 } from './common.js';
import { sscpNoticeFacts } from './notice-facts.js';

/*
 * Somerset Safeguarding Children Partnership (SSCP), from the notice in
 * shared/seeds/002_2a557741a794e07f.txt. The notice states no lawful basis at
 * all, so every basis below is inferred and needs DPO confirmation. It
 * publishes only two periods (training: 4 years; newsletter: until
 * unsubscribe); everything else is "in line with the SSCP retention
 * schedule", which is not published. Those categories get no invented rule.
 */

const noLawfulBasisNote =
  'The SSCP notice states no lawful basis; inferred from the duty it describes. Needs DPO confirmation.';

const unpublishedSchedule = (reason: string): CategoryRetention => ({
  kind: 'no-rule',
  noticeWording: 'Your data will be retained in line with the SSCP retention schedule.',
  reason,
});

const reviewSpecialCategory = {
  conditions: [
    article9(
      '9(2)(g)',
      'inferred',
      [schedule1('safeguarding', 'inferred', noLawfulBasisNote)],
      noLawfulBasisNote,
    ),
  ],
};

/** "Who we share your personal information with", as the notice lists it (src/sharing). */
const recipients: readonly PolicyRecipient[] = [
  {
    id: 'partner-agencies',
    name: 'Partner agencies (police, children’s services, health)',
    noticeWording:
      'all our partner agencies (i.e. police, local authority children’s services, health etc.) to check for their involvement with the family',
  },
  {
    id: 'other-partnerships',
    name: 'Other local safeguarding children partnerships',
    noticeWording:
      'other identified local safeguarding children partnerships and their partners to check for involvement',
    safekeepOrganisations: ['kscmp'],
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
  {
    id: 'review-team',
    name: 'The review team for the case',
    noticeWording: 'review team for the case',
  },
  {
    id: 'contributing-practitioners',
    name: 'Practitioners contributing to the review',
    noticeWording:
      'practitioners who have/had involvement with the family and have agreed to contribute to the review (confidently is stressed).',
  },
  {
    id: 'public-sector',
    name: 'Other public sector organisations, where the law requires',
    noticeWording:
      'We may pass on your personal information if we have a legal obligation to do so, or if we have any other arrangements. This includes exchanging information with other public sector organisations.',
  },
];

export const sscp: OrganisationPolicy = {
  ...sscpNoticeFacts,
  slug: 'sscp',
  name: 'Somerset Safeguarding Children Partnership',
  shortName: 'SSCP',
  notice: { seedFile: '002_2a557741a794e07f.txt', lastUpdated: null },
  recipients,
  // No recipient abroad and no safeguard named: nothing leaves the UK.
  transfersAbroad: {
    safeguards: [],
    source:
      'Your data will not be transferred abroad unless this is stated in the service specific privacy notice.',
  },
  personSensitiveData: {
    // The notice names one special category, "ethnic origin/s", and "legal status
    // and/or current criminal proceedings".
    specialCategory: ['ethnicity'],
    offenceData: ['legal-status', 'proceedings'],
    source: 'ethnic origin/s; legal status and/or current criminal proceedings',
  },
  roleHolderLimits: [],
  categories: [
    {
      slug: 'practice-review',
      name: 'Rapid reviews and Local Child Safeguarding Practice Reviews',
      purpose: `To conduct Local Child Safeguarding Practice Reviews when a child dies or is seriously harmed and abuse and/or neglect is suspected (${practiceReviewDuty}).`,
      lawfulBases: [
        article6('6(1)(c)', 'inferred', noLawfulBasisNote),
        article6('6(1)(e)', 'inferred', noLawfulBasisNote),
      ],
      // The notice collects "ethnic origin/s" of children and family.
      specialCategory: reviewSpecialCategory,
      // ... and the family's "legal status and/or current criminal proceedings".
      criminalOffence: {
        article: '10',
        schedule1: [schedule1('safeguarding', 'inferred', noLawfulBasisNote)],
        source: 'inferred',
      },
      retention: unpublishedSchedule(
        'The SSCP notice gives no period for practice review records: the SSCP retention schedule is not published. Needs a decision from SSCP (Kent’s KSCMP keeps incident + 75 years, or + 20 if the child died, but that is another controller’s rule).',
      ),
    },
    {
      slug: 'audit-qa',
      name: 'Other quality assurance work',
      purpose:
        'To ensure safeguarding and welfare arrangements for children are effective, evaluate integrated working and quality assure services in Somerset.',
      lawfulBases: [article6('6(1)(e)', 'inferred', noLawfulBasisNote)],
      // "may involve the collection of ... special category data".
      specialCategory: reviewSpecialCategory,
      criminalOffence: false,
      retention: unpublishedSchedule(
        'The SSCP notice gives no period for quality assurance records. Needs a decision from SSCP.',
      ),
    },
    {
      slug: 'training',
      name: 'Training attendance record',
      purpose:
        'For anonymous learning and development reports and as a record of when people attend training.',
      lawfulBases: [article6('6(1)(e)', 'inferred', noLawfulBasisNote)],
      specialCategory: false,
      criminalOffence: false,
      retention: {
        kind: 'schedule',
        noticeCategoryWording:
          'The following information is held for 4 years after the course dates for the purpose of anonymous learning and development reports and as a record of when people attend training:',
        combine: 'first-match',
        rules: [
          {
            id: 'sscp/training/course-date-plus-4',
            trigger: 'trainingDate',
            triggerKind: 'known-fact',
            period: { kind: 'calendar-years', years: 4 },
            action: 'destroy',
            conditions: [],
            noticeWording: 'held for 4 years after the course dates',
            interpretation:
              '"4 years after the course dates" is calendar years from the course date; for a course over several days, trainingDate is its last day. It covers name, job role, organisation, sector and email address only.',
          },
        ],
      },
    },
    {
      slug: 'training-booking-details',
      name: 'Training booking details (other than the attendance record)',
      purpose: 'To book a course: contact details, budget codes, dietary or other requirements.',
      lawfulBases: [article6('6(1)(e)', 'inferred', noLawfulBasisNote)],
      specialCategory: false,
      criminalOffence: false,
      retention: {
        kind: 'no-rule',
        noticeWording:
          'For the purpose of learning and development opportunities we ask you for the following information when you book a course:',
        reason:
          'The 4-year period covers only name, role, organisation, sector and email; the notice gives no period for telephone number, address, budget codes and dietary or other requirements. Needs a decision from SSCP (they are plainly meant to go sooner).',
      },
      notes:
        'Dietary or other requirements can reveal health or religion; the notice names no Art 9 condition for them.',
    },
    {
      slug: 'newsletter-subscription',
      name: 'Communications (newsletter sign-up)',
      purpose:
        'To send newsletters, updates, campaigns and event details to people who sign up; not shared outside the SSCP.',
      lawfulBases: [article6('6(1)(a)', 'inferred', `${noLawfulBasisNote} Signing up is consent.`)],
      specialCategory: false,
      criminalOffence: false,
      retention: {
        kind: 'schedule',
        noticeCategoryWording:
          'If you sign up to receive communications from us (newsletters, updates, campaigns, and event details) we will collect and store your name, organisation, and email address.',
        combine: 'first-match',
        rules: [
          {
            id: 'sscp/newsletter-subscription/unsubscribed',
            trigger: 'unsubscribedDate',
            triggerKind: 'future-event',
            period: { kind: 'on-trigger' },
            action: 'destroy',
            conditions: [],
            noticeWording:
              'Your details will be stored until you request to no long receive communications, in which case they will be deleted from the system.',
            interpretation:
              'Deleted on the day the request is received; while subscribed, nothing is due.',
          },
        ],
      },
    },
    {
      slug: 'survey',
      name: 'Survey responses',
      purpose: 'To gather feedback, used only for the purpose the survey was developed for.',
      lawfulBases: [article6('6(1)(e)', 'inferred', noLawfulBasisNote)],
      specialCategory: false,
      criminalOffence: false,
      retention: {
        kind: 'no-rule',
        noticeWording: 'Information will be stored securely.',
        reason:
          'The SSCP notice gives no period for survey responses. Needs a decision from SSCP (KSCMP keeps surveys 6 years from the report, but that is another controller’s rule).',
      },
    },
  ],
};
