import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

import { explainRetention } from '../retention/engine.js';
import { policies, policyFor } from './index.js';
import { shippedPolicyDocuments } from './registry.js';
import { describeProblem, parsePolicyDocument, validatePolicy } from './schema.js';

const shipped = shippedPolicyDocuments();

/**
 * A shipped document as plain data, to break on purpose: any field may be
 * set to anything, which is the point.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Editable = any;
function documentOf(slug: string): Editable {
  const found = shipped.find((document) => document.slug === slug);
  if (!found) throw new Error(slug);
  return parse(found.source) as Editable;
}

function problemsOf(
  data: unknown,
  file = 'maidstone-bc.yaml',
  slug: string | null = 'maidstone-bc',
) {
  const result = validatePolicy(data, file, slug);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.problems;
}

describe('the shipped policy documents', () => {
  it('are the five organisations, each valid, and the registry serves exactly them', () => {
    expect(shipped.map((document) => document.slug).sort()).toEqual([
      'kent-lado',
      'kent-scs',
      'kscmp',
      'maidstone-bc',
      'sscp',
    ]);
    for (const { file, slug, source } of shipped) {
      const result = parsePolicyDocument(source, file, slug);
      expect(result.ok ? [] : result.problems.map(describeProblem)).toEqual([]);
      if (result.ok) expect(policyFor(slug)).toEqual(result.policy);
    }
    expect(policies.map((policy) => policy.slug)).toEqual([
      'kscmp',
      'kent-scs',
      'sscp',
      'maidstone-bc',
      'kent-lado',
    ]);
  });

  it('give byte-for-byte the retention outcomes the TypeScript policies gave', () => {
    // Recorded from the engine on the TypeScript policies before they became
    // documents: every category of every organisation, with varied facts.
    const before = JSON.parse(
      readFileSync(
        join(import.meta.dirname, '../../test/fixtures/policy/retention-outcomes-before.json'),
        'utf8',
      ),
    ) as { request: unknown; result: unknown }[];
    expect(before.length).toBeGreaterThan(300);
    for (const { request, result } of before) {
      expect(
        JSON.parse(JSON.stringify(explainRetention(request))),
        JSON.stringify(request),
      ).toEqual(result);
    }
  });
});

describe('a policy document with a mistake', () => {
  it('names the file, the place and what is wrong, and is refused whole', () => {
    const data = documentOf('maidstone-bc');
    data.categories[0].retention.rules[0].period.years = 0;
    const result = validatePolicy(data, 'maidstone-bc.yaml', 'maidstone-bc');
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('policy');
    expect(problemsOf(data)).toEqual([
      {
        file: 'maidstone-bc.yaml',
        path: 'categories[0].retention.rules[0].period.years',
        message: 'must be at least 1 year',
      },
    ]);
    expect(describeProblem(problemsOf(data)[0]!)).toBe(
      'maidstone-bc.yaml at categories[0].retention.rules[0].period.years: must be at least 1 year',
    );
  });

  it('says in words what is missing, misspelt or not one of the choices', () => {
    const data = documentOf('kent-lado');
    delete data.categories[0].purpose;
    data.categories[0].retention.rules[1].acton = 'destroy';
    data.categories[0].retention.rules[2].action = 'shred';
    data.contacts.dataProtectionOfficer.phone = 1234;
    const problems = problemsOf(data, 'kent-lado.yaml', 'kent-lado');
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: 'kent-lado.yaml', path: 'categories[0].purpose', message: 'is missing' },
        {
          file: 'kent-lado.yaml',
          path: 'categories[0].retention.rules[1]',
          message: 'has a field Safekeep does not know: acton (check the spelling)',
        },
        {
          file: 'kent-lado.yaml',
          path: 'categories[0].retention.rules[2].action',
          message:
            'must be one of: destroy, make-inaccessible, return-to-partnership, review, archive',
        },
        {
          file: 'kent-lado.yaml',
          path: 'contacts.dataProtectionOfficer.phone',
          message: 'must be written in quotes as text, or null if the notice gives none',
        },
      ]),
    );
    for (const problem of problems) expect(problem.message).not.toMatch(/Invalid|expected/);
  });

  it('needs a Schedule 1 condition where Article 9(2)(g) relies on one, and a lawful basis', () => {
    const data = documentOf('maidstone-bc');
    data.categories[0].specialCategory.conditions[0].schedule1 = [];
    expect(problemsOf(data)).toEqual([
      {
        file: 'maidstone-bc.yaml',
        path: 'categories[0].specialCategory.conditions[0].schedule1',
        message:
          'Article 9(2)(g) needs a condition from Schedule 1 to the Data Protection Act 2018 (section 10): name at least one',
      },
    ]);
    const noBasis = documentOf('maidstone-bc');
    noBasis.categories[0].lawfulBases = [];
    expect(problemsOf(noBasis)[0]).toMatchObject({
      path: 'categories[0].lawfulBases',
      message: expect.stringContaining('must name at least one Article 6 lawful basis'),
    });
  });

  it('refuses access rules for a category the organisation does not use, and a slug the file does not name', () => {
    const data = documentOf('maidstone-bc');
    data.access.records.adoption = {
      roles: { practitioner: { read: 'any', write: 'any', search: 'any' } },
    };
    data.slug = 'maidstone';
    expect(problemsOf(data)).toEqual([
      {
        file: 'maidstone-bc.yaml',
        path: 'slug',
        message:
          'is "maidstone" but the file is named for "maidstone-bc": name the file maidstone.yaml or change the slug',
      },
      {
        file: 'maidstone-bc.yaml',
        path: 'categories[0].retention.rules[0].id',
        message: 'must start with "maidstone/safeguarding-concern/" (organisation/category/name)',
      },
      {
        file: 'maidstone-bc.yaml',
        path: 'access.records.adoption',
        message:
          'gives access to "adoption" records, but the organisation does not list that category under categories',
      },
    ]);
  });

  it('checks a rule belongs to its organisation and category, and a review says what follows', () => {
    const data = documentOf('maidstone-bc');
    const rule = data.categories[0].retention.rules[0];
    rule.id = 'kent-scs/adoption/x';
    rule.action = 'review';
    expect(problemsOf(data).map((p) => [p.path, p.message])).toEqual([
      [
        'categories[0].retention.rules[0].id',
        'must start with "maidstone-bc/safeguarding-concern/" (organisation/category/name)',
      ],
      [
        'categories[0].retention.rules[0].afterReview',
        'a review rule must say what happens if the reviewer finds no reason to keep',
      ],
    ]);
  });

  it('reports YAML that does not parse with its line', () => {
    const result = parsePolicyDocument('slug: wessex-bc\nname: [unclosed\n', 'wessex-bc.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]).toMatchObject({
        file: 'wessex-bc.yaml',
        path: expect.stringMatching(/^line \d+$/),
        message: expect.stringContaining('is not valid YAML'),
      });
    }
  });

  it('round-trips: a shipped document written back out validates to the same policy', () => {
    const policy = policyFor('kent-scs');
    const result = parsePolicyDocument(stringify(policy), 'kent-scs.yaml', 'kent-scs');
    expect(result.ok && result.policy).toEqual(policy);
  });
});
