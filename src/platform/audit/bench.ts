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
 * months, the chainer's rate while it keeps up, and the full chain walk's
 * speed. A county's year is 100 million
 * events; `--only audit --size 500000` fills 10 million.
 *
 * Synthetic events only, in the bench's scratch database: 2,000 accounts,
 * one record for every 100 events (each seen about 100 times), ids made
 * from md5 of a counter so the queries can name them again.
 */
const EVENTS_PER_PERSON = 20;
const ACCOUNTS = 2000;
// Each insert well inside the app's statement timeout on a busy machine.
const FILL_BATCH = 50_000;

async function fillEvents(
  db: Kysely<Database>,
  count: number,
  log: (line: string) => void,
): Promise<{ records: number; organisationId: string; chained: number; chainSeconds: number }> {
  let chained = 0;
  let chainSeconds = 0;
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
    // The chainer keeps up as it does in service (every few seconds), so
    // each run links only what arrived since the last.
    const started = performance.now();
    chained += (await chainAuditEvents(db, { wait: true, batchSize: 5000 })) ?? 0;
    chainSeconds += (performance.now() - started) / 1000;
  }
  // What autovacuum does after a bulk insert (it is on by default; off on
  // some test machines): folds the GIN index's pending list into the index,
  // without which every "who saw" scans the list, and gathers statistics.
  // A vacuum of millions of rows outlasts the app's statement timeout: on one
  // connection, without it.
  await db.connection().execute(async (connection) => {
    await sql`set statement_timeout = 0`.execute(connection);
    await sql`vacuum (analyze) audit_event`.execute(connection);
    await sql`reset statement_timeout`.execute(connection);
  });
  return { records, organisationId, chained, chainSeconds };
}

async function md5Uuid(db: Kysely<Database>, text: string): Promise<string> {
  const { rows } = await sql<{ id: string }>`select md5(${text})::uuid::text as id`.execute(db);
  const [row] = rows;
  if (!row) throw new Error('md5 gave no id');
  return row.id;
}

export const auditBenchmarks: readonly Benchmark[] = [
  {
    name: 'audit.log',
    description: `a partitioned log of size × ${EVENTS_PER_PERSON} events over twelve months: chaining, "who saw this record", "what did this account see", the full chain walk`,
    async run(db, options) {
      const count = options.size * EVENTS_PER_PERSON;
      const filled = await fillEvents(db, count, options.log);
      const { records, organisationId } = filled;
      const recordIds: string[] = [];
      const accountIds: string[] = [];
      for (let i = 0; i < 50; i += 1) {
        recordIds.push(await md5Uuid(db, `record${(i * 7_919) % records}`));
        accountIds.push(await md5Uuid(db, `account${(i * 37) % ACCOUNTS}`));
      }
      const to = new Date();
      const from = new Date(to.getTime() - 30 * 86_400_000);
      const label = `${count.toLocaleString('en-GB')} events`;
      const whoSaw = await measure(`audit.who-saw-record (${label})`, options.iterations, (i) =>
        eventsAbout(db, recordIds[i % recordIds.length] ?? '').execute(),
      );
      const accountSaw = await measure(
        `audit.what-account-saw-30-days (${label})`,
        options.iterations,
        (i) =>
          eventsBy(db, {
            organisationId,
            accountId: accountIds[i % accountIds.length] ?? '',
            from,
            to,
          }).execute(),
      );
      options.log('audit.log: walking the whole chain');
      const started = performance.now();
      const result = await verifyAuditChain(db, { graceSeconds: 0, pageSize: 20_000 });
      const seconds = (performance.now() - started) / 1000;
      if (!result.ok) throw new Error('the synthetic audit chain did not verify');
      const rate = (name: string, items: number, s: number): Measurement => ({
        name,
        samples: items,
        medianMs: (s * 1000) / Math.max(1, items),
        p95Ms: (s * 1000) / Math.max(1, items),
        maxMs: s * 1000,
        perSecond: items / s,
      });
      options.log(
        `audit.log: full walk of ${result.events.toLocaleString('en-GB')} events in ${seconds.toFixed(1)} s; 10 million at this rate: ${(10_000_000 / (result.events / seconds)).toFixed(0)} s`,
      );
      return [
        whoSaw,
        accountSaw,
        rate(`audit.chain (${label})`, filled.chained, filled.chainSeconds),
        rate(`audit.verify-full (${label})`, result.events, seconds),
      ];
    },
  },
];
