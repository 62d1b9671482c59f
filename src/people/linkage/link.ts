/* eslint-disable @typescript-eslint/no-non-null-assertion --
   Array positions here come from loops bounded by the arrays' own lengths (the
   numeric core of the matcher); noUncheckedIndexedAccess cannot see that. */
import { candidatePairs } from './blocking.js';
import { comparisons } from './comparisons.js';
import { levelsOf, trainModel, type Model } from './model.js';
import { preparePerson, type PersonInput, type PreparedPerson } from './record.js';
import { createScorer, probabilityOf, type Waterfall } from './score.js';

/**
 * Linking people: from records as received to scored pairs. No database:
 * the same engine serves `safekeep people link`, the duplicate-people job
 * and imports, which bring their own records.
 */
export interface LinkOptions {
  /** Pairs scoring below this are not reported (default 0.5). */
  threshold?: number;
  /** At or above this a pair would be linked without a person (default 0.95). */
  matchThreshold?: number;
  /** Random pairs for estimating u (default 300,000). */
  uSamplePairs?: number;
  /** Seed for the random pairs: the same input always gives the same answer. */
  seed?: number;
  /** Also return each reported pair's waterfall. */
  explain?: boolean;
}

export const DEFAULT_THRESHOLD = 0.5;
export const DEFAULT_MATCH_THRESHOLD = 0.95;
const MOST = 0.999999;

export interface ScoredPair {
  a: string | number;
  b: string | number;
  probability: number;
  match: boolean;
  waterfall?: Waterfall;
}

export interface LinkResult {
  mode: 'link' | 'dedupe';
  records: number;
  pairsCompared: number;
  pairs: ScoredPair[];
  model: Model;
  /** Blocks too large to compare, by rule (counts, no values). */
  skippedBlocks: Record<string, number>;
}

export function linkPeople(records: readonly PersonInput[], options: LinkOptions = {}): LinkResult {
  const people = prepareRecords(records);
  const acrossSourcesOnly = new Set(people.map((p) => p.source)).size > 1;
  const pairs = candidatePairs(people, acrossSourcesOnly);
  const levels = levelsOf(people, pairs);
  const model = trainModel(people, pairs, levels, acrossSourcesOnly, {
    uSamplePairs: options.uSamplePairs ?? 300_000,
    seed: options.seed ?? 15,
  });
  return {
    mode: acrossSourcesOnly ? 'link' : 'dedupe',
    records: people.length,
    pairsCompared: pairs.count,
    pairs: scorePairs(people, pairs, levels, model, options),
    model,
    skippedBlocks: pairs.skipped,
  };
}

/** Records as the engine reads them: prepared, placeholder identifiers dropped. */
export function prepareRecords(records: readonly PersonInput[]): PreparedPerson[] {
  const people = records.map((r, i) => preparePerson(r, i));
  dropPlaceholderIdentifiers(people);
  return people;
}

/**
 * The model learned from these records alone (as linkPeople learns it), for
 * a caller that scores other pairs of records with it later: an import
 * learns once from the people held and its whole file, then scores the
 * file a chunk at a time.
 */
export function trainOn(
  people: readonly PreparedPerson[],
  options: Pick<LinkOptions, 'uSamplePairs' | 'seed'> = {},
): Model {
  const acrossSourcesOnly = new Set(people.map((p) => p.source)).size > 1;
  const pairs = candidatePairs(people, acrossSourcesOnly);
  return trainModel(people, pairs, levelsOf(people, pairs), acrossSourcesOnly, {
    uSamplePairs: options.uSamplePairs ?? 300_000,
    seed: options.seed ?? 15,
  });
}

/** Candidate pairs (their levels given) scored with a model, those at or above the threshold. */
export function scorePairs(
  people: readonly PreparedPerson[],
  pairs: { left: Uint32Array; right: Uint32Array; count: number },
  levels: Int8Array,
  model: Model,
  options: Pick<LinkOptions, 'threshold' | 'matchThreshold' | 'explain'> = {},
): ScoredPair[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const matchThreshold = options.matchThreshold ?? DEFAULT_MATCH_THRESHOLD;
  const scorer = createScorer(model);
  const width = comparisons.length;
  const found: ScoredPair[] = [];
  for (let k = 0; k < pairs.count; k += 1) {
    const a = people[pairs.left[k]!]!;
    const b = people[pairs.right[k]!]!;
    // Never reported as certain: at most 0.999999, so --match-threshold 1 links nothing.
    const probability = Math.min(MOST, probabilityOf(scorer.weight(levels, k * width, a, b)));
    if (probability < threshold) continue;
    const pair: ScoredPair = {
      a: a.id,
      b: b.id,
      probability: round(probability),
      match: probability >= matchThreshold,
    };
    if (options.explain) pair.waterfall = scorer.waterfall(levels, k * width, a, b);
    found.push(pair);
  }
  return found;
}

/**
 * An identifier held by more records of one source than one person has
 * ("0000000000", "UNKNOWN") is a placeholder, not an identifier: it is
 * treated as missing rather than as strong evidence that they are one.
 */
export const PLACEHOLDER_RECORDS = 5;

export function dropPlaceholderIdentifiers(people: PreparedPerson[]): void {
  for (const field of ['nhsNumber', 'upn', 'otherIdentifier'] as const) {
    const counts = new Map<string, number>();
    const keyOf = (p: PreparedPerson) => `${p.source}\u0000${p[field]}`;
    for (const p of people) {
      if (p[field] !== null) counts.set(keyOf(p), (counts.get(keyOf(p)) ?? 0) + 1);
    }
    for (const p of people) {
      if (p[field] !== null && (counts.get(keyOf(p)) ?? 0) > PLACEHOLDER_RECORDS) p[field] = null;
    }
  }
}

/** Six significant decimals: enough to rank, no false precision. */
function round(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}

/** For callers that hold prepared records already (the job, tests). */
export type { PreparedPerson };
