import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { StoredEvent } from './audit-chain.js';
import { attestSealsChecked } from './attestations.js';
import { chainHead, lockChain, makeLinks } from './chainer.js';
import { sealEvent, type SealedContent } from './seals.js';

/**
 * A valid, sealed, linked and attested audit log of millions of events,
 * made quickly for the bench (issue 16: "a full verify of 10 million events
 * under 2 minutes"), so the real full walk can be timed at that size.
 * Through the app and the chainer a fill runs at about 2,400 events a
 * second here (an insert, then a read back, a seal check and a link per
 * event), more than an hour for 10 million.
 *
 * What it writes is what the app and the chainer write, by the same code:
 * each event sealed with `sealEvent`, its links made by the chainer's own
 * `makeLinks` (the same `hashLink`), each batch attested by the chainer's
 * `attestSealsChecked`, under the chain's lock. What differs is only that
 * the events, their links and the attestation of a batch go in one
 * transaction, in bulk: the event is not read back before it is hashed,
 * since every column's stored text is known — the time is written as the
 * UTC text to the microsecond the database gives back, and `xact_id` is
 * this transaction's id. `chain-fill.test.ts` holds this to the real
 * chainer: the fill verifies, every seal included, tampering is found, and
 * the chainer links on after it.
 *
 * Every batch records the horizon of the head it follows, as the chainer's
 * batches do while it works through a backlog (a full batch keeps the old
 * horizon): always sound, since an event left unlinked is from that horizon
 * on, so the chainer's next scan still finds it. Advancing the horizon
 * would need the chainer's scan for what waits, which on a server whose
 * oldest open transaction is old (another session's long statement) reads
 * every event filled since, batch after batch.
 */
export interface ChainFillOptions {
  events: number;
  /** The checkpoint key the app seals with and the chainer attests with. */
  privateKey: KeyObject;
  /** Events per transaction and per attestation, as the chainer's batch size. */
  batchSize?: number;
  /** The oldest and newest event times (the months must have their partitions). */
  from: Date;
  to: Date;
  log?: (line: string) => void;
}

const ORGANISATION = '00000000-0000-4000-8000-00000000a0d1';
const ACCOUNTS = 2000;

/** A mix of what the app records: mostly reads of records, some changes, searches and refusals. */
function contentOf(
  g: number,
  records: number,
  id: string,
): Omit<SealedContent, 'id'> & { id: string } {
  const kind = g % 20;
  const record = `${(((g * 104_729) % records) + records) % records}`.padStart(12, '0');
  const objectIds =
    kind === 19 ? [] : [`00000000-0000-4000-8000-${kind === 17 ? 'b' : 'a'}${record.slice(1)}`];
  return {
    id,
    actorAccountId: `00000000-0000-4000-8000-${String(g % ACCOUNTS).padStart(12, '0')}`,
    organisationId: ORGANISATION,
    action:
      kind < 16
        ? 'record.read'
        : kind === 16
          ? 'record.update'
          : kind === 17
            ? 'person.read'
            : kind === 18
              ? 'record.export'
              : 'people.search',
    objectType: kind === 19 ? null : kind === 17 ? 'person' : 'case-record',
    objectIds,
    purpose: kind === 19 ? null : 'safeguarding-assessment',
    outcome: g % 50 === 0 ? 'denied' : g % 97 === 0 ? 'failure' : 'success',
    requestId: g % 3 === 0 ? null : `req-${g}`,
  };
}

/** Microseconds since the epoch as the UTC text PostgreSQL gives back (to_char UTC_MICROS). */
function utcText(micros: bigint): string {
  const millis = micros / 1000n;
  const iso = new Date(Number(millis)).toISOString(); // 2026-01-05T12:00:00.123Z
  return `${iso.slice(0, 19)}.${String(micros % 1_000_000n).padStart(6, '0')}Z`;
}

interface Prepared {
  contents: SealedContent[];
  seals: string[];
  times: string[];
}

/** Fills `events` sealed and linked events after whatever the chain holds; answers how many. */
export async function fillSealedChain(
  db: Kysely<Database>,
  options: ChainFillOptions,
): Promise<number> {
  const batchSize = options.batchSize ?? 5000;
  const publicKey = createPublicKey(options.privateKey);
  const records = Math.max(1, Math.floor(options.events / 100));
  const fromMicros = BigInt(options.from.getTime()) * 1000n;
  const spanMicros = BigInt(options.to.getTime() - options.from.getTime()) * 1000n;
  const total = BigInt(Math.max(1, options.events));
  const prepare = (start: number, end: number): Prepared => {
    const contents: SealedContent[] = [];
    const seals: string[] = [];
    const times: string[] = [];
    for (let g = start; g < end; g += 1) {
      const content = contentOf(g, records, randomUUID());
      contents.push(content);
      seals.push(sealEvent(content, options.privateKey));
      // Times rise with seq, as the app's do, over the span asked for.
      times.push(utcText(fromMicros + (spanMicros * BigInt(g)) / total));
    }
    return { contents, seals, times };
  };
  let next = prepare(0, Math.min(batchSize, options.events));
  let filled = 0;
  for (let start = 0; start < options.events; start += batchSize) {
    const end = Math.min(options.events, start + batchSize);
    const batch = next;
    const written = writeBatch(db, batch, options.privateKey, publicKey);
    // Seal the next batch in Node while PostgreSQL writes this one.
    if (end < options.events) next = prepare(end, Math.min(options.events, end + batchSize));
    filled += await written;
    if (start % (batchSize * 100) === 0) {
      options.log?.(`audit: chain fill, ${end.toLocaleString('en-GB')} events sealed and linked`);
    }
  }
  return filled;
}

async function writeBatch(
  db: Kysely<Database>,
  batch: Prepared,
  privateKey: KeyObject,
  publicKey: KeyObject,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await lockChain(trx);
    const head = await chainHead(trx);
    const { rows } = await sql<{
      xact_id: string;
    }>`select pg_current_xact_id()::text as xact_id`.execute(trx);
    const xactId = rows[0]?.xact_id ?? '';
    const c = batch.contents;
    const inserted = await sql<{ seq: string; id: string }>`
      insert into audit_event (id, occurred_at, actor_account_id, organisation_id, action,
        object_type, object_ids, purpose, outcome, request_id, seal)
      select u.id, u.occurred_at, u.actor, u.organisation, u.action, u.object_type,
        case when u.object = '' then '{}'::text[] else array[u.object] end,
        u.purpose, u.outcome, u.request_id, u.seal
      from unnest(${c.map((e) => e.id)}::uuid[], ${batch.times}::timestamptz[],
        ${c.map((e) => e.actorAccountId)}::uuid[], ${c.map((e) => e.organisationId)}::uuid[],
        ${c.map((e) => e.action)}::text[], ${c.map((e) => e.objectType)}::text[],
        ${c.map((e) => e.objectIds[0] ?? '')}::text[], ${c.map((e) => e.purpose)}::text[],
        ${c.map((e) => e.outcome)}::text[], ${c.map((e) => e.requestId)}::text[],
        ${batch.seals}::text[])
        with ordinality as u(id, occurred_at, actor, organisation, action, object_type, object,
          purpose, outcome, request_id, seal, n)
      order by u.n
      returning seq::text as seq, id::text as id`.execute(trx);
    const seqOf = new Map(inserted.rows.map((r) => [r.id, Number(r.seq)]));
    const events: StoredEvent[] = c.map((content, i) => ({
      ...content,
      seq: seqOf.get(content.id) ?? 0,
      occurredAt: batch.times[i] ?? '',
      legacyPrevHash: null,
      legacyHash: null,
      xactId,
      seal: batch.seals[i] ?? null,
    }));
    // In seq order, as the chainer links them.
    events.sort((a, b) => a.seq - b.seq);
    const links = makeLinks(events, head, head?.horizon ?? '0');
    await sql`
      insert into audit_chain_link (seq, event_seq, event_occurred_at, event_id, prev_hash, hash, horizon)
      select * from unnest(${links.map((l) => l.seq)}::bigint[], ${links.map((l) => l.event_seq)}::bigint[],
        ${links.map((l) => l.event_occurred_at)}::timestamptz[], ${links.map((l) => l.event_id)}::uuid[],
        ${links.map((l) => l.prev_hash)}::text[], ${links.map((l) => l.hash)}::text[],
        ${links.map((l) => l.horizon)}::xid8[])`.execute(trx);
    const first = links[0];
    const last = links.at(-1);
    if (first && last) {
      await attestSealsChecked(
        trx,
        { fromLink: first.seq, toLink: last.seq, headHash: last.hash },
        privateKey,
        publicKey,
      );
    }
    return links.length;
  });
}
