import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { utcMicros } from './audit-chain.js';
import { chainAuditEvents } from './chainer.js';
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
  } = {},
): Promise<AuditLogReport> {
  await chainAuditEvents(db, { wait: true });
  const graceSeconds = options.graceSeconds ?? 300;
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
      { graceSeconds },
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
    const shipped = await verifyCheckpoints(db, checkpoints, options.publicKey, { graceSeconds });
    checkpointFindings.push(...shipped.findings.map((f) => `Checkpoints file: ${describe(f)}`));
    checkpointsChecked += shipped.checked;
    began(shipped.earliestSeq);
  }
  const chain = await verifyAuditChain(db, {
    graceSeconds,
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
