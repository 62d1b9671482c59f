/**
 * Decisions on rights requests that need no discovery: they follow from the
 * organisation's policy (each category's lawful bases and retention), so
 * they are computed from the same data the notices are built from.
 *
 * Pure: the service stores what these return, with who decided and when.
 */
import type { Article6Basis, DataCategory, OrganisationPolicy } from '../policy/index.js';

export interface CategoryDecision {
  category: DataCategory['slug'];
  categoryName: string;
  outcome: 'applies' | 'does-not-apply' | 'erase' | 'refuse';
  /** The article relied on, e.g. "Art 20(3) UK GDPR". */
  ground: string | null;
  reasoning: string;
}

const has = (category: DataCategory, article: Article6Basis) =>
  category.lawfulBases.some((basis) => basis.article === article);

function basesText(category: DataCategory): string {
  return category.lawfulBases.map((b) => `${b.name} (Art ${b.article})`).join(' and ');
}

/** The categories a request is about: those named, or every category the organisation holds. */
export function categoriesFor(
  policy: OrganisationPolicy,
  slugs: readonly string[],
): DataCategory[] {
  if (slugs.length === 0) return [...policy.categories];
  return policy.categories.filter((c) => slugs.includes(c.slug));
}

/**
 * Art 20(1)(a): portability covers data processed on consent (Art 6(1)(a))
 * or contract (Art 6(1)(b)) by automated means. Art 20(3): it does not apply
 * to processing for a task in the public interest; nor does it reach data
 * held under a legal obligation (Art 6(1)(c)), which is not in Art 20(1)(a).
 * Where it does not apply the person can still have the data through an
 * access request (Art 15), and we say so (ICO "Right to data portability").
 */
export function portabilityFor(category: DataCategory): CategoryDecision {
  const base = { category: category.slug, categoryName: category.name };
  if (has(category, '6(1)(a)') || has(category, '6(1)(b)')) {
    const basis = has(category, '6(1)(a)') ? 'consent' : 'a contract';
    return {
      ...base,
      outcome: 'applies',
      ground: 'Art 20(1) UK GDPR',
      reasoning:
        `We hold ${category.name.toLowerCase()} on ${basis}, so you can have it in a ` +
        'machine-readable form (JSON and CSV) to keep or to give to another organisation.',
    };
  }
  return {
    ...base,
    outcome: 'does-not-apply',
    ground: has(category, '6(1)(e)') ? 'Art 20(3) UK GDPR' : 'Art 20(1)(a) UK GDPR',
    reasoning:
      `We hold ${category.name.toLowerCase()} under ${basesText(category)}, not on consent or a ` +
      'contract. ' +
      (has(category, '6(1)(e)')
        ? 'The right to data portability does not apply to processing needed for a task carried ' +
          'out in the public interest or in the exercise of official authority (Art 20(3) UK GDPR). '
        : 'The right to data portability applies only to data held on consent or a contract. ') +
      'You can still have a copy of this information by making a subject access request ' +
      '(Art 15 UK GDPR), and we have offered to treat your request as one.',
  };
}

/** Active legal holds that cover a category for this request (from retention_hold). */
export interface HoldOnCategory {
  holdType: string;
}

/**
 * Art 17: erasure per category, decided against policy.
 * - A consent basis (Art 6(1)(a)) → erased: consent withdrawn, Art 17(1)(b)
 *   (training, newsletter and surveys in the partnerships' notices).
 * - A legal obligation or public task basis → refused, Art 17(3)(b); where
 *   the retention schedule rests on a statute, that statute is named.
 * - Never past a legal hold: Art 17(3)(e) (legal claims) for litigation,
 *   Art 17(3)(b) for an inquiry or investigation that requires keeping it.
 */
export function erasureFor(
  category: DataCategory,
  holds: readonly HoldOnCategory[] = [],
): CategoryDecision {
  const base = { category: category.slug, categoryName: category.name };
  const hold = holds[0];
  if (hold) {
    const legalClaims = hold.holdType === 'litigation';
    return {
      ...base,
      outcome: 'refuse',
      ground: legalClaims ? 'Art 17(3)(e) UK GDPR' : 'Art 17(3)(b) UK GDPR',
      reasoning: legalClaims
        ? 'The information is held for legal proceedings and is needed for the establishment, ' +
          'exercise or defence of legal claims, so it cannot be erased while they continue.'
        : `The information is under a hold (${hold.holdType}) that requires us to keep it, so ` +
          'it cannot be erased while the hold is in place.',
    };
  }
  if (has(category, '6(1)(a)')) {
    return {
      ...base,
      outcome: 'erase',
      ground: 'Art 17(1)(b) UK GDPR',
      reasoning:
        `We hold ${category.name.toLowerCase()} on your consent. You have withdrawn it, so we ` +
        'will erase this information.',
    };
  }
  const statute = statutoryAuthority(category);
  const duty = has(category, '6(1)(c)')
    ? 'to comply with a legal obligation'
    : 'to perform a task carried out in the public interest or in the exercise of official authority';
  return {
    ...base,
    outcome: 'refuse',
    ground: 'Art 17(3)(b) UK GDPR',
    reasoning:
      `We hold ${category.name.toLowerCase()} under ${basesText(category)}. The right to ` +
      `erasure does not apply where we need the information ${duty} (Art 17(3)(b) UK GDPR). ` +
      (statute
        ? `The law requires us to keep it: ${statute}. `
        : `Our retention schedule keeps it: ${retentionWording(category)}. `) +
      'You can ask us to correct it, or add your statement to it, or to restrict its use.',
  };
}

function statutoryAuthority(category: DataCategory): string | undefined {
  if (category.retention.kind !== 'schedule') return undefined;
  for (const rule of category.retention.rules) {
    if (rule.statutoryMinimum) return rule.statutoryMinimum.authority;
    if (rule.authority) return rule.authority;
  }
  return undefined;
}

/** The notice's own period wording for a category (Art 15(1)(d), Art 13(2)(a)). */
export function retentionWording(category: DataCategory): string {
  if (category.retention.kind === 'no-rule') return category.retention.noticeWording;
  const wordings = [...new Set(category.retention.rules.map((r) => r.noticeWording))];
  return wordings.join('; ');
}

/**
 * Art 21(1): the right to object reaches processing on public task
 * (Art 6(1)(e)) or legitimate interests (6(1)(f)) only. Where it reaches,
 * we must stop unless we show compelling legitimate grounds that override
 * the person's interests, rights and freedoms, or need the data for legal
 * claims — so a decision to carry on must write those grounds down.
 */
export function objectionReaches(category: DataCategory): boolean {
  return has(category, '6(1)(e)') || has(category, '6(1)(f)');
}

/**
 * Why an objection does not reach a category, naming the bases it is really
 * held on: consent is withdrawn rather than objected to (Art 7(3)), and a
 * legal obligation or contract is outside Art 21(1) altogether.
 */
export function objectionNotReachingReasoning(category: DataCategory): string {
  const name = category.name.toLowerCase();
  if (has(category, '6(1)(a)')) {
    return (
      `We hold ${name} because you consented (${basesText(category)} UK GDPR). The right to ` +
      'object covers only processing for a public task or legitimate interests; you can ' +
      'instead withdraw your consent at any time, and we then stop at once (Art 7(3) UK GDPR).'
    );
  }
  return (
    `We hold ${name} on the basis of ${basesText(category)} UK GDPR; the right to object ` +
    'covers only processing for a public task or legitimate interests.'
  );
}

/**
 * Art 21(2)–(3): an objection to direct marketing is absolute: no balancing,
 * and processing for marketing stops at once. The partnerships' newsletters
 * and event mailings are their direct marketing.
 */
export const directMarketingCategories: readonly DataCategory['slug'][] = [
  'newsletter-subscription',
];

/**
 * Art 22: no decision is made about anyone solely by automated means. Every
 * decision Safekeep records is made by a person; Maidstone's notice states
 * it in words ("There are no automated decisions in this process").
 */
export const noAutomatedDecisions =
  'No decision about you is made solely by automated means, including profiling ' +
  '(Art 22 UK GDPR). Every decision about you is made by a person.';
