import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * The hash chain over audit events (decision record 0012). Each link's hash
 * covers its place in the chain, the previous link's hash and every column
 * of its event exactly as the database stores it — read back, never the
 * values the app meant to write — so altering, removing, reordering or
 * inserting anything breaks a link.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** An event as stored: each column as the database gives it back, times as text. */
export interface StoredEvent {
  seq: number;
  id: string;
  /** UTC to the microsecond, the precision of timestamptz: `2026-12-05T12:00:00.123456Z`. */
  occurredAt: string;
  actorAccountId: string | null;
  organisationId: string | null;
  action: string;
  objectType: string | null;
  objectIds: readonly string[];
  purpose: string | null;
  outcome: string;
  requestId: string | null;
  /** The old chain's hashes, on events written before migration 0019. */
  legacyPrevHash: string | null;
  legacyHash: string | null;
  xactId: string;
  seal: string | null;
}

export interface LinkPlace {
  seq: number;
  prevHash: string;
  /** The chainer's horizon when it made the link (audit_chain_link.horizon). */
  horizon: string;
}

/** Bumped whenever what is hashed changes, so old and new hashes can never be confused. */
const HASH_VERSION = 'safekeep-audit-link-v2';

export function hashLink(event: StoredEvent, place: LinkPlace): string {
  const canonical = JSON.stringify([
    HASH_VERSION,
    place.seq,
    place.prevHash,
    place.horizon,
    event.seq,
    event.id,
    event.occurredAt,
    event.actorAccountId,
    event.organisationId,
    event.action,
    event.objectType,
    [...event.objectIds],
    event.purpose,
    event.outcome,
    event.requestId,
    event.legacyPrevHash,
    event.legacyHash,
    event.xactId,
    event.seal,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export const UTC_MICROS = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';

/** A timestamptz as UTC text to the microsecond, the precision it is stored at. */
export function utcMicros(column: string) {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', ${sql.lit(UTC_MICROS)})`;
}

/**
 * The stored events, each column cast to text by the database itself so that
 * nothing is rounded on the way (a JavaScript Date holds milliseconds only).
 */
export function selectStoredEvents(db: Kysely<Database>) {
  return db
    .selectFrom('audit_event as e')
    .select([
      'e.seq',
      sql<string>`e.id::text`.as('id'),
      utcMicros('e.occurred_at').as('occurred_at'),
      sql<string | null>`e.actor_account_id::text`.as('actor_account_id'),
      sql<string | null>`e.organisation_id::text`.as('organisation_id'),
      'e.action',
      'e.object_type',
      'e.object_ids',
      'e.purpose',
      'e.outcome',
      'e.request_id',
      'e.prev_hash',
      'e.hash',
      sql<string>`e.xact_id::text`.as('xact_id'),
      'e.seal',
    ]);
}

/** A row of `selectStoredEvents`: its type follows the query, so the two cannot drift apart. */
export type StoredEventRow = Awaited<
  ReturnType<ReturnType<typeof selectStoredEvents>['executeTakeFirstOrThrow']>
>;

export function storedEvent(row: StoredEventRow): StoredEvent {
  return {
    seq: row.seq,
    id: row.id,
    occurredAt: row.occurred_at,
    actorAccountId: row.actor_account_id,
    organisationId: row.organisation_id,
    action: row.action,
    objectType: row.object_type,
    objectIds: row.object_ids,
    purpose: row.purpose,
    outcome: row.outcome,
    requestId: row.request_id,
    legacyPrevHash: row.prev_hash,
    legacyHash: row.hash,
    xactId: row.xact_id,
    seal: row.seal,
  };
}
