import type { Benchmark, Measurement } from '../../bench/run.js';
import { summarise } from '../../bench/run.js';
import { evaluate, type Evaluation } from './evaluate.js';
import type { PersonInput } from './record.js';
import { oneSource, twoSources, type Truth } from './synthetic.js';

/**
 * The matcher at the sizes issue 15 sets: two lists of 5,000 (target F1 ≥
 * 0.995, under 10 s) and one list of 100,000 to deduplicate (under 2
 * minutes). No database: the records are synthetic and held in memory.
 * Accuracy and CPU time are logged beside the timings, since a shared
 * machine stretches wall time but not the work done.
 */
async function runLinkage(
  name: string,
  make: () => { records: PersonInput[]; truth: Truth },
  runs: number,
  log: (line: string) => void,
): Promise<Measurement[]> {
  const { records, truth } = make();
  const samples: number[] = [];
  let last: Evaluation | null = null;
  for (let i = 0; i < runs; i += 1) {
    last = evaluate(records, truth);
    samples.push(last.seconds * 1000);
    // Let the event loop breathe between runs (progress lines, signals).
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (last) {
    const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
    log(
      `  ${name}: ${last.records.toLocaleString('en-GB')} records, ${last.pairsCompared.toLocaleString('en-GB')} pairs compared; ` +
        `precision ${pct(last.precision)}, recall ${pct(last.recall)}, F1 ${last.f1.toFixed(4)} ` +
        `(${last.correct} of ${last.truePairs} true pairs linked, ${last.linked - last.correct} wrongly; ` +
        `${last.review.samePerson + last.review.different} for review); ` +
        `${last.seconds.toFixed(2)} s wall, ${last.cpuSeconds.toFixed(2)} s CPU`,
    );
  }
  const measurement = summarise(name, samples);
  return [{ ...measurement, perSecond: records.length / ((measurement.medianMs || 1) / 1000) }];
}

export const linkageBenchmarks: Benchmark[] = [
  {
    name: 'people.link.5000x5000',
    description: 'matching two lists of 5,000 synthetic people (records per second; F1 logged)',
    run: (_db, options) =>
      runLinkage(
        'people.link.5000x5000',
        () => twoSources(5000, 2026),
        Math.max(1, Math.min(options.iterations, 3)),
        options.log,
      ),
  },
  {
    name: 'people.link.dedupe-100000',
    description:
      'finding duplicates among 100,000 synthetic people (records per second; F1 logged)',
    run: (_db, options) =>
      runLinkage('people.link.dedupe-100000', () => oneSource(100_000, 2026), 1, options.log),
  },
];
