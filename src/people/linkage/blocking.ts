/* eslint-disable @typescript-eslint/no-non-null-assertion --
   Array positions here come from loops bounded by the arrays' own lengths (the
   numeric core of the matcher); noUncheckedIndexedAccess cannot see that. */
import type { PreparedPerson } from './record.js';

/**
 * Blocking: only pairs that agree on at least one rule's key are compared,
 * so the work grows with the number of records sharing a key rather than
 * with the square of the population. The rules are a union: each one
 * catches true pairs another misses (a changed surname is caught by date of
 * birth, a mistyped date of birth by postcode or by name and year). A pair
 * that two rules both find is kept once, by the first rule that finds it,
 * as Splink does, by checking the earlier rules' keys of the pair.
 */
export interface BlockingRule {
  name: string;
  key(person: PreparedPerson): string | null;
}

const initial = (p: PreparedPerson) => p.given?.text[0] ?? null;
const year = (p: PreparedPerson) => p.birth?.year ?? null;

export const blockingRules: readonly BlockingRule[] = [
  { name: 'NHS number', key: (p) => p.nhsNumber },
  { name: 'unique pupil number', key: (p) => p.upn },
  { name: 'date of birth', key: (p) => p.birth?.iso ?? p.birth?.text ?? null },
  {
    name: 'family name sound and year of birth',
    key: (p) => (p.family?.phonetic[0] && year(p) ? `${p.family.phonetic[0]}|${year(p)}` : null),
  },
  {
    name: 'given and family name sounds',
    key: (p) =>
      p.given?.phonetic[0] && p.family?.phonetic[0]
        ? `${p.given.phonetic[0]}|${p.family.phonetic[0]}`
        : null,
  },
  {
    name: 'given-name initial and month of birth',
    key: (p) =>
      initial(p) && year(p) && p.birth?.month ? `${initial(p)}|${year(p)}-${p.birth.month}` : null,
  },
  {
    name: 'date of birth with day and month in either order',
    key: (p) => {
      const b = p.birth;
      if (!b?.iso || b.day === null || b.month === null) return null;
      return `${b.year}|${Math.min(b.day, b.month)}|${Math.max(b.day, b.month)}`;
    },
  },
  { name: 'postcode', key: (p) => p.postcode },
  {
    name: 'given-name sound and postcode district',
    key: (p) =>
      p.given?.phonetic[0] && p.postcodeDistrict
        ? `${p.given.phonetic[0]}|${p.postcodeDistrict}`
        : null,
  },
];

/**
 * Blocks larger than this are skipped: a key shared by thousands of records
 * ("01/01/1900", a hostel's postcode) tells nothing and would be the
 * square of its size in work. Pairs in them are still found by other rules.
 */
export const MAX_BLOCK = 1000;

export interface CandidatePairs {
  /** Record positions, earlier first: pair k is (left[k], right[k]). */
  left: Uint32Array;
  right: Uint32Array;
  /** The first rule that found each pair. */
  rule: Uint8Array;
  count: number;
  /** Blocks skipped as larger than MAX_BLOCK, by rule name (counts only). */
  skipped: Record<string, number>;
}

/**
 * Every candidate pair, each once. With `acrossSourcesOnly`, pairs from one
 * source are never made (linking two lists); otherwise every pair within
 * the one list (finding duplicates).
 */
export function candidatePairs(
  people: readonly PreparedPerson[],
  acrossSourcesOnly: boolean,
  rules: readonly BlockingRule[] = blockingRules,
): CandidatePairs {
  const keys = rules.map((rule) => people.map((p) => rule.key(p)));
  let capacity = Math.max(1024, people.length * 4);
  let left: Uint32Array = new Uint32Array(capacity);
  let right: Uint32Array = new Uint32Array(capacity);
  let ruleOf = new Uint8Array(capacity);
  let count = 0;
  const skipped: Record<string, number> = {};
  const allBlocks = keys.map((ruleKeys) => {
    const blocks = new Map<string, number[]>();
    ruleKeys.forEach((key, i) => {
      if (key === null) return;
      const block = blocks.get(key);
      if (block) block.push(i);
      else blocks.set(key, [i]);
    });
    return blocks;
  });
  // A pair in a skipped block was never made, so it does not count as found.
  const oversized = allBlocks.map(
    (blocks) => new Set([...blocks].filter(([, b]) => b.length > MAX_BLOCK).map(([k]) => k)),
  );
  rules.forEach((rule, r) => {
    for (const block of allBlocks[r]!.values()) {
      if (block.length < 2) continue;
      if (block.length > MAX_BLOCK) {
        skipped[rule.name] = (skipped[rule.name] ?? 0) + 1;
        continue;
      }
      for (let x = 0; x < block.length; x += 1) {
        const i = block[x]!;
        for (let y = x + 1; y < block.length; y += 1) {
          const j = block[y]!;
          if (acrossSourcesOnly && people[i]!.source === people[j]!.source) continue;
          if (foundEarlier(keys, oversized, r, i, j)) continue;
          if (count === capacity) {
            capacity *= 2;
            left = grow(left, capacity);
            right = grow(right, capacity);
            const nextRule = new Uint8Array(capacity);
            nextRule.set(ruleOf);
            ruleOf = nextRule;
          }
          left[count] = i;
          right[count] = j;
          ruleOf[count] = r;
          count += 1;
        }
      }
    }
  });
  return { left, right, rule: ruleOf, count, skipped };
}

function foundEarlier(
  keys: (string | null)[][],
  oversized: Set<string>[],
  r: number,
  i: number,
  j: number,
): boolean {
  for (let earlier = 0; earlier < r; earlier += 1) {
    const k = keys[earlier]!;
    const a = k[i];
    if (a !== null && a !== undefined && a === k[j] && !oversized[earlier]!.has(a)) return true;
  }
  return false;
}

function grow(array: Uint32Array, capacity: number): Uint32Array {
  const next = new Uint32Array(capacity);
  next.set(array);
  return next;
}

/** True when some rule puts both records in one block (for tests of recall). */
export function sharesABlock(
  a: PreparedPerson,
  b: PreparedPerson,
  rules: readonly BlockingRule[] = blockingRules,
): boolean {
  return rules.some((rule) => {
    const k = rule.key(a);
    return k !== null && k === rule.key(b);
  });
}
