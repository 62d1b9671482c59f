import { createHash } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The disposal journal (decision record 0038): each certified disposal as
 * ids, its certificate's hash and times — no name, no note, nothing a
 * destroyed record said — written in the certifying transaction and shipped
 * out of the database beside the audit checkpoints, so that a backup
 * restored from before a sweep can be brought back to what was destroyed
 * (`safekeep retention replay-disposals`, replay.ts).
 */

/** The `type` of a journal line in the shipped JSON Lines (the audit checkpoints' file). */
export const DISPOSAL_LINE_TYPE = 'safekeep.retention.disposal';

export interface DisposalJournalEntry {
  certificateId: string;
  organisationId: string;
  itemKind: string;
  itemIds: string[];
  certificateHash: string;
  /** ISO 8601, UTC. */
  disposedAt: string;
}

/** What a certificate says, hashed: the journal proves which certificate it copies. */
export function certificateHash(certificate: Readonly<Record<string, unknown>>): string {
  const canonical = JSON.stringify(
    Object.fromEntries(Object.entries(certificate).sort(([a], [b]) => a.localeCompare(b))),
  );
  return createHash('sha256')
    .update(`safekeep.disposal-certificate.v1\n${canonical}`)
    .digest('hex');
}

/** Writes the entry in the certifying transaction: no journal entry, no disposal. */
export async function journalDisposal(
  trx: Transaction<Database>,
  entry: DisposalJournalEntry,
): Promise<void> {
  await trx
    .insertInto('disposal_journal')
    .values({
      certificate_id: entry.certificateId,
      organisation_id: entry.organisationId,
      item_kind: entry.itemKind,
      item_ids: entry.itemIds,
      certificate_hash: entry.certificateHash,
      disposed_at: entry.disposedAt,
    })
    .execute();
}

export interface JournalSink {
  /** The JSON Lines file the audit checkpoints go to (AUDIT_CHECKPOINT_FILE). */
  file?: string | null;
  log?: { info(obj: unknown, msg: string): void };
}

/**
 * Writes every entry not yet shipped to the file and the log, then marks it
 * shipped. Run by the audit chainer beside each checkpoint round and after a
 * sweep from the command line. An entry written out twice (a crash between
 * the write and the mark) is harmless: replay knows a certificate once.
 */
export async function shipDisposalJournal(
  db: Kysely<Database>,
  sink: JournalSink,
): Promise<number> {
  if (!sink.file && !sink.log) return 0;
  let shipped = 0;
  for (;;) {
    const count = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('disposal_journal')
        .select([
          'seq',
          'certificate_id',
          'organisation_id',
          'item_kind',
          'item_ids',
          'certificate_hash',
          'disposed_at',
        ])
        .where('shipped_at', 'is', null)
        .orderBy('seq')
        .limit(500)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return 0;
      const lines = rows.map((row) => ({
        type: DISPOSAL_LINE_TYPE,
        certificateId: row.certificate_id,
        organisationId: row.organisation_id,
        itemKind: row.item_kind,
        itemIds: row.item_ids,
        certificateHash: row.certificate_hash,
        disposedAt: new Date(row.disposed_at).toISOString(),
      }));
      if (sink.file) {
        await appendFile(sink.file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''), {
          flag: 'a',
        });
      }
      for (const line of lines) sink.log?.info({ disposalJournal: line }, 'disposal journalled');
      await trx
        .updateTable('disposal_journal')
        .set({ shipped_at: new Date() })
        .where(
          'seq',
          'in',
          rows.map((r) => r.seq),
        )
        .execute();
      return rows.length;
    });
    shipped += count;
    if (count === 0) return shipped;
  }
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The journal entries in a shipped JSON Lines file. Checkpoint lines, which
 * share the file, are passed over; a line that is neither is a problem.
 */
export function parseJournalLines(text: string): {
  entries: DisposalJournalEntry[];
  problems: string[];
} {
  const entries: DisposalJournalEntry[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push(`line ${index + 1} is not JSON`);
      return;
    }
    const line = value as Partial<DisposalJournalEntry> & { type?: unknown };
    if (line.type === 'safekeep.audit.checkpoint') return;
    if (
      line.type !== DISPOSAL_LINE_TYPE ||
      typeof line.certificateId !== 'string' ||
      !uuid.test(line.certificateId) ||
      typeof line.organisationId !== 'string' ||
      !uuid.test(line.organisationId) ||
      typeof line.itemKind !== 'string' ||
      !Array.isArray(line.itemIds) ||
      !line.itemIds.every((id) => typeof id === 'string' && uuid.test(id)) ||
      typeof line.certificateHash !== 'string' ||
      typeof line.disposedAt !== 'string'
    ) {
      problems.push(`line ${index + 1} is not a Safekeep disposal journal entry`);
      return;
    }
    entries.push({
      certificateId: line.certificateId,
      organisationId: line.organisationId,
      itemKind: line.itemKind,
      itemIds: line.itemIds,
      certificateHash: line.certificateHash,
      disposedAt: line.disposedAt,
    });
  });
  return { entries, problems };
}
