import type { Benchmark } from '../bench/run.js';
import { summarise } from '../bench/run.js';
import { heldOut } from '../../test/fixtures/publication/held-out.js';
import { reports } from '../../test/fixtures/publication/reports.js';
import { unmark } from './evaluate.js';
import { redact } from './redact.js';

/**
 * `publication.redact`: the synthetic practice reviews (about 150 to 400
 * words each, with their case's people) redacted in turn, as the CLI does;
 * the figure is reports per second on one core. Needs no database.
 */
export const publicationBenchmarks: readonly Benchmark[] = [
  {
    name: 'publication.redact',
    description: 'practice-review reports redacted (known people, patterns and name detection)',
    run(_db, options) {
      const inputs = [...reports, ...heldOut].map((r) => ({
        text: unmark(r.marked).text,
        people: r.people,
      }));
      // Warm-up: the name lists are read on first use.
      for (const input of inputs) redact(input.text, input.people);
      const samples: number[] = [];
      const started = performance.now();
      for (let i = 0; i < Math.max(options.iterations, inputs.length); i += 1) {
        const input = inputs[i % inputs.length];
        if (!input) continue;
        const t = performance.now();
        redact(input.text, input.people);
        samples.push(performance.now() - t);
      }
      const seconds = (performance.now() - started) / 1000;
      return Promise.resolve([
        { ...summarise('publication.redact', samples), perSecond: samples.length / seconds },
      ]);
    },
  },
];
