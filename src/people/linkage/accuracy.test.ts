import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { oneSource, twoSources } from './synthetic.js';

/**
 * The matcher against synthetic truth (typing slips, known-as names,
 * changed surnames, moves, swapped and mistyped dates, NHS number slips,
 * missing fields, twins, common names). The full-size figures are in
 * `npm run bench` (people.link.*) and the README.
 */
describe('matching accuracy on synthetic people', () => {
  it('links 1,000 x 1,000 with F1 of at least 0.99', () => {
    const { records, truth } = twoSources(1000, 2026);
    const result = evaluate(records, truth);
    expect(result.truePairs).toBe(600);
    expect(result.f1).toBeGreaterThanOrEqual(0.99);
    expect(result.precision).toBeGreaterThanOrEqual(0.99);
  });

  it('finds duplicates in one list of 2,000 with F1 of at least 0.98', () => {
    const { records, truth } = oneSource(2000, 2026);
    const result = evaluate(records, truth);
    expect(result.truePairs).toBeGreaterThan(200);
    expect(result.f1).toBeGreaterThanOrEqual(0.98);
  });
});
