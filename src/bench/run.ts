import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { caseworkBenchmarks } from '../casework/bench.js';
import { intakeBenchmarks } from '../intake/bench.js';
import { peopleBenchmarks } from '../people/bench.js';
import { auditBenchmarks } from '../platform/audit/bench.js';
import { auditYearBenchmarks } from '../platform/audit/year-bench.js';
import { publicationBenchmarks } from '../publication/bench.js';
import { linkageBenchmarks } from '../people/linkage/bench.js';
import { retentionBenchmarks } from '../retention/bench.js';
import { returnsBenchmarks } from '../returns/bench.js';
import { rightsBenchmarks } from '../rights/bench.js';
import { statisticsBenchmarks } from '../statistics/bench.js';
import { myWorkBenchmarks } from '../web/my-work/bench.js';

/**
 * `safekeep bench`: latency figures for the operations users wait on, on
 * whichever database is configured. A small registry: each capability
 * exports its benchmarks and adds them to the list below with one line, as
 * migrations are listed in db/migrate.ts.
 */

export interface BenchmarkOptions {
  /** The population to measure at (people); a benchmark fills up to it if needed. */
  size: number;
  /** Timed runs per measurement. */
  iterations: number;
  /** Progress lines (filling, warming up); never personal data. */
  log: (line: string) => void;
  /** Rows in the import benchmark's file (intake/bench.ts; its default when absent). */
  rows?: number;
  /** Children in the statutory returns benchmark (returns/bench.ts; its default when absent). */
  children?: number;
  /** Due records the retention sweep destroys (retention/bench.ts; `size` when absent). */
  dueRecords?: number;
  /** Events in the audit year the queries are asked of (audit-year.queries; skipped when absent). */
  auditEvents?: number;
  /** Sealed, linked events the full walk is timed over (audit-year.verify-full; skipped when absent). */
  chainEvents?: number;
  /**
   * The same database as the tables' owner, for a fill that makes tables
   * (audit-year.queries attaches months it loaded); `db` when absent.
   */
  owner?: Kysely<Database>;
}

export interface Measurement {
  name: string;
  samples: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** For bulk work (a sweep): items handled per second over the whole run. */
  perSecond?: number;
}

export interface Benchmark {
  /** e.g. "people.search"; `--only people` picks every "people.*". */
  name: string;
  description: string;
  run(db: Kysely<Database>, options: BenchmarkOptions): Promise<Measurement[]>;
}

const registry: readonly Benchmark[] = [
  ...peopleBenchmarks,
  ...linkageBenchmarks,
  ...caseworkBenchmarks,
  ...retentionBenchmarks,
  ...rightsBenchmarks,
  ...myWorkBenchmarks,
  ...publicationBenchmarks,
  ...statisticsBenchmarks,
  ...intakeBenchmarks,
  ...auditBenchmarks,
  ...auditYearBenchmarks,
  ...returnsBenchmarks,
];

export function listBenchmarks(): readonly Benchmark[] {
  return registry;
}

export async function runBenchmarks(
  db: Kysely<Database>,
  options: Partial<BenchmarkOptions> & { only?: string[] } = {},
): Promise<Measurement[]> {
  const full: BenchmarkOptions = {
    size: options.size ?? 10_000,
    iterations: options.iterations ?? 200,
    log: options.log ?? (() => undefined),
    ...(options.rows !== undefined ? { rows: options.rows } : {}),
    ...(options.children !== undefined ? { children: options.children } : {}),
    ...(options.dueRecords !== undefined ? { dueRecords: options.dueRecords } : {}),
    ...(options.auditEvents !== undefined ? { auditEvents: options.auditEvents } : {}),
    ...(options.chainEvents !== undefined ? { chainEvents: options.chainEvents } : {}),
    ...(options.owner ? { owner: options.owner } : {}),
  };
  const chosen = registry.filter(
    (b) =>
      !options.only?.length || options.only.some((o) => b.name === o || b.name.startsWith(`${o}.`)),
  );
  const results: Measurement[] = [];
  for (const benchmark of chosen) {
    full.log(`${benchmark.name}: ${benchmark.description}`);
    results.push(...(await benchmark.run(db, full)));
  }
  return results;
}

/** Times `work` `iterations` times after a short warm-up; the figures in milliseconds. */
export async function measure(
  name: string,
  iterations: number,
  work: (i: number) => Promise<unknown>,
): Promise<Measurement> {
  for (let i = 0; i < Math.min(10, iterations); i += 1) await work(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    await work(i);
    samples.push(performance.now() - started);
  }
  return summarise(name, samples);
}

export function summarise(name: string, samples: number[]): Measurement {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    name,
    samples: sorted.length,
    medianMs: round(at(0.5)),
    p95Ms: round(at(0.95)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

export function formatMeasurements(results: Measurement[]): string {
  const width = Math.max(10, ...results.map((r) => r.name.length));
  const lines = [
    `${'benchmark'.padEnd(width)}  ${'runs'.padStart(5)}  ${'median ms'.padStart(10)}  ${'p95 ms'.padStart(8)}  ${'max ms'.padStart(8)}`,
  ];
  for (const r of results) {
    lines.push(
      `${r.name.padEnd(width)}  ${String(r.samples).padStart(5)}  ${r.medianMs.toFixed(2).padStart(10)}  ${r.p95Ms.toFixed(2).padStart(8)}  ${r.maxMs.toFixed(2).padStart(8)}` +
        (r.perSecond !== undefined
          ? `  ${Math.round(r.perSecond).toLocaleString('en-GB')} per second`
          : ''),
    );
  }
  return lines.join('\n');
}
