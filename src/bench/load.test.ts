import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import type { ScratchDatabase } from '../db/scratch.js';
import { formatLoadResults, runLoadBenchmark } from './load.js';

/**
 * The load benchmark's harness, at a tiny size for a second or two: a real
 * server on 127.0.0.1, signed-in sessions, an API token, every scenario
 * answered with 2xx only. Not a timed test: the figures themselves are for
 * `npm run bench` on a quiet machine.
 */
let database: ScratchDatabase;

beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('safekeep bench --only load', () => {
  it('reports requests per second and p50/p95/p99 for every scenario beside the ceiling, with no errors', async () => {
    const options = {
      size: 60,
      duration: 2,
      connections: 5,
      log: () => undefined,
      databaseKind: database.kind,
    };
    const results = await runLoadBenchmark(database.db, options);
    expect(results.map((r) => r.name)).toEqual([
      'ceiling: bare route',
      'ceiling: bare primary-key read',
      'record page',
      'record API',
      'search',
    ]);
    for (const r of results) {
      expect(r.errors, r.name).toBe(0);
      expect(r.requests, r.name).toBeGreaterThan(0);
      expect(r.requestsPerSecond).toBeGreaterThan(0);
      expect(r.p50Ms).toBeLessThanOrEqual(r.p95Ms);
      expect(r.p95Ms).toBeLessThanOrEqual(r.p99Ms);
      expect(r.cpuMsPerRequest.server, r.name).toBeGreaterThan(0);
      expect(r.cpuMsPerRequest.client, r.name).toBeGreaterThan(0);
      // PostgreSQL's backends are read from /proc (the test server is local).
      if (database.kind === 'postgres') {
        expect(r.cpuMsPerRequest.database, r.name).toBeGreaterThanOrEqual(0);
      } else {
        expect(r.cpuMsPerRequest.database, r.name).toBeUndefined();
      }
    }
    for (const r of results.slice(2)) {
      expect(r.ofRoute).toBeGreaterThan(0);
      expect(r.ofRead).toBeGreaterThan(0);
    }
    const table = formatLoadResults(results, options);
    expect(table).toContain('5 concurrent clients, 2 s a scenario, on 127.0.0.1');
    expect(table.split('\n')[1]).toMatch(
      /req\/s +p50 ms +p95 ms +p99 ms +errors +of route +of read/,
    );
    expect(table).toMatch(/scenario +server +database +client +total/);
  }, 240_000);

  // As `safekeep serve` runs with WORKERS: the server's CPU is then the
  // processes' together, read from /proc.
  it('runs the scenarios against two server processes on PostgreSQL, and refuses on PGlite', async () => {
    const options = {
      size: 60,
      duration: 2,
      connections: 5,
      log: () => undefined,
      databaseKind: database.kind,
      serverProcesses: 2,
      ...(database.appConnection ? { appConnection: database.appConnection } : {}),
    };
    if (database.kind === 'pglite') {
      await expect(runLoadBenchmark(database.db, options)).rejects.toThrow(
        'several server processes need PostgreSQL',
      );
      return;
    }
    const results = await runLoadBenchmark(database.db, options);
    for (const r of results) {
      expect(r.errors, r.name).toBe(0);
      expect(r.requests, r.name).toBeGreaterThan(0);
      expect(r.cpuMsPerRequest.server, r.name).toBeGreaterThan(0);
    }
  }, 240_000);

  // Issue 16's soak, for seconds instead of ten minutes: reads and writes
  // together (two server processes on PostgreSQL), no errors, and the audit
  // log verified afterwards against the run's signed checkpoints.
  it('soaks: a mix of reads and writes with no errors, then the audit log holds', async () => {
    // A database of its own, as the bench's scratch one is: the runs above
    // left checkpoints signed with their own throwaway keys, which this
    // run's key rightly does not verify.
    const database = await testDatabase();
    try {
      await soak(database);
    } finally {
      await database.close();
    }
  }, 240_000);
});

async function soak(database: ScratchDatabase) {
  {
    const options = {
      size: 60,
      duration: 3,
      connections: 5,
      log: () => undefined,
      databaseKind: database.kind,
      soak: true,
      ...(database.appConnection
        ? { appConnection: database.appConnection, serverProcesses: 2 }
        : {}),
    };
    const fed = async () =>
      Number(
        (
          await database.db
            .selectFrom('person')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('family_name', 'like', 'Feedperson%')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await fed();
    const [soak, ...others] = await runLoadBenchmark(database.db, options);
    expect(others).toEqual([]);
    expect(soak).toMatchObject({ name: 'soak: reads and writes', errors: 0 });
    expect(soak?.requests).toBeGreaterThan(0);
    expect(soak?.p95Ms).toBeGreaterThan(0);
    expect(await fed()).toBeGreaterThan(before);
    expect(soak?.audit).toMatchObject({ holds: true, chainer: { failedRounds: 0 } });
    expect(soak?.audit?.events).toBeGreaterThan(soak?.requests ?? 0);
    const printed = formatLoadResults(soak ? [soak] : [], options);
    expect(printed).toMatch(/audit verify afterwards \([\d.]+ s\): holds/);
    expect(printed).toMatch(/audit chainer during the run: at most [\d,]+ events waiting/);
  }
}
