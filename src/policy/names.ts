import type { Article6Basis } from './types.js';

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
