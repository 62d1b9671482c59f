import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageLadder, categoryLadder, dateLadder, postcodeLadder } from './generalise.js';
import { enforceK, smallestGroupIn, type QuasiIdentifier, type Row } from './k-anonymity.js';
import { newExtractKey, pseudonym } from './pseudonym.js';

const quasi: QuasiIdentifier[] = [
  { field: 'age', label: 'age band', ladder: ageLadder },
  { field: 'postcode', label: 'postcode', ladder: postcodeLadder },
  { field: 'gender', label: 'gender', ladder: categoryLadder },
  { field: 'opened', label: 'date opened', ladder: dateLadder },
];

function child(person: string, age: number, postcode: string, gender = 'female'): Row {
  return {
    person,
    age: `${2026 - age}-05-10|2026-06-01`,
    postcode,
    gender,
    opened: '2026-03-14',
  };
}

/** Twenty ordinary children in ME14 and ME15, and one who stands out. */
function withOneWhoStandsOut(): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < 20; i++) {
    rows.push(
      child(`p${i}`, 6 + (i % 4), i % 2 ? 'ME14 2AB' : 'ME15 6QT', i % 3 ? 'female' : 'male'),
    );
  }
  rows.push(child('unique', 17, 'TN27 0AA', 'male'));
  return rows;
}

describe('the k-anonymity check, attacked', () => {
  it('never leaves the one child who stands out identifiable', () => {
    const out = enforceK(withOneWhoStandsOut(), quasi, 'person');
    expect(smallestGroupIn(out.rows, quasi, 'person')).toBeGreaterThanOrEqual(5);
    // Whether suppressed or generalised, no group of fewer than five holds them.
    const theirs = out.rows.filter((r) => r.person === 'unique');
    for (const row of theirs) {
      const same = out.rows.filter((r) => quasi.every((q) => r[q.field] === row[q.field]));
      expect(new Set(same.map((r) => r.person)).size).toBeGreaterThanOrEqual(5);
    }
    expect(out.actions.length).toBeGreaterThan(0);
  });

  it('counts people, not rows: five records of one child are one person', () => {
    const rows = [
      ...Array.from({ length: 5 }, () => child('same-child', 9, 'CT1 1AA')),
      ...Array.from({ length: 40 }, (_, i) => child(`p${i}`, 5, 'ME14 2AB')),
    ];
    const out = enforceK(rows, quasi, 'person');
    expect(smallestGroupIn(out.rows, quasi, 'person')).toBeGreaterThanOrEqual(5);
    const group = out.rows.filter((r) => r.person === 'same-child');
    if (group.length) {
      const same = out.rows.filter((r) => quasi.every((q) => r[q.field] === group[0]![q.field]));
      expect(new Set(same.map((r) => r.person)).size).toBeGreaterThanOrEqual(5);
    }
  });

  it('leaves nothing when there are fewer than k people at all, and says so', () => {
    const out = enforceK([child('a', 5, 'ME14 2AB'), child('b', 5, 'ME14 2AB')], quasi, 'person');
    expect(out.rows).toEqual([]);
    expect(out.actions.at(-1)).toContain('2 rows suppressed');
  });

  it('holds for any data set and any k (property)', () => {
    const postcodes = ['ME14 2AB', 'ME15 6QT', 'ME1 1AA', 'TN27 0AA', 'CT1 1AA', 'BS1 4DJ'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            person: fc.integer({ min: 0, max: 60 }).map(String),
            age: fc.integer({ min: 0, max: 90 }),
            postcode: fc.constantFrom(...postcodes),
            gender: fc.constantFrom('female', 'male', 'other', null),
            month: fc.integer({ min: 1, max: 12 }),
          }),
          { maxLength: 120 },
        ),
        fc.integer({ min: 2, max: 12 }),
        (people, k) => {
          const rows: Row[] = people.map((p) => ({
            person: p.person,
            age: `${2026 - p.age}-02-28|2026-06-01`,
            postcode: p.postcode,
            gender: p.gender,
            opened: `2025-${String(p.month).padStart(2, '0')}-01`,
          }));
          const out = enforceK(rows, quasi, 'person', { k, maxSuppressedShare: 0.05 });
          if (out.rows.length) {
            expect(smallestGroupIn(out.rows, quasi, 'person')).toBeGreaterThanOrEqual(k);
          }
          expect(out.rows.length + out.suppressedRows).toBe(rows.length);
          // Level 0 already generalises: no exact date or full postcode survives.
          for (const row of out.rows) {
            expect(row.opened ?? '').not.toMatch(/^\d{4}-\d{2}-\d{2}$/);
            expect(row.postcode ?? '').not.toContain(' ');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('generalising', () => {
  it('turns dates to month and year, postcodes to districts and ages to bands', () => {
    expect(dateLadder.at('2026-03-14', 0)).toBe('2026-03');
    expect(postcodeLadder.at('me14 2ab', 0)).toBe('ME14');
    expect(postcodeLadder.at('EC1A 1BB', 0)).toBe('EC1A');
    expect(postcodeLadder.at('ME14 2AB', 1)).toBe('ME');
    // Born on 29 February: 18 on 1 March in a common year, not on 28 February.
    expect(ageLadder.at('2008-02-29|2026-02-28', 2)).toBe('under 18');
    expect(ageLadder.at('2008-02-29|2026-03-01', 2)).toBe('18 and over');
    expect(ageLadder.at('2019-06-01|2026-06-01', 0)).toBe('5–9');
  });
});

describe('pseudonyms', () => {
  it('are the same within an extract and differ between extracts', () => {
    const first = newExtractKey();
    const second = newExtractKey();
    expect(pseudonym(first, 'person-1')).toBe(pseudonym(first, 'person-1'));
    expect(pseudonym(first, 'person-1')).not.toBe(pseudonym(first, 'person-2'));
    expect(pseudonym(first, 'person-1')).not.toBe(pseudonym(second, 'person-1'));
    expect(pseudonym(first, 'person-1')).toMatch(/^[A-Z0-9]{20}$/);
  });
});
