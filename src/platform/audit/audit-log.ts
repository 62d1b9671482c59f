import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

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

/**
 * Records an event inside the caller's transaction, so the event and the
 * action it records commit or fail together. Takes a Transaction, not a
 * database handle, so that a write outside one does not compile.
 *
 * Only an insert: no lock, no hash. The chainer (chainer.ts) links the
 * event into the hash chain once it has committed (decision record 0012),
 * so concurrent audited actions no longer wait for each other. The database
 * stamps the time, to the microsecond, and the inserting transaction.
 */
export async function recordAudit(trx: Transaction<Database>, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_event')
    .values({
      id: randomUUID(),
      actor_account_id: entry.actorAccountId,
      organisation_id: entry.organisationId,
      action: entry.action,
      object_type: entry.objectType ?? null,
      object_ids: [...(entry.objectIds ?? [])],
      purpose: entry.purpose ?? null,
      outcome: entry.outcome ?? 'success',
      request_id: entry.requestId ?? null,
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
