import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import type { Config } from '../../config.js';
import { openDatabase, type DatabaseHandle } from '../../db/connection.js';
import { openReadSource, ReadReplica } from '../../db/read-replica.js';
import { hasDemoData, loadDemoData } from '../../demo/demo-data.js';
import { shipDisposalJournal } from '../../retention/disposal-journal.js';
import { dailyJobs } from '../../services.js';
import { sealAuditEventsWith } from '../audit/audit-log.js';
import { scheduleAuditChainer } from '../audit/schedule.js';
import { scheduleJobs } from '../jobs/scheduler.js';
import { aggregateWorkerMetrics, scrapeThroughPrimary } from '../ops/cluster-metrics.js';
import { Metrics } from '../ops/metrics.js';
import { prepareDatabase } from './prepare.js';

/**
 * `safekeep serve`: one process, or on PostgreSQL several (WORKERS), so a
 * server uses every core it is given. Node runs JavaScript on one core per
 * process; rendering a page is JavaScript, so one process on a two-core
 * machine left half the machine to PostgreSQL and the rest idle.
 *
 * With several, the first process (the primary) migrates, loads demo data,
 * runs the daily jobs and the audit chainer, and starts the workers; the
 * workers only answer requests, sharing one port (node:cluster hands each
 * new connection to the next worker). They share everything else through
 * the database, as separate instances behind a load balancer do: sessions,
 * the sign-in throttle, policy versions. A worker that dies is replaced;
 * SIGTERM or SIGINT lets requests in flight finish, within
 * SHUTDOWN_GRACE_SECONDS, before everything stops.
 *
 * PGlite is an embedded database that belongs to one process, so on PGlite
 * there is always one.
 */
export function serverProcesses(config: Config): number {
  if (config.database.kind === 'pglite') return 1;
  return config.workers === 'auto' ? availableParallelism() : config.workers;
}

export interface Started {
  port: number;
  processes: number;
  demoDataLoaded: boolean;
}

/** More deaths than this in a minute and the primary gives up rather than crash-loop. */
const MAX_REPLACEMENTS_A_MINUTE = 5;

type Log = Pick<FastifyInstance['log'], 'info' | 'warn' | 'error'>;

export async function serve(config: Config): Promise<Started | undefined> {
  if (cluster.isWorker) {
    await serveAsWorker(config);
    return undefined;
  }
  // Told of each pooled connection PostgreSQL ends; the pool replaces it.
  let log: Log | null = null;
  const { handle } = await prepareDatabase(config, {
    onConnectionError: (error) => connectionLost(log, error),
  });
  if (config.database.kind === 'postgres' && !config.database.ownerUrl) {
    console.error(
      'DATABASE_OWNER_URL is not set: the app connects as the owner of its tables, so its ' +
        'credentials could rewrite the audit log (README, "Security: database roles").',
    );
  }
  let demoDataLoaded = false;
  if (config.demoData && !(await hasDemoData(handle.db))) {
    await loadDemoData(handle.db);
    demoDataLoaded = true;
  }
  const processes = serverProcesses(config);
  // The process that runs the jobs also reads the database's figures (platform/ops/metrics.ts).
  const metrics = processMetrics(handle).observeDatabase(handle.db);
  if (processes === 1) {
    const reads = await openReadSource(config.database, handle.db, consoleLog());
    if (reads instanceof ReadReplica) metrics.observeReplica(() => reads.status());
    const app = await buildApp({ config, db: handle.db, metrics, reads });
    log = app.log;
    const stopBackground = startBackgroundWork(config, handle, app.log, metrics);
    const drain = drainable(app);
    onSignal(config, async () => {
      await drain();
      await stopBackground();
      await reads.close();
      await handle.close();
    });
    await app.listen({ port: config.port, host: config.host });
    return { port: portOf(app), processes, demoDataLoaded };
  }
  const primaryLog = consoleLog();
  log = primaryLog;
  const stopBackground = startBackgroundWork(config, handle, primaryLog, metrics);
  aggregateWorkerMetrics(metrics);
  const workers = new Workers(processes, primaryLog);
  onSignal(config, async () => {
    await workers.stop();
    await stopBackground();
    await handle.close();
  });
  const port = await workers.start();
  return { port, processes, demoDataLoaded };
}

/** A worker: answers requests until told to stop; no migrations, jobs or chainer. */
async function serveAsWorker(config: Config): Promise<void> {
  sealAuditEventsWith(config.audit.checkpointKey);
  let log: Log | null = null;
  const handle = await openDatabase(config.database, {
    onConnectionError: (error) => connectionLost(log, error),
  });
  const metrics = processMetrics(handle);
  scrapeThroughPrimary(metrics);
  const reads = await openReadSource(config.database, handle.db, consoleLog());
  if (reads instanceof ReadReplica) metrics.observeReplica(() => reads.status());
  const app = await buildApp({ config, db: handle.db, metrics, reads });
  log = app.log;
  const drain = drainable(app);
  onSignal(config, async () => {
    await drain();
    await reads.close();
    await handle.close();
  });
  await app.listen({ port: config.port, host: config.host });
}

/**
 * Stops taking requests and resolves when those in flight have been
 * answered. Fastify closes the connections idle at that moment and answers
 * new requests 503; a connection busy at that moment would otherwise stay
 * open (keep-alive) after its answer until the client let go, holding the
 * stop up, so from then on every answer asks the client to close.
 */
function drainable(app: FastifyInstance): () => Promise<void> {
  let draining = false;
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining) reply.header('connection', 'close');
    return payload;
  });
  return async () => {
    draining = true;
    await app.close();
  };
}

/** The daily jobs and the audit chainer, in exactly one process of a server. */
function startBackgroundWork(config: Config, handle: DatabaseHandle, log: Log, metrics: Metrics) {
  const stopJobs = config.retentionSweep
    ? scheduleJobs(metrics.timed(dailyJobs(handle.db, config, log)), log)
    : () => undefined;
  // The disposal journal is shipped beside the checkpoints (decision 0038).
  const stopChainer = scheduleAuditChainer(handle.db, config.audit, log, (sink) =>
    shipDisposalJournal(handle.db, sink),
  );
  return async () => {
    stopJobs();
    // After the last request: the final round links and signs its events too.
    await stopChainer();
  };
}

/**
 * On SIGTERM or SIGINT: stop taking requests, let those in flight finish,
 * then close. Past the grace period the process exits anyway, non-zero, so
 * an orchestrator's own kill deadline is never the one that ends it.
 */
function onSignal(config: Config, stop: () => Promise<void>) {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => process.exit(1), config.shutdownGraceSeconds * 1000);
    deadline.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Stopping did not finish cleanly: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

/** The primary's view of its workers: started, replaced when one dies, stopped on a signal. */
class Workers {
  private stopping = false;
  private readonly deaths: number[] = [];

  constructor(
    private readonly count: number,
    private readonly log: Log,
  ) {}

  /** Starts them all; resolves with the port once every one is listening. */
  start(): Promise<number> {
    cluster.on('exit', (worker, code, signal) => this.replace(worker, code, signal));
    return new Promise((resolve, reject) => {
      let listening = 0;
      const onListening = (_worker: Worker, address: { port: number }) => {
        listening += 1;
        if (listening === this.count) {
          cluster.off('listening', onListening);
          resolve(address.port);
        }
      };
      cluster.on('listening', onListening);
      // A worker that fails before listening (a bad port, say) fails the start.
      const onEarlyExit = (_worker: Worker, code: number) => {
        if (listening < this.count)
          reject(new Error(`a server process stopped at start (${code})`));
      };
      cluster.once('exit', onEarlyExit);
      for (let i = 0; i < this.count; i += 1) cluster.fork();
    });
  }

  private replace(worker: Worker, code: number, signal: string | null) {
    if (this.stopping) return;
    const now = Date.now();
    this.deaths.push(now);
    while ((this.deaths[0] ?? now) < now - 60_000) this.deaths.shift();
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (this.deaths.length > MAX_REPLACEMENTS_A_MINUTE) {
      this.log.error({ worker: worker.id, how }, 'server processes keep stopping; giving up');
      process.kill(process.pid, 'SIGTERM');
      return;
    }
    this.log.warn({ worker: worker.id, how }, 'a server process stopped; starting another');
    cluster.fork();
  }

  /** Asks each worker to drain and waits for all of them to exit. */
  async stop(): Promise<void> {
    this.stopping = true;
    const running = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w !== undefined && !w.isDead(),
    );
    await Promise.all(
      running.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  }
}

/** A server process's metrics: Node's own figures and its pool's use. */
function processMetrics(handle: DatabaseHandle): Metrics {
  const metrics = new Metrics().collectProcessMetrics();
  if (handle.poolStats) metrics.observePool(handle.poolStats);
  return metrics;
}

function connectionLost(log: Log | null, error: Error) {
  log?.warn(
    { code: 'code' in error ? error.code : undefined, message: error.message },
    'database connection lost; a new one is opened when next needed',
  );
}

/** The primary has no Fastify logger of its own: plain lines, never personal data. */
function consoleLog(): Log {
  const line =
    (level: string) =>
    (obj: unknown, msg?: string): void => {
      const text = typeof obj === 'string' ? obj : `${msg ?? ''} ${JSON.stringify(obj)}`;
      console.error(`[${level}] ${text}`);
    };
  return { info: line('info'), warn: line('warn'), error: line('error') } as unknown as Log;
}

function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
