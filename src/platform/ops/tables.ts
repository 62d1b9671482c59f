import type { ColumnType } from 'kysely';

/** Hits on one rate-limited route by one client in the current window (migration 0063). */
export interface RateLimitCounterTable {
  /** HMAC-SHA256 of route, limit, window and client key: no address in the clear. */
  key: string;
  hits: number;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

/** Tables for running Safekeep at scale (issue 16). */
export interface OpsTables {
  rate_limit_counter: RateLimitCounterTable;
}
