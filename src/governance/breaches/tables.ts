import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../../db/schema.js';

/**
 * Table types and vocabularies for personal data breaches (migration
 * 0021-breaches). The codes are stored and checked by the database: add to
 * them, never rename. Each has its words beside it, for the pages.
 */

/**
 * What kinds of personal data a breach involved, as the ICO's breach report
 * form asks ("What types of data were involved?"), in the words of
 * children's safeguarding records.
 */
export const dataCategories = {
  identity: 'Names and dates of birth',
  contact: 'Addresses, email addresses or phone numbers',
  identifiers: 'Identifiers such as NHS numbers or unique pupil numbers',
  safeguarding: 'Safeguarding or social care records about children and families',
  allegations: 'Allegations against adults who work with children',
  health: 'Health, including mental health (special category data)',
  'special-other': 'Ethnicity, religion or sex life (special category data)',
  criminal: 'Criminal offence data (offences, cautions or convictions)',
  financial: 'Financial details',
  other: 'Other personal data',
} as const;
export type DataCategoryCode = keyof typeof dataCategories;
export const dataCategoryCodes = Object.keys(dataCategories) as [
  DataCategoryCode,
  ...DataCategoryCode[],
];

/** How likely harm is to follow (ICO: "consider the likelihood and severity"). */
export const likelihoods = {
  remote: 'Remote: harm is very unlikely',
  possible: 'Possible: harm could happen',
  likely: 'Likely: harm is more likely than not',
} as const;
export type Likelihood = keyof typeof likelihoods;
export const likelihoodCodes = Object.keys(likelihoods) as [Likelihood, ...Likelihood[]];

/** How bad the harm would be for the people affected. */
export const severities = {
  minimal: 'Minimal: inconvenience they would overcome without difficulty',
  significant: 'Significant: distress or harm they could overcome with some difficulty',
  severe: 'Severe: serious, lasting harm, or harm to a child’s safety',
} as const;
export type Severity = keyof typeof severities;
export const severityCodes = Object.keys(severities) as [Severity, ...Severity[]];

/** The risk to people's rights and freedoms: what Art 33 and 34 turn on. */
export const risks = {
  unlikely: 'Unlikely to result in a risk to people’s rights and freedoms',
  risk: 'A risk to people’s rights and freedoms: tell the ICO',
  high: 'A high risk to people’s rights and freedoms: tell the ICO and the people affected',
} as const;
export type Risk = keyof typeof risks;

export const icoDecisions = ['notify', 'not-notify'] as const;
export type IcoDecision = (typeof icoDecisions)[number];

export const subjectsDecisions = ['tell', 'not-tell'] as const;
export type SubjectsDecision = (typeof subjectsDecisions)[number];

/** Art 34(3): when the people need not be told, in the law's words. */
export const exemptions = {
  '34-3-a':
    'Art 34(3)(a): the data was protected so that it is unintelligible to anyone not authorised to see it, such as by encryption',
  '34-3-b':
    'Art 34(3)(b): measures taken since mean the high risk to people is no longer likely to happen',
  '34-3-c':
    'Art 34(3)(c): telling each person would take disproportionate effort, so a public notice is used instead',
} as const;
export type Exemption = keyof typeof exemptions;
export const exemptionCodes = Object.keys(exemptions) as [Exemption, ...Exemption[]];

/** How an affected person was found (affected.ts). */
export const subjectSources = {
  disclosure: 'In a disclosure sent to the wrong recipient',
  'staff-account': 'Viewed by a staff account',
  picked: 'Added by hand',
} as const;
export type SubjectSource = keyof typeof subjectSources;

export const reminderKinds = ['ico-due-soon', 'ico-overdue'] as const;
export type BreachReminderKind = (typeof reminderKinds)[number];

export interface BreachTable {
  id: Generated<string>;
  organisation_id: string;
  reference: number;
  summary: string;
  occurred_at: Timestamp;
  aware_at: Timestamp;
  reported_by: string;
  discovery: string;
  data_categories: string[];
  approx_people: number;
  approx_records: number;
  recorded_by: string;
  recorded_at: CreatedAt;

  likelihood: Likelihood | null;
  severity: Severity | null;
  risk: Risk | null;
  consequences: string | null;
  measures: string | null;
  assessed_by: string | null;
  assessed_at: Timestamp | null;

  ico_decision: IcoDecision | null;
  ico_reasons: string | null;
  ico_late_reasons: string | null;
  dpo_contact: string | null;
  ico_decided_by: string | null;
  ico_decided_at: Timestamp | null;

  subjects_decision: SubjectsDecision | null;
  subjects_exemption: Exemption | null;
  subjects_reasons: string | null;
  subjects_notice: string | null;
  subjects_decided_by: string | null;
  subjects_decided_at: Timestamp | null;

  lessons: string | null;
  closed_by: string | null;
  closed_at: Timestamp | null;
}

export interface BreachSubjectTable {
  breach_id: string;
  organisation_id: string;
  person_id: string;
  source: SubjectSource;
  added_by: string;
  added_at: CreatedAt;
}

export interface BreachActionTable {
  id: Generated<string>;
  breach_id: string;
  description: string;
  owner: string;
  created_by: string;
  created_at: CreatedAt;
  done_by: string | null;
  done_at: Timestamp | null;
}

export interface BreachReminderTable {
  id: Generated<string>;
  organisation_id: string;
  breach_id: string;
  kind: BreachReminderKind;
  created_at: CreatedAt;
}

export interface BreachTables {
  breach: BreachTable;
  breach_subject: BreachSubjectTable;
  breach_action: BreachActionTable;
  breach_reminder: BreachReminderTable;
}
