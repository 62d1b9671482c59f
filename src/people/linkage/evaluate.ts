import { linkPeople, type LinkOptions, type ScoredPair } from './link.js';
import type { PersonInput } from './record.js';
import type { Truth } from './synthetic.js';

/**
 * Precision, recall and F1 of the pairs the matcher would link (match:
 * true), against the synthetic truth: every pair of records of one person
 * (across the sources when there are two, within the one otherwise).
 */
export interface Evaluation {
  records: number;
  truePairs: number;
  linked: number;
  correct: number;
  precision: number;
  recall: number;
  f1: number;
  /** Pairs for review (between the thresholds) that are one person, and that are not. */
  review: { samePerson: number; different: number };
  pairsCompared: number;
  seconds: number;
  cpuSeconds: number;
}

export function truePairCount(records: readonly PersonInput[], truth: Truth): number {
  const sources = new Set(records.map((r) => r.source ?? ''));
  const across = sources.size > 1;
  const groups = new Map<number, Map<string, number>>();
  for (const r of records) {
    const person = truth.personOf.get(String(r.id)) ?? -1;
    const bySource = groups.get(person) ?? new Map<string, number>();
    const source = r.source ?? '';
    bySource.set(source, (bySource.get(source) ?? 0) + 1);
    groups.set(person, bySource);
  }
  let count = 0;
  for (const bySource of groups.values()) {
    const counts = [...bySource.values()];
    const n = counts.reduce((s, c) => s + c, 0);
    const within = counts.reduce((s, c) => s + (c * (c - 1)) / 2, 0);
    count += across ? (n * (n - 1)) / 2 - within : (n * (n - 1)) / 2;
  }
  return count;
}

export function scorePairs(pairs: readonly ScoredPair[], truth: Truth) {
  let linked = 0;
  let correct = 0;
  const review = { samePerson: 0, different: 0 };
  for (const pair of pairs) {
    const same = truth.personOf.get(String(pair.a)) === truth.personOf.get(String(pair.b));
    if (pair.match) {
      linked += 1;
      if (same) correct += 1;
    } else if (same) review.samePerson += 1;
    else review.different += 1;
  }
  return { linked, correct, review };
}

export function evaluate(
  records: readonly PersonInput[],
  truth: Truth,
  options: LinkOptions = {},
): Evaluation {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = linkPeople(records, options);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const truePairs = truePairCount(records, truth);
  const { linked, correct, review } = scorePairs(result.pairs, truth);
  const precision = linked === 0 ? 1 : correct / linked;
  const recall = truePairs === 0 ? 1 : correct / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    records: records.length,
    truePairs,
    linked,
    correct,
    precision,
    recall,
    f1,
    review,
    pairsCompared: result.pairsCompared,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}
