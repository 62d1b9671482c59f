import { mkdir } from 'node:fs/promises';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DATABASE_TIMEOUT_DEFAULTS, type Config, type DatabaseTimeouts } from '../config.js';
import { pglitePool } from './pglite-pool.js';
import { prepareRepeatedStatements } from './prepared-statements.js';
import type { Database } from './schema.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
  /** PGlite only: the data directory as a tarball, to start another from (pgliteSnapshot). */
  dumpDataDir?(): Promise<Blob>;
  /** How the pool's connections are used now (metrics; platform/ops/metrics.ts). */
  poolStats?(): PoolStats;
}

/**
 * Connections a handle holds: `max` at most, `total` open now, `idle` of
 * those free, `waiting` requests queued for one. PGlite is one connection,
 * lent to one borrower at a time.
 */
export interface PoolStats {
  max: number;
  total: number;
  idle: number;
  waiting: number;
}

/**
 * Values come back the same from both databases: calendar dates as
 * 'YYYY-MM-DD' strings (a date is not a timestamp; see design.md "Dates"),
 * bigints as numbers (ids and counts stay well below 2^53), timestamps as Date.
 */
const DATE_OID = 1082;
const INT8_OID = 20;

export interface OpenOptions {
  /** A test's own schema (db/scratch.ts). */
  schema?: string;
  /** At most this many connections at once; 10 unless given. */
  maxConnections?: number;
  /** How the connections show in pg_stat_activity; 'safekeep' unless given. */
  applicationName?: string;
  /** Overrides the configured timeouts: migrations may run longer than a request. */
  timeouts?: Partial<DatabaseTimeouts>;
  /**
   * Told when a connection the pool holds is lost (the server restarted, an
   * administrator ended the session, the network dropped). The pool drops
   * that connection and opens a new one when next needed.
   */
  onConnectionError?: (error: Error) => void;
  /**
   * Statements a connection runs repeatedly become prepared statements
   * (db/prepared-statements.ts). On unless turned off: the owner's
   * connections, which migrate and then read tables whose shape has just
   * changed, turn it off.
   */
  prepareRepeatedStatements?: boolean;
  /**
   * PGlite only, with no data directory: start from this dumped data
   * directory (PGlite's dumpDataDir) instead of running initdb. Tests start
   * from one migrated snapshot (test/support/database-setup.ts): initdb in
   * WebAssembly costs seconds, loading the dump well under one.
   */
  pgliteSnapshot?: Blob;
  /**
   * PostgreSQL only: every transaction read-only (a replica's pool), so that
   * a write sent there by mistake fails at once, on a standby or not.
   */
  readOnly?: boolean;
}

export async function openDatabase(
  database: Config['database'],
  options: OpenOptions = {},
): Promise<DatabaseHandle> {
  if (database.kind === 'postgres') {
    const timeouts = {
      ...DATABASE_TIMEOUT_DEFAULTS,
      ...database.timeouts,
      ...options.timeouts,
    };
    const pool = new pg.Pool({
      connectionString: database.url,
      max: options.maxConnections ?? 10,
      application_name: options.applicationName ?? 'safekeep',
      // A test gets its own schema so that runs never see each other's rows;
      // public stays on the path for the extensions, which live there once
      // per database (migrations/0002-people.ts).
      ...(serverOptions(options) ? { options: serverOptions(options) } : {}),
      // Set on each connection as it opens, so that one stuck statement,
      // lock or abandoned transaction cannot hold everyone else up; a request
      // that hits one answers 503 (platform/http/error-handler.ts).
      statement_timeout: timeouts.statementMs,
      lock_timeout: timeouts.lockMs,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
      connectionTimeoutMillis: timeouts.connectMs,
      keepAlive: true,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
          if (oid === DATE_OID) return (value: string) => value;
          if (oid === INT8_OID) return (value: string) => Number(value);
          return pg.types.getTypeParser(oid, format ?? 'text');
        }) as typeof pg.types.getTypeParser,
      },
    });
    // Without these listeners a connection lost while idle in the pool, or
    // while checked out between two queries, is an unhandled 'error' event
    // that ends the process. With them the connection is dropped (pg-pool
    // discards a client that is no longer queryable when it is released)
    // and the next query opens a new one.
    pool.on('connect', (client) =>
      client.on('error', (error) => options.onConnectionError?.(error)),
    );
    // The pool re-emits an idle client's error, already reported just above.
    pool.on('error', () => undefined);
    if (options.prepareRepeatedStatements ?? true) prepareRepeatedStatements(pool);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const max = options.maxConnections ?? 10;
    return {
      db,
      kind: 'postgres',
      close: () => db.destroy(),
      poolStats: () => ({
        max,
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
      }),
    };
  }

  if (database.dataDir) await mkdir(database.dataDir, { recursive: true });
  const embedded = await PGlite.create({
    ...(database.dataDir ? { dataDir: database.dataDir } : {}),
    ...(options.pgliteSnapshot && !database.dataDir ? { loadDataDir: options.pgliteSnapshot } : {}),
    // Name search tolerant of spelling variants (people/store.ts).
    extensions: { pg_trgm, fuzzystrmatch },
    parsers: {
      [pgliteTypes.DATE]: (value: string) => value,
      [pgliteTypes.INT8]: (value: string) => Number(value),
    },
  });
  const pool = pglitePool(embedded);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    close: () => db.destroy(),
    poolStats: () => {
      const { borrowers } = pool.stats();
      return { max: 1, total: 1, idle: borrowers > 0 ? 0 : 1, waiting: Math.max(0, borrowers - 1) };
    },
    dumpDataDir: () => embedded.dumpDataDir('none'),
  };
}

/** Settings sent when each connection opens (libpq's `options`). */
function serverOptions(options: OpenOptions): string {
  return [
    ...(options.schema ? [`-c search_path=${options.schema},public`] : []),
    ...(options.readOnly ? ['-c default_transaction_read_only=on'] : []),
  ].join(' ');
}
