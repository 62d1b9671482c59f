import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { utcMicros } from './audit-chain.js';
import { chainAuditEvents, linkingNeedsKey } from './chainer.js';
import { parseCheckpointLines, verifyCheckpoints, type Checkpoint } from './checkpoints.js';
import { verifyAuditChain, type AuditFinding } from './verify.js';

export interface AuditLogReport {
  /** One line: what was checked. */
  summary: string;
  /** One sentence each, worst first as found; empty when all holds. */
  findings: string[];
  events: number;
  checkpointsChecked: number;
}

/**
 * `safekeep audit verify`: links what is waiting, walks the chain, and holds
 * it to signed checkpoints — the database's own (audit_checkpoint) and,
 * given `checkpointText`, the JSON Lines shipped out of the database, which
 * an insider with the database cannot have rewritten.
 */
export async function verifyAuditLog(
  db: Kysely<Database>,
  options: {
    graceSeconds?: number;
    pageSize?: number;
    publicKey?: KeyObject | null;
    checkpointText?: string | null;
    /**
     * Walk only from the newest signed checkpoint that holds (the shipped
     * file's or the database's, whichever covers more): seconds however long
     * the log. Needs the public key; with no checkpoint yet, walks it all.
     */
    incremental?: boolean;
  } = {},
): Promise<AuditLogReport> {
  // With the public key the chainer checks seals as it links (decision
  // 0052); with no key at all, once checkpoints began, it links nothing.
  await chainAuditEvents(db, { wait: true, publicKey: options.publicKey ?? null });
  const linkedOnlyWithKey = !options.publicKey && (await linkingNeedsKey(db));
  const graceSeconds = options.graceSeconds ?? 300;
  if (options.incremental) {
    if (!options.publicKey) throw new Error('an incremental verify needs the public key');
    const report = await verifyFromLatestCheckpoint(db, {
      graceSeconds,
      publicKey: options.publicKey,
      checkpointText: options.checkpointText ?? null,
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    });
    if (report) return report;
  }
  const checkpointFindings: string[] = [];
  let checkpointsChecked = 0;
  let earliest: number | null = null;
  const began = (seq: number | null) => {
    if (seq !== null && (earliest === null || seq < earliest)) earliest = seq;
  };
  if (options.publicKey) {
    const stored = await db
      .selectFrom('audit_checkpoint')
      .select(['id', 'link_seq', 'head_hash', 'key_id', 'signature'])
      .select(utcMicros('signed_at').as('signed_at'))
      .orderBy('id')
      .execute();
    const inDatabase = await verifyCheckpoints(
      db,
      stored.map((row) => ({ line: row.id, checkpoint: fromRow(row) })),
      options.publicKey,
      { graceSeconds, holdCut: true },
    );
    checkpointFindings.push(...inDatabase.findings.map((f) => `In the database: ${describe(f)}`));
    checkpointsChecked += inDatabase.checked;
    began(inDatabase.earliestSeq);
  }
  if (options.checkpointText != null) {
    if (!options.publicKey) throw new Error('checking checkpoints needs the public key');
    const { checkpoints, problems } = parseCheckpointLines(options.checkpointText);
    checkpointFindings.push(...problems.map((p) => `Checkpoints file: ${p}.`));
    if (checkpoints.length === 0) {
      checkpointFindings.push('Checkpoints file: it holds no checkpoints.');
    }
    const shipped = await verifyCheckpoints(db, checkpoints, options.publicKey, {
      graceSeconds,
      holdCut: true,
    });
    checkpointFindings.push(...shipped.findings.map((f) => `Checkpoints file: ${describe(f)}`));
    checkpointsChecked += shipped.checked;
    began(shipped.earliestSeq);
  }
  const chain = await verifyAuditChain(db, {
    graceSeconds,
    linkedOnlyWithKey,
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    ...(options.publicKey
      ? { seals: { publicKey: options.publicKey, requiredAfterLink: earliest } }
      : {}),
  });
  const findings = [...(chain.ok ? [] : chain.findings.map(describe)), ...checkpointFindings];
  const events = chain.events;
  const summary =
    findings.length === 0
      ? `Audit chain intact: ${events} events verified` +
        (checkpointsChecked ? `, ${checkpointsChecked} signed checkpoints match it.` : '.')
      : `Audit chain BROKEN: ${findings.length} finding${findings.length === 1 ? '' : 's'} over ${events} linked events.`;
  return { summary, findings, events, checkpointsChecked };
}

function fromRow(row: {
  link_seq: number;
  head_hash: string;
  signed_at: string;
  key_id: string;
  signature: string;
}): Checkpoint {
  return {
    seq: row.link_seq,
    headHash: row.head_hash,
    signedAt: row.signed_at,
    keyId: row.key_id,
    signature: row.signature,
  };
}

function describe(f: AuditFinding): string {
  const where =
    f.seq !== null
      ? `Audit chain BROKEN at event ${f.seq}${f.id ? ` (id ${f.id})` : ''}`
      : f.linkSeq !== null
        ? `At link ${f.linkSeq}`
        : 'Audit log';
  return `${where}: ${f.reason}.`;
}

/**
 * The incremental walk: the newest checkpoint from the file shipped out of
 * the database and the newest in it are each held to the chain (signature,
 * and the chain still has its hash at its link); the walk starts after the
 * newer of those that hold. Null when there is none to start from.
 */
async function verifyFromLatestCheckpoint(
  db: Kysely<Database>,
  options: {
    graceSeconds: number;
    publicKey: KeyObject;
    checkpointText: string | null;
    pageSize?: number;
  },
): Promise<AuditLogReport | null> {
  const findings: string[] = [];
  const candidates: { source: string; entry: { line: number; checkpoint: Checkpoint } }[] = [];
  if (options.checkpointText !== null) {
    const { checkpoints, problems } = parseCheckpointLines(options.checkpointText);
    findings.push(...problems.map((p) => `Checkpoints file: ${p}.`));
    const last = checkpoints.at(-1);
    if (last) candidates.push({ source: 'Checkpoints file', entry: last });
    else findings.push('Checkpoints file: it holds no checkpoints.');
  }
  const newest = await db
    .selectFrom('audit_checkpoint')
    .select(['id', 'link_seq', 'head_hash', 'key_id', 'signature'])
    .select(utcMicros('signed_at').as('signed_at'))
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (newest) {
    candidates.push({
      source: 'In the database',
      entry: { line: newest.id, checkpoint: fromRow(newest) },
    });
  }
  let anchor: Checkpoint | null = null;
  let checkpointsChecked = 0;
  for (const { source, entry } of candidates) {
    const held = await verifyCheckpoints(db, [entry], options.publicKey, {
      graceSeconds: options.graceSeconds,
    });
    findings.push(...held.findings.map((f) => `${source}: ${describe(f)}`));
    checkpointsChecked += held.checked;
    if (held.findings.length === 0 && (!anchor || entry.checkpoint.seq > anchor.seq)) {
      anchor = entry.checkpoint;
    }
  }
  if (!anchor && findings.length === 0) return null;
  // Seals are required after the first checkpoint: from then on the app had the key.
  const first = await db
    .selectFrom('audit_checkpoint')
    .select('link_seq')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  const chain = await verifyAuditChain(db, {
    graceSeconds: options.graceSeconds,
    ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
    seals: { publicKey: options.publicKey, requiredAfterLink: first?.link_seq ?? anchor?.seq ?? 0 },
    ...(anchor ? { from: { linkSeq: anchor.seq, headHash: anchor.headHash } } : {}),
  });
  findings.unshift(...(chain.ok ? [] : chain.findings.map(describe)));
  const since = anchor
    ? `since the checkpoint signed ${anchor.signedAt} (link ${anchor.seq})`
    : 'from the start (no checkpoint holds)';
  const summary =
    findings.length === 0
      ? `Audit chain intact ${since}: ${chain.events} events verified, ${checkpointsChecked} signed checkpoint${checkpointsChecked === 1 ? '' : 's'} match it.`
      : `Audit chain BROKEN ${since}: ${findings.length} finding${findings.length === 1 ? '' : 's'} over ${chain.events} linked events.`;
  return { summary, findings, events: chain.events, checkpointsChecked };
}
