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

describe('notice facts', () => {
  const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
  const noticeText = (seedFile: string) =>
    normalise(readFileSync(join(noticesDirectory, seedFile), 'utf8'));

  it('gives Kent’s Data Protection Officer and rights team as the KCC notices do', () => {
    for (const slug of ['kscmp', 'kent-scs', 'kent-lado'] as const) {
      const { contacts } = policyFor(slug);
      expect(contacts.dataProtectionOfficer.name).toBe('Benjamin Watts');
      expect(contacts.dataProtectionOfficer.email).toBe('dpo@kent.gov.uk');
      expect(contacts.exercisingRights.name).toBe('Information Resilience and Transparency Team');
      expect(contacts.exercisingRights.email).toBe('data.protection@kent.gov.uk');
      expect(contacts.complaints.email).toBe('data.protection@kent.gov.uk');
    }
    // Only the SCS and LADO notices give the DPO's postal address.
    expect(policyFor('kent-scs').contacts.dataProtectionOfficer.postalAddress).toBe(
      'Data Protection Officer, Sessions House, Maidstone, Kent ME14 1XQ',
    );
    expect(policyFor('kscmp').contacts.dataProtectionOfficer.postalAddress).toBeNull();
    expect(policyFor('kscmp').contacts.otherRoutes[0]?.route.email).toBe('kscmp@kent.gov.uk');
  });

  it('names Maidstone’s Data Protection Officer with the address and phone its notice gives, and no invented email', () => {
    const dpo = policyFor('maidstone-bc').contacts.dataProtectionOfficer;
    expect(dpo.name).toBe('Angela Woodhouse');
    expect(dpo.postalAddress).toBe('Maidstone Borough Council, Maidstone, Kent, ME15 6JQ');
    expect(dpo.phone).toBe('01622 602000');
    expect(dpo.email).toBeNull();
    expect(dpo.note).toMatch(/not in its text/);
  });

  it('keeps Somerset’s online form without inventing its address, and says it names no DPO', () => {
    const { contacts } = policyFor('sscp');
    expect(contacts.complaints.webForm).toEqual({ wording: 'fill in our online form', url: null });
    expect(contacts.dataProtectionOfficer.name).toBeNull();
    expect(contacts.dataProtectionOfficer.note).toMatch(/does not name a Data Protection Officer/);
  });

  it('states automated decisions, legislation and review as each notice does', () => {
    expect(policyFor('maidstone-bc').automatedDecisions).toMatchObject({
      statement: 'There are no automated decisions in this process.',
      automatedDecisionsMade: false,
    });
    expect(policyFor('kent-lado').automatedDecisions.automatedDecisionsMade).toBeNull();
    expect(policyFor('kent-scs').legislation.items).toEqual([
      'The Children and Families Act 2014',
      'Children and Social Work Act 2017',
      'Children Act 1989',
    ]);
    expect(policyFor('kscmp').noticeReview.lastUpdated).toBe('2025-04-07');
    expect(policyFor('kent-lado').noticeReview.lastUpdated).toBe('2021-10');
    expect(policyFor('kent-scs').sources.items.map((s) => s.noticeWording)).toContain(
      'court decisions relating to our statutory legal duties',
    );
  });

  it.each(organisationSlugs.map((slug) => [slug] as const))(
    '%s: every quotation is verbatim, and every unstated fact is explained',
    (slug) => {
      const policy = policyFor(slug);
      const text = noticeText(policy.notice.seedFile);
      const { contacts } = policy;
      const routes = [
        contacts.controller,
        contacts.dataProtectionOfficer,
        contacts.exercisingRights,
        contacts.complaints,
        contacts.informationCommissioner,
        ...contacts.otherRoutes.map((other) => other.route),
      ];
      const quotes = [
        ...routes.map((route) => route.source),
        ...routes.map((route) => route.webForm?.wording ?? null),
        ...policy.sources.items.map((source) => source.noticeWording),
        ...policy.legislation.items,
        policy.legislation.source,
        policy.automatedDecisions.statement,
        policy.noticeReview.statement,
        policy.transfersAbroad.source,
      ];
      for (const quote of quotes)
        if (quote !== null) expect(text, quote).toContain(normalise(quote));
      // Contact details are copied, never made up: every one is in the notice.
      for (const route of routes) {
        for (const detail of [route.email, route.phone]) {
          if (detail !== null) expect(text, detail).toContain(detail);
        }
        const missing = [route.email, route.postalAddress, route.phone, route.webForm].some(
          (field) => field === null,
        );
        if (missing) expect(route.note, JSON.stringify(route)).toBeTruthy();
      }
      for (const fact of [policy.automatedDecisions, policy.legislation, policy.noticeReview]) {
        const silent = Object.entries(fact).some(
          ([key, value]) => key !== 'note' && value === null,
        );
        if (silent) expect(fact.note, JSON.stringify(fact)).toBeTruthy();
      }
      if (policy.transfersAbroad.source === null) expect(policy.transfersAbroad.note).toBeTruthy();
      expect(policy.noticeReview.lastUpdated).toBe(policy.notice.lastUpdated);
    },
  );
});
