import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp, testConfig } from '../../../test/support/app.js';
import { testDatabase } from '../../../test/support/database.js';
import { openDatabase, type DatabaseHandle } from '../../db/connection.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import type { Database } from '../../db/schema.js';
import { databaseRateLimitStore, deleteExpiredRateLimitCounters } from './rate-limit-store.js';

let database: ScratchDatabase;
/**
 * A second handle on the same database, as another instance has: on
 * PostgreSQL a pool of its own (other connections), on PGlite — one
 * embedded process — the same handle.
 */
let second: DatabaseHandle;

beforeAll(async () => {
  database = await testDatabase();
  const connection = database.appConnection;
  second = connection
    ? await openDatabase(
        { kind: 'postgres', url: connection.url },
        { schema: connection.schema, applicationName: `${connection.applicationName} second` },
      )
    : database;
});
afterAll(async () => {
  if (second !== database) await second.close();
  await database.close();
});

/** A bare Fastify app with the store and one limited route, like an instance's. */
async function limitedApp(
  db: Kysely<Database>,
  limit: { max: number; timeWindow: number },
  options: { cleanupIntervalMs?: number } = {},
): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyRateLimit, {
    global: false,
    store: databaseRateLimitStore({ db, secret: 'x'.repeat(32), ...options }),
  });
  app.get('/limited', { config: { rateLimit: limit } }, async () => ({ ok: true }));
  app.get('/other', { config: { rateLimit: limit } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

const hit = (app: FastifyInstance, url: string, remoteAddress: string) =>
  app.inject({ method: 'GET', url, remoteAddress }).then((r) => r.statusCode);

describe('rate limits kept in the database', () => {
  it('counts sign-in attempts made at two instances against one limit', async () => {
    const config = testConfig({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '3' });
    const first = await testApp(database, { config });
    const other = await testApp(second, { config });
    try {
      const address = '198.51.100.7';
      const atFirst = new Agent(first, { remoteAddress: address });
      const atOther = new Agent(other, { remoteAddress: address });
      const statuses: number[] = [];
      for (const agent of [atFirst, atOther, atFirst, atOther]) {
        statuses.push((await agent.signIn('nobody@staff.example', 'wrong')).statusCode);
      }
      // In process memory each instance would have allowed three: 401 four times.
      expect(statuses).toEqual([401, 401, 401, 429]);
      // Another client is counted apart.
      const elsewhere = new Agent(other, { remoteAddress: '198.51.100.8' });
      expect((await elsewhere.signIn('nobody@staff.example', 'wrong')).statusCode).toBe(401);
    } finally {
      await first.close();
      await other.close();
    }
  });

  it('keeps routes, and one route under different limits, apart', async () => {
    const strict = await limitedApp(database.db, { max: 1, timeWindow: 60_000 });
    const lenient = await limitedApp(second.db, { max: 3, timeWindow: 60_000 });
    try {
      const address = '203.0.113.20';
      expect(await hit(strict, '/limited', address)).toBe(200);
      expect(await hit(strict, '/limited', address)).toBe(429);
      // The same route and client under another limit has its own counter...
      expect(await hit(lenient, '/limited', address)).toBe(200);
      expect(await hit(lenient, '/limited', address)).toBe(200);
      // ...and another route under the same limit too.
      expect(await hit(strict, '/other', address)).toBe(200);
      expect(await hit(strict, '/other', address)).toBe(429);
    } finally {
      await strict.close();
      await lenient.close();
    }
  });

  it('lets exactly the limit through when two instances are hit at once', async () => {
    const a = await limitedApp(database.db, { max: 10, timeWindow: 60_000 });
    const b = await limitedApp(second.db, { max: 10, timeWindow: 60_000 });
    try {
      const address = '203.0.113.30';
      const statuses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => hit(i % 2 ? a : b, '/limited', address)),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('starts a new window when the last has ended, and deletes ended ones', async () => {
    const app = await limitedApp(database.db, { max: 1, timeWindow: 300 });
    try {
      const address = '203.0.113.40';
      expect(await hit(app, '/limited', address)).toBe(200);
      const limited = await app.inject({ method: 'GET', url: '/limited', remoteAddress: address });
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(await hit(app, '/limited', address)).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(await deleteExpiredRateLimitCounters(database.db)).toBeGreaterThanOrEqual(1);
      const left = await database.db
        .selectFrom('rate_limit_counter')
        .select('key')
        .where('expires_at', '<=', new Date())
        .execute();
      expect(left).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('cleans up as it goes, without a job', async () => {
    const app = await limitedApp(database.db, { max: 5, timeWindow: 50 }, { cleanupIntervalMs: 0 });
    try {
      expect(await hit(app, '/limited', '203.0.113.50')).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // This hit's clean-up removes the first client's ended window.
      expect(await hit(app, '/limited', '203.0.113.51')).toBe(200);
      const ended = await database.db
        .selectFrom('rate_limit_counter')
        .select('key')
        .where('expires_at', '<=', new Date())
        .execute();
      expect(ended).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('never stores a client address in the clear', async () => {
    const app = await limitedApp(database.db, { max: 5, timeWindow: 60_000 });
    try {
      await hit(app, '/limited', '192.0.2.99');
      const rows = await database.db.selectFrom('rate_limit_counter').selectAll().execute();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.key).toMatch(/^[0-9a-f]{64}$/);
        expect(JSON.stringify(row)).not.toContain('192.0.2');
      }
    } finally {
      await app.close();
    }
  });
});
