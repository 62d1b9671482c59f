import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { policies } from '../policy/index.js';
import { dateFactNames, ladoOutcomes } from '../policy/types.js';
import type { CategorySlug, DateFactName, OrganisationSlug } from '../policy/types.js';
import { addCalendarYears, compareDates, parseIsoDate } from './calendar.js';
import { explainRetention } from './engine.js';
import type { RetentionAssessmentJson } from './engine.js';
import { dateArbitrary } from './test-arbitraries.js';

const pairs = policies.flatMap((policy) =>
  policy.categories.map((category) => ({
    organisation: policy.slug,
    category: category.slug,
    retentionKind: category.retention.kind,
  })),
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

type Facts = Partial<Record<DateFactName, string>> & { childDied?: boolean; outcome?: string };

/** Explains, or returns null for facts the validator rejects (e.g. death before birth). */
function tryExplain(
  organisation: OrganisationSlug,
  category: CategorySlug,
  facts: Facts,
): RetentionAssessmentJson | null {
  const result = explainRetention({ organisation, category, facts });
  return result.ok ? result.value : null;
}

describe('engine properties', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('always answers with a consistent status, whatever facts are known', () => {
    fc.assert(
      fc.property(fc.constantFrom(...pairs), factsArbitrary, (pair, facts) => {
        const result = tryExplain(pair.organisation, pair.category, facts);
        fc.pre(result !== null);
        if (result.status === 'scheduled') {
          expect(result.due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(result.action).not.toBeNull();
          expect(result.rule).not.toBeNull();
        } else {
          expect(result.due).toBeNull();
        }
        expect(result.needsReview).toBe(
          result.status === 'needs-review' || result.status === 'no-rule',
        );
        if (pair.retentionKind === 'no-rule') expect(result.status).toBe('no-rule');
      }),
      { numRuns: 500 },
    );
  });

  it('the due date is never before the trigger date', () => {
    fc.assert(
      fc.property(fc.constantFrom(...pairs), factsArbitrary, (pair, facts) => {
        const result = tryExplain(pair.organisation, pair.category, facts);
        fc.pre(result !== null && result.status === 'scheduled');
        if (!result.trigger || !result.due) throw new Error('scheduled without a date');
        expect(
          compareDates(parseIsoDate(result.due), parseIsoDate(result.trigger.date)),
        ).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it('is monotonic in the trigger: a later trigger never gives an earlier due date', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...pairs),
        factsArbitrary,
        fc.integer({ min: 1, max: 3000 }),
        (pair, facts, shiftDays) => {
          const before = tryExplain(pair.organisation, pair.category, facts);
          fc.pre(before !== null && before.status === 'scheduled' && before.trigger !== null);
          const triggerFact = before.trigger.fact;
          // The one place the law is not monotonic: a later date of birth can
          // turn a looked-after child's death into a death "before 18", whose
          // shorter rule (death + 15) then applies.
          fc.pre(!(pair.category === 'looked-after' && triggerFact === 'dateOfBirth'));
          const shifted = parseIsoDate(before.trigger.date).add({ days: shiftDays }).toString();
          const after = tryExplain(pair.organisation, pair.category, {
            ...facts,
            [triggerFact]: shifted,
          });
          fc.pre(after !== null && after.status === 'scheduled');
          expect(
            compareDates(parseIsoDate(after.due ?? ''), parseIsoDate(before.due ?? '')),
          ).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('adoption is never due before the adoption order + 100 years, nor the birth + 100 years', () => {
    fc.assert(
      fc.property(dateArbitrary, fc.integer({ min: 0, max: 18 * 366 }), (born, daysToOrder) => {
        const order = born.add({ days: daysToOrder });
        const result = tryExplain('kent-scs', 'adoption', {
          dateOfBirth: born.toString(),
          adoptionOrderDate: order.toString(),
        });
        if (!result?.due) throw new Error('adoption with both dates must be scheduled');
        const due = parseIsoDate(result.due);
        expect(compareDates(due, addCalendarYears(order, 100))).toBeGreaterThanOrEqual(0);
        expect(compareDates(due, addCalendarYears(born, 100))).toBeGreaterThanOrEqual(0);
        expect(result.action).toBe('destroy');
      }),
    );
  });

  it('never reads the clock: the same facts give the same answer on any day', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...pairs),
        factsArbitrary,
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (pair, facts, now) => {
          const first = tryExplain(pair.organisation, pair.category, facts);
          vi.useFakeTimers();
          vi.setSystemTime(now);
          const second = tryExplain(pair.organisation, pair.category, facts);
          vi.useRealTimers();
          expect(second).toEqual(first);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('an unknown needed fact is never scheduled for destruction', () => {
    fc.assert(
      fc.property(fc.constantFrom(...pairs), factsArbitrary, (pair, facts) => {
        const result = tryExplain(pair.organisation, pair.category, facts);
        fc.pre(result !== null && result.status === 'needs-review');
        expect(result.action).toBe('review');
        expect(result.due).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
