import type pg from 'pg';

/**
 * Statements the app runs again and again (resuming a session, reading a
 * record with its access decision's inputs, reading it and recording its
 * audit event) are parsed and planned by PostgreSQL once per connection
 * instead of on every request: a query text that one connection has run
 * `threshold` times is sent from then on as a named prepared statement.
 * Parsing and planning were most of PostgreSQL's work on an audited read
 * (docs/decisions/0024-prepared-statements-and-cheaper-pages.md).
 *
 * What each statement does is unchanged: the same text with the same
 * parameters, on the same connection, in the same transaction. The rule is
 * pgjdbc's `prepareThreshold`. Bounded: at most `maxPerConnection`
 * statements per connection (each holds memory in its backend), after
 * which texts go unnamed as before. Only parameterised texts are named: a
 * text without parameters may hold several commands (a migration), which
 * a prepared statement cannot.
 */
export interface PreparedStatementOptions {
  /** Runs of one text on one connection before it is prepared. */
  threshold: number;
  /** Prepared statements kept per connection, at most. */
  maxPerConnection: number;
}

export const PREPARED_STATEMENT_DEFAULTS: PreparedStatementOptions = {
  threshold: 2,
  maxPerConnection: 256,
};

interface Seen {
  runs: number;
  name?: string;
}

/** PostgreSQL's answer when a table a prepared `select *` reads has changed shape. */
const PLAN_SHAPE_CHANGED = /cached plan must not change result type/;

type Query = (...args: unknown[]) => unknown;

/**
 * Makes every client `pool` opens name its repeated texts, as above.
 * Everything else (cursors, query configs, texts without parameters)
 * passes through untouched.
 */
export function prepareRepeatedStatements(
  pool: pg.Pool,
  options: PreparedStatementOptions = PREPARED_STATEMENT_DEFAULTS,
): void {
  pool.on('connect', (client) => {
    const texts = new Map<string, Seen>();
    let prepared = 0;
    const query = client.query.bind(client) as Query;
    const preparing: Query = (...args) => {
      const [text, values, callback] = args;
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0) {
        return query(...args);
      }
      let seen = texts.get(text);
      if (!seen) {
        // Remembered texts are bounded too: ids listed in `in (…)` make
        // texts that differ only in their number of parameters.
        if (texts.size >= options.maxPerConnection * 4) return query(...args);
        seen = { runs: 0 };
        texts.set(text, seen);
      }
      seen.runs += 1;
      if (!seen.name && seen.runs >= options.threshold && prepared < options.maxPerConnection) {
        prepared += 1;
        seen.name = `safekeep_${prepared}`;
      }
      if (!seen.name) return query(...args);
      const named = seen;
      // A migration changed a table under a prepared `select *`: this
      // statement fails once (as it would have mid-migration anyway); from
      // then on the text goes unnamed and is planned afresh.
      const forgetIfReshaped = (error: unknown) => {
        if (error instanceof Error && PLAN_SHAPE_CHANGED.test(error.message)) {
          delete named.name;
          named.runs = Number.NEGATIVE_INFINITY;
        }
      };
      const config = { name: named.name, text, values };
      // pg.Pool#query passes a callback; Kysely awaits the promise.
      if (typeof callback === 'function') {
        return query(config, (error: unknown, result: unknown) => {
          if (error) forgetIfReshaped(error);
          (callback as (error: unknown, result: unknown) => void)(error, result);
        });
      }
      return (query(config) as Promise<unknown>).catch((error: unknown) => {
        forgetIfReshaped(error);
        throw error;
      });
    };
    (client as unknown as { query: Query }).query = preparing;
  });
}
