import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { buildApp } from '../app.js';
import { caseload, fillTo } from '../casework/bench-fixtures.js';
import { loadConfig, type Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { misspell } from '../people/bench-fixtures.js';
import { sealAuditEventsWith } from '../platform/audit/audit-log.js';
import { scheduleAuditChainer } from '../platform/audit/schedule.js';
import { AuthService, acknowledgeConfidentialityFor } from '../platform/auth/service.js';
import { ServiceAccounts } from '../platform/auth/service-accounts.js';
import { verifyAuditLog } from '../platform/audit/verify-log.js';
import { registerCeiling } from './ceiling.js';
import { formatChainerLag, watchChainer, type ChainerLag } from './chainer-watch.js';
import { databaseCpuBetween, databaseCpuMs, processCpuMs } from './cpu.js';
import { startServerProcesses } from './load-servers.js';
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
  /**
   * A folder to write the server's CPU profile of each scenario to
   * (`<scenario>.cpuprofile`, for Chrome DevTools or any .cpuprofile viewer):
   * where a request's time goes, scenario by scenario.
   */
  profileDir?: string;
  /** Which database `db` is: PostgreSQL backends' CPU is read from /proc when local. */
  databaseKind?: 'postgres' | 'pglite';
  /**
   * Server processes to run, as `safekeep serve` with WORKERS; 1 (the
   * server in this process) unless given. More than one needs PostgreSQL
   * and `appConnection`.
   */
  serverProcesses?: number;
  /** How the app reaches the scratch PostgreSQL database (ScratchDatabase.appConnection). */
  appConnection?: { url: string; schema: string; applicationName: string };
  /**
   * The soak run (issue 16): instead of one scenario at a time, one mix of
   * reads and writes for `duration` seconds, then the audit log verified
   * end to end against the run's signed checkpoints.
   */
  soak?: boolean;
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
  /**
   * CPU milliseconds a request: the server (this process; with PGlite, the
   * database too), PostgreSQL's backends (when local), the load generator.
   */
  cpuMsPerRequest: { server: number; database?: number; client: number };
  /**
   * The soak run's verification of the audit log afterwards, how long it
   * took to answer, and how the chainer kept up during the run.
   */
  audit?: {
    holds: boolean;
    events: number;
    summary: string;
    verifySeconds: number;
    chainer?: ChainerLag;
  };
}

/** Staff sessions the page scenarios share out between their requests. */
const SESSIONS = 10;

interface Scenario {
  name: string;
  /** Each connection cycles through these requests in turn. */
  requests: LoadJob['requests'];
}

/** Requests of the soak mix that write: one in this many. */
const SOAK_WRITE_EVERY = 5;

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
    await acknowledgeConfidentialityFor(db, accountId, organisationId, new Date());
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
  const searchFor = (n: { given_name: string; family_name: string }, i: number) =>
    `/people?${new URLSearchParams({
      name: `${misspell(n.given_name, i)} ${misspell(n.family_name, i + 1)}`,
    }).toString()}`;
  if (options.soak)
    return { config, scenarios: [await soakMix(db, ids, names, cookie, searchFor)] };
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
      requests: names.map((n, i) => ({ path: searchFor(n, i), headers: { cookie: cookie(i) } })),
    },
  ];
  return { config, scenarios };
}

/**
 * The soak's mix, as a working day's traffic: signed-in practitioners
 * opening records and searching, the record API read, and one request in
 * five a write — a partner's feed adding a person through the API with an
 * integration's bearer token (audited, like every read).
 */
async function soakMix(
  db: Kysely<Database>,
  ids: readonly string[],
  names: readonly { given_name: string; family_name: string }[],
  cookie: (i: number) => string,
  searchFor: (n: { given_name: string; family_name: string }, i: number) => string,
): Promise<Scenario> {
  const { token } = await new ServiceAccounts(db).create({
    name: 'Soak benchmark feed',
    organisationSlug: 'kent-scs',
    roles: ['practitioner'],
    validDays: 1,
  });
  const requests: Scenario['requests'] = [];
  for (let i = 0; i < Math.max(ids.length, names.length); i += 1) {
    const id = ids[i % ids.length] ?? '';
    const name = names[i % names.length];
    const slot = i % SOAK_WRITE_EVERY;
    if (slot === 0) {
      requests.push({
        method: 'POST',
        path: '/api/v1/people',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          givenName: 'Soak',
          familyName: `Feedperson${i}`,
          confirmedNotDuplicate: true,
        }),
      });
    } else if (slot === 2 && name) {
      requests.push({ path: searchFor(name, i), headers: { cookie: cookie(i) } });
    } else if (slot === 4) {
      requests.push({ path: `/api/v1/records/${id}`, headers: { cookie: cookie(i) } });
    } else {
      requests.push({ path: `/records/${id}`, headers: { cookie: cookie(i) } });
    }
  }
  return { name: 'soak: reads and writes', requests };
}

/**
 * A few requests one at a time before the clock starts: templates compiled,
 * plans cached, and a scenario that cannot succeed (a 403, a 500) stopped
 * with its status instead of timed.
 */
async function warmUp(url: string, scenario: Scenario) {
  // Reads only: a write before the run would be one more than the run made.
  for (const request of scenario.requests.filter((r) => !r.method).slice(0, 3)) {
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

/** The server's own CPU profile (this process), from now until stopInto. */
async function startProfiling() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stopInto(file: string) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify(profile));
    },
  };
}

const perRequest = (ms: number, requests: number) =>
  requests ? Math.round((ms / requests) * 100) / 100 : 0;

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The server under load: in this process, or several processes (PostgreSQL only). */
async function startServer(
  processes: number,
  options: LoadOptions,
  config: Config,
  db: Kysely<Database>,
  checkpointKey: KeyObject,
): Promise<{ url: string; cpuMs(): Promise<number>; stop(): Promise<void> }> {
  if (processes > 1 && options.appConnection) {
    const started = await startServerProcesses(processes, options.appConnection, checkpointKey);
    if (options.profileDir)
      options.log('    (CPU profiles are taken with one server process only)');
    // The chainer's work in this process counts as the server's, as in the primary.
    return { ...started, cpuMs: async () => (await started.cpuMs()) + processCpuMs() };
  }
  const app = await buildApp({ config, db });
  registerCeiling(app, db);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no loopback address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    cpuMs: async () => processCpuMs(),
    stop: () => app.close(),
  };
}

export async function runLoadBenchmark(
  db: Kysely<Database>,
  options: LoadOptions,
): Promise<LoadResult[]> {
  const processes = options.serverProcesses ?? 1;
  if (processes > 1 && !options.appConnection) {
    throw new Error('several server processes need PostgreSQL: PGlite belongs to one process');
  }
  const { config, scenarios } = await prepareTraffic(db, options);
  // Events are sealed and the chainer runs beside the server, as in
  // `safekeep serve` with a checkpoint key: that work is part of what
  // audited reads cost. The key is made for this run and thrown away.
  const checkpointKey = generateKeyPairSync('ed25519').privateKey;
  sealAuditEventsWith(checkpointKey);
  const chainer = watchChainer(db);
  const stopChainer = scheduleAuditChainer(
    db,
    { ...config.audit, checkpointKey, checkpointPublicKey: createPublicKey(checkpointKey) },
    { info: () => undefined, error: (obj, msg) => chainer.error(obj, msg) },
  );
  let chainerLag: ChainerLag | undefined;
  const stopBeside = async () => {
    chainerLag = await chainer.stop();
    await stopChainer();
    sealAuditEventsWith(null);
  };
  let server: { url: string; cpuMs(): Promise<number>; stop(): Promise<void> };
  try {
    server = await startServer(processes, options, config, db, checkpointKey);
  } catch (error) {
    await stopBeside();
    throw error;
  }
  const { url } = server;
  const results: LoadResult[] = [];
  try {
    for (const scenario of scenarios) {
      options.log(`  ${scenario.name}: ${options.connections} clients for ${options.duration} s…`);
      await warmUp(url, scenario);
      const profiler = options.profileDir && processes === 1 ? await startProfiling() : undefined;
      const databaseBefore = await databaseCpuMs(db, options.databaseKind);
      const serverBefore = await server.cpuMs();
      const r = await hammer(url, scenario, options);
      const serverMs = (await server.cpuMs()) - serverBefore;
      const databaseMs = databaseCpuBetween(
        databaseBefore,
        await databaseCpuMs(db, options.databaseKind),
      );
      if (profiler && options.profileDir) {
        const file = path.join(options.profileDir, `${slug(scenario.name)}.cpuprofile`);
        await profiler.stopInto(file);
        options.log(`    CPU profile: ${file}`);
      }
      if (r.errors > 0) options.log(`    answers by status: ${JSON.stringify(r.statuses)}`);
      results.push({
        name: scenario.name,
        requests: r.requests,
        requestsPerSecond: Math.round((r.requests / r.seconds) * 10) / 10,
        p50Ms: r.p50Ms,
        p95Ms: r.p95Ms,
        p99Ms: r.p99Ms,
        errors: r.errors,
        cpuMsPerRequest: {
          server: perRequest(serverMs, r.requests),
          ...(databaseMs === undefined ? {} : { database: perRequest(databaseMs, r.requests) }),
          client: perRequest(r.cpuMs, r.requests),
        },
      });
    }
  } finally {
    await server.stop();
    await stopBeside();
  }
  if (options.soak) {
    // Every event of the run chained and held to the run's own signed
    // checkpoints: nothing lost or broken under concurrent writers.
    const verifyStarted = performance.now();
    const report = await verifyAuditLog(db, { publicKey: createPublicKey(checkpointKey) });
    const verifySeconds = Math.round((performance.now() - verifyStarted) / 100) / 10;
    const holds = report.findings.length === 0;
    if (!holds) for (const finding of report.findings) options.log(`    ${finding}`);
    return results.map((r) => ({
      ...r,
      audit: {
        holds,
        events: report.events,
        summary: report.summary,
        verifySeconds,
        ...(chainerLag ? { chainer: chainerLag } : {}),
      },
    }));
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
  for (const r of results) {
    if (r.audit) {
      lines.push(
        `audit verify afterwards (${r.audit.verifySeconds} s): ${r.audit.holds ? 'holds' : 'FAILS'} — ${r.audit.summary}`,
      );
      if (r.audit.chainer) lines.push(formatChainerLag(r.audit.chainer));
    }
  }
  lines.push(
    '',
    'CPU milliseconds a request (what each request cost, whatever else the machine was doing):',
    `${'scenario'.padEnd(width)}  ${'server'.padStart(7)}  ${'database'.padStart(8)}  ${'client'.padStart(7)}  ${'total'.padStart(7)}`,
  );
  for (const r of results) {
    const { server, database, client } = r.cpuMsPerRequest;
    lines.push(
      `${r.name.padEnd(width)}  ${server.toFixed(2).padStart(7)}  ${(database === undefined ? 'n/a' : database.toFixed(2)).padStart(8)}  ${client.toFixed(2).padStart(7)}  ${(server + (database ?? 0) + client).toFixed(2).padStart(7)}`,
    );
  }
  lines.push(
    options.databaseKind === 'pglite'
      ? '(PGlite runs inside the server process: its work is in the server column.)'
      : "(database: the PostgreSQL backends of the server's pool, read from /proc; n/a when PostgreSQL is not on this machine.)",
  );
  return lines.join('\n');
}
