/* eslint-disable @typescript-eslint/no-non-null-assertion --
   Array positions here come from loops bounded by the arrays' own lengths (the
   numeric core of the matcher); noUncheckedIndexedAccess cannot see that. */
import { comparisons, FAMILY, GIVEN, GIVEN_DIFFERENT, termValue } from './comparisons.js';
import type { Model } from './model.js';
import type { PreparedPerson } from './record.js';

/**
 * A pair's score: the prior odds times each field's Bayes factor (m/u for
 * its level), added as log2 (match weights). An exact name is weighed by
 * how common that name is among the records (term frequency): m divided by
 * the name's share of records, rather than by the average u of the level,
 * so "Smith" agreeing counts for less than "Szczepański" agreeing.
 */
export interface WaterfallStep {
  /** "Starting point", "Given name", … */
  field: string;
  /** What was found, in words: "the same (a rare name)". */
  finding: string;
  bayesFactor: number;
  /** log2 of the Bayes factor: the step's height in the waterfall. */
  weight: number;
  /** The whole sentence a person reads. */
  text: string;
}

export interface Scorer {
  /** log2 odds that the pair is one person. */
  weight(levels: Int8Array, offset: number, a: PreparedPerson, b: PreparedPerson): number;
  waterfall(levels: Int8Array, offset: number, a: PreparedPerson, b: PreparedPerson): Waterfall;
}

export interface Waterfall {
  steps: WaterfallStep[];
  /** Sum of the steps' weights. */
  weight: number;
  probability: number;
}

export function probabilityOf(weight: number): number {
  return 1 / (1 + 2 ** -weight);
}

export function createScorer(model: Model): Scorer {
  const table = model.parameters.map(({ m, u }) => m.map((mi, l) => Math.log2(mi / u[l]!)));
  const priorWeight = Math.log2(model.lambda / (1 - model.lambda));
  const weighedByFrequency = comparisons.map((c) => c.levels[0]?.termFrequency !== undefined);
  const termFactor = (
    c: number,
    level: number,
    a: PreparedPerson,
  ): { factor: number; frequency: number } | null => {
    const tf = comparisons[c]!.levels[level]!.termFrequency;
    if (!tf) return null;
    const value = termValue(tf, a);
    const frequency = value === null ? undefined : model.termFrequency[tf].get(value);
    if (frequency === undefined) return null;
    const { m, u } = model.parameters[c]!;
    // Names both ways: a rare name counts for more than the average. A date
    // of birth or postcode only when many records share it (a placeholder
    // date, "NFA", a hostel): an ordinary one is worth what the level's u,
    // counted over all pairs, says (its own share would count the pair's
    // two records of one person against it).
    if (tf !== 'given' && tf !== 'family' && frequency <= 10 * u[level]!) return null;
    return { factor: m[level]! / Math.max(frequency, 1e-9), frequency };
  };
  const weight = (levels: Int8Array, offset: number, a: PreparedPerson) => {
    let w = priorWeight;
    for (let c = 0; c < comparisons.length; c += 1) {
      const level = levels[offset + c]!;
      if (level < 0) continue;
      if (level === 0 && weighedByFrequency[c]) {
        const t = termFactor(c, 0, a);
        if (t) {
          w += Math.log2(t.factor);
          continue;
        }
      }
      w += table[c]![level]!;
    }
    return w;
  };
  return {
    weight,
    waterfall(levels, offset, a) {
      const steps: WaterfallStep[] = [
        {
          field: 'Starting point',
          finding: 'two records chosen at random',
          bayesFactor: model.lambda / (1 - model.lambda),
          weight: priorWeight,
          text: `Two records chosen at random are one person about 1 time in ${Math.round(1 / model.lambda).toLocaleString('en-GB')}.`,
        },
      ];
      comparisons.forEach((comparison, c) => {
        const level = levels[offset + c]!;
        if (level < 0) {
          const gated =
            levels[offset + GIVEN] === GIVEN_DIFFERENT &&
            (c === FAMILY || comparison.key === 'address');
          steps.push({
            field: comparison.label,
            finding: gated ? 'not counted' : 'missing from one or both records',
            bayesFactor: 1,
            weight: 0,
            text: gated
              ? `${comparison.label}: not counted, because the given names are clearly different — brothers and sisters (twins too) share this, so it says nothing about being one person.`
              : `${comparison.label}: missing from one or both records, so no evidence either way.`,
          });
          return;
        }
        let finding = comparison.levels[level]!.label;
        let factor = 2 ** table[c]![level]!;
        const t = level === 0 ? termFactor(c, 0, a) : null;
        if (t) {
          factor = t.factor;
          const average = model.parameters[c]!.u[0]!;
          if (c === GIVEN || c === FAMILY) {
            finding += t.frequency > average ? ' (a common name)' : ' (an uncommon name)';
          } else if (t.frequency > 10 * average) {
            finding += ' (a value many records share)';
          }
        }
        steps.push({
          field: comparison.label,
          finding,
          bayesFactor: factor,
          weight: Math.log2(factor),
          text: `${comparison.label}: ${finding}. ${describeFactor(factor)}`,
        });
      });
      const total = steps.reduce((s, step) => s + step.weight, 0);
      return { steps, weight: total, probability: probabilityOf(total) };
    },
  };
}

function describeFactor(factor: number): string {
  const round = (x: number) =>
    x >= 100
      ? Math.round(x).toLocaleString('en-GB')
      : x >= 10
        ? String(Math.round(x))
        : String(Math.round(x * 10) / 10);
  if (factor >= 1.05) return `This is ${round(factor)} times as likely if they are one person.`;
  if (factor <= 1 / 1.05) {
    return `This is ${round(1 / factor)} times as likely if they are different people.`;
  }
  return 'This says little either way.';
}
