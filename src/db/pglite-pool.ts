import type { PGlite } from '@electric-sql/pglite';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * Presents an embedded PGlite database as the `pg`-style pool that Kysely's
 * own PostgresDialect drives, so both databases share one code path.
 *
 * PGlite is a single connection, so the pool hands it to one borrower at a
 * time: a transaction holds it from BEGIN to COMMIT and nothing interleaves.
 * (No maintained Kysely dialect supports PGlite 0.5 yet; this is the small
 * adapter such a dialect would be.)
 */
export function pglitePool(database: PGlite): PostgresPool & { stats(): { borrowers: number } } {
  let queue: Promise<void> = Promise.resolve();
  // Borrowers holding or waiting for the one connection (poolStats, metrics).
  let borrowers = 0;

  return {
    stats: () => ({ borrowers }),
    connect() {
      borrowers += 1;
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = () => {
          borrowers -= 1;
          resolve();
        };
      });
      const acquired = queue.then(() => client);
      queue = queue.then(() => released);

      function query<R>(
        sql: string,
        parameters: ReadonlyArray<unknown>,
      ): Promise<PostgresQueryResult<R>>;
      function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
      function query<R>(
        sqlOrCursor: string | PostgresCursor<R>,
        parameters: ReadonlyArray<unknown> = [],
      ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
        if (typeof sqlOrCursor !== 'string') throw new Error('PGlite does not support cursors');
        return run<R>(sqlOrCursor, parameters);
      }

      const client: PostgresPoolClient = { query, release: () => release() };
      return acquired;
    },
    async end() {
      await queue;
      await database.close();
    },
  };

  async function run<R>(
    sql: string,
    parameters: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> {
    const command = commandOf(sql);
    if (parameters.length === 0) {
      // Without parameters a statement may hold several commands (migrations);
      // `exec` runs them all, as pg's simple query protocol does.
      const results = await database.exec(sql);
      const last = results[results.length - 1];
      return { command, rowCount: last?.affectedRows ?? 0, rows: (last?.rows ?? []) as R[] };
    }
    const result = await database.query<R>(sql, [...parameters]);
    return { command, rowCount: result.affectedRows ?? 0, rows: result.rows };
  }
}

type Command = PostgresQueryResult<unknown>['command'];

function commandOf(sql: string): Command {
  const stripped = sql.replace(/^\s*(--[^\n]*\n\s*)*/, '').trimStart();
  const first = /^(with\s[\s\S]*?\)\s*)?(\w+)/i.exec(stripped);
  const word = (first?.[2] ?? '').toUpperCase();
  const known: Command[] = ['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE', 'COMMIT', 'ROLLBACK'];
  return (known as string[]).includes(word) ? (word as Command) : 'SELECT';
}
