import { sql, type Kysely } from 'kysely';

/**
 * What autovacuum would have done after a bulk fill (it is off on the
 * benchmark's server, and lags behind a bulk load on a real one): the
 * visibility map set, so index-only scans skip the heap, and statistics
 * fresh, so the planner sees the filled sizes. A vacuum of millions of rows
 * outlasts the app's statement timeout, so it runs on one connection
 * without one.
 */
export async function vacuumAnalyse<DB>(db: Kysely<DB>, tables: readonly string[]): Promise<void> {
  await db.connection().execute(async (connection) => {
    await sql`set statement_timeout = 0`.execute(connection);
    try {
      await sql`vacuum (analyze) ${sql.join(tables.map((t) => sql.table(t)))}`.execute(connection);
    } finally {
      await sql`reset statement_timeout`.execute(connection);
    }
  });
}
