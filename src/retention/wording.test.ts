import { describe, expect, it } from 'vitest';
import { findCategory, policies } from '../policy/index.js';
import type { RetentionRule } from '../policy/types.js';
import { parseIsoDate } from './calendar.js';
import { assessRetention } from './engine.js';
import { describeRetention, describeRule, noRuleSentence } from './wording.js';

function rule(id: string): RetentionRule {
  for (const policy of policies) {
    for (const category of policy.categories) {
      if (category.retention.kind !== 'schedule') continue;
      const found = category.retention.rules.find((r) => r.id === id);
      if (found) return found;
    }
  }
  throw new Error(`no rule ${id}`);
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

describe('describeRule: one wording for a retention rule', () => {
  it('states a period, the fact it counts from and what happens then', () => {
    expect(describeRule(rule('kent-scs/child-protection-plan/birth-plus-40'))).toBe(
      'Kept for 40 years after the date of birth, then destroyed.',
    );
    expect(describeRule(rule('maidstone-bc/safeguarding-concern/recorded-plus-7'))).toBe(
      'Kept for 7 years after the date the concern was recorded, then destroyed.',
    );
  });

  it('states a rule’s conditions, the review and what follows it', () => {
    const sentence = describeRule(
      rule('kent-lado/lado-allegation/malicious-false-unfounded-review-10'),
    );
    expect(sentence).toMatch(/^Where the allegation's outcome is /);
    expect(sentence).toContain('then reviewed, and destroyed unless a decision to keep it');
  });

  it('states the legal minimum a rule never goes below', () => {
    const withMinimum = policies
      .flatMap((p) => p.categories)
      .flatMap((c) => (c.retention.kind === 'schedule' ? c.retention.rules : []))
      .find((r) => r.statutoryMinimum);
    expect(withMinimum).toBeDefined();
    if (!withMinimum?.statutoryMinimum) return;
    expect(describeRule(withMinimum)).toContain(withMinimum.statutoryMinimum.authority);
  });

  it('adds the record’s date in brackets, and nothing else, when the engine gives one', () => {
    const r = rule('kent-scs/child-protection-plan/birth-plus-40');
    expect(describeRule(r, parseIsoDate('2012-05-17'))).toBe(
      'Kept for 40 years after the date of birth (17 May 2012), then destroyed.',
    );
  });

  it('is the wording the engine explains every scheduled rule with', () => {
    const facts = {
      dateOfBirth: parseIsoDate('2001-03-04'),
      dateOfDeath: parseIsoDate('2090-03-04'),
      childDied: false,
      closureDate: parseIsoDate('2020-01-02'),
    };
    const assessment = assessRetention({
      organisation: 'kent-scs',
      category: 'child-protection-plan',
      facts,
    });
    expect(assessment.status).toBe('scheduled');
    if (assessment.status !== 'scheduled') return;
    expect(assessment.explanation).toContain(
      lowerFirst(describeRule(assessment.rule, parseIsoDate('2001-03-04'))),
    );
  });

  it('is the wording the engine uses when the rule’s date is missing', () => {
    const assessment = assessRetention({
      organisation: 'maidstone-bc',
      category: 'safeguarding-concern',
      facts: {},
    });
    expect(assessment.rule).not.toBeNull();
    if (!assessment.rule) return;
    expect(assessment.explanation).toContain(lowerFirst(describeRule(assessment.rule)));
  });
});

describe('describeRetention: a category’s rules, in the engine’s order', () => {
  it('gives one describeRule sentence per rule, for every category of every organisation', () => {
    for (const policy of policies) {
      for (const category of policy.categories) {
        const description = describeRetention(category.retention);
        if (category.retention.kind === 'no-rule') {
          expect(description.rules).toEqual([]);
          expect(description.noRule).toBe(noRuleSentence);
          continue;
        }
        expect(description.rules.map((r) => r.sentence)).toEqual(
          category.retention.rules.map((r) => describeRule(r)),
        );
        if (category.retention.rules.length > 1) expect(description.combine).not.toBeNull();
      }
    }
  });

  it('says the LADO period starts only when the allegation is concluded', () => {
    const lado = findCategory('kent-lado', 'lado-allegation');
    expect(lado && describeRetention(lado.retention).open).toMatch(/period has not started/);
  });
});
