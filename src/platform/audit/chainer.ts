import { createPublicKey, type KeyObject } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import {
  GENESIS_HASH,
  hashLink,
  selectStoredEvents,
  storedEvent,
  type StoredEvent,
  type StoredEventRow,
} from './audit-chain.js';
import { auditSealingKey } from './audit-log.js';
import { attestSealsChecked } from './attestations.js';
import { sealHolds } from './seals.js';

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
 *
 * Seals are checked here, once, as events are linked (decision record
 * 0052): an event whose seal does not verify, or that has none once sealing
 * began (a checkpoint exists), is refused — recorded in
 * `audit_chain_refusal` and never linked, so verify names it — and each
 * batch linked is attested, signed with the checkpoint key
 * (attestations.ts), so the full walk need not verify those seals again.
 * Once sealing began, a chainer without the key links nothing: it could
 * not tell a forged event from the app's, and leaves the work to one that
 * can.
 */
const AUDIT_CHAIN_LOCK = 7_261_001;

export interface ChainOptions {
  /** Wait for a running chainer to finish (the CLI, tests) rather than leave the work to it. */
  wait?: boolean;
  /** Events linked per transaction. */
  batchSize?: number;
  /**
   * The checkpoint public key, to check seals with when this process has
   * no private key (`audit verify` given only the public key): its links
   * are checked but not attested. With the private key set
   * (sealAuditEventsWith), its public half is used and batches are attested.
   */
  publicKey?: KeyObject | null;
}

/** The keys a chainer run checks and attests with. */
interface ChainKeys {
  publicKey: KeyObject | null;
  privateKey: KeyObject | null;
}

let derived: { privateKey: KeyObject; publicKey: KeyObject } | null = null;

function chainKeys(options: ChainOptions): ChainKeys {
  const privateKey = auditSealingKey();
  if (privateKey) {
    if (derived?.privateKey !== privateKey) {
      derived = { privateKey, publicKey: createPublicKey(privateKey) };
    }
    return { privateKey, publicKey: derived.publicKey };
  }
  return { privateKey: null, publicKey: options.publicKey ?? null };
}

/**
 * Whether sealing has begun (a signed checkpoint exists) and so a chainer
 * without the key may not link: `audit verify` without the key says so.
 */
export async function linkingNeedsKey(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('audit_checkpoint').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Links what is waiting; answers how many events it linked, or null if another chainer was running. */
export async function chainAuditEvents(
  db: Kysely<Database>,
  options: ChainOptions = {},
): Promise<number | null> {
  const batchSize = options.batchSize ?? 2000;
  const keys = chainKeys(options);
  let linked = 0;
  for (;;) {
    const batch = await db
      .transaction()
      .execute((trx) => chainBatch(trx, batchSize, options.wait ?? false, keys));
    if (batch === null) return linked === 0 ? null : linked;
    linked += batch.linked;
    if (batch.looked < batchSize) return linked;
  }
}

/**
 * Waits for the chain's lock, for what must not interleave with a chainer's
 * batch (a checkpoint: see writeCheckpoint). Held to the transaction's end.
 */
export async function lockChain(trx: Transaction<Database>): Promise<void> {
  await takeLock(trx, true);
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
  keys: ChainKeys,
): Promise<{ looked: number; linked: number } | null> {
  if (!(await takeLock(trx, wait))) return null;
  const sealingBegan = await linkingNeedsKey(trx);
  if (sealingBegan && !keys.publicKey) return { looked: 0, linked: 0 };
  const head = await chainHead(trx);
  // Read before the events: whatever was older than this horizon had
  // finished before the events query started, so that query sees it.
  const horizonNow = await currentHorizon(trx);
  const waitingRows = await waitingEvents(trx, head, batchSize);
  if (waitingRows.length === 0) return { looked: 0, linked: 0 };
  const events: StoredEvent[] = [];
  const refusals: { event_seq: number; reason: 'seal-missing' | 'seal-fails' }[] = [];
  for (const event of waitingRows.map(storedEvent)) {
    const refused = refusal(event, keys.publicKey, sealingBegan);
    if (refused) refusals.push({ event_seq: event.seq, reason: refused });
    else events.push(event);
  }
  if (refusals.length > 0) await trx.insertInto('audit_chain_refusal').values(refusals).execute();
  if (events.length === 0) return { looked: waitingRows.length, linked: 0 };
  // A full batch may have left events behind: keep the old horizon until the
  // scan from it comes back short.
  const horizon = waitingRows.length === batchSize ? (head?.horizon ?? '0') : horizonNow;
  const links = makeLinks(events, head, horizon);
  await trx.insertInto('audit_chain_link').values(links).execute();
  const [first] = links;
  const last = links.at(-1);
  if (first && last && keys.privateKey && keys.publicKey) {
    await attestSealsChecked(
      trx,
      { fromLink: first.seq, toLink: last.seq, headHash: last.hash },
      keys.privateKey,
      keys.publicKey,
    );
  }
  return { looked: waitingRows.length, linked: links.length };
}

/** The chain's newest link, which the next link follows. */
export interface ChainHead {
  seq: number;
  hash: string;
  horizon: string;
}

/** The newest link, or undefined for an empty chain. */
export async function chainHead(trx: Transaction<Database>): Promise<ChainHead | undefined> {
  return trx
    .selectFrom('audit_chain_link')
    .select(['seq', 'hash', sql<string>`horizon::text`.as('horizon')])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The oldest transaction still in flight: every older one has ended for good. */
export async function currentHorizon(trx: Transaction<Database>): Promise<string> {
  const { rows } = await sql<{
    horizon: string;
  }>`select pg_snapshot_xmin(pg_current_snapshot())::text as horizon`.execute(trx);
  const [{ horizon }] = rows as [{ horizon: string }];
  return horizon;
}

/**
 * The events waiting to be linked, oldest seq first: visible, not linked,
 * not refused, from the head's horizon on. Called in a transaction holding
 * the chain's lock, after the new horizon was read. Shared with the bench's
 * bulk chain fill (chain-fill.ts), which links only when nothing waits.
 */
export async function waitingEvents(
  trx: Transaction<Database>,
  head: ChainHead | undefined,
  limit: number,
): Promise<StoredEventRow[]> {
  // Refused events are passed over, so one forged event is looked at once
  // and cannot hold back those after it.
  let waiting = selectStoredEvents(trx)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('audit_chain_link as l').select('l.seq').whereRef('l.event_seq', '=', 'e.seq'),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('audit_chain_refusal as r')
            .select('r.event_seq')
            .whereRef('r.event_seq', '=', 'e.seq'),
        ),
      ),
    )
    .orderBy('e.seq')
    .limit(limit);
  if (head) waiting = waiting.where(sql<boolean>`e.xact_id >= ${head.horizon}::xid8`);
  return (await waiting.execute()) as StoredEventRow[];
}

/** A row of audit_chain_link, as the chainer writes it. */
export interface ChainLink {
  seq: number;
  event_seq: number;
  event_occurred_at: string;
  event_id: string;
  prev_hash: string;
  hash: string;
  horizon: string;
}

/**
 * The links for `events`, in that order, after `head` (or from the genesis
 * hash), each recording `horizon`. The chainer's one definition of a link,
 * which the bench's bulk chain fill uses too.
 */
export function makeLinks(
  events: readonly StoredEvent[],
  head: Pick<ChainHead, 'seq' | 'hash'> | undefined,
  horizon: string,
): ChainLink[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return events.map((event) => {
    seq += 1;
    const hash = hashLink(event, { seq, prevHash, horizon });
    const link = {
      seq,
      event_seq: event.seq,
      event_occurred_at: event.occurredAt,
      event_id: event.id,
      prev_hash: prevHash,
      hash,
      horizon,
    };
    prevHash = hash;
    return link;
  });
}

/**
 * Why an event may not be linked, if it may not: its seal does not verify,
 * or it has none although sealing began. Without a key (before sealing
 * began: development, or a deployment not yet given one) seals go unchecked.
 */
function refusal(
  event: StoredEvent,
  publicKey: KeyObject | null,
  sealingBegan: boolean,
): 'seal-missing' | 'seal-fails' | null {
  if (!publicKey) return null;
  if (event.seal === null) return sealingBegan ? 'seal-missing' : null;
  return sealHolds(event, event.seal, publicKey) ? null : 'seal-fails';
}
