import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Benchmark, Measurement } from '../../bench/run.js';
import { measure } from '../../bench/run.js';
import type { Database } from '../../db/schema.js';
import { chainAuditEvents } from './chainer.js';
import { makeAuditPartitions } from './partitions.js';
import { eventsAbout, eventsBy } from './queries.js';
import { verifyAuditChain } from './verify.js';

/**
 * The audit log's figures for `npm run bench` (issue 16, "A year of
 * audit"): "who saw this record" and "what did this account see" on a
 * partitioned log of `--size` × 20 events spread over the last twelve
 * months, and the full chain walk's speed. A county's year is 100 million
 * events; `--only audit --size 500000` fills 10 million.
 *
 * Synthetic events only, in the bench's scratch database: 2,000 accounts,
 * one record for every 100 events (each seen about 100 times), ids made
 * from md5 of a counter so the queries can name them again.
 */
const EVENTS_PER_PERSON = 20;
const ACCOUNTS = 2000;
const FILL_BATCH = 250_000;

async function fillEvents(
  db: Kysely<Database>,
  count: number,
  log: (line: string) => void,
): Promise<{ records: number; organisationId: string }> {
  const records = Math.max(1, Math.floor(count / 100));
  const organisationId = '00000000-0000-4000-8000-00000000a0d1';
  // A year of months behind as well as ahead (the migration made last month on).
  await sql`select audit_event_make_partitions(12, now() - interval '12 months')`.execute(db);
  await makeAuditPartitions(db);
  const { rows } = await sql<{ n: string }>`select count(*)::text as n from audit_event`.execute(
    db,
  );
  for (let start = Number(rows[0]?.n ?? 0); start < count; start += FILL_BATCH) {
    const end = Math.min(count, start + FILL_BATCH) - 1;
    log(`audit: filling events ${start.toLocaleString('en-GB')}–${end.toLocaleString('en-GB')}`);
    await sql`
      insert into audit_event (id, occurred_at, actor_account_id, organisation_id, action,
        object_type, object_ids, purpose, outcome)
      select gen_random_uuid(),
        now() - (((g * 7919) % 31536000)::text || ' seconds')::interval,
        md5('account' || (g % ${ACCOUNTS}))::uuid,
        ${organisationId}::uuid,
        'record.read', 'case-record',
        array[md5('record' || ((g * 104729) % ${records}))::uuid::text],
        'safeguarding-assessment', 'success'
      from generate_series(${start}::bigint, ${end}::bigint) g`.execute(db);
  }
  await sql`analyze audit_event`.execute(db);
  return { records, organisationId };
}

async function md5Uuid(db: Kysely<Database>, text: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`select md5(${text})::uuid::text as id`.execute(db);
  const [row] = rows;
  if (!row) throw new Error('md5 gave no id');
  return row.id;
}

export const auditBenchmarks: readonly Benchmark[] = [
  {
    name: 'audit.queries',
    description: `"who saw this record" and "what did this account see" on a partitioned log of size × ${EVENTS_PER_PERSON} events`,
    async run(db, options) {
      const count = options.size * EVENTS_PER_PERSON;
      const { records, organisationId } = await fillEvents(db, count, options.log);
      const recordIds: string[] = [];
      const accountIds: string[] = [];
      for (let i = 0; i < 50; i += 1) {
        recordIds.push(await md5Uuid(db, `record${(i * 7_919) % records}`));
        accountIds.push(await md5Uuid(db, `account${(i * 37) % ACCOUNTS}`));
      }
      const to = new Date();
      const from = new Date(to.getTime() - 30 * 86_400_000);
      const label = `${count.toLocaleString('en-GB')} events`;
      return [
        await measure(`audit.who-saw-record (${label})`, options.iterations, (i) =>
          eventsAbout(db, recordIds[i % recordIds.length] ?? '').execute(),
        ),
        await measure(`audit.what-account-saw-30-days (${label})`, options.iterations, (i) =>
          eventsBy(db, {
            organisationId,
            accountId: accountIds[i % accountIds.length] ?? '',
            from,
            to,
          }).execute(),
        ),
      ];
    },
  },
  {
    name: 'audit.verify',
    description: 'the full chain walk (every link and event hashed again), after chaining the log',
    async run(db, options) {
      const count = options.size * EVENTS_PER_PERSON;
      await fillEvents(db, count, options.log);
      options.log('audit.verify: chaining the events');
      const chainStarted = performance.now();
      await chainAuditEvents(db, { wait: true, batchSize: 5000 });
      const chainSeconds = (performance.now() - chainStarted) / 1000;
      const started = performance.now();
      const result = await verifyAuditChain(db, { graceSeconds: 0, pageSize: 5000 });
      const seconds = (performance.now() - started) / 1000;
      if (!result.ok) throw new Error('the synthetic audit chain did not verify');
      const perSecond = result.events / seconds;
      const figure = (name: string, s: number, rate: number): Measurement => ({
        name,
        samples: result.events,
        medianMs: (s * 1000) / result.events,
        p95Ms: (s * 1000) / result.events,
        maxMs: s * 1000,
        perSecond: rate,
      });
      options.log(
        `audit.verify: ${result.events.toLocaleString('en-GB')} events in ${seconds.toFixed(1)} s; 10 million at this rate: ${(10_000_000 / perSecond).toFixed(0)} s`,
      );
      return [
        figure('audit.chain', chainSeconds, result.events / chainSeconds),
        figure('audit.verify-full', seconds, perSecond),
      ];
    },
  },
];
