import net from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp } from '../../test/support/app.js';
import { testDatabase } from '../../test/support/database.js';
import { openDatabase, type DatabaseHandle } from './connection.js';

/**
 * A lost or unreachable PostgreSQL: the service stays up, answers 503 with
 * Retry-After while the server cannot be reached, and carries on once it
 * can (issue #10 item 7). The unreachable-server test runs in both passes
 * (it points a pool at a closed port); the others need a real server. On
 * PGlite the database is in-process: there is no connection to lose.
 */
const serverUrl = process.env.DATABASE_URL;
const onPostgres = serverUrl ? it : it.skip;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A TCP relay on loopback in front of the real server, that the test can
 * cut (every connection dropped, nothing listening) and restore on the same
 * port: PostgreSQL going away and coming back, as the app sees it.
 */
async function relayTo(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        sockets.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
  });
  const listen = (port: number) =>
    new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen(0);
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    async cut() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: () => listen(port),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function appOn(handle: DatabaseHandle) {
  const app = await testApp(handle);
  cleanups.push(
    () => handle.close(),
    () => app.close(),
  );
  return app;
}

describe('PostgreSQL unreachable', () => {
  it('answers /health with 503 and Retry-After, and pages and the API with 503, not 500', async () => {
    const handle = await openDatabase({
      kind: 'postgres',
      url: `postgres://postgres@127.0.0.1:${await closedPort()}/safekeep`,
    });
    const app = await appOn(handle);

    const health = await app.inject('/health');
    expect(health.statusCode).toBe(503);
    expect(health.headers['retry-after']).toBe('30');
    expect(health.json()).toEqual({ status: 'unavailable', database: 'unreachable' });

    // A signed-in page and an API call have to read the session first.
    const page = await app.inject({ url: '/', cookies: { safekeep_session: 'a-session' } });
    expect(page.statusCode).toBe(503);
    expect(page.headers['retry-after']).toBe('30');
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('cannot reach its database');

    const api = await app.inject({
      url: '/api/v1/me',
      headers: { authorization: 'Bearer sk_not-a-real-token' },
    });
    expect(api.statusCode).toBe(503);
    expect(api.headers['retry-after']).toBe('30');
    expect(api.json()).toMatchObject({ error: 'service-unavailable' });
  });

  onPostgres(
    'answers /health with 503 while the server is away and 200 once it is back',
    async () => {
      const relay = await relayTo(new URL(serverUrl!));
      cleanups.push(() => relay.close());
      const url = new URL(serverUrl!);
      url.host = `127.0.0.1:${relay.port}`;
      const app = await appOn(await openDatabase({ kind: 'postgres', url: url.toString() }));

      expect((await app.inject('/health')).statusCode).toBe(200);
      await relay.cut();
      const away = await app.inject('/health');
      expect(away.statusCode).toBe(503);
      expect(away.headers['retry-after']).toBe('30');
      await relay.restore();
      expect((await app.inject('/health')).statusCode).toBe(200);
    },
  );
});

describe('a connection ended by the server', () => {
  /** Ends every backend of this scratch database's pool, from another connection. */
  async function terminateBackendsOf(handle: DatabaseHandle): Promise<number> {
    const { rows } = await sql<{
      name: string;
    }>`select current_setting('application_name') as name`.execute(handle.db);
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      const result = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
        [rows[0]!.name],
      );
      return result.rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  onPostgres('leaves the service up, and the next request succeeds', async () => {
    const database = await testDatabase();
    const app = await appOn(database);
    expect((await app.inject('/health')).statusCode).toBe(200);

    // Idle in the pool.
    expect(await terminateBackendsOf(database)).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await app.inject('/health')).statusCode).toBe(200);
    expect((await app.inject('/sign-in')).statusCode).toBe(200);

    // Checked out by a caller, between two of its queries.
    await database.db.connection().execute(async (connection) => {
      await sql`select 1`.execute(connection);
      await terminateBackendsOf(database);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await expect(sql`select 1`.execute(connection)).rejects.toThrow();
    });
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(rows).toEqual([{ one: 1 }]);
    expect((await app.inject('/health')).statusCode).toBe(200);
  });
});
