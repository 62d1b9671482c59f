import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify as verifySignature,
  type KeyObject,
} from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { GENESIS_HASH, UTC_MICROS, utcMicros } from './audit-chain.js';
import { lockChain } from './chainer.js';
import type { AuditFinding } from './verify.js';

/**
 * Signed checkpoints of the audit chain's head (decision record 0012).
 *
 * The chain alone shows that what is in the database hangs together; it
 * cannot show that nothing is missing from its end, nor that someone with
 * the database did not rewrite it and rehash it. A checkpoint is the head's
 * link number and hash, signed with an Ed25519 key that is never in the
 * database, and written OUT of the database (a JSON Lines file, and the log)
 * for the operator to ship somewhere the database's users cannot reach.
 * Verifying against those lines catches the newest events removed, a chain
 * rewritten, and events forged into the past.
 */
export interface Checkpoint {
  /** The chain's length when signed: its head link's seq (0 for an empty chain). */
  seq: number;
  headHash: string;
  /** UTC to the microsecond, as stored. */
  signedAt: string;
  /** Which key signed it: the first 16 hex digits of SHA-256 over the public key. */
  keyId: string;
  /** Ed25519 over checkpointMessage(), base64. */
  signature: string;
}

/** One line of the JSON Lines file. */
export interface CheckpointLine extends Checkpoint {
  type: 'safekeep.audit.checkpoint';
}

export function checkpointMessage(c: Omit<Checkpoint, 'signature'>): Buffer {
  return Buffer.from(
    JSON.stringify(['safekeep-audit-checkpoint-v1', c.seq, c.headHash, c.signedAt, c.keyId]),
  );
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** Reads a PEM Ed25519 private key; a plain sentence if it is not one. */
export function parsePrivateKey(pem: string, from: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error(`${from} is not a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${from} is not an Ed25519 key`);
  return key;
}

export function parsePublicKey(pem: string, from: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error(`${from} is not a PEM public (or private) key`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${from} is not an Ed25519 key`);
  return key;
}

export interface CheckpointSink {
  /** JSON Lines file to append each checkpoint to. */
  file?: string | null;
  /** The server's logger: each checkpoint also goes out with the log. */
  log?: { info(obj: unknown, msg: string): void };
}

/**
 * Signs the chain's current head and records the checkpoint: in the
 * database (audit_checkpoint), in the JSON Lines file, and in the log.
 * Run the chainer first, or the newest events are not covered.
 */
export async function writeCheckpoint(
  db: Kysely<Database>,
  privateKey: KeyObject,
  sink: CheckpointSink = {},
): Promise<Checkpoint> {
  // Under the chain's lock: a chainer (another instance's) decides at the
  // start of its batch whether sealing has begun, from whether a checkpoint
  // exists. A first checkpoint committed in the middle of that batch would
  // leave its links, attested, after a checkpoint they were not checked for
  // (decision 0052); waiting for the batch to end closes that gap.
  const checkpoint = await db.transaction().execute(async (trx) => {
    await lockChain(trx);
    // The database's clock, the one that stamps events: the checkpoint's
    // time is compared with theirs.
    const { rows } = await sql<{
      now: string;
    }>`select to_char(clock_timestamp() at time zone 'UTC', ${sql.lit(UTC_MICROS)}) as now`.execute(
      trx,
    );
    const head = await trx
      .selectFrom('audit_chain_link')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    const unsigned = {
      seq: head?.seq ?? 0,
      headHash: head?.hash ?? GENESIS_HASH,
      signedAt: (rows as [{ now: string }])[0].now,
      keyId: keyIdOf(createPublicKey(privateKey)),
    };
    const signed: Checkpoint = {
      ...unsigned,
      signature: sign(null, checkpointMessage(unsigned), privateKey).toString('base64'),
    };
    await trx
      .insertInto('audit_checkpoint')
      .values({
        link_seq: signed.seq,
        head_hash: signed.headHash,
        signed_at: signed.signedAt,
        key_id: signed.keyId,
        signature: signed.signature,
      })
      .execute();
    return signed;
  });
  const line: CheckpointLine = { type: 'safekeep.audit.checkpoint', ...checkpoint };
  if (sink.file) await appendFile(sink.file, `${JSON.stringify(line)}\n`, { flag: 'a' });
  sink.log?.info({ auditCheckpoint: line }, 'audit checkpoint signed');
  return checkpoint;
}

/** The latest checkpoint in the database, to decide when the next is due. */
export async function latestCheckpoint(
  db: Kysely<Database>,
): Promise<{ seq: number; signedAt: Date } | undefined> {
  const row = await db
    .selectFrom('audit_checkpoint')
    .select(['link_seq', 'signed_at'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: row.link_seq, signedAt: row.signed_at } : undefined;
}

/** The checkpoints in a JSON Lines file's text; lines that are not one are findings. */
export function parseCheckpointLines(text: string): {
  checkpoints: { line: number; checkpoint: Checkpoint }[];
  problems: string[];
} {
  const checkpoints: { line: number; checkpoint: Checkpoint }[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push(`line ${line} of the checkpoints file is not JSON`);
      return;
    }
    const c = value as Partial<CheckpointLine> | null;
    // The retention disposal journal ships in the same file (retention/disposal-journal.ts).
    if ((c as { type?: unknown } | null)?.type === 'safekeep.retention.disposal') return;
    if (
      c?.type !== 'safekeep.audit.checkpoint' ||
      typeof c.seq !== 'number' ||
      !Number.isSafeInteger(c.seq) ||
      typeof c.headHash !== 'string' ||
      typeof c.signedAt !== 'string' ||
      typeof c.keyId !== 'string' ||
      typeof c.signature !== 'string'
    ) {
      problems.push(`line ${line} of the checkpoints file is not a Safekeep audit checkpoint`);
      return;
    }
    checkpoints.push({
      line,
      checkpoint: {
        seq: c.seq,
        headHash: c.headHash,
        signedAt: c.signedAt,
        keyId: c.keyId,
        signature: c.signature,
      },
    });
  });
  return { checkpoints, problems };
}

export interface CheckpointVerifyOptions {
  /**
   * The longest an audited transaction can run. An event linked after a
   * checkpoint but stamped earlier than this before it cannot be genuine:
   * it would have committed, and been linked, before the checkpoint.
   */
  graceSeconds?: number;
  /**
   * Hold the newest retention cut to these checkpoints: one of them must
   * have its link and hash. For the full set of checkpoints, not a sample.
   */
  holdCut?: boolean;
}

/**
 * Holds the chain in the database to signed checkpoints. Each checkpoint
 * must carry a good signature by `publicKey`; the chain must still reach
 * its link and have its hash there; and no event linked after the newest
 * checkpoint may claim to be older than it (less `graceSeconds`).
 */
export async function verifyCheckpoints(
  db: Kysely<Database>,
  entries: readonly { line: number; checkpoint: Checkpoint }[],
  publicKey: KeyObject,
  options: CheckpointVerifyOptions = {},
): Promise<{ checked: number; findings: AuditFinding[]; earliestSeq: number | null }> {
  const graceSeconds = options.graceSeconds ?? 300;
  const findings: AuditFinding[] = [];
  const expectedKeyId = keyIdOf(publicKey);
  const head = await db
    .selectFrom('audit_chain_link')
    .select(['seq'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const chainLength = head?.seq ?? 0;
  // Links before the newest retention cut went with the months they named
  // (migration 0074): a checkpoint before it is held to its signature only.
  const cut = await db
    .selectFrom('audit_retention_cut')
    .select(['through_link', 'head_hash', utcMicros('dropped_before').as('dropped_before')])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const good: Checkpoint[] = [];
  for (const { line, checkpoint: c } of entries) {
    const where = `the checkpoint on line ${line} (signed ${c.signedAt}, ${c.seq} events)`;
    let signedByKey = false;
    try {
      signedByKey =
        c.keyId === expectedKeyId &&
        verifySignature(null, checkpointMessage(c), publicKey, Buffer.from(c.signature, 'base64'));
    } catch {
      signedByKey = false;
    }
    if (!signedByKey) {
      findings.push({
        seq: null,
        id: null,
        linkSeq: c.seq,
        reason: `${where} is not signed by the checkpoint key (forged, altered, or another key's)`,
      });
      continue;
    }
    good.push(c);
    if (c.seq === 0 || (cut && c.seq < cut.through_link)) continue;
    if (c.seq > chainLength) {
      findings.push({
        seq: null,
        id: null,
        linkSeq: c.seq,
        reason: `the newest events were removed: ${where} covers ${c.seq} linked events, the chain now has ${chainLength}`,
      });
      continue;
    }
    const link = await db
      .selectFrom('audit_chain_link')
      .select(['hash', 'event_seq', sql<string>`event_id::text`.as('event_id')])
      .where('seq', '=', c.seq)
      .executeTakeFirst();
    if (!link) {
      findings.push({
        seq: null,
        id: null,
        linkSeq: c.seq,
        reason: `the chain was cut: link ${c.seq}, signed in ${where}, is missing`,
      });
    } else if (link.hash !== c.headHash) {
      findings.push({
        seq: link.event_seq,
        id: link.event_id,
        linkSeq: c.seq,
        reason: `the chain was rewritten: link ${c.seq} no longer has the hash signed in ${where}`,
      });
    }
  }

  // A cut is where the full walk starts: it must be a signed checkpoint,
  // or whoever wrote it could hide the chain before it.
  if (
    cut &&
    options.holdCut === true &&
    entries.length > 0 &&
    !good.some((c) => c.seq === cut.through_link && c.headHash === cut.head_hash)
  ) {
    findings.push({
      seq: null,
      id: null,
      linkSeq: cut.through_link,
      reason: `the log was cut at link ${cut.through_link} (months before ${cut.dropped_before} dropped), but no signed checkpoint has that link and hash (a cut forged to hide the chain before it)`,
    });
  }

  // Events are linked in commit order within seconds, so an event linked
  // after a checkpoint was committed after it: it cannot have happened long
  // before it.
  const signed = [...good].sort((a, b) => a.seq - b.seq);
  for (const [index, c] of signed.entries()) {
    const next = signed[index + 1];
    let query = db
      .selectFrom('audit_chain_link as l')
      .innerJoin('audit_event as e', 'e.seq', 'l.event_seq')
      .select(['l.seq as link_seq', 'e.seq', sql<string>`e.id::text`.as('id')])
      .where('l.seq', '>', c.seq)
      .where(
        sql<boolean>`e.occurred_at < ${c.signedAt}::timestamptz - make_interval(secs => ${graceSeconds})`,
      )
      .orderBy('l.seq')
      .limit(100);
    if (next) query = query.where('l.seq', '<=', next.seq);
    for (const row of await query.execute()) {
      findings.push({
        seq: row.seq,
        id: row.id,
        linkSeq: row.link_seq,
        reason: `it was linked after the checkpoint signed ${c.signedAt} but claims to be older than it (forged into the past)`,
      });
    }
  }
  return { checked: good.length, findings, earliestSeq: signed[0]?.seq ?? null };
}
