import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { policies } from '../policy/index.js';
import { dateFactNames, ladoOutcomes } from '../policy/types.js';
import type { DateFactName, FactName } from '../policy/types.js';
import { assessRetention } from './engine.js';
import { parseRetentionFacts, type RetentionFacts } from './facts.js';
import { crossCheckedFacts, crossCheckTriggers, factsReadBy } from './facts-read.js';
import { dateArbitrary } from './test-arbitraries.js';

/**
 * The bulk recompute groups records by the facts factsReadBy names
 * (decision 0056): the engine must read no other fact, for any category of
 * any organisation, whatever facts are recorded. Every read is watched
 * through a Proxy over the facts.
 */
const categories = policies.flatMap((policy) =>
  policy.categories.map((category) => ({ policy, category })),
);
const isoDate = dateArbitrary.map((date) => date.toString());
const factsArbitrary = fc.record(
  {
    ...(Object.fromEntries(dateFactNames.map((name) => [name, isoDate])) as Record<
      DateFactName,
      fc.Arbitrary<string>
    >),
    childDied: fc.boolean(),
    outcome: fc.constantFrom(...ladoOutcomes),
  },
  { requiredKeys: [] },
);

function watched(facts: RetentionFacts, read: Set<string>): RetentionFacts {
  return new Proxy(facts, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      read.add('*every fact*');
      return Reflect.ownKeys(target);
    },
  });
}

describe('the facts the engine reads', () => {
  it('are only those factsReadBy names for the category', () => {
    fc.assert(
      fc.property(fc.constantFrom(...categories), factsArbitrary, ({ policy, category }, raw) => {
        const parsed = parseRetentionFacts(raw);
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const read = new Set<string>();
        assessRetention(
          {
            organisation: policy.slug,
            category: category.slug,
            facts: watched(parsed.value, read),
          },
          policy,
        );
        const allowed = factsReadBy(category);
        expect([...read].filter((fact) => !allowed.has(fact as FactName))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('name the validator’s cross-checks, which only a death or an adoption order can fail', () => {
    fc.assert(
      fc.property(factsArbitrary, (raw) => {
        const withoutTriggers = Object.fromEntries(
          Object.entries(raw).filter(([fact]) => !crossCheckTriggers.includes(fact as FactName)),
        );
        expect(parseRetentionFacts(withoutTriggers).ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(crossCheckTriggers.every((fact) => crossCheckedFacts.includes(fact))).toBe(true);
  });
});
