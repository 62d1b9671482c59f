/* eslint-disable @typescript-eslint/no-non-null-assertion --
   Array positions here come from loops bounded by the arrays' own lengths. */
import { comparisons } from './comparisons.js';
import type { PreparedPerson } from './record.js';

/**
 * u of the "the same" levels counted, not sampled. Two different people
 * sharing a postcode, a date of birth or an NHS number is rare: a random
 * sample of 300,000 pairs out of 5 billion (100,000 records) sees a handful
 * or none, and u would rest on that handful. But how many pairs agree
 * exactly follows from how often each value occurs (as Splink's term
 * frequency tables do): for each value, n(n−1)/2 pairs within one list, or
 * the products of its counts across sources. Those pairs include the true
 * ones, so the expected true pairs (λ × m of the level) are taken out once
 * the model has estimated them.
 */
const exactValue: readonly ((p: PreparedPerson) => string | null)[] = [
  (p) => p.given?.text ?? null,
  (p) => p.family?.text ?? null,
  (p) => (p.birth ? (p.birth.iso ?? `text:${p.birth.text}`) : null),
  (p) => p.sex,
  (p) => p.postcode,
  (p) => p.nhsNumber,
  (p) => p.upn,
  (p) => p.otherIdentifier,
];

export interface ExactAgreement {
  /** Pairs agreeing exactly, and pairs where both records have the field. */
  agreeing: number;
  compared: number;
}

export function exactAgreement(
  people: readonly PreparedPerson[],
  acrossSourcesOnly: boolean,
): ExactAgreement[] {
  const sourceIndex = new Map<string, number>();
  for (const p of people)
    if (!sourceIndex.has(p.source)) sourceIndex.set(p.source, sourceIndex.size);
  const sources = sourceIndex.size;
  // Pairs among counts: within one list n(n−1)/2; across sources (Σn)²−Σn² over 2.
  const pairsAmong = (counts: number[]) => {
    if (!acrossSourcesOnly) return (counts[0]! * (counts[0]! - 1)) / 2;
    let sum = 0;
    let squares = 0;
    for (const n of counts) {
      sum += n;
      squares += n * n;
    }
    return (sum * sum - squares) / 2;
  };
  return comparisons.map((_, c) => {
    const valueOf = exactValue[c]!;
    const byValue = new Map<string, number[]>();
    const totals = new Array<number>(acrossSourcesOnly ? sources : 1).fill(0);
    for (const p of people) {
      const value = valueOf(p);
      if (value === null) continue;
      const s = acrossSourcesOnly ? sourceIndex.get(p.source)! : 0;
      let counts = byValue.get(value);
      if (!counts) {
        counts = new Array<number>(totals.length).fill(0);
        byValue.set(value, counts);
      }
      counts[s]! += 1;
      totals[s]! += 1;
    }
    let agreeing = 0;
    for (const counts of byValue.values()) agreeing += pairsAmong(counts);
    return { agreeing, compared: pairsAmong(totals) };
  });
}

/**
 * u with its first level ("the same") from the counted agreement, less the
 * true pairs expected among them (λ × m), pulled towards the reference by
 * `prior.weight` pairs' worth; the other levels keep their shares of the rest.
 */
export function withExactAgreement(
  u: number[][],
  agreement: readonly ExactAgreement[],
  m: number[][],
  lambda: number,
  prior: { u: number[][]; weight: number },
): number[][] {
  return u.map((levels, c) => {
    const { agreeing, compared } = agreement[c]!;
    if (compared === 0) return levels;
    const different = Math.max(0, agreeing - lambda * m[c]![0]! * compared);
    const u0 = Math.min(
      1 - 1e-6,
      Math.max(1e-9, (different + prior.weight * prior.u[c]![0]!) / (compared + prior.weight)),
    );
    const rest = levels.slice(1).reduce((s, x) => s + x, 0);
    return [u0, ...levels.slice(1).map((x) => (rest > 0 ? (x / rest) * (1 - u0) : 0))];
  });
}
