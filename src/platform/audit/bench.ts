import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { Benchmark, Measurement } from '../../bench/run.js';
import { measure } from '../../bench/run.js';
import { vacuumAnalyse } from '../../bench/vacuum.js';
import type { Database } from '../../db/schema.js';
import { sealAuditEventsWith } from './audit-log.js';
import { chainAuditEvents } from './chainer.js';
import { writeCheckpoint } from './checkpoints.js';
import { makeAuditPartitions } from './partitions.js';
import { eventsAbout, eventsBy } from './queries.js';
import { sealEvent } from './seals.js';
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
 * from md5 of a counter so the queries can name them again. Each event is
 * sealed with a key made for the run, as the app seals what it records, and
 * linked by the chainer holding that key: it checks every seal and attests
 * each batch (decision 0052), so the walk measured is the one a deployment
 * with its checkpoint key gets.
 */
const EVENTS_PER_PERSON = 20;
const ACCOUNTS = 2000;
// Each insert well inside the app's statement timeout on a busy machine.
const FILL_BATCH = 50_000;

/** md5(text)::uuid, as PostgreSQL makes it: the queries below name these ids again. */
function md5Uuid(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function fillEvents(
  db: Kysely<Database>,
  count: number,
  log: (line: string) => void,
  privateKey: KeyObject,
): Promise<{
  records: number;
  organisationId: string;
  chained: number;
  chainSeconds: number;
  sealsFrom: number;
}> {
  let chained = 0;
  let chainSeconds = 0;
  const records = Math.max(1, Math.floor(count / 100));
  const organisationId = '00000000-0000-4000-8000-00000000a0d1';
  // What the fixtures recorded unsealed is linked first, as a deployment's
  // events from before it had a key; then sealing begins with a checkpoint.
  await chainAuditEvents(db, { wait: true });
  const began = await writeCheckpoint(db, privateKey);
  // A year of months behind as well as ahead (the migration made last month on).
  await sql`select audit_event_make_partitions(12, now() - interval '12 months')`.execute(db);
  await makeAuditPartitions(db);
  const { rows } = await sql<{ n: string }>`select count(*)::text as n from audit_event`.execute(
    db,
  );
  for (let start = Number(rows[0]?.n ?? 0); start < count; start += FILL_BATCH) {
    const end = Math.min(count, start + FILL_BATCH) - 1;
    log(`audit: filling events ${start.toLocaleString('en-GB')}–${end.toLocaleString('en-GB')}`);
    const gs: number[] = [];
    const ids: string[] = [];
    const actors: string[] = [];
    const objects: string[] = [];
    const seals: string[] = [];
    for (let g = start; g <= end; g += 1) {
      const content = {
        id: randomUUID(),
        actorAccountId: md5Uuid(`account${g % ACCOUNTS}`),
        organisationId,
        action: 'record.read',
        objectType: 'case-record',
        objectIds: [md5Uuid(`record${(g * 104729) % records}`)],
        purpose: 'safeguarding-assessment',
        outcome: 'success',
        requestId: null,
      };
      gs.push(g);
      ids.push(content.id);
      actors.push(content.actorAccountId);
      objects.push(content.objectIds[0] ?? '');
      seals.push(sealEvent(content, privateKey));
    }
    await sql`
      insert into audit_event (id, occurred_at, actor_account_id, organisation_id, action,
        object_type, object_ids, purpose, outcome, seal)
      select u.id,
        now() - (((u.g * 7919) % 31536000)::text || ' seconds')::interval,
        u.actor, ${organisationId}::uuid,
        'record.read', 'case-record', array[u.object],
        'safeguarding-assessment', 'success', u.seal
      from unnest(${gs}::bigint[], ${ids}::uuid[], ${actors}::uuid[], ${objects}::text[],
        ${seals}::text[]) as u(g, id, actor, object, seal)`.execute(db);
    // The chainer keeps up as it does in service (every few seconds), so
    // each run links only what arrived since the last.
    const started = performance.now();
    chained += (await chainAuditEvents(db, { wait: true, batchSize: 5000 })) ?? 0;
    chainSeconds += (performance.now() - started) / 1000;
  }
  // What autovacuum does after a bulk insert (it is on by default; off on
  // some test machines): folds the GIN index's pending list into the index,
  // without which every "who saw" scans the list, and gathers statistics.
  await vacuumAnalyse(db, ['audit_event']);
  return { records, organisationId, chained, chainSeconds, sealsFrom: began.seq };
}

export const auditBenchmarks: readonly Benchmark[] = [
  {
    name: 'audit.log',
    description: `a partitioned log of size × ${EVENTS_PER_PERSON} events over twelve months: chaining, "who saw this record", "what did this account see", the full chain walk`,
    async run(db, options) {
      const count = options.size * EVENTS_PER_PERSON;
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      // The chainer checks seals and attests with the process's key, as in service.
      sealAuditEventsWith(privateKey);
      let filled: Awaited<ReturnType<typeof fillEvents>>;
      try {
        filled = await fillEvents(db, count, options.log, privateKey);
      } finally {
        sealAuditEventsWith(null);
      }
      const { records, organisationId } = filled;
      const recordIds: string[] = [];
      const accountIds: string[] = [];
      for (let i = 0; i < 50; i += 1) {
        recordIds.push(md5Uuid(`record${(i * 7_919) % records}`));
        accountIds.push(md5Uuid(`account${(i * 37) % ACCOUNTS}`));
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
      // The full walk three ways: the chain alone (no key); with the key,
      // verifying the chainer's attestations and the seals they do not
      // cover (a deployment with its key, decision 0052); and with the key,
      // verifying every seal (a log linked before 0052, all unattested).
      const walk = async (
        what: string,
        seals: Parameters<typeof verifyAuditChain>[1] = {},
      ): Promise<{ events: number; seconds: number }> => {
        options.log(`audit.log: walking the whole chain, ${what}`);
        const started = performance.now();
        const result = await verifyAuditChain(db, { graceSeconds: 0, pageSize: 20_000, ...seals });
        const seconds = (performance.now() - started) / 1000;
        if (!result.ok) throw new Error('the synthetic audit chain did not verify');
        options.log(
          `audit.log: full walk (${what}) of ${result.events.toLocaleString('en-GB')} events in ${seconds.toFixed(1)} s; 10 million at this rate: ${(10_000_000 / (result.events / seconds)).toFixed(0)} s`,
        );
        return { events: result.events, seconds };
      };
      const chainOnly = await walk('the chain alone');
      const sealed = await walk('with the key: attestations, and seals they do not cover', {
        seals: { publicKey, requiredAfterLink: filled.sealsFrom },
      });
      const everySeal = await walk('with the key: every seal', {
        seals: { publicKey, requiredAfterLink: filled.sealsFrom, everySeal: true },
      });
      const rate = (name: string, items: number, s: number): Measurement => ({
        name,
        samples: items,
        medianMs: (s * 1000) / Math.max(1, items),
        p95Ms: (s * 1000) / Math.max(1, items),
        maxMs: s * 1000,
        perSecond: items / s,
      });
      return [
        whoSaw,
        accountSaw,
        rate(`audit.chain (${label})`, filled.chained, filled.chainSeconds),
        rate(`audit.verify-full chain only (${label})`, chainOnly.events, chainOnly.seconds),
        rate(`audit.verify-full sealed, attested (${label})`, sealed.events, sealed.seconds),
        rate(
          `audit.verify-full sealed, every seal (${label})`,
          everySeal.events,
          everySeal.seconds,
        ),
      ];
    },
  },
];
