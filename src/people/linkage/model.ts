/* eslint-disable @typescript-eslint/no-non-null-assertion --
   Array positions here come from loops bounded by the arrays' own lengths (the
   numeric core of the matcher); noUncheckedIndexedAccess cannot see that. */
import {
  applyFamilyGate,
  comparePair,
  comparisons,
  FAMILY,
  GIVEN,
  termValue,
  type TermKind,
} from './comparisons.js';
import type { PreparedPerson } from './record.js';
import { referenceParameters } from './reference.js';
import { exactAgreement, withExactAgreement } from './exact-agreement.js';

/**
 * The Fellegi–Sunter model's parameters, learned from the records being
 * matched, as Splink learns them (decision 0027):
 * - u (how often two unrelated records land on each level) from a sample
 *   of random pairs, cleaned of the true pairs in it; the "the same"
 *   levels counted from value frequencies instead (exact-agreement.ts);
 * - m (how often the same person's two records do) by expectation-
 *   maximisation over blocked pairs, in two training sessions so that no
 *   field is learned from pairs chosen for agreeing on it: pairs with the
 *   same date of birth teach every field but the date of birth, pairs with
 *   the same given name and family names that sound alike teach the rest;
 * - the prior λ (how often two random records are one person) by EM over
 *   all possible pairs with m and u held, those blocking left out counting
 *   as different people.
 * Nothing is hand-tuned: each estimate starts from reference parameters
 * (reference.ts, learned from synthetic people) and is weakly pulled
 * towards them (PRIOR_WEIGHT), so that a handful of records still gives a
 * usable model.
 */
export interface ComparisonParameters {
  m: number[];
  u: number[];
}

export interface TrainingSession {
  name: string;
  pairs: number;
  iterations: number;
  converged: boolean;
}

export interface Model {
  parameters: ComparisonParameters[];
  /** Probability that two records chosen at random are one person. */
  lambda: number;
  /** Share of records with each value that people may share, for term frequency. */
  termFrequency: Record<TermKind, Map<string, number>>;
  sessions: TrainingSession[];
  uSamplePairs: number;
}

/** A comparison pattern: its levels and how many pairs have it. */
export interface Pattern {
  levels: Int8Array;
  count: number;
}

/**
 * How many pairs' worth of the reference parameters (reference.ts) each
 * estimate starts from: next to 300,000 sampled pairs, or thousands of
 * blocked ones, they are nothing; for a list of ten they are most of what
 * is known, so a short list is still scored sensibly.
 */
export const PRIOR_WEIGHT = { m: 20, u: 1000 };
const FLOOR = 1e-6;

/** Start: each level half as likely as the one above it, for m; even, for u. */
export function startingM(): number[][] {
  return comparisons.map((c) => {
    const weights = c.levels.map((_, l) => 2 ** (c.levels.length - 1 - l));
    const total = weights.reduce((s, w) => s + w, 0);
    return weights.map((w) => w / total);
  });
}

/** Patterns (with counts) from levels stored pair after pair, `width` a pair. */
export function patternsOf(levels: Int8Array, pairs: Iterable<number>): Pattern[] {
  const width = comparisons.length;
  const byKey = new Map<number, Pattern>();
  for (const k of pairs) {
    let key = 0;
    for (let c = 0; c < width; c += 1) key = key * 16 + (levels[k * width + c]! + 1);
    const found = byKey.get(key);
    if (found) found.count += 1;
    else byKey.set(key, { levels: levels.slice(k * width, (k + 1) * width), count: 1 });
  }
  return [...byKey.values()];
}

/** A small seeded generator (mulberry32): the same input gives the same sample and answer. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random sample of pairs (of different sources when linking), as
 * patterns of levels without the family gate: unrelated people's family
 * names agree or not regardless of their given names.
 */
export function samplePairs(
  people: readonly PreparedPerson[],
  acrossSourcesOnly: boolean,
  samplePairs: number,
  random: () => number,
): { patterns: Pattern[]; sampled: number } {
  const width = comparisons.length;
  const n = people.length;
  const all = allPairsCount(people, acrossSourcesOnly);
  const exhaustive = all <= samplePairs;
  const levels = new Int8Array(Math.min(all, samplePairs) * width);
  const out = new Int8Array(width);
  let sampled = 0;
  const visit = (a: PreparedPerson, b: PreparedPerson) => {
    levels.set(comparePair(a, b, out), sampled * width);
    sampled += 1;
  };
  if (exhaustive) {
    for (let i = 0; i < n; i += 1) {
      for (let j = i + 1; j < n; j += 1) {
        if (acrossSourcesOnly && people[i]!.source === people[j]!.source) continue;
        visit(people[i]!, people[j]!);
      }
    }
  } else {
    let tries = 0;
    while (sampled < samplePairs && tries < samplePairs * 20) {
      tries += 1;
      const i = Math.floor(random() * n);
      const j = Math.floor(random() * n);
      if (i === j || (acrossSourcesOnly && people[i]!.source === people[j]!.source)) continue;
      visit(people[i]!, people[j]!);
    }
  }
  return { patterns: patternsOf(levels, range(sampled)), sampled };
}

/**
 * u as the share of sampled pairs on each level. Weighted, when given, by
 * each pattern's chance of being two different people: a random sample of
 * 5,000 × 5,000 holds about as many true pairs as pairs with one date of
 * birth by chance, and left in they would halve that agreement's worth.
 */
export function uFromSample(
  patterns: readonly Pattern[],
  different?: Float64Array,
  prior: { u: number[][]; weight: number } = { u: referenceParameters.u, weight: PRIOR_WEIGHT.u },
): number[][] {
  const counts = comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
  patterns.forEach((p, k) => {
    const w = p.count * (different ? different[k]! : 1);
    p.levels.forEach((level, c) => {
      if (level >= 0) counts[c]![level]! += w;
    });
  });
  return counts.map((levelCounts, c) => {
    const total = levelCounts.reduce((s, x) => s + x, 0);
    // Starting from the reference: a level no random pair reached (two NHS
    // numbers agreeing) is rare, not impossible.
    return levelCounts.map(
      (x, l) => (x + prior.weight * prior.u[c]![l]!) / (total + prior.weight) || FLOOR,
    );
  });
}

export function allPairsCount(people: readonly PreparedPerson[], acrossSourcesOnly: boolean) {
  const n = people.length;
  if (!acrossSourcesOnly) return (n * (n - 1)) / 2;
  const bySource = new Map<string, number>();
  for (const p of people) bySource.set(p.source, (bySource.get(p.source) ?? 0) + 1);
  let same = 0;
  for (const k of bySource.values()) same += (k * (k - 1)) / 2;
  return (n * (n - 1)) / 2 - same;
}

function matchProbabilities(
  patterns: readonly Pattern[],
  m: number[][],
  u: number[][],
  active: readonly boolean[],
  lambda: number,
): Float64Array {
  const out = new Float64Array(patterns.length);
  const priorOdds = Math.log(lambda) - Math.log(1 - lambda);
  patterns.forEach((p, k) => {
    let logOdds = priorOdds;
    p.levels.forEach((level, c) => {
      if (level >= 0 && active[c]) logOdds += Math.log(m[c]![level]!) - Math.log(u[c]![level]!);
    });
    out[k] = 1 / (1 + Math.exp(-logOdds));
  });
  return out;
}

/**
 * Expectation-maximisation with u held: E, each pattern's probability of
 * being one person; M, m as the match-weighted share of each level, and λ
 * as the mean of those probabilities. `learn` says which comparisons' m
 * this session may change (the others still count as evidence, with the
 * m they have). Stops when nothing moves by more than 1e-6.
 */
export function expectationMaximisation(
  patterns: readonly Pattern[],
  start: { m: number[][]; u: number[][]; lambda: number },
  learn: readonly boolean[],
  options: {
    learnLambdaOnly?: boolean;
    /**
     * All possible pairs, of which `patterns` are the candidates: λ is then
     * the prior of any two records, and the pairs blocking left out count
     * as different people (their chance of being one person is negligible).
     */
    totalPairs?: number;
    maxIterations?: number;
    ignore?: readonly boolean[];
    /** What m is pulled towards, and by how many pairs' worth (a weak prior). */
    prior?: { m: number[][]; weight: number };
  } = {},
): { m: number[][]; lambda: number; iterations: number; converged: boolean } {
  const m = start.m.map((levels) => [...levels]);
  let lambda = start.lambda;
  const active = comparisons.map((_, c) => !options.ignore?.[c]);
  const maxIterations = options.maxIterations ?? 200;
  const total = patterns.reduce((s, p) => s + p.count, 0);
  if (total === 0) return { m, lambda, iterations: 0, converged: true };
  for (let iteration = 1; iteration <= maxIterations; iteration += 1) {
    const probabilities = matchProbabilities(patterns, m, start.u, active, lambda);
    let expectedMatches = 0;
    const weighted = comparisons.map((c) => new Array<number>(c.levels.length).fill(0));
    patterns.forEach((p, k) => {
      const w = probabilities[k]! * p.count;
      expectedMatches += w;
      p.levels.forEach((level, c) => {
        if (level >= 0) weighted[c]![level]! += w;
      });
    });
    let change = 0;
    const nextLambda = Math.min(
      1 - FLOOR,
      Math.max(FLOOR / 1e6, expectedMatches / (options.totalPairs ?? total)),
    );
    // Relative for λ: over all pairs it may be one in millions.
    change = Math.max(change, Math.abs(nextLambda - lambda) / lambda);
    lambda = nextLambda;
    if (!options.learnLambdaOnly) {
      comparisons.forEach((_, c) => {
        if (!learn[c]) return;
        const counts = weighted[c]!;
        const sum = counts.reduce((s, x) => s + x, 0);
        const prior = options.prior?.m[c] ?? start.m[c]!;
        const weight = options.prior?.weight ?? 2;
        const next = counts.map((x, l) =>
          Math.max(FLOOR, (x + weight * prior[l]!) / (sum + weight)),
        );
        next.forEach((value, l) => {
          change = Math.max(change, Math.abs(value - m[c]![l]!));
        });
        m[c] = next;
      });
    }
    if (change < 1e-6) return { m, lambda, iterations: iteration, converged: true };
  }
  return { m, lambda, iterations: maxIterations, converged: false };
}

export function termFrequencies(
  people: readonly PreparedPerson[],
): Record<TermKind, Map<string, number>> {
  const count = (kind: TermKind) => {
    const counts = new Map<string, number>();
    let total = 0;
    for (const p of people) {
      const v = termValue(kind, p);
      if (v === null) continue;
      counts.set(v, (counts.get(v) ?? 0) + 1);
      total += 1;
    }
    for (const [k, v] of counts) counts.set(k, v / total);
    return counts;
  };
  return {
    given: count('given'),
    family: count('family'),
    birth: count('birth'),
    postcode: count('postcode'),
  };
}

/**
 * Learns the model from the candidate pairs' levels (gated), their pairs of
 * records, and a random sample for u.
 */
export function trainModel(
  people: readonly PreparedPerson[],
  pairs: { left: Uint32Array; right: Uint32Array; count: number },
  levels: Int8Array,
  acrossSourcesOnly: boolean,
  options: { uSamplePairs: number; seed: number },
): Model {
  const sample = samplePairs(
    people,
    acrossSourcesOnly,
    options.uSamplePairs,
    seededRandom(options.seed),
  );
  const width = comparisons.length;
  const birthSession: number[] = [];
  const namesSession: number[] = [];
  for (let k = 0; k < pairs.count; k += 1) {
    if (levels[k * width + 2] === 0) birthSession.push(k);
    const a = people[pairs.left[k]!]!;
    const b = people[pairs.right[k]!]!;
    // Given names the same, nearly, or a known short form (not merely
    // sounding alike: brothers and sisters' names may, and with a shared
    // address they would teach that a different date of birth is common).
    if (
      a.family &&
      b.family &&
      levels[k * width + GIVEN]! >= 0 &&
      levels[k * width + GIVEN]! <= 2 &&
      a.family.phonetic[0] === b.family.phonetic[0]
    ) {
      namesSession.push(k);
    }
  }
  const plans = [
    { name: 'pairs with the same date of birth', members: birthSession, fixed: [2] },
    {
      name: 'pairs with the same given name and family names that sound alike',
      members: namesSession,
      fixed: [GIVEN, FAMILY],
    },
  ].map((plan) => ({ ...plan, patterns: patternsOf(levels, plan.members) }));
  const all = patternsOf(levels, range(pairs.count));
  const possible = allPairsCount(people, acrossSourcesOnly);
  // The sample's patterns as the model sees them (gated), for its posterior.
  const sampleGated = sample.patterns.map((p) => ({
    levels: applyFamilyGate(p.levels.slice()),
    count: p.count,
  }));
  const agreement = exactAgreement(people, acrossSourcesOnly);
  const uPrior = { u: referenceParameters.u, weight: PRIOR_WEIGHT.u };
  let m = referenceParameters.m;
  let u = withExactAgreement(uFromSample(sample.patterns), agreement, m, 0, uPrior);
  let sessions: TrainingSession[] = [];
  let lambda = 0;
  // Two rounds: the second with u cleaned of the true pairs the first found in the sample.
  for (let round = 0; round < 2; round += 1) {
    ({ m, sessions } = learnM(plans, u));
    const prior = learnPrior(all, pairs.count, possible, m, u);
    sessions.push(prior.session);
    lambda = prior.lambda;
    if (round === 0 && lambda > 0) {
      const same = matchProbabilities(sampleGated, m, u, allActive, lambda);
      u = withExactAgreement(
        uFromSample(
          sample.patterns,
          same.map((p) => 1 - p),
        ),
        agreement,
        m,
        lambda,
        uPrior,
      );
    }
  }
  return {
    parameters: comparisons.map((_, c) => ({ m: m[c]!, u: u[c]! })),
    lambda,
    termFrequency: termFrequencies(people),
    sessions,
    uSamplePairs: sample.sampled,
  };
}

const allActive = comparisons.map(() => true);

/**
 * The prior over all possible pairs (λ), learned by EM from the candidate
 * pairs' patterns with m and u held; the pairs blocking left out count as
 * different people.
 */
export function learnPrior(
  patterns: readonly Pattern[],
  candidates: number,
  possible: number,
  m: number[][],
  u: number[][],
): { lambda: number; session: TrainingSession } {
  const prior = expectationMaximisation(
    patterns,
    { m, u, lambda: Math.min(0.5, candidates / Math.max(1, possible)) },
    [],
    { learnLambdaOnly: true, totalPairs: Math.max(possible, candidates), maxIterations: 1000 },
  );
  return {
    lambda: possible > 0 ? Math.min(0.5, prior.lambda) : 0,
    session: {
      name: 'every candidate pair (the prior only)',
      pairs: candidates,
      iterations: prior.iterations,
      converged: prior.converged,
    },
  };
}

/**
 * A trained model with its prior learned again for other pairs: m, u and
 * term frequencies say how fields agree, which does not change from one
 * chunk of an import to the next; λ, the chance that two records chosen at
 * random are one person, does (it falls as the people held grow), and it
 * costs one EM over a few hundred patterns.
 */
export function withPriorFor(
  model: Model,
  levels: Int8Array,
  candidates: number,
  possible: number,
): Model {
  const m = model.parameters.map((p) => p.m);
  const u = model.parameters.map((p) => p.u);
  const prior = learnPrior(patternsOf(levels, range(candidates)), candidates, possible, m, u);
  return { ...model, lambda: prior.lambda, sessions: [...model.sessions, prior.session] };
}

/** m from each training session, averaged where two sessions learned the same field. */
function learnM(
  plans: readonly { name: string; members: number[]; fixed: number[]; patterns: Pattern[] }[],
  u: number[][],
): { m: number[][]; sessions: TrainingSession[] } {
  const start = referenceParameters.m;
  const sessions: TrainingSession[] = [];
  const learned: number[][][] = [];
  const learnedBy: boolean[][] = [];
  for (const plan of plans) {
    const learn = comparisons.map((_, c) => !plan.fixed.includes(c));
    const result = expectationMaximisation(plan.patterns, { m: start, u, lambda: 0.1 }, learn, {
      // The fields the pairs were chosen on are no evidence within them.
      ignore: comparisons.map((_, c) => plan.fixed.includes(c)),
      prior: { m: start, weight: PRIOR_WEIGHT.m },
    });
    sessions.push({
      name: plan.name,
      pairs: plan.members.length,
      iterations: result.iterations,
      converged: result.converged,
    });
    learned.push(result.m);
    learnedBy.push(learn.map((l) => l && plan.members.length > 0));
  }
  const m = comparisons.map((_, c) => {
    const from = learned.filter((_, s) => learnedBy[s]![c]);
    if (from.length === 0) return start[c]!;
    return start[c]!.map((_, l) => from.reduce((s, ms) => s + ms[c]![l]!, 0) / from.length);
  });
  return { m, sessions };
}

function* range(n: number) {
  for (let k = 0; k < n; k += 1) yield k;
}

/** Levels of every candidate pair, gated, `comparisons.length` a pair. */
export function levelsOf(
  people: readonly PreparedPerson[],
  pairs: { left: Uint32Array; right: Uint32Array; count: number },
): Int8Array {
  const width = comparisons.length;
  const levels = new Int8Array(pairs.count * width);
  const out = new Int8Array(width);
  for (let k = 0; k < pairs.count; k += 1) {
    comparePair(people[pairs.left[k]!]!, people[pairs.right[k]!]!, out);
    applyFamilyGate(out);
    levels.set(out, k * width);
  }
  return levels;
}
