import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { GENESIS_HASH, hashEvent, type ChainedContent } from './audit-chain.js';

/**
 * What happened, to what, by whom and why: ids and codes only. A name, a
 * note or a search term must never reach here (design.md principle 2).
 */
export interface AuditEntry {
  action: string;
  actorAccountId: string | null;
  organisationId: string | null;
  objectType?: string;
  objectIds?: readonly string[];
  purpose?: string;
  outcome?: 'success' | 'failure' | 'denied';
  requestId?: string;
}

/** A fixed key for the advisory lock that serialises appends to the chain. */
const AUDIT_CHAIN_LOCK = 7_261_001;

/**
 * Appends an event to the chain inside the caller's transaction, so the event
 * and the action it records commit or fail together. Takes a Transaction,
 * not a database handle, so that a write outside one does not compile.
 */
export async function recordAudit(trx: Transaction<Database>, entry: AuditEntry): Promise<void> {
  // One writer at a time extends the chain; the lock is released at commit.
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_event')
    .select('hash')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const content: ChainedContent = {
    id: randomUUID(),
    // Millisecond precision, so the stored time hashes the same when read back.
    occurredAt: new Date(),
    actorAccountId: entry.actorAccountId,
    organisationId: entry.organisationId,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectIds: entry.objectIds ?? [],
    purpose: entry.purpose ?? null,
    outcome: entry.outcome ?? 'success',
    requestId: entry.requestId ?? null,
  };
  await trx
    .insertInto('audit_event')
    .values({
      id: content.id,
      occurred_at: content.occurredAt,
      actor_account_id: content.actorAccountId,
      organisation_id: content.organisationId,
      action: content.action,
      object_type: content.objectType,
      object_ids: [...content.objectIds],
      purpose: content.purpose,
      outcome: content.outcome,
      request_id: content.requestId,
      prev_hash: prevHash,
      hash: hashEvent(content, prevHash),
    })
    .execute();
}

/** Runs `work` and its audit events in one transaction. */
export function audited<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(work);
}
