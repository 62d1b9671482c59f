import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import {
  GENESIS_HASH,
  hashLink,
  selectStoredEvents,
  storedEvent,
  type StoredEventRow,
} from './audit-chain.js';

/**
 * The chainer (decision record 0012): links committed audit events into
 * `audit_chain_link`, one at a time, in the order they became visible.
 *
 * Actions insert their events with no lock, so events commit in any order:
 * an event with a lower `seq` may commit after one with a higher. The
 * chainer therefore never reasons about `seq`. Each run:
 * - takes the chain's lock (one chainer per database schema at a time;
 *   a transaction lock, so a crash frees it);
 * - reads the horizon: the oldest transaction still in flight. Every event
 *   from a transaction older than that has committed or rolled back for good;
 * - links every visible event not linked yet, looking only at events from
 *   the previous run's horizon on (an event invisible then was in flight,
 *   so its transaction id is at least that horizon);
 * - records the new horizon on the links, for the next run.
 */
const AUDIT_CHAIN_LOCK = 7_261_001;

export interface ChainOptions {
  /** Wait for a running chainer to finish (the CLI, tests) rather than leave the work to it. */
  wait?: boolean;
  /** Events linked per transaction. */
  batchSize?: number;
}

/** Links what is waiting; answers how many events it linked, or null if another chainer was running. */
export async function chainAuditEvents(
  db: Kysely<Database>,
  options: ChainOptions = {},
): Promise<number | null> {
  const batchSize = options.batchSize ?? 2000;
  let linked = 0;
  for (;;) {
    const batch = await db
      .transaction()
      .execute((trx) => chainBatch(trx, batchSize, options.wait ?? false));
    if (batch === null) return linked === 0 ? null : linked;
    linked += batch;
    if (batch < batchSize) return linked;
  }
}

async function takeLock(trx: Transaction<Database>, wait: boolean): Promise<boolean> {
  // Keyed by schema as well: each test's scratch schema (and each tenant's)
  // has a chain of its own.
  if (wait) {
    await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}, hashtext(current_schema()))`.execute(
      trx,
    );
    return true;
  }
  const { rows } = await sql<{
    locked: boolean;
  }>`select pg_try_advisory_xact_lock(${AUDIT_CHAIN_LOCK}, hashtext(current_schema())) as locked`.execute(
    trx,
  );
  return rows[0]?.locked === true;
}

async function chainBatch(
  trx: Transaction<Database>,
  batchSize: number,
  wait: boolean,
): Promise<number | null> {
  if (!(await takeLock(trx, wait))) return null;
  const head = await trx
    .selectFrom('audit_chain_link')
    .select(['seq', 'hash', sql<string>`horizon::text`.as('horizon')])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  // Read before the events: whatever was older than this horizon had
  // finished before the events query started, so that query sees it.
  const { rows } = await sql<{
    horizon: string;
  }>`select pg_snapshot_xmin(pg_current_snapshot())::text as horizon`.execute(trx);
  const [{ horizon: horizonNow }] = rows as [{ horizon: string }];
  let waiting = selectStoredEvents(trx)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('audit_chain_link as l').select('l.seq').whereRef('l.event_seq', '=', 'e.seq'),
        ),
      ),
    )
    .orderBy('e.seq')
    .limit(batchSize);
  if (head) waiting = waiting.where(sql<boolean>`e.xact_id >= ${head.horizon}::xid8`);
  const events = (await waiting.execute()) as StoredEventRow[];
  if (events.length === 0) return 0;
  // A full batch may have left events behind: keep the old horizon until the
  // scan from it comes back short.
  const horizon = events.length === batchSize ? (head?.horizon ?? '0') : horizonNow;
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const links = events.map((row) => {
    seq += 1;
    const hash = hashLink(storedEvent(row), { seq, prevHash, horizon });
    const link = {
      seq,
      event_seq: row.seq,
      event_occurred_at: row.occurred_at,
      event_id: row.id,
      prev_hash: prevHash,
      hash,
      horizon,
    };
    prevHash = hash;
    return link;
  });
  await trx.insertInto('audit_chain_link').values(links).execute();
  return links.length;
}
