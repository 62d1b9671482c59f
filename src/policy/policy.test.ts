import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  article9NeedsSchedule1,
  categorySlugs,
  findCategory,
  isCategorySlug,
  isOrganisationSlug,
  organisationSlugs,
  policies,
  policyFor,
} from './index.js';
import type { CategorySlug, DataCategory, OrganisationSlug, RetentionRule } from './index.js';

const allCategories = policies.flatMap((policy) =>
  policy.categories.map((category) => ({ organisation: policy.slug, category })),
);

const allRules = allCategories.flatMap(({ organisation, category }) =>
  category.retention.kind === 'schedule'
    ? category.retention.rules.map((rule) => ({ organisation, category, rule }))
    : [],
);

const label = ({ organisation, category }: { organisation: string; category: DataCategory }) =>
  `${organisation} ${category.slug}`;

describe('policies', () => {
  it('has one policy per organisation, in seed order, found by slug', () => {
    expect(policies.map((p) => p.slug)).toEqual([...organisationSlugs]);
    for (const slug of organisationSlugs) expect(policyFor(slug).slug).toBe(slug);
    expect(isOrganisationSlug('kent-lado')).toBe(true);
    expect(isOrganisationSlug('kent')).toBe(false);
    expect(isCategorySlug('adoption')).toBe(true);
  });

  it('has the categories issue 4 names, as a public contract', () => {
    const expected: Record<OrganisationSlug, CategorySlug[]> = {
      'kent-scs': [
        'child-protection-plan',
        'looked-after',
        'adoption',
        'private-fostering',
        'private-foster-parent',
        'child-in-need',
        'risk-register',
      ],
      kscmp: [
        'practice-review',
        'panel-referral-not-notified',
        'training',
        'audit-qa',
        'meeting-admin',
        'survey',
        'newsletter-subscription',
        'learning-system-record',
      ],
      sscp: ['practice-review', 'training', 'newsletter-subscription'],
      'maidstone-bc': ['safeguarding-concern'],
      'kent-lado': ['lado-allegation'],
    };
    for (const [organisation, categories] of Object.entries(expected)) {
      for (const category of categories) {
        expect(
          findCategory(organisation as OrganisationSlug, category),
          `${organisation} ${category}`,
        ).toBeDefined();
      }
    }
  });

  it('every category slug is used by some organisation, and none twice in one', () => {
    const used = new Set(allCategories.map(({ category }) => category.slug));
    expect([...used].sort()).toEqual([...categorySlugs].sort());
    for (const policy of policies) {
      const slugs = policy.categories.map((c) => c.slug);
      expect(new Set(slugs).size).toBe(slugs.length);
    }
  });

  it('rule ids are unique and name their organisation and category', () => {
    const ids = allRules.map(({ rule }) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { organisation, category, rule } of allRules) {
      expect(rule.id.startsWith(`${organisation}/${category.slug}/`)).toBe(true);
    }
  });
});

describe('lawful bases (design.md principle 3)', () => {
  it.each(allCategories.map((entry) => [label(entry), entry.category] as const))(
    '%s has a name, a purpose and an Art 6 basis',
    (_label, category) => {
      expect(category.name.length).toBeGreaterThan(0);
      expect(category.purpose.length).toBeGreaterThan(10);
      expect(category.lawfulBases.length).toBeGreaterThan(0);
    },
  );

  it.each(
    allCategories
      .filter(({ category }) => category.specialCategory !== false)
      .map((entry) => [label(entry), entry.category] as const),
  )(
    '%s (special category) has an Art 9 condition and its Schedule 1 condition',
    (_label, category) => {
      if (category.specialCategory === false) throw new Error('unreachable');
      const { conditions } = category.specialCategory;
      expect(conditions.length).toBeGreaterThan(0);
      for (const condition of conditions) {
        // DPA 2018 s10(2)-(3): (b), (h), (i), (j) need Part 1; (g) needs Part 2.
        if (article9NeedsSchedule1[condition.article]) {
          expect(condition.schedule1.length, condition.article).toBeGreaterThan(0);
        }
        if (condition.article === '9(2)(g)') {
          for (const s1 of condition.schedule1) expect(s1.paragraph).toMatch(/^Part 2 /);
        }
        if (['9(2)(b)', '9(2)(h)', '9(2)(i)', '9(2)(j)'].includes(condition.article)) {
          for (const s1 of condition.schedule1) expect(s1.paragraph).toMatch(/^Part 1 /);
        }
      }
    },
  );

  it.each(
    allCategories
      .filter(({ category }) => category.criminalOffence !== false)
      .map((entry) => [label(entry), entry.category] as const),
  )('%s (criminal offence data) has an Art 10 Schedule 1 condition', (_label, category) => {
    if (category.criminalOffence === false) throw new Error('unreachable');
    expect(category.criminalOffence.article).toBe('10');
    expect(category.criminalOffence.schedule1.length).toBeGreaterThan(0);
  });

  it('the categories that hold criminal offence data say so', () => {
    for (const [organisation, category] of [
      ['kent-scs', 'risk-register'],
      ['kent-lado', 'lado-allegation'],
      ['kscmp', 'practice-review'],
    ] as const) {
      expect(findCategory(organisation, category)?.criminalOffence).not.toBe(false);
    }
  });

  it('every inferred basis or condition carries a note saying why', () => {
    for (const { category } of allCategories) {
      for (const basis of category.lawfulBases) {
        if (basis.source === 'inferred') expect(basis.note, category.slug).toBeTruthy();
      }
      const conditions =
        category.specialCategory === false ? [] : category.specialCategory.conditions;
      for (const condition of conditions) {
        const inferred = [condition, ...condition.schedule1].filter((c) => c.source === 'inferred');
        for (const entry of inferred) {
          // A Schedule 1 entry may rely on its Art 9 condition's note, and vice versa.
          expect(entry.note ?? condition.note ?? condition.schedule1[0]?.note).toBeTruthy();
        }
      }
    }
  });
});

describe('retention schedules', () => {
  it('every rule quotes the notice, has a whole-year period and a trigger', () => {
    for (const { rule } of allRules) {
      expect(rule.noticeWording.length, rule.id).toBeGreaterThan(5);
      if (rule.period.kind !== 'on-trigger') {
        expect(Number.isInteger(rule.period.years)).toBe(true);
        expect(rule.period.years).toBeGreaterThan(0);
      }
    }
  });

  it('review rules say what follows a review that finds no reason to keep', () => {
    for (const { rule } of allRules.filter(({ rule }) => rule.action === 'review')) {
      expect(rule.afterReview, rule.id).toBeDefined();
    }
  });

  it('a category the notice gives no period for has no invented rule', () => {
    for (const slug of ['practice-review', 'audit-qa', 'survey'] as const) {
      const category = findCategory('sscp', slug);
      expect(category?.retention.kind, slug).toBe('no-rule');
    }
  });

  it('the adoption rule carries the statutory minimum from the adoption order', () => {
    const adoption = findCategory('kent-scs', 'adoption');
    if (adoption?.retention.kind !== 'schedule') throw new Error('adoption must have a schedule');
    const [rule] = adoption.retention.rules;
    expect(rule?.statutoryMinimum).toMatchObject({
      trigger: 'adoptionOrderDate',
      period: { kind: 'calendar-years', years: 100 },
    });
  });
});

/*
 * The notices' own words must be quoted verbatim. The notices are kept in the
 * repository (docs/notices, copied from the seeds) so this runs everywhere.
 * A quotation may join separate passages with " … ".
 */
const noticesDirectory = join(import.meta.dirname, '../../docs/notices');

describe('quotations are verbatim', () => {
  const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
  const noticeText = (seedFile: string) =>
    normalise(readFileSync(join(noticesDirectory, seedFile), 'utf8'));

  function quotations(rule: RetentionRule | undefined, category: DataCategory): string[] {
    const quotes: string[] = [];
    if (rule) quotes.push(rule.noticeWording);
    if (category.retention.kind === 'schedule')
      quotes.push(category.retention.noticeCategoryWording);
    else quotes.push(category.retention.noticeWording);
    return quotes.flatMap((quote) => quote.split(' … ')).map(normalise);
  }

  it.each(allCategories.map((entry) => [label(entry), entry] as const))('%s', (_label, entry) => {
    const text = noticeText(policyFor(entry.organisation).notice.seedFile);
    const rules: (RetentionRule | undefined)[] =
      entry.category.retention.kind === 'schedule'
        ? [...entry.category.retention.rules]
        : [undefined];
    for (const rule of rules) {
      for (const quote of quotations(rule, entry.category)) {
        expect(text, quote).toContain(quote);
      }
    }
  });
});
