import { candidatePairs } from './blocking.js';
import { levelsOf, PRIOR_WEIGHT, startingM, trainModel } from './model.js';
import { preparePerson } from './record.js';
import { twoSources } from './synthetic.js';

/**
 * Writes reference.ts: the parameters learned from 5,000 x 5,000 synthetic
 * people with no prior at all. Run when the comparisons' levels change:
 * `npx tsx src/people/linkage/reference-learn.ts > src/people/linkage/reference.ts`
 */
PRIOR_WEIGHT.m = 0;
PRIOR_WEIGHT.u = 0;
const { records } = twoSources(5000, 1);
const people = records.map((r, i) => preparePerson(r, i));
const pairs = candidatePairs(people, true);
const model = trainModel(people, pairs, levelsOf(people, pairs), true, {
  uSamplePairs: 1_000_000,
  seed: 1,
});
// A field the synthetic people never have (another identifier) keeps the
// starting guess. Nothing is impossible: m is at least one in a thousand
// (real records have errors these synthetic ones lack: a phonetic
// spelling nobody planted, a sex recorded wrongly), u one in a million.
const start = startingM();
const rows = (pick: 'm' | 'u') =>
  model.parameters
    .map((p, c) => {
      const learned = p[pick].some((x) => x > 1e-6)
        ? p[pick]
        : pick === 'm'
          ? (start[c] ?? p[pick])
          : p[pick].map(() => 1 / p[pick].length);
      const floor = pick === 'm' ? 1e-3 : 1e-6;
      return `    [${learned.map((x) => Number(Math.max(floor, x).toPrecision(3))).join(', ')}],`;
    })
    .join('\n');
process.stdout.write(`/**
 * Reference parameters: m and u as learned, with no prior, from 5,000 x
 * 5,000 synthetic people (\`npx tsx src/people/linkage/reference-learn.ts\`
 * writes this file). Every run learns its own from its data; these are
 * only where it starts, and what a short list leans on (model.ts,
 * PRIOR_WEIGHT). One row per comparison (comparisons.ts), one number per level.
 */
export const referenceParameters: { m: number[][]; u: number[][] } = {
  m: [
${rows('m')}
  ],
  u: [
${rows('u')}
  ],
};
`);
