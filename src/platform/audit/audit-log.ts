import { randomUUID, type KeyObject } from 'node:crypto';
import type { Kysely, QueryCreator, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { sealEvent, type SealedContent } from './seals.js';

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

let sealingKey: KeyObject | null = null;

/**
 * The key every event recorded from now on is sealed with (seals.ts): the
 * checkpoint key, set at start-up by `safekeep serve` and every CLI command
 * (cli.ts `prepare`). Null: events go unsealed (development, tests).
 */
export function sealAuditEventsWith(key: KeyObject | null): void {
  sealingKey = key;
}

/**
 * The key events are sealed with, if any: the chainer checks seals with its
 * public half and signs what it checked with it (chainer.ts, decision 0052).
 */
export function auditSealingKey(): KeyObject | null {
  return sealingKey;
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
  await trx.insertInto('audit_event').values(auditEventRow(entry)).execute();
}

/**
 * The same event as a data-modifying CTE on the one statement that reads
 * what it records: a statement is a transaction of its own, so the read and
 * its event commit together or not at all, as with recordAudit, without
 * BEGIN and COMMIT round trips. PostgreSQL runs such a CTE exactly once
 * whether or not the main query reads it. For the hottest audited read (a
 * record page or API read, casework/store.ts contents()); nothing read may
 * be shown unless that statement succeeded.
 */
export function withAuditEvent(db: Kysely<Database>, entry: AuditEntry): QueryCreator<Database> {
  return withAuditEventRow(db, auditEventRow(entry));
}

/** The same, given the row (auditEventRow), or stand-ins for it in a query compiled once. */
export function withAuditEventRow(
  db: Kysely<Database>,
  row: Record<AuditEventColumn, unknown>,
): QueryCreator<Database> {
  // Typed as a plain query creator: the statement never reads the CTE back.
  return db.with('recorded_audit_event', (qb) =>
    qb.insertInto('audit_event').values(row as AuditEventRow),
  ) as unknown as QueryCreator<Database>;
}

export type AuditEventRow = ReturnType<typeof auditEventRow>;
export type AuditEventColumn = keyof AuditEventRow;

/** Every column auditEventRow fills, in the order it fills them. */
export const AUDIT_EVENT_COLUMNS: readonly AuditEventColumn[] = [
  'id',
  'actor_account_id',
  'organisation_id',
  'action',
  'object_type',
  'object_ids',
  'purpose',
  'outcome',
  'request_id',
  'seal',
];

/** The row recordAudit inserts for an entry: a new id, and the seal when a key is set. */
export function auditEventRow(entry: AuditEntry) {
  const content: SealedContent = {
    id: randomUUID(),
    actorAccountId: entry.actorAccountId,
    organisationId: entry.organisationId,
    action: entry.action,
    objectType: entry.objectType ?? null,
    objectIds: [...(entry.objectIds ?? [])],
    purpose: entry.purpose ?? null,
    outcome: entry.outcome ?? 'success',
    requestId: entry.requestId ?? null,
  };
  return {
    id: content.id,
    actor_account_id: content.actorAccountId,
    organisation_id: content.organisationId,
    action: content.action,
    object_type: content.objectType,
    object_ids: [...content.objectIds],
    purpose: content.purpose,
    outcome: content.outcome,
    request_id: content.requestId,
    seal: sealingKey ? sealEvent(content, sealingKey) : null,
  };
}

/** Runs `work` and its audit events in one transaction. */
export function audited<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(work);
}
