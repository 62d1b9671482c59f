/**
 * Legal building blocks shared by the organisation policies: UK GDPR
 * Art 6 bases, Art 9 conditions and DPA 2018 Schedule 1 conditions, with
 * their statutory names. Each organisation file says which it relies on and
 * whether its notice states it (`source`).
 */
import type {
  Article6Basis,
  Article9Condition,
  BasisSource,
  LawfulBasis,
  Schedule1Condition,
  SpecialCategoryCondition,
} from '../types.js';

const article6Names: Record<Article6Basis, string> = {
  '6(1)(a)': 'Consent',
  '6(1)(b)': 'Contract',
  '6(1)(c)': 'Legal obligation',
  '6(1)(d)': 'Vital interests',
  '6(1)(e)': 'Public task',
  '6(1)(f)': 'Legitimate interests',
};

/** "Public task" for '6(1)(e)'; the code itself for anything unknown. */
export function lawfulBasisName(article: string): string {
  return article6Names[article as Article6Basis] ?? article;
}

export function article6(article: Article6Basis, source: BasisSource, note?: string): LawfulBasis {
  return { article, name: article6Names[article], source, ...(note ? { note } : {}) };
}

/** DPA 2018 Schedule 1 conditions used by the notices. */
export const schedule1Conditions = {
  employment: {
    paragraph: 'Part 1 para 1',
    name: 'Employment, social security and social protection',
  },
  healthOrSocialCare: { paragraph: 'Part 1 para 2', name: 'Health or social care purposes' },
  archivingResearchStatistics: {
    paragraph: 'Part 1 para 4',
    name: 'Archiving, research and statistics',
  },
  equality: {
    paragraph: 'Part 2 para 8',
    name: 'Equality of opportunity or treatment',
  },
  safeguarding: {
    paragraph: 'Part 2 para 18',
    name: 'Safeguarding of children and of individuals at risk',
  },
} as const satisfies Record<string, Omit<Schedule1Condition, 'source'>>;

export function schedule1(
  condition: keyof typeof schedule1Conditions,
  source: BasisSource,
  note?: string,
): Schedule1Condition {
  return { ...schedule1Conditions[condition], source, ...(note ? { note } : {}) };
}

const article9Names: Record<Article9Condition, string> = {
  '9(2)(a)': 'Explicit consent',
  '9(2)(b)': 'Employment, social security and social protection',
  '9(2)(c)': 'Vital interests',
  '9(2)(d)': 'Not-for-profit bodies',
  '9(2)(e)': 'Made public by the data subject',
  '9(2)(f)': 'Legal claims or judicial acts',
  '9(2)(g)': 'Reasons of substantial public interest',
  '9(2)(h)': 'Health or social care',
  '9(2)(i)': 'Public health',
  '9(2)(j)': 'Archiving, research and statistics',
};

export function article9(
  article: Article9Condition,
  source: BasisSource,
  schedule1Conditions: readonly Schedule1Condition[] = [],
  note?: string,
): SpecialCategoryCondition {
  return {
    article,
    name: article9Names[article],
    schedule1: schedule1Conditions,
    source,
    ...(note ? { note } : {}),
  };
}

/** Local Child Safeguarding Practice Review duty, cited by both partnerships. */
export const practiceReviewDuty =
  'Part 3 of the Child Safeguarding Practice Review and Relevant Agency (England) Regulations 2018; Working Together 2023';
