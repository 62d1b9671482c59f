import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testConfig } from '../../test/support/app.js';
import { peopleStaff } from '../../test/support/people.js';
import { startReplicaCluster, type ReplicaCluster } from '../../test/support/replica-cluster.js';
import { buildApp } from '../app.js';
import { Metrics } from '../platform/ops/metrics.js';
import { prepareDatabase } from '../platform/serve/prepare.js';
import type { DatabaseHandle } from './connection.js';
import { openReadSource, ReadReplica } from './read-replica.js';

/**
 * Issue 16: "Read-only work (search, lists, statistics) can be pointed at a
 * replica by configuration; writes and audited reads stay on the primary."
 * Proved on a real streaming standby (its own primary and standby servers,
 * started here): with the standby's replay paused, a person just created
 * on the primary is not in a search until the standby is given up for
 * being behind, and is found again on the standby once it has caught up.
 * PGlite has no replicas.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('read-only work on a streaming replica', () => {
  let cluster: ReplicaCluster;
  let handle: DatabaseHandle;
  let reads: ReadReplica;
  let app: FastifyInstance;
  let agent: Agent;

  beforeAll(async () => {
    cluster = await startReplicaCluster();
    const config = testConfig({
      DATABASE_URL: cluster.primaryUrl,
      DATABASE_REPLICA_URL: cluster.standbyUrl,
      DATABASE_REPLICA_MAX_LAG_SECONDS: '2',
    });
    ({ handle } = await prepareDatabase(config));
    // The test measures the lag itself (check()), not on a timer.
    const opened = await openReadSource(config.database, handle.db, undefined, 3_600_000);
    if (!(opened instanceof ReadReplica)) throw new Error('a replica was configured');
    reads = opened;
    app = await buildApp({ config, db: handle.db, reads });
    const worker = await peopleStaff(handle.db, 'kent-scs', ['practitioner'], ['assessment']);
    agent = new Agent(app);
    await agent.signIn(worker.email, worker.password);
    await agent.get('/people/new');
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await reads?.close();
    await handle?.close();
    await cluster?.stop();
  });

  const create = async (givenName: string, familyName: string) => {
    const response = await agent.post('/people/new', {
      givenName,
      familyName,
      'dateOfBirth-day': '4',
      'dateOfBirth-month': '5',
      'dateOfBirth-year': '2016',
      dateOfBirthPrecision: 'exact',
    });
    expect(response.statusCode).toBe(303);
  };
  // By family name; found when the result names the given name too (the
  // search box repeats what was typed).
  const found = async (givenName: string, familyName: string) =>
    (await agent.get(`/people?name=${familyName}`)).body.includes(givenName);
  const searchesAudited = async () =>
    Number(
      (
        await sql<{ n: number }>`
          select count(*)::int as n from audit_event where action = 'person.search'`.execute(
          handle.db,
        )
      ).rows[0]?.n,
    );
  const caughtUp = async () => {
    for (let i = 0; i < 100; i += 1) {
      await reads.check();
      if (reads.status().inUse && reads.status().lagSeconds === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the standby did not catch up');
  };

  it('searches on the standby while it keeps up, and audits the search on the primary', async () => {
    await create('Ottilie', 'Replicant');
    await caughtUp();
    const before = await searchesAudited();
    expect(await found('Ottilie', 'Replicant')).toBe(true);
    expect(await searchesAudited()).toBe(before + 1);

    // Replay paused: the standby still answers, but without what the
    // primary writes from now on.
    await cluster.onStandby('select pg_wal_replay_pause()');
    await create('Benedikt', 'Laggard');
    await reads.check();
    expect(reads.status().inUse).toBe(true);
    expect(await found('Benedikt', 'Laggard')).toBe(false);
    expect(await searchesAudited()).toBe(before + 2);
  });

  it('gives the standby up when it falls further behind than the limit, and takes it back when it catches up', async () => {
    // Two seconds is the limit; the last transaction the standby replayed
    // is now older than that.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await reads.check();
    expect(reads.status()).toMatchObject({ inUse: false });
    expect(reads.status().lagSeconds).toBeGreaterThan(2);
    expect(await found('Benedikt', 'Laggard')).toBe(true);

    const metrics = new Metrics().observeReplica(() => reads.status());
    expect(await metrics.exposition()).toMatch(/^safekeep_db_replica_in_use 0$/m);

    await cluster.onStandby('select pg_wal_replay_resume()');
    await caughtUp();
    expect(await found('Benedikt', 'Laggard')).toBe(true);
    expect(await metrics.exposition()).toMatch(/^safekeep_db_replica_in_use 1$/m);
    expect(await metrics.exposition()).toMatch(/^safekeep_db_replica_lag_seconds 0$/m);
  });

  it('refuses a write sent to the replica’s connections', async () => {
    expect(reads.status().inUse).toBe(true);
    await expect(sql`create table should_not_exist (id int)`.execute(reads.db)).rejects.toThrow(
      /read-only/,
    );
  });

  it('goes on answering from the primary when the standby is lost', async () => {
    await cluster.stopStandby();
    await reads.check();
    expect(reads.status()).toEqual({ inUse: false, lagSeconds: null });
    expect(await found('Ottilie', 'Replicant')).toBe(true);
  });
});
