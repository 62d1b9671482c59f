import { describe, expect, it } from 'vitest';

import type { CategorySlug, OrganisationSlug } from '../policy/types.js';
import {
  assessRetention,
  assessmentToJson,
  explainRetention,
  isDueBy,
  parseRetentionRequest,
  RetentionInputError,
} from './engine.js';
import type { RetentionAssessmentJson } from './engine.js';
import { parseIsoDate } from './calendar.js';

function explain(
  organisation: OrganisationSlug,
  category: CategorySlug,
  facts: Record<string, unknown>,
): RetentionAssessmentJson {
  const result = explainRetention({ organisation, category, facts });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

type Expected = Pick<RetentionAssessmentJson, 'status' | 'due' | 'action' | 'rule'> &
  Partial<Pick<RetentionAssessmentJson, 'missingFacts'>> & { triggerFact?: string };

interface Row {
  name: string;
  organisation: OrganisationSlug;
  category: CategorySlug;
  facts: Record<string, unknown>;
  expected: Expected;
}

/* Every rule of issue 4's table, with worked examples and boundaries. */
const rows: Row[] = [
  // kent-scs child-protection-plan: dateOfBirth + 40 years, destroy
  {
    name: 'child protection plan: birth + 40',
    organisation: 'kent-scs',
    category: 'child-protection-plan',
    facts: { dateOfBirth: '2012-05-17' },
    expected: {
      status: 'scheduled',
      due: '2052-05-17',
      action: 'destroy',
      rule: 'kent-scs/child-protection-plan/birth-plus-40',
    },
  },
  {
    name: 'child protection plan: leap-day birth, 40th anniversary in a leap year',
    organisation: 'kent-scs',
    category: 'child-protection-plan',
    facts: { dateOfBirth: '2012-02-29' },
    expected: {
      status: 'scheduled',
      due: '2052-02-29',
      action: 'destroy',
      rule: 'kent-scs/child-protection-plan/birth-plus-40',
    },
  },
  {
    name: 'child protection plan: unknown birth date → review',
    organisation: 'kent-scs',
    category: 'child-protection-plan',
    facts: {},
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: 'kent-scs/child-protection-plan/birth-plus-40',
      missingFacts: ['dateOfBirth'],
    },
  },

  // kent-scs looked-after: birth + 75; died before 18: death + 15
  {
    name: 'looked after: alive, birth + 75',
    organisation: 'kent-scs',
    category: 'looked-after',
    facts: { dateOfBirth: '2006-07-10' },
    expected: {
      status: 'scheduled',
      due: '2081-07-10',
      action: 'destroy',
      rule: 'kent-scs/looked-after/birth-plus-75',
    },
  },
  {
    name: 'looked after: died the day before the 18th birthday → death + 15',
    organisation: 'kent-scs',
    category: 'looked-after',
    facts: { dateOfBirth: '2006-07-10', dateOfDeath: '2024-07-09' },
    expected: {
      status: 'scheduled',
      due: '2039-07-09',
      action: 'destroy',
      rule: 'kent-scs/looked-after/died-before-18',
      triggerFact: 'dateOfDeath',
    },
  },
  {
    name: 'looked after: died on the 18th birthday → not before 18, birth + 75',
    organisation: 'kent-scs',
    category: 'looked-after',
    facts: { dateOfBirth: '2006-07-10', dateOfDeath: '2024-07-10' },
    expected: {
      status: 'scheduled',
      due: '2081-07-10',
      action: 'destroy',
      rule: 'kent-scs/looked-after/birth-plus-75',
    },
  },
  {
    name: 'looked after: born 29 Feb, died 28 Feb of the 18th year (before 1 March birthday)',
    organisation: 'kent-scs',
    category: 'looked-after',
    facts: { dateOfBirth: '2008-02-29', dateOfDeath: '2026-02-28' },
    expected: {
      status: 'scheduled',
      due: '2041-02-28',
      action: 'destroy',
      rule: 'kent-scs/looked-after/died-before-18',
    },
  },
  {
    name: 'looked after: born 29 Feb, died 1 March of the 18th year (the birthday)',
    organisation: 'kent-scs',
    category: 'looked-after',
    facts: { dateOfBirth: '2008-02-29', dateOfDeath: '2026-03-01' },
    expected: {
      status: 'scheduled',
      due: '2083-03-01', // 2083 is not a leap year: 29 Feb → 1 Mar
      action: 'destroy',
      rule: 'kent-scs/looked-after/birth-plus-75',
    },
  },
  {
    name: 'looked after: died, date of death unknown → review',
    organisation: 'kent-scs',
    category: 'looked-after',
    facts: { dateOfBirth: '2006-07-10', childDied: true },
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: null,
      missingFacts: ['dateOfDeath'],
    },
  },
  {
    name: 'looked after: death recorded, birth unknown → review',
    organisation: 'kent-scs',
    category: 'looked-after',
    facts: { dateOfDeath: '2020-01-01' },
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: null,
      missingFacts: ['dateOfBirth'],
    },
  },

  // kent-scs adoption: birth + 100, never before order + 100
  {
    name: 'adoption: order date known, statutory minimum lengthens',
    organisation: 'kent-scs',
    category: 'adoption',
    facts: { dateOfBirth: '2010-01-01', adoptionOrderDate: '2012-06-30' },
    expected: {
      status: 'scheduled',
      due: '2112-06-30',
      action: 'destroy',
      rule: 'kent-scs/adoption/birth-plus-100',
      triggerFact: 'adoptionOrderDate',
    },
  },
  {
    name: 'adoption: order on the day of birth, the minimum does not change the date',
    organisation: 'kent-scs',
    category: 'adoption',
    facts: { dateOfBirth: '2010-01-01', adoptionOrderDate: '2010-01-01' },
    expected: {
      status: 'scheduled',
      due: '2110-01-01',
      action: 'destroy',
      rule: 'kent-scs/adoption/birth-plus-100',
      triggerFact: 'dateOfBirth',
    },
  },
  {
    name: 'adoption: order date unknown → birth + 100, but a review, not destruction',
    organisation: 'kent-scs',
    category: 'adoption',
    facts: { dateOfBirth: '2010-01-01' },
    expected: {
      status: 'scheduled',
      due: '2110-01-01',
      action: 'review',
      rule: 'kent-scs/adoption/birth-plus-100',
    },
  },
  {
    name: 'adoption: leap-day order, 100 years on falls in a common year',
    organisation: 'kent-scs',
    category: 'adoption',
    facts: { dateOfBirth: '2015-06-01', adoptionOrderDate: '2016-02-29' },
    expected: {
      status: 'scheduled',
      due: '2116-02-29',
      action: 'destroy',
      rule: 'kent-scs/adoption/birth-plus-100',
    },
  },
  {
    name: 'adoption: leap-day order in 2000, 100 years on is 1 March 2100',
    organisation: 'kent-scs',
    category: 'adoption',
    facts: { dateOfBirth: '1999-06-01', adoptionOrderDate: '2000-02-29' },
    expected: {
      status: 'scheduled',
      due: '2100-03-01',
      action: 'destroy',
      rule: 'kent-scs/adoption/birth-plus-100',
    },
  },

  // kent-scs private-fostering: birth + 75
  {
    name: 'private fostering: birth + 75',
    organisation: 'kent-scs',
    category: 'private-fostering',
    facts: { dateOfBirth: '2009-11-30' },
    expected: {
      status: 'scheduled',
      due: '2084-11-30',
      action: 'destroy',
      rule: 'kent-scs/private-fostering/birth-plus-75',
    },
  },

  // kent-scs private-foster-parent: last contact + 10, or death + 2 (earlier)
  {
    name: 'private foster parent: alive, last contact + 10',
    organisation: 'kent-scs',
    category: 'private-foster-parent',
    facts: { lastContactDate: '2015-04-01' },
    expected: {
      status: 'scheduled',
      due: '2025-04-01',
      action: 'destroy',
      rule: 'kent-scs/private-foster-parent/last-contact-plus-10',
    },
  },
  {
    name: 'private foster parent: died soon after last contact, death + 2 comes first',
    organisation: 'kent-scs',
    category: 'private-foster-parent',
    facts: { lastContactDate: '2015-04-01', dateOfDeath: '2016-01-15' },
    expected: {
      status: 'scheduled',
      due: '2018-01-15',
      action: 'destroy',
      rule: 'kent-scs/private-foster-parent/death-plus-2',
    },
  },
  {
    name: 'private foster parent: died 9 years after last contact, last contact + 10 comes first',
    organisation: 'kent-scs',
    category: 'private-foster-parent',
    facts: { lastContactDate: '2015-04-01', dateOfDeath: '2024-06-01' },
    expected: {
      status: 'scheduled',
      due: '2025-04-01',
      action: 'destroy',
      rule: 'kent-scs/private-foster-parent/last-contact-plus-10',
    },
  },
  {
    name: 'private foster parent: last contact unknown → review, even with a death recorded',
    organisation: 'kent-scs',
    category: 'private-foster-parent',
    facts: { dateOfDeath: '2024-06-01' },
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: 'kent-scs/private-foster-parent/last-contact-plus-10',
      missingFacts: ['lastContactDate'],
    },
  },

  // kent-scs child-in-need: birth + 25
  {
    name: 'child in need: birth + 25',
    organisation: 'kent-scs',
    category: 'child-in-need',
    facts: { dateOfBirth: '2004-02-29' },
    expected: {
      status: 'scheduled',
      due: '2029-03-01',
      action: 'destroy',
      rule: 'kent-scs/child-in-need/birth-plus-25',
    },
  },

  // kent-scs risk-register: caution/conviction + 75
  {
    name: 'risk register: caution or conviction + 75',
    organisation: 'kent-scs',
    category: 'risk-register',
    facts: { cautionOrConvictionDate: '2019-09-09' },
    expected: {
      status: 'scheduled',
      due: '2094-09-09',
      action: 'destroy',
      rule: 'kent-scs/risk-register/caution-or-conviction-plus-75',
    },
  },
  {
    name: 'risk register: no caution or conviction date → review',
    organisation: 'kent-scs',
    category: 'risk-register',
    facts: { dateOfBirth: '1980-01-01' },
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: 'kent-scs/risk-register/caution-or-conviction-plus-75',
      missingFacts: ['cautionOrConvictionDate'],
    },
  },

  // kscmp practice-review: incident + 75, or + 20 if the child died
  {
    name: 'KSCMP practice review: child seriously harmed, incident + 75',
    organisation: 'kscmp',
    category: 'practice-review',
    facts: { incidentDate: '2023-08-14', childDied: false },
    expected: {
      status: 'scheduled',
      due: '2098-08-14',
      action: 'destroy',
      rule: 'kscmp/practice-review/incident-plus-75',
    },
  },
  {
    name: 'KSCMP practice review: child died, incident + 20',
    organisation: 'kscmp',
    category: 'practice-review',
    facts: { incidentDate: '2023-08-14', childDied: true },
    expected: {
      status: 'scheduled',
      due: '2043-08-14',
      action: 'destroy',
      rule: 'kscmp/practice-review/incident-plus-20-child-died',
    },
  },
  {
    name: 'KSCMP practice review: a date of death means the child died',
    organisation: 'kscmp',
    category: 'practice-review',
    facts: { incidentDate: '2024-02-29', dateOfDeath: '2024-03-02' },
    expected: {
      status: 'scheduled',
      due: '2044-02-29',
      action: 'destroy',
      rule: 'kscmp/practice-review/incident-plus-20-child-died',
    },
  },
  {
    name: 'KSCMP practice review: whether the child died unknown → review',
    organisation: 'kscmp',
    category: 'practice-review',
    facts: { incidentDate: '2023-08-14' },
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: null,
      missingFacts: ['childDied'],
    },
  },
  {
    name: 'KSCMP practice review: incident date unknown → review',
    organisation: 'kscmp',
    category: 'practice-review',
    facts: { childDied: false },
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: 'kscmp/practice-review/incident-plus-75',
      missingFacts: ['incidentDate'],
    },
  },

  // kscmp panel-referral-not-notified: incident + 12
  {
    name: 'KSCMP panel referral not notified: incident + 12',
    organisation: 'kscmp',
    category: 'panel-referral-not-notified',
    facts: { incidentDate: '2024-02-29' },
    expected: {
      status: 'scheduled',
      due: '2036-02-29',
      action: 'destroy',
      rule: 'kscmp/panel-referral-not-notified/incident-plus-12',
    },
  },

  // kscmp current year + 6 (training, audit-qa, meeting-admin)
  {
    name: 'KSCMP training: current year + 6 → 1 January of year + 7',
    organisation: 'kscmp',
    category: 'training',
    facts: { trainingDate: '2024-03-15' },
    expected: {
      status: 'scheduled',
      due: '2031-01-01',
      action: 'destroy',
      rule: 'kscmp/training/current-year-plus-6',
    },
  },
  {
    name: 'KSCMP training on 31 December: still 1 January of year + 7',
    organisation: 'kscmp',
    category: 'training',
    facts: { trainingDate: '2024-12-31' },
    expected: {
      status: 'scheduled',
      due: '2031-01-01',
      action: 'destroy',
      rule: 'kscmp/training/current-year-plus-6',
    },
  },
  {
    name: 'KSCMP audit/QA: completed date, current year + 6',
    organisation: 'kscmp',
    category: 'audit-qa',
    facts: { completedDate: '2025-01-01' },
    expected: {
      status: 'scheduled',
      due: '2032-01-01',
      action: 'destroy',
      rule: 'kscmp/audit-qa/current-year-plus-6',
    },
  },
  {
    name: 'KSCMP meeting admin: meeting date, current year + 6',
    organisation: 'kscmp',
    category: 'meeting-admin',
    facts: { meetingDate: '2023-07-20' },
    expected: {
      status: 'scheduled',
      due: '2030-01-01',
      action: 'destroy',
      rule: 'kscmp/meeting-admin/current-year-plus-6',
    },
  },
  {
    name: 'KSCMP meeting admin: meeting date unknown → review',
    organisation: 'kscmp',
    category: 'meeting-admin',
    facts: {},
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: 'kscmp/meeting-admin/current-year-plus-6',
      missingFacts: ['meetingDate'],
    },
  },

  // kscmp survey: report + 6, or survey + 6 if no report
  {
    name: 'KSCMP survey with a report: report + 6',
    organisation: 'kscmp',
    category: 'survey',
    facts: { surveyDate: '2024-05-01', reportDate: '2024-09-30' },
    expected: {
      status: 'scheduled',
      due: '2030-09-30',
      action: 'destroy',
      rule: 'kscmp/survey/report-plus-6',
    },
  },
  {
    name: 'KSCMP survey without a report: survey + 6',
    organisation: 'kscmp',
    category: 'survey',
    facts: { surveyDate: '2024-05-01' },
    expected: {
      status: 'scheduled',
      due: '2030-05-01',
      action: 'destroy',
      rule: 'kscmp/survey/survey-plus-6-no-report',
    },
  },
  {
    name: 'KSCMP survey with neither date → review',
    organisation: 'kscmp',
    category: 'survey',
    facts: {},
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: 'kscmp/survey/survey-plus-6-no-report',
      missingFacts: ['surveyDate'],
    },
  },

  // newsletter-subscription (kscmp, sscp): destroy at once on unsubscribe
  {
    name: 'KSCMP newsletter: live subscription, nothing due',
    organisation: 'kscmp',
    category: 'newsletter-subscription',
    facts: {},
    expected: { status: 'pending', due: null, action: null, rule: null },
  },
  {
    name: 'KSCMP newsletter: unsubscribed → destroy that day',
    organisation: 'kscmp',
    category: 'newsletter-subscription',
    facts: { unsubscribedDate: '2025-06-03' },
    expected: {
      status: 'scheduled',
      due: '2025-06-03',
      action: 'destroy',
      rule: 'kscmp/newsletter-subscription/unsubscribed',
    },
  },
  {
    name: 'KSCMP newsletter: email address no longer exists → destroy that day',
    organisation: 'kscmp',
    category: 'newsletter-subscription',
    facts: { emailInvalidDate: '2025-02-01', unsubscribedDate: '2025-06-03' },
    expected: {
      status: 'scheduled',
      due: '2025-02-01',
      action: 'destroy',
      rule: 'kscmp/newsletter-subscription/email-no-longer-exists',
    },
  },
  {
    name: 'SSCP newsletter: live subscription, nothing due',
    organisation: 'sscp',
    category: 'newsletter-subscription',
    facts: {},
    expected: {
      status: 'pending',
      due: null,
      action: null,
      rule: 'sscp/newsletter-subscription/unsubscribed',
    },
  },
  {
    name: 'SSCP newsletter: unsubscribed → destroy that day',
    organisation: 'sscp',
    category: 'newsletter-subscription',
    facts: { unsubscribedDate: '2024-02-29' },
    expected: {
      status: 'scheduled',
      due: '2024-02-29',
      action: 'destroy',
      rule: 'sscp/newsletter-subscription/unsubscribed',
    },
  },

  // kscmp learning-system-record: end of contract, return to the partnership
  {
    name: 'KSCMP MeLearning: contract running, nothing due',
    organisation: 'kscmp',
    category: 'learning-system-record',
    facts: {},
    expected: {
      status: 'pending',
      due: null,
      action: null,
      rule: 'kscmp/learning-system-record/return-at-contract-end',
    },
  },
  {
    name: 'KSCMP MeLearning: contract ended → return to the partnership',
    organisation: 'kscmp',
    category: 'learning-system-record',
    facts: { contractEndDate: '2026-03-31' },
    expected: {
      status: 'scheduled',
      due: '2026-03-31',
      action: 'return-to-partnership',
      rule: 'kscmp/learning-system-record/return-at-contract-end',
    },
  },

  // sscp training: course date + 4 years
  {
    name: 'SSCP training: course date + 4 (calendar years, not current year)',
    organisation: 'sscp',
    category: 'training',
    facts: { trainingDate: '2024-03-15' },
    expected: {
      status: 'scheduled',
      due: '2028-03-15',
      action: 'destroy',
      rule: 'sscp/training/course-date-plus-4',
    },
  },
  {
    name: 'SSCP training on 29 Feb: + 4 is a leap year again',
    organisation: 'sscp',
    category: 'training',
    facts: { trainingDate: '2024-02-29' },
    expected: {
      status: 'scheduled',
      due: '2028-02-29',
      action: 'destroy',
      rule: 'sscp/training/course-date-plus-4',
    },
  },

  // sscp categories with no published period
  ...(['practice-review', 'audit-qa', 'survey', 'training-booking-details'] as const).map(
    (category): Row => ({
      name: `SSCP ${category}: no rule, needs a decision`,
      organisation: 'sscp',
      category,
      facts: { incidentDate: '2020-01-01', childDied: true, surveyDate: '2020-01-01' },
      expected: { status: 'no-rule', due: null, action: 'review', rule: null },
    }),
  ),

  // maidstone-bc safeguarding-concern: recorded + 7
  {
    name: 'Maidstone concern log: recorded + 7',
    organisation: 'maidstone-bc',
    category: 'safeguarding-concern',
    facts: { recordedDate: '2024-02-29' },
    expected: {
      status: 'scheduled',
      due: '2031-03-01',
      action: 'destroy',
      rule: 'maidstone-bc/safeguarding-concern/recorded-plus-7',
    },
  },
  {
    name: 'Maidstone concern log: recorded date unknown → review',
    organisation: 'maidstone-bc',
    category: 'safeguarding-concern',
    facts: {},
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: 'maidstone-bc/safeguarding-concern/recorded-plus-7',
      missingFacts: ['recordedDate'],
    },
  },

  // kent-lado
  ...(['no-further-action'] as const).map((outcome): Row => ({
    name: `LADO ${outcome}: review 10 years after closure`,
    organisation: 'kent-lado',
    category: 'lado-allegation',
    facts: { outcome, closureDate: '2021-11-05', dateOfBirth: '1975-01-01' },
    expected: {
      status: 'scheduled',
      due: '2031-11-05',
      action: 'review',
      rule: 'kent-lado/lado-allegation/not-progressed-review-10',
    },
  })),
  ...(['unfounded', 'false', 'malicious'] as const).map((outcome): Row => ({
    name: `LADO ${outcome}: review 10 years after closure`,
    organisation: 'kent-lado',
    category: 'lado-allegation',
    facts: { outcome, closureDate: '2021-11-05', dateOfBirth: '1975-01-01' },
    expected: {
      status: 'scheduled',
      due: '2031-11-05',
      action: 'review',
      rule: 'kent-lado/lado-allegation/malicious-false-unfounded-review-10',
    },
  })),
  ...(['unsubstantiated', 'substantiated'] as const).map((outcome): Row => ({
    name: `LADO ${outcome}: destroy on the alleged person's 100th birthday`,
    organisation: 'kent-lado',
    category: 'lado-allegation',
    facts: { outcome, closureDate: '2021-11-05', dateOfBirth: '1975-01-01' },
    expected: {
      status: 'scheduled',
      due: '2075-01-01',
      action: 'destroy',
      rule: `kent-lado/lado-allegation/${outcome}-age-100`,
    },
  })),
  {
    name: 'LADO substantiated, born 29 Feb 1980: the 100th birthday (2080) is a leap year, 29 Feb',
    organisation: 'kent-lado',
    category: 'lado-allegation',
    facts: { outcome: 'substantiated', closureDate: '2021-11-05', dateOfBirth: '1980-02-29' },
    expected: {
      status: 'scheduled',
      due: '2080-02-29',
      action: 'destroy',
      rule: 'kent-lado/lado-allegation/substantiated-age-100',
    },
  },
  {
    name: 'LADO substantiated, born 29 Feb 2000: 2100 is not a leap year, so 1 March 2100',
    organisation: 'kent-lado',
    category: 'lado-allegation',
    facts: { outcome: 'substantiated', dateOfBirth: '2000-02-29' },
    expected: {
      status: 'scheduled',
      due: '2100-03-01',
      action: 'destroy',
      rule: 'kent-lado/lado-allegation/substantiated-age-100',
    },
  },
  {
    name: 'LADO unsubstantiated, alleged person’s birth date unknown → review',
    organisation: 'kent-lado',
    category: 'lado-allegation',
    facts: { outcome: 'unsubstantiated', closureDate: '2021-11-05' },
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: 'kent-lado/lado-allegation/unsubstantiated-age-100',
      missingFacts: ['dateOfBirth'],
    },
  },
  {
    name: 'LADO malicious, closure date unknown → review',
    organisation: 'kent-lado',
    category: 'lado-allegation',
    facts: { outcome: 'malicious' },
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: 'kent-lado/lado-allegation/malicious-false-unfounded-review-10',
      missingFacts: ['closureDate'],
    },
  },
  {
    name: 'LADO closed with no outcome recorded → review',
    organisation: 'kent-lado',
    category: 'lado-allegation',
    facts: { closureDate: '2021-11-05' },
    expected: {
      status: 'needs-review',
      due: null,
      action: 'review',
      rule: null,
      missingFacts: ['outcome'],
    },
  },
  {
    name: 'LADO still open (no outcome, no closure) → nothing due',
    organisation: 'kent-lado',
    category: 'lado-allegation',
    facts: { dateOfBirth: '1975-01-01' },
    expected: { status: 'pending', due: null, action: null, rule: null },
  },
];

describe('every rule of the issue-4 table', () => {
  it.each(rows)('$name', ({ organisation, category, facts, expected }) => {
    const result = explain(organisation, category, facts);
    const { triggerFact, ...rest } = expected;
    expect(result).toMatchObject(rest);
    expect(result.needsReview).toBe(
      expected.status === 'needs-review' || expected.status === 'no-rule',
    );
    if (triggerFact) expect(result.trigger?.fact).toBe(triggerFact);
    expect(result.explanation.length).toBeGreaterThan(20);
  });
});

describe('explanations', () => {
  it('say which rule applied, from which fact, and when', () => {
    const result = explain('kent-scs', 'child-protection-plan', { dateOfBirth: '2012-05-17' });
    expect(result.explanation).toContain('40 years after the date of birth (17 May 2012)');
    expect(result.explanation).toContain('destruction on 17 May 2052');
    expect(result.explanation).toContain('kent-scs/child-protection-plan/birth-plus-40');
  });

  it('name the statutory minimum when it lengthens', () => {
    const result = explain('kent-scs', 'adoption', {
      dateOfBirth: '2010-01-01',
      adoptionOrderDate: '2012-06-30',
    });
    expect(result.explanation).toContain('30 June 2112');
    expect(result.explanation).toMatch(/later, so it applies/);
  });

  it('say "no rule: needs a decision" for SSCP practice reviews', () => {
    expect(explain('sscp', 'practice-review', {}).explanation).toMatch(
      /^No rule: needs a decision/,
    );
  });

  it('for a LADO review, say the record is destroyed unless a decision to keep is recorded', () => {
    const result = explain('kent-lado', 'lado-allegation', {
      outcome: 'unfounded',
      closureDate: '2021-11-05',
    });
    expect(result.explanation).toContain('unless a decision to keep it');
  });

  it('name the missing fact when a record needs review', () => {
    expect(explain('kent-scs', 'looked-after', {}).explanation).toContain(
      'The date of birth is not recorded',
    );
  });
});

describe('the one non-monotonic rule', () => {
  it('a corrected, later date of birth can make a death "before 18" and bring the date forward', () => {
    // Reg 50 of the 2010 Regulations, as the notice states it: the death rule
    // replaces the birth rule, so correcting the birth date moves the due date
    // earlier. The service must send such a record to review, not destroy it
    // the same day (issue 4: "a corrected fact ... is never destroyed the same day").
    const before = explain('kent-scs', 'looked-after', {
      dateOfBirth: '2000-01-01',
      dateOfDeath: '2018-06-01',
    });
    const after = explain('kent-scs', 'looked-after', {
      dateOfBirth: '2000-07-01',
      dateOfDeath: '2018-06-01',
    });
    expect(before).toMatchObject({
      due: '2075-01-01',
      rule: 'kent-scs/looked-after/birth-plus-75',
    });
    expect(after).toMatchObject({
      due: '2033-06-01',
      rule: 'kent-scs/looked-after/died-before-18',
    });
  });
});

describe('input handling', () => {
  it('rejects a category the organisation does not hold', () => {
    const result = parseRetentionRequest({
      organisation: 'kent-scs',
      category: 'lado-allegation',
      facts: {},
    });
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.error).toContain('kent-scs holds no records of category');
  });

  it('assessRetention throws RetentionInputError for a category the organisation does not hold', () => {
    expect(() =>
      assessRetention({ organisation: 'maidstone-bc', category: 'training', facts: {} }),
    ).toThrow(RetentionInputError);
  });

  it.each([
    [{ organisation: 'kent', category: 'adoption', facts: {} }, 'unknown organisation "kent"'],
    [
      { organisation: 'kent-scs', category: 'fostering', facts: {} },
      'unknown category "fostering"',
    ],
    [
      { organisation: 'kent-scs', category: 'adoption', facts: { dateOfBirth: '2023-02-30' } },
      'facts.dateOfBirth: "2023-02-30" is not a real calendar date',
    ],
    [{}, 'organisation'],
    ['not an object', 'expected object'],
  ])('gives a clear error for %j', (input, message) => {
    const result = explainRetention(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });

  it('treats missing facts as no facts', () => {
    const result = explainRetention({ organisation: 'kscmp', category: 'newsletter-subscription' });
    expect(result).toMatchObject({ ok: true, value: { status: 'pending', due: null } });
  });
});

describe('isDueBy', () => {
  const request = parseRetentionRequest({
    organisation: 'sscp',
    category: 'training',
    facts: { trainingDate: '2020-06-01' },
  });
  if (!request.ok) throw new Error(request.error);
  const assessment = assessRetention(request.value);

  it('is due from the due date itself, not the day after', () => {
    expect(isDueBy(assessment, parseIsoDate('2024-05-31'))).toBe(false);
    expect(isDueBy(assessment, parseIsoDate('2024-06-01'))).toBe(true);
  });

  it('never treats a record without a date as due', () => {
    const noRule = assessRetention({ organisation: 'sscp', category: 'survey', facts: {} });
    expect(isDueBy(noRule, parseIsoDate('2999-01-01'))).toBe(false);
  });

  it('serialises dates as YYYY-MM-DD', () => {
    expect(assessmentToJson(assessment).due).toBe('2024-06-01');
  });
});
