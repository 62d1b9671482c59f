import { hash } from 'node:crypto';
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
  // One call, no Hash object per link: the full walk's cost (decision 0051).
  return hash('sha256', canonical, 'hex');
}

export const UTC_MICROS = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';

/** A timestamptz as UTC text to the microsecond, the precision it is stored at. */
export function utcMicros(column: string) {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', ${sql.lit(UTC_MICROS)})`;
}

/**
 * hashLink, computed by PostgreSQL over a link `l` (audit_chain_link) and
 * its event `e` (audit_event) exactly as stored: the same JSON text, byte
 * for byte, so the same hash. The full walk re-hashes every event this way,
 * in the database, on as many cores as it has (decision 0051); the chainer
 * and `hashLink` remain the definition, and audit.test.ts holds the two to
 * each other over awkward values. Every text column goes through to_json,
 * which escapes as JSON.stringify does; uuids, numbers, xid8 and the time
 * have fixed forms with nothing to escape. Functions are named in
 * pg_catalog so that nothing on the search path can stand in for them.
 */
export const LINK_HASH_SQL = sql<string>`pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
  '[' || pg_catalog.to_json(${HASH_VERSION}::text)::text
  || ',' || l.seq
  || ',' || pg_catalog.to_json(l.prev_hash)::text
  || ',"' || l.horizon
  || '",' || e.seq
  || ',"' || e.id
  || '","' || pg_catalog.to_char(e.occurred_at at time zone 'UTC', ${sql.lit(UTC_MICROS)})
  || '",' || coalesce('"' || e.actor_account_id || '"', 'null')
  || ',' || coalesce('"' || e.organisation_id || '"', 'null')
  || ',' || pg_catalog.to_json(e.action)::text
  || ',' || coalesce(pg_catalog.to_json(e.object_type)::text, 'null')
  || ',' || pg_catalog.to_json(e.object_ids)::text
  || ',' || coalesce(pg_catalog.to_json(e.purpose)::text, 'null')
  || ',' || pg_catalog.to_json(e.outcome)::text
  || ',' || coalesce(pg_catalog.to_json(e.request_id)::text, 'null')
  || ',' || coalesce(pg_catalog.to_json(e.prev_hash)::text, 'null')
  || ',' || coalesce(pg_catalog.to_json(e.hash)::text, 'null')
  || ',"' || e.xact_id
  || '",' || coalesce(pg_catalog.to_json(e.seal)::text, 'null')
  || ']', 'UTF8')), 'hex')`;

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
