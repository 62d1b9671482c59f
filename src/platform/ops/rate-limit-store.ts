import { createHmac } from 'node:crypto';
import type { FastifyRateLimitOptions, FastifyRateLimitStore } from '@fastify/rate-limit';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * A store for @fastify/rate-limit that keeps its counters in the database, so
 * that every instance and server process behind one load balancer counts the
 * same hits (issue 16; decision record 0041). The plugin's own store keeps
 * them in process memory: with two instances a client got twice the limit,
 * and with WORKERS=n, n times.
 *
 * Each hit is one statement: an upsert that starts a new window when the
 * row's has ended and otherwise adds one, returning the count and what is
 * left of the window. The database's clock decides windows, so instances
 * whose clocks differ still agree.
 *
 * The key is an HMAC (keyed with the session secret, which every instance
 * shares) of the route, its limit and window, and the client key (the
 * client's address): different routes, and the same route under different
 * limits, never share a counter, and a copy of the table gives no address
 * back (a plain hash of an IPv4 address is reversed by trying all 2^32).
 */
export interface DatabaseRateLimitOptions {
  db: Kysely<Database>;
  /** Keys the HMAC; the same on every instance (SESSION_SECRET). */
  secret: string;
  /** Expired rows are deleted at most this often per process; 60 s unless given. */
  cleanupIntervalMs?: number;
}

/** Rows deleted per clean-up, so that one never holds a request up for long. */
const CLEANUP_BATCH = 1000;

interface Shared {
  db: Kysely<Database>;
  hmacKey: Buffer;
  cleanupIntervalMs: number;
  lastCleanupMs: number;
}

interface RouteInfo {
  method?: string | string[];
  url?: string;
}

type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

class DatabaseRateLimitStore implements FastifyRateLimitStore {
  constructor(
    private readonly shared: Shared,
    /** The route this store counts for; '' for limiters made with createRateLimit. */
    private readonly scope: string,
  ) {}

  incr(clientKey: string, callback: IncrCallback, timeWindow: number, max: number): void {
    this.hit(clientKey, timeWindow, max).then(
      (result) => callback(null, result),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /** Reads without counting (the plugin's `increment: false`). */
  read(clientKey: string, callback: IncrCallback, timeWindow: number, max: number): void {
    const key = this.keyFor(clientKey, timeWindow, max);
    sql<{ hits: number; ttl: number }>`
      select hits, ${ttlMs} as ttl from rate_limit_counter where key = ${key} and expires_at > now()
    `
      .execute(this.shared.db)
      .then(
        ({ rows }) => callback(null, { current: rows[0]?.hits ?? 0, ttl: rows[0]?.ttl ?? 0 }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
  }

  child(routeOptions: FastifyRateLimitOptions & { routeInfo?: RouteInfo }): FastifyRateLimitStore {
    const options = routeOptions as {
      routeInfo?: RouteInfo;
      continueExceeding?: boolean;
      exponentialBackoff?: boolean;
    };
    refuseUnsupported(options);
    const method = [options.routeInfo?.method ?? ''].flat().join(',');
    return new DatabaseRateLimitStore(this.shared, `${method} ${options.routeInfo?.url ?? ''}`);
  }

  keyFor(clientKey: string, timeWindow: number, max: number): string {
    return createHmac('sha256', this.shared.hmacKey)
      .update(JSON.stringify([this.scope, max, timeWindow, clientKey]))
      .digest('hex');
  }

  private async hit(
    clientKey: string,
    timeWindow: number,
    max: number,
  ): Promise<{ current: number; ttl: number }> {
    const key = this.keyFor(clientKey, timeWindow, max);
    const window = Math.max(1, Math.trunc(timeWindow));
    const { rows } = await sql<{ hits: number; ttl: number }>`
      insert into rate_limit_counter as c (key, hits, expires_at)
      values (${key}, 1, now() + ${window} * interval '1 millisecond')
      on conflict (key) do update set
        hits = case when c.expires_at <= now() then 1 else c.hits + 1 end,
        expires_at = case when c.expires_at <= now() then excluded.expires_at else c.expires_at end
      returning hits, ${ttlMs} as ttl
    `.execute(this.shared.db);
    await this.cleanUpIfDue();
    const row = rows[0];
    if (!row) throw new Error('rate limit counter not written');
    return { current: row.hits, ttl: row.ttl };
  }

  /** Deletes rows whose window has ended, at most once a cleanup interval per process. */
  private async cleanUpIfDue(): Promise<void> {
    const now = Date.now();
    if (now - this.shared.lastCleanupMs < this.shared.cleanupIntervalMs) return;
    this.shared.lastCleanupMs = now;
    await deleteExpiredRateLimitCounters(this.shared.db);
  }
}

/** Milliseconds left of the row's window, from the database's clock. */
const ttlMs = sql<number>`greatest(0, ceil(extract(epoch from (expires_at - now())) * 1000))::integer`;

/** Deletes up to a batch of counters whose window has ended; returns how many. */
export async function deleteExpiredRateLimitCounters(db: Kysely<Database>): Promise<number> {
  const result = await sql`
    delete from rate_limit_counter where key in (
      select key from rate_limit_counter where expires_at <= now() limit ${CLEANUP_BATCH}
    )
  `.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The plugin's continueExceeding and exponentialBackoff change how a window
 * is extended; Safekeep uses neither, and this store does not do them, so a
 * route that asks for one fails at start-up rather than silently without.
 */
function refuseUnsupported(options: { continueExceeding?: boolean; exponentialBackoff?: boolean }) {
  if (options.continueExceeding || options.exponentialBackoff) {
    throw new Error(
      'the database rate-limit store does not support continueExceeding or exponentialBackoff',
    );
  }
}

/**
 * The store class the plugin's `store` option takes (it constructs it with
 * the global options, then asks it for a child per limited route).
 */
export function databaseRateLimitStore(options: DatabaseRateLimitOptions) {
  const shared: Shared = {
    db: options.db,
    hmacKey: createHmac('sha256', options.secret).update('safekeep rate limit').digest(),
    cleanupIntervalMs: options.cleanupIntervalMs ?? 60_000,
    lastCleanupMs: Date.now(),
  };
  return class extends DatabaseRateLimitStore {
    constructor(globalOptions: FastifyRateLimitOptions) {
      refuseUnsupported(globalOptions as { continueExceeding?: boolean });
      super(shared, '');
    }
  };
}
