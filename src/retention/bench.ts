import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import type { Benchmark } from '../bench/run.js';
import type { Database } from '../db/schema.js';
import { policies } from '../policy/index.js';
import { reassessAllRecords } from '../casework/retention-batch.js';
import { createRetentionService } from '../services.js';
import { assessRetention, parseRetentionRequest } from './engine.js';
import { insertDueRecords } from './synthetic-due-records.js';

/**
 * Retention's figures for `npm run bench`: how fast the engine computes due
 * dates, and how fast the sweep destroys due records with their notes,
 * documents and people (certificates and audit included).
 */
export function benchRetentionCompute(count: number): {
  count: number;
  seconds: number;
  perSecond: number;
} {
  const requests = [];
  const categories = policies.flatMap((p) =>
    p.categories.map((c) => ({ organisation: p.slug, category: c.slug })),
  );
  for (let i = 0; i < count; i += 1) {
    const pick = categories[i % categories.length];
    if (!pick) break;
    const { organisation, category } = pick;
    const year = 1950 + (i % 70);
    const month = String(1 + (i % 12)).padStart(2, '0');
    const day = String(1 + (i % 28)).padStart(2, '0');
    const date = `${year}-${month}-${day}`;
    const parsed = parseRetentionRequest({
      organisation,
      category,
      facts: {
        dateOfBirth: date,
        incidentDate: date,
        closureDate: date,
        outcome: i % 2 ? 'substantiated' : 'unfounded',
        trainingDate: date,
        recordedDate: date,
        lastContactDate: date,
        cautionOrConvictionDate: date,
        completedDate: date,
        meetingDate: date,
        reportDate: date,
      },
    });
    if (parsed.ok) requests.push(parsed.value);
  }
  const started = performance.now();
  for (const request of requests) assessRetention(request);
  const seconds = (performance.now() - started) / 1000;
  return { count: requests.length, seconds, perSecond: requests.length / seconds };
}

export async function benchRetentionSweep(
  db: Kysely<Database>,
  count: number,
): Promise<{ count: number; seconds: number; perSecond: number; fillSeconds: number }> {
  const filling = performance.now();
  await insertDueRecords(db, count, { notesPerRecord: 2, withDocuments: true });
  const fillSeconds = (performance.now() - filling) / 1000;
  const started = performance.now();
  const report = await createRetentionService(db).sweep({
    asOf: '2026-11-25',
    dryRun: false,
    batchSize: 500,
  });
  const seconds = (performance.now() - started) / 1000;
  if (report.disposed !== count) throw new Error(`sweep destroyed ${report.disposed} of ${count}`);
  return { count, seconds, perSecond: count / seconds, fillSeconds };
}

/** In the `safekeep bench` registry: throughput, reported per second. */
export const retentionBenchmarks: readonly Benchmark[] = [
  {
    name: 'retention.compute',
    description: 'due dates computed by the engine, every category of every notice',
    async run(_db, options) {
      const result = benchRetentionCompute(Math.max(options.size, 10_000));
      return [
        {
          name: 'retention.compute',
          samples: result.count,
          medianMs: (result.seconds * 1000) / result.count,
          p95Ms: (result.seconds * 1000) / result.count,
          maxMs: result.seconds * 1000,
          perSecond: result.perSecond,
        },
      ];
    },
  },
  {
    name: 'retention.recompute',
    description:
      'every stored record assessed again by the bulk recompute (a policy change, a bulk load)',
    async run(db, options) {
      const started = performance.now();
      const result = await reassessAllRecords(db);
      const seconds = (performance.now() - started) / 1000;
      options.log(
        `  ${result.assessed.toLocaleString('en-GB')} records assessed, ${result.written.toLocaleString('en-GB')} answers changed and written, in ${seconds.toFixed(1)} s`,
      );
      return [
        {
          name: 'retention.recompute all records',
          samples: result.assessed,
          medianMs: (seconds * 1000) / Math.max(1, result.assessed),
          p95Ms: (seconds * 1000) / Math.max(1, result.assessed),
          maxMs: seconds * 1000,
          perSecond: result.assessed / seconds,
        },
      ];
    },
  },
  {
    name: 'retention.sweep',
    description: 'due records destroyed by the sweep (2 notes and a document each), certified',
    async run(db, options) {
      const due = options.dueRecords ?? options.size;
      options.log(`retention.sweep: filling ${due} due records`);
      const result = await benchRetentionSweep(db, due);
      return [
        {
          name: 'retention.sweep',
          samples: result.count,
          medianMs: (result.seconds * 1000) / result.count,
          p95Ms: (result.seconds * 1000) / result.count,
          maxMs: result.seconds * 1000,
          perSecond: result.perSecond,
        },
      ];
    },
  },
];
