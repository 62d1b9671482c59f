import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { CategorySlug, OrganisationSlug } from '../policy/types.js';
import { retentionActions } from '../policy/types.js';
import { compareDates } from './calendar.js';
import { assessRetention, parseRetentionRequest } from './engine.js';
import type { RetentionAssessment } from './engine.js';
import { moreProtective, protectiveness, summarisePersonRetention } from './person-summary.js';

function assess(
  organisation: OrganisationSlug,
  category: CategorySlug,
  facts: Record<string, unknown>,
): RetentionAssessment {
  const request = parseRetentionRequest({ organisation, category, facts });
  if (!request.ok) throw new Error(request.error);
  return assessRetention(request.value);
}

// One child, born 2008-02-29, known to Kent children's services in several ways.
const childProtection = assess('kent-scs', 'child-protection-plan', { dateOfBirth: '2008-02-29' }); // 2048-02-29
const lookedAfter = assess('kent-scs', 'looked-after', { dateOfBirth: '2008-02-29' }); // 2083-03-01
const childInNeed = assess('kent-scs', 'child-in-need', { dateOfBirth: '2008-02-29' }); // 2033-03-01
// An adult: a LADO allegation under review and a KSCMP training record.
const ladoReview = assess('kent-lado', 'lado-allegation', {
  outcome: 'unfounded',
  closureDate: '2040-01-01',
}); // review 2050-01-01
const training = assess('kscmp', 'training', { trainingDate: '2043-06-01' }); // current year + 6: destroy 2050-01-01

describe('summarisePersonRetention', () => {
  it('the latest due date governs, and says which rule set it', () => {
    const summary = summarisePersonRetention([childInNeed, lookedAfter, childProtection]);
    expect(summary.status).toBe('scheduled');
    expect(summary.due?.toString()).toBe('2083-03-01');
    expect(summary.dateSetBy?.rule.id).toBe('kent-scs/looked-after/birth-plus-75');
    expect(summary.action).toBe('destroy');
    expect(summary.explanation).toContain('kent-scs/looked-after/birth-plus-75');
  });

  it('the most protective action governs, even when another record sets the date', () => {
    const substantiated = assess('kent-lado', 'lado-allegation', {
      outcome: 'substantiated',
      dateOfBirth: '1970-05-05',
    }); // destroy 2070-05-05
    const summary = summarisePersonRetention([ladoReview, substantiated]);
    expect(summary.due?.toString()).toBe('2070-05-05');
    expect(summary.dateSetBy?.rule.id).toBe('kent-lado/lado-allegation/substantiated-age-100');
    expect(summary.action).toBe('review');
    expect(summary.actionSetBy?.rule.id).toBe(
      'kent-lado/lado-allegation/malicious-false-unfounded-review-10',
    );
    expect(summary.explanation).toContain('most protective action is review');
  });

  it('on the same date, review beats destroy whatever the order', () => {
    for (const order of [
      [ladoReview, training],
      [training, ladoReview],
    ]) {
      const summary = summarisePersonRetention(order);
      expect(summary.due?.toString()).toBe('2050-01-01');
      expect(summary.action).toBe('review');
      expect(summary.dateSetBy?.rule.id).toBe(
        'kent-lado/lado-allegation/malicious-false-unfounded-review-10',
      );
    }
  });

  it('a record needing review stops a final date, but the known dates are still reported', () => {
    const unknownBirth = assess('kent-scs', 'adoption', {});
    const summary = summarisePersonRetention([lookedAfter, unknownBirth]);
    expect(summary.status).toBe('needs-review');
    expect(summary.due).toBeNull();
    expect(summary.latestKnownDue?.toString()).toBe('2083-03-01');
    expect(summary.blockedBy).toEqual([unknownBirth]);
  });

  it('a category with no rule stops a final date too', () => {
    const summary = summarisePersonRetention([
      training,
      assess('sscp', 'practice-review', { incidentDate: '2020-01-01' }),
    ]);
    expect(summary.status).toBe('needs-review');
    expect(summary.explanation).toContain('sscp practice-review');
  });

  it('a live subscription keeps the person pending: nothing is due yet', () => {
    const subscribed = assess('kscmp', 'newsletter-subscription', {});
    const summary = summarisePersonRetention([training, subscribed]);
    expect(summary.status).toBe('pending');
    expect(summary.due).toBeNull();
    expect(summary.latestKnownDue?.toString()).toBe('2050-01-01');
  });

  it('a person with no records has nothing to keep', () => {
    expect(summarisePersonRetention([]).status).toBe('no-records');
  });

  it('does not depend on the order the records come in', () => {
    const all = [childProtection, lookedAfter, childInNeed, ladoReview, training];
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: 1 }), (subset) => {
        const forward = summarisePersonRetention(subset);
        const backward = summarisePersonRetention([...subset].reverse());
        expect(backward.due?.toString()).toBe(forward.due?.toString());
        expect(backward.action).toBe(forward.action);
        expect(backward.dateSetBy).toBe(forward.dateSetBy);
        expect(backward.actionSetBy).toBe(forward.actionSetBy);
        expect(backward.explanation).toBe(forward.explanation);
      }),
    );
  });

  it('is never earlier than any record’s own due date', () => {
    const all = [childProtection, lookedAfter, childInNeed, ladoReview, training];
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: 1 }), (subset) => {
        const summary = summarisePersonRetention(subset);
        for (const assessment of subset) {
          if (assessment.status !== 'scheduled' || !summary.due) continue;
          expect(compareDates(summary.due, assessment.due)).toBeGreaterThanOrEqual(0);
          expect(protectiveness(summary.action ?? 'destroy')).toBeGreaterThanOrEqual(
            protectiveness(assessment.action),
          );
        }
      }),
    );
  });
});

describe('protectiveness', () => {
  it('runs from destroy to archive', () => {
    expect([...retentionActions].sort((a, b) => protectiveness(a) - protectiveness(b))).toEqual([
      'destroy',
      'make-inaccessible',
      'return-to-partnership',
      'review',
      'archive',
    ]);
    expect(moreProtective('destroy', 'review')).toBe('review');
    expect(moreProtective('archive', 'review')).toBe('archive');
  });
});
