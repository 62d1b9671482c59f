import { generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql, type Compilable, type Kysely } from 'kysely';
import type { Benchmark, Measurement } from '../../bench/run.js';
import { measure } from '../../bench/run.js';
import { vacuumAnalyse } from '../../bench/vacuum.js';
import type { Database } from '../../db/schema.js';
import { sealAuditEventsWith } from './audit-log.js';
import { fillSealedChain } from './chain-fill.js';
import { chainAuditEvents } from './chainer.js';
import { writeCheckpoint } from './checkpoints.js';
import { eventsAbout, eventsBy } from './queries.js';
import { verifyAuditChain } from './verify.js';
import { fillAuditYear, YEAR_ORGANISATION, yearAccountId, yearRecordId } from './year-fill.js';

/**
 * A year of audit at county scale (issue 16, "A year of audit";
 * decision 0057), each run only when its size is given, since each fills
 * millions of events:
 *
 * - `audit-year.verify-full --chain-events N`: N events sealed, linked and
 *   attested as the app and the chainer make them (chain-fill.ts), then the
 *   real full walk with the key ("a full verify of 10 million events under
 *   2 minutes"), and the chain alone.
 * - `audit-year.queries --audit-events N`: N events over the twelve months
 *   before this one, filled set-based (year-fill.ts), then "who saw this
 *   record" and "what did this account see" (30 days) asked of records and
 *   accounts spread over all of them ("both under 100 ms at 100 million").
 *
 * The year's events are neither sealed nor linked, so the walk must not run
 * after them in the same database: verify-full runs first, and a kept
 * database given to one should not be given to the other.
 */
function rate(name: string, items: number, seconds: number): Measurement {
  return {
    name,
    samples: items,
    medianMs: (seconds * 1000) / Math.max(1, items),
    p95Ms: (seconds * 1000) / Math.max(1, items),
    maxMs: seconds * 1000,
    perSecond: items / seconds,
  };
}

/** EXPLAIN (ANALYZE, BUFFERS) of a query, one line per plan line, for the log. */
async function explain(db: Kysely<Database>, query: Compilable): Promise<string> {
  const compiled = query.compile();
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>({
    ...compiled,
    sql: `explain (analyze, buffers) ${compiled.sql}`,
  });
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

const label = (events: number) => `${events.toLocaleString('en-GB')} events`;

export const auditYearBenchmarks: readonly Benchmark[] = [
  {
    name: 'audit-year.verify-full',
    description:
      'with --chain-events N: N events sealed, linked and attested in bulk as the chainer would, then the full walk with the key, and of the chain alone',
    async run(db, options) {
      const events = options.chainEvents;
      if (events === undefined) {
        options.log('audit-year.verify-full: skipped (give --chain-events)');
        return [];
      }
      const owner = options.owner ?? db;
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      // Whatever is there is linked first, then sealing begins with a checkpoint.
      sealAuditEventsWith(privateKey);
      let sealsFrom: number;
      let fillSeconds: number;
      try {
        await chainAuditEvents(db, { wait: true });
        sealsFrom = (await writeCheckpoint(db, privateKey)).seq;
        const to = new Date(Date.now() - 3_600_000);
        const from = new Date(to.getTime() - 330 * 86_400_000);
        await sql`select audit_event_make_partitions(12, ${from.toISOString()}::timestamptz)`.execute(
          db,
        );
        const started = performance.now();
        await fillSealedChain(db, { events, privateKey, from, to, log: options.log });
        fillSeconds = (performance.now() - started) / 1000;
      } finally {
        sealAuditEventsWith(null);
      }
      // What autovacuum would have done by the time of a weekly walk.
      await vacuumAnalyse(owner, ['audit_event', 'audit_chain_link', 'audit_seal_attestation']);
      const walk = async (what: string, seals: Parameters<typeof verifyAuditChain>[1] = {}) => {
        const started = performance.now();
        const result = await verifyAuditChain(db, { graceSeconds: 0, pageSize: 20_000, ...seals });
        const seconds = (performance.now() - started) / 1000;
        if (!result.ok) throw new Error('the filled audit chain did not verify');
        options.log(
          `audit-year.verify-full: full walk (${what}) of ${result.events.toLocaleString('en-GB')} events in ${seconds.toFixed(1)} s`,
        );
        return rate(
          `audit-year.verify-full ${what} (${label(result.events)})`,
          result.events,
          seconds,
        );
      };
      return [
        rate(`audit-year.chain-fill (${label(events)})`, events, fillSeconds),
        await walk('with the key', { seals: { publicKey, requiredAfterLink: sealsFrom } }),
        await walk('chain alone'),
      ];
    },
  },
  {
    name: 'audit-year.queries',
    description:
      'with --audit-events N: N events over the last twelve whole months, filled set-based; "who saw this record" and "what did this account see" (30 days)',
    async run(db, options) {
      const events = options.auditEvents;
      if (events === undefined) {
        options.log('audit-year.queries: skipped (give --audit-events)');
        return [];
      }
      const owner = options.owner ?? db;
      const started = performance.now();
      const filled = await fillAuditYear(owner, events, options.log);
      const fillSeconds = (performance.now() - started) / 1000;
      const { rows } = await sql<{ size: string }>`
        select pg_size_pretty(sum(pg_total_relation_size(inhrelid))) as size
        from pg_inherits where inhparent = 'audit_event'::regclass`.execute(owner);
      options.log(`audit-year.queries: the log's months take ${rows[0]?.size ?? '?'} on disk`);
      // The last 30 days of the filled year.
      const now = new Date();
      const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      const from = new Date(to.getTime() - 30 * 86_400_000);
      const about = (i: number) => eventsAbout(db, yearRecordId(events, i));
      const by = (i: number) =>
        eventsBy(db, { organisationId: YEAR_ORGANISATION, accountId: yearAccountId(i), from, to });
      options.log(
        `audit-year.queries: who saw a record, as planned and run:\n${await explain(db, about(1))}`,
      );
      options.log(
        `audit-year.queries: what an account saw, as planned and run:\n${await explain(db, by(1))}`,
      );
      const results: Measurement[] = [];
      if (!filled.reused)
        results.push(rate(`audit-year.fill (${label(events)})`, events, fillSeconds));
      results.push(
        await measure(`audit-year.who-saw-record (${label(events)})`, options.iterations, (i) =>
          about(i).execute(),
        ),
        await measure(
          `audit-year.what-account-saw-30-days (${label(events)})`,
          options.iterations,
          (i) => by(i).execute(),
        ),
      );
      return results;
    },
  },
];
