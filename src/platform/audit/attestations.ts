import { sign, verify as verifySignature, type KeyObject } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { keyIdOf } from './checkpoints.js';

/**
 * The chainer's signed word that it checked seals (decision record 0052).
 *
 * The chainer verifies each event's seal before it links it (chainer.ts)
 * and refuses one that does not hold. A full walk need not verify those
 * seals again, but it must know which links the chainer made: the app's
 * database login may insert links too, and a link it made itself says
 * nothing about seals. So for each batch it links, a chainer holding the
 * checkpoint key signs (first link, last link, the last link's hash). The
 * walk checks each attestation once: signed by the key, and the chain still
 * has that hash at that link — then, since every link in between is held to
 * the next by its hash, those links are the ones the chainer made, and
 * their seals were checked. A link no attestation covers has its seal
 * verified by the walk, as before.
 */
export interface SealAttestation {
  fromLink: number;
  toLink: number;
  headHash: string;
  keyId: string;
}

function attestationMessage(a: SealAttestation): Buffer {
  return Buffer.from(
    JSON.stringify(['safekeep-audit-seals-checked-v1', a.fromLink, a.toLink, a.headHash, a.keyId]),
  );
}

/** Records, in the chainer's transaction, that it checked the seals of links fromLink–toLink. */
export async function attestSealsChecked(
  trx: Transaction<Database>,
  batch: { fromLink: number; toLink: number; headHash: string },
  privateKey: KeyObject,
  publicKey: KeyObject,
): Promise<void> {
  const attestation: SealAttestation = { ...batch, keyId: keyIdOf(publicKey) };
  await trx
    .insertInto('audit_seal_attestation')
    .values({
      from_link: attestation.fromLink,
      to_link: attestation.toLink,
      head_hash: attestation.headHash,
      key_id: attestation.keyId,
      signature: sign(null, attestationMessage(attestation), privateKey).toString('base64'),
    })
    .execute();
}

/** Link seqs from `from` to `to`, both included. */
export interface LinkSpan {
  from: number;
  to: number;
}

/**
 * The spans of links, within [from, to], whose seals a chainer with the key
 * checked: each attestation signed by `publicKey` whose last link still has
 * the hash it signed. Sorted and merged. Anything else (a forged or altered
 * attestation, one whose link was rewritten) is simply not counted: its
 * links' seals are checked by the walk, and the chain's own findings say
 * what was rewritten.
 */
export async function attestedSpans(
  db: Kysely<Database>,
  publicKey: KeyObject,
  within: LinkSpan,
): Promise<LinkSpan[]> {
  const keyId = keyIdOf(publicKey);
  const rows = await db
    .selectFrom('audit_seal_attestation as a')
    .innerJoin('audit_chain_link as l', (join) =>
      join.onRef('l.seq', '=', 'a.to_link').onRef('l.hash', '=', 'a.head_hash'),
    )
    .select(['a.from_link', 'a.to_link', 'a.head_hash', 'a.key_id', 'a.signature'])
    .where('a.key_id', '=', keyId)
    .where('a.to_link', '>=', within.from)
    .where('a.from_link', '<=', within.to)
    .where(sql<boolean>`a.to_link >= a.from_link`)
    .orderBy('a.from_link')
    .execute();
  const spans: LinkSpan[] = [];
  for (const row of rows) {
    const attestation: SealAttestation = {
      fromLink: Number(row.from_link),
      toLink: Number(row.to_link),
      headHash: row.head_hash,
      keyId: row.key_id,
    };
    let holds = false;
    try {
      holds = verifySignature(
        null,
        attestationMessage(attestation),
        publicKey,
        Buffer.from(row.signature, 'base64'),
      );
    } catch {
      holds = false;
    }
    if (!holds) continue;
    const span = {
      from: Math.max(within.from, attestation.fromLink),
      to: Math.min(within.to, attestation.toLink),
    };
    const last = spans.at(-1);
    if (last && span.from <= last.to + 1) last.to = Math.max(last.to, span.to);
    else spans.push(span);
  }
  return spans;
}

/** How much of `page` the spans cover: all of it, none of it, or some. */
export function coverage(spans: readonly LinkSpan[], page: LinkSpan): 'all' | 'none' | 'some' {
  let covered = 0;
  for (const span of spans) {
    if (span.to < page.from) continue;
    if (span.from > page.to) break;
    covered += Math.min(span.to, page.to) - Math.max(span.from, page.from) + 1;
  }
  if (covered === 0) return 'none';
  return covered === page.to - page.from + 1 ? 'all' : 'some';
}

/** Whether link `seq` lies in one of the spans. */
export function covers(spans: readonly LinkSpan[], seq: number): boolean {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const span = spans[mid];
    if (!span) return false;
    if (seq < span.from) high = mid - 1;
    else if (seq > span.to) low = mid + 1;
    else return true;
  }
  return false;
}
