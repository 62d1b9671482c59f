import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { buildApp } from '../app.js';
import { caseload, fillTo } from '../casework/bench-fixtures.js';
import { loadConfig } from '../config.js';
import type { Database } from '../db/schema.js';
import { misspell } from '../people/bench-fixtures.js';
import { sealAuditEventsWith } from '../platform/audit/audit-log.js';
import { scheduleAuditChainer } from '../platform/audit/schedule.js';
import { AuthService } from '../platform/auth/service.js';
import type { LoadFigures, LoadJob } from './load-client.js';

const clientModule = fileURLToPath(new URL('./load-client.ts', import.meta.url));

/**
 * `safekeep bench --only load`: the real server on loopback under
 * `connections` concurrent clients for `duration` seconds a scenario, as
 * signed-in staff and an integration would use it, beside the machine's
 * ceiling — a bare Fastify route and a bare primary-key read through the
 * same pool — so the ratio shows what Safekeep's own work costs.
 *
 * The server runs in this process (it shares the scratch database, which
 * for PGlite lives only here); autocannon runs in a child process
 * (load-client.ts), so the load generator has an event loop of its own and
 * does not queue behind the server's. Traffic goes to 127.0.0.1 only and
 * every scenario stops by itself after `duration` seconds.
 */

export interface LoadOptions {
  /** The population to measure at (people); filled with synthetic people if fewer. */
  size: number;
  /** Seconds each scenario runs. */
  duration: number;
  /** Concurrent clients. */
  connections: number;
  /** Progress lines; never personal data. */
  log: (line: string) => void;
}

export interface LoadResult {
  name: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Non-2xx answers, socket errors and timeouts. */
  errors: number;
  /** Requests per second as a share of the bare route's and the bare read's. */
  ofRoute?: number;
  ofRead?: number;
}

/** Staff sessions the page scenarios share out between their requests. */
const SESSIONS = 10;

interface Scenario {
  name: string;
  /** Each connection cycles through these requests in turn. */
  requests: { path: string; headers?: Record<string, string> }[];
}

/** Routes only the bench server has: the ceiling, with none of Safekeep's work. */
function registerCeiling(app: FastifyInstance, db: Kysely<Database>) {
  app.get('/bench/ceiling/route', { config: { access: 'public' } }, () => ({ ok: true }));
  app.get<{ Params: { id: string } }>(
    '/bench/ceiling/read/:id',
    { config: { access: 'public' } },
    async (request) => {
      const row = await db
        .selectFrom('case_record')
        .select(['id', 'category'])
        .where('id', '=', request.params.id)
        .executeTakeFirst();
      return { found: row !== undefined };
    },
  );
}

/**
 * Signed-in practitioners of the bench team (their team holds the sampled
 * records, so every record page answers 200), an integration's API token
 * (information governance: reads any record of its organisation), and names
 * to search for with a spelling mistake, as people type them.
 */
async function prepareTraffic(db: Kysely<Database>, options: LoadOptions) {
  await fillTo(db, options.size, options.log);
  const { ids, teamId, organisationId } = await caseload(db);
  if (ids.length === 0) throw new Error('the load benchmark found no records to read');
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const auth = new AuthService(db, config);
  const cookies: string[] = [];
  for (let i = 0; i < SESSIONS; i += 1) {
    const email = `load.${randomBytes(6).toString('hex')}@bench.example`;
    const password = randomBytes(18).toString('base64url');
    const accountId = await auth.createAccount({ email, displayName: 'Load benchmark', password });
    await db
      .insertInto('membership')
      .values({
        account_id: accountId,
        organisation_id: organisationId,
        team_id: teamId,
        role_slug: 'practitioner',
      })
      .execute();
    const signedIn = await auth.signIn(email, password);
    if (signedIn.outcome !== 'signed-in' || signedIn.staff.stage !== 'complete') {
      throw new Error('load benchmark sign-in failed');
    }
    cookies.push(`safekeep_session=${signedIn.token}`);
  }
  // Integrations may hold only non-privileged roles (role-holders.ts) and have no
  // team, so the record API is read with a practitioner's own session.
  const apiCookie = cookies[0] ?? '';
  const names = await db
    .selectFrom('person')
    .select(['given_name', 'family_name'])
    .where('organisation_id', '=', organisationId)
    .orderBy('id')
    .limit(200)
    .execute();
  const cookie = (i: number) => cookies[i % cookies.length] ?? '';
  const scenarios: Scenario[] = [
    {
      name: 'ceiling: bare route',
      requests: [{ path: '/bench/ceiling/route' }],
    },
    {
      name: 'ceiling: bare primary-key read',
      requests: ids.map((id) => ({ path: `/bench/ceiling/read/${id}` })),
    },
    {
      name: 'record page',
      requests: ids.map((id, i) => ({ path: `/records/${id}`, headers: { cookie: cookie(i) } })),
    },
    {
      name: 'record API',
      requests: ids.map((id) => ({
        path: `/api/v1/records/${id}`,
        headers: { cookie: apiCookie },
      })),
    },
    {
      name: 'search',
      requests: names.map((n, i) => ({
        path: `/people?${new URLSearchParams({
          name: `${misspell(n.given_name, i)} ${misspell(n.family_name, i + 1)}`,
        }).toString()}`,
        headers: { cookie: cookie(i) },
      })),
    },
  ];
  return { config, scenarios };
}

/**
 * A few requests one at a time before the clock starts: templates compiled,
 * plans cached, and a scenario that cannot succeed (a 403, a 500) stopped
 * with its status instead of timed.
 */
async function warmUp(url: string, scenario: Scenario) {
  for (const request of scenario.requests.slice(0, 3)) {
    const response = await fetch(`${url}${request.path}`, {
      ...(request.headers ? { headers: request.headers } : {}),
      redirect: 'manual',
    });
    await response.arrayBuffer();
    if (!response.ok) {
      throw new Error(`${scenario.name}: the server answered ${response.status} before the run`);
    }
  }
}

/**
 * Runs one scenario from a child process: its own event loop and its own
 * share of the two cores, so the figures are the server's, not the load
 * generator's queue. Killed if it outlives the scenario by a minute.
 */
async function hammer(url: string, scenario: Scenario, options: LoadOptions): Promise<LoadFigures> {
  const job: LoadJob = {
    url,
    connections: options.connections,
    duration: options.duration,
    requests: scenario.requests,
  };
  const child = fork(clientModule, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const deadline = setTimeout(() => child.kill(), (options.duration + 60) * 1000);
  try {
    return await new Promise<LoadFigures>((resolve, reject) => {
      child.once('message', (answer: { figures?: LoadFigures; error?: string }) =>
        answer.figures ? resolve(answer.figures) : reject(new Error(answer.error)),
      );
      child.once('exit', (code) => reject(new Error(`the load generator stopped (${code})`)));
      child.once('error', reject);
      child.send(job);
    });
  } finally {
    clearTimeout(deadline);
  }
}

export async function runLoadBenchmark(
  db: Kysely<Database>,
  options: LoadOptions,
): Promise<LoadResult[]> {
  const { config, scenarios } = await prepareTraffic(db, options);
  const app = await buildApp({ config, db });
  registerCeiling(app, db);
  // Events are sealed and the chainer runs beside the server, as in
  // `safekeep serve` with a checkpoint key: that work is part of what
  // audited reads cost. The key is made for this run and thrown away.
  const checkpointKey = generateKeyPairSync('ed25519').privateKey;
  sealAuditEventsWith(checkpointKey);
  const stopChainer = scheduleAuditChainer(
    db,
    { ...config.audit, checkpointKey, checkpointPublicKey: createPublicKey(checkpointKey) },
    app.log,
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no loopback address');
  const url = `http://127.0.0.1:${address.port}`;
  const results: LoadResult[] = [];
  try {
    for (const scenario of scenarios) {
      options.log(`  ${scenario.name}: ${options.connections} clients for ${options.duration} s…`);
      await warmUp(url, scenario);
      const r = await hammer(url, scenario, options);
      if (r.errors > 0) options.log(`    answers by status: ${JSON.stringify(r.statuses)}`);
      results.push({
        name: scenario.name,
        requests: r.requests,
        requestsPerSecond: Math.round((r.requests / r.seconds) * 10) / 10,
        p50Ms: r.p50Ms,
        p95Ms: r.p95Ms,
        p99Ms: r.p99Ms,
        errors: r.errors,
      });
    }
  } finally {
    await app.close();
    await stopChainer();
    sealAuditEventsWith(null);
  }
  const route = results[0]?.requestsPerSecond ?? 0;
  const read = results[1]?.requestsPerSecond ?? 0;
  return results.map((r, i) =>
    i < 2
      ? r
      : {
          ...r,
          ...(route ? { ofRoute: r.requestsPerSecond / route } : {}),
          ...(read ? { ofRead: r.requestsPerSecond / read } : {}),
        },
  );
}

export function formatLoadResults(results: LoadResult[], options: LoadOptions): string {
  const width = Math.max(12, ...results.map((r) => r.name.length));
  const pct = (n?: number) => (n === undefined ? '' : `${(n * 100).toFixed(1)}%`);
  const lines = [
    `Load: ${options.connections} concurrent clients, ${options.duration} s a scenario, on 127.0.0.1`,
    `${'scenario'.padEnd(width)}  ${'requests'.padStart(9)}  ${'req/s'.padStart(8)}  ${'p50 ms'.padStart(7)}  ${'p95 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ${'errors'.padStart(6)}  ${'of route'.padStart(8)}  ${'of read'.padStart(8)}`,
  ];
  for (const r of results) {
    lines.push(
      `${r.name.padEnd(width)}  ${String(r.requests).padStart(9)}  ${r.requestsPerSecond.toFixed(1).padStart(8)}  ${String(r.p50Ms).padStart(7)}  ${String(r.p95Ms).padStart(7)}  ${String(r.p99Ms).padStart(7)}  ${String(r.errors).padStart(6)}  ${pct(r.ofRoute).padStart(8)}  ${pct(r.ofRead).padStart(8)}`,
    );
  }
  return lines.join('\n');
}
