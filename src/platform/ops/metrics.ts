import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import {
  AggregatorRegistry,
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type MetricObjectWithValues,
  type MetricValue,
} from 'prom-client';
import { Temporal } from 'temporal-polyfill';
import type { ReplicaHealth } from '../../db/read-replica.js';
import type { PoolStats } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { clockState } from '../../governance/breaches/clock.js';
import { REMINDER_WORKING_DAYS, workingDaysAfter } from '../../rights/reminders-job.js';
import { remindersDue } from '../../rights/service.js';
import type { Job } from '../jobs/scheduler.js';

/**
 * Prometheus metrics (issue 16; decision record 0041), one registry per
 * process, no module-level state. Labels are route patterns, methods, status
 * codes, job names and states: never a URL with its ids, an address, a name
 * or any other personal data.
 *
 * - every process: request latency per route pattern, its pool's use;
 * - the process that runs the daily jobs and the chainer (the only one, or
 *   the primary with WORKERS>1): job runs and durations, and figures read
 *   from the database when scraped — audit events in the last minute and
 *   the chain's lag, rights and breach clocks at risk. Read once, not once
 *   per process, so summing processes never counts them twice.
 *
 * With WORKERS>1 a scrape reaches one worker, which asks the primary; the
 * primary asks every worker for its registry over the cluster's IPC and
 * answers with its own and theirs aggregated (platform/ops/cluster-metrics.ts).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly jobRuns: Counter<'job' | 'outcome'>;
  readonly jobDuration: Histogram<'job'>;
  /** The exposition text; a cluster worker replaces it with the primary's aggregate. */
  exposition: () => Promise<string> = () => this.registry.metrics();

  constructor() {
    this.requestDuration = new Histogram({
      name: 'safekeep_http_request_duration_seconds',
      help: 'Time to answer a request, by route pattern (never the URL itself), method and status.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.jobRuns = new Counter({
      name: 'safekeep_job_runs_total',
      help: 'Daily job runs, by job and outcome (ok or failed).',
      labelNames: ['job', 'outcome'],
      registers: [this.registry],
    });
    this.jobDuration = new Histogram({
      name: 'safekeep_job_duration_seconds',
      help: 'How long each daily job run took.',
      labelNames: ['job'],
      buckets: [0.01, 0.1, 0.5, 1, 5, 15, 30, 60, 300, 900],
      registers: [this.registry],
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Node's own figures (memory, event loop delay, GC): for a server process, not every test app. */
  collectProcessMetrics(): this {
    collectDefaultMetrics({ register: this.registry, prefix: 'safekeep_' });
    return this;
  }

  /** The pool's connections when scraped: summed over processes, they are the server's. */
  observePool(poolStats: () => PoolStats): this {
    const gauge = (name: string, help: string, pick: (s: PoolStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(pick(poolStats()));
        },
      });
    gauge('safekeep_db_pool_max', 'Connections the pool may open.', (s) => s.max);
    gauge('safekeep_db_pool_connections', 'Connections open now.', (s) => s.total);
    gauge('safekeep_db_pool_idle', 'Open connections not in use.', (s) => s.idle);
    gauge('safekeep_db_pool_waiting', 'Requests waiting for a connection.', (s) => s.waiting);
    return this;
  }

  /**
   * The read replica (db/read-replica.ts) when scraped: whether read-only
   * work goes to it, and how far behind it was at the last check (NaN when
   * it could not be asked). Over processes: the worst of them.
   */
  observeReplica(status: () => ReplicaHealth): this {
    new Gauge({
      name: 'safekeep_db_replica_in_use',
      help: 'Whether read-only work goes to the read replica (1) or the primary (0).',
      aggregator: 'min',
      registers: [this.registry],
      collect() {
        this.set(status().inUse ? 1 : 0);
      },
    });
    new Gauge({
      name: 'safekeep_db_replica_lag_seconds',
      help: 'How far the read replica was behind at its last check.',
      aggregator: 'max',
      registers: [this.registry],
      collect() {
        this.set(status().lagSeconds ?? Number.NaN);
      },
    });
    return this;
  }

  /** Times each job's runs; a job that throws is counted failed and still throws. */
  timed(jobs: readonly Job[]): Job[] {
    return jobs.map((job) => ({
      name: job.name,
      runIfDue: async () => {
        const end = this.jobDuration.startTimer({ job: job.name });
        try {
          await job.runIfDue();
          this.jobRuns.inc({ job: job.name, outcome: 'ok' });
        } catch (error) {
          this.jobRuns.inc({ job: job.name, outcome: 'failed' });
          throw error;
        } finally {
          end();
        }
      },
    }));
  }

  /**
   * Figures read from the database at each scrape (at most once every
   * `everyMs`, so a scrape storm costs the database little). Gauges take the
   * largest across processes when aggregated: only one process has them.
   */
  observeDatabase(db: Kysely<Database>, options: { everyMs?: number } = {}): this {
    const read = cachedFor(options.everyMs ?? 10_000, () => readDatabaseFigures(db));
    const gauge = (
      name: string,
      help: string,
      set: (g: Gauge<'state'>, f: DatabaseFigures) => void,
      labelNames: 'state'[] = [],
    ) =>
      new Gauge({
        name,
        help,
        labelNames,
        aggregator: 'max',
        registers: [this.registry],
        async collect() {
          set(this, await read());
        },
      });
    gauge('safekeep_audit_events_last_minute', 'Audit events written in the last minute.', (g, f) =>
      g.set(f.auditEventsLastMinute),
    );
    gauge(
      'safekeep_audit_unchained_events',
      'Audit events not yet linked into the hash chain.',
      (g, f) => g.set(f.unchainedEvents),
    );
    gauge(
      'safekeep_audit_checkpoint_age_seconds',
      'Seconds since the last signed checkpoint (-1: none yet).',
      (g, f) => g.set(f.checkpointAgeSeconds),
    );
    gauge(
      'safekeep_rights_requests_at_risk',
      `Open rights requests overdue, or due within ${REMINDER_WORKING_DAYS} working days.`,
      (g, f) => {
        g.set({ state: 'overdue' }, f.rights.overdue);
        g.set({ state: 'due_soon' }, f.rights.dueSoon);
      },
      ['state'],
    );
    gauge(
      'safekeep_breaches_at_risk',
      'Breaches whose 72-hour ICO decision is overdue, or due within 24 hours.',
      (g, f) => {
        g.set({ state: 'overdue' }, f.breaches.overdue);
        g.set({ state: 'due_soon' }, f.breaches.dueSoon);
      },
      ['state'],
    );
    return this;
  }

  /** Each answer's time, labelled by the route's pattern ('unmatched' for an unknown URL). */
  measureRequests(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      this.requestDuration.observe(
        {
          method: request.method,
          route: request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched'),
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });
  }

  /** Registry contents, for the primary to aggregate (cluster-metrics.ts). */
  snapshot(): Promise<MetricObjectWithValues<MetricValue<string>>[]> {
    return this.registry.getMetricsAsJSON();
  }
}

/** Several processes' registries as one exposition: sums, or each gauge's own aggregator. */
export function aggregate(
  snapshots: MetricObjectWithValues<MetricValue<string>>[][],
): Promise<string> {
  return AggregatorRegistry.aggregate(snapshots).metrics();
}

interface DatabaseFigures {
  auditEventsLastMinute: number;
  unchainedEvents: number;
  checkpointAgeSeconds: number;
  rights: { overdue: number; dueSoon: number };
  breaches: { overdue: number; dueSoon: number };
}

/** Audit events scanned at most, newest first, to count the last minute's (by sequence, indexed). */
const LAST_MINUTE_SCAN = 100_000;

async function readDatabaseFigures(db: Kysely<Database>): Promise<DatabaseFigures> {
  const audit = await sql<{ last_minute: number; unchained: number; checkpoint_age: number }>`
    with head as (select coalesce(max(seq), 0) as seq from audit_event)
    select
      (select count(*) from audit_event
        where seq > (select seq from head) - ${LAST_MINUTE_SCAN}
          and occurred_at > now() - interval '1 minute')::integer as last_minute,
      greatest(0, (select seq from head)
        - coalesce((select event_seq from audit_chain_link order by seq desc limit 1), 0))::integer
        as unchained,
      coalesce(extract(epoch from now() - (select max(signed_at) from audit_checkpoint)), -1)::float8
        as checkpoint_age
  `.execute(db);
  const row = audit.rows[0];
  const today = Temporal.Now.plainDateISO('Europe/London');
  const withinDays = today.until(workingDaysAfter(today, REMINDER_WORKING_DAYS)).days;
  const reminders = await remindersDue(db, { today: today.toString(), withinDays });
  const open = await db
    .selectFrom('breach')
    .select(['aware_at', 'ico_decided_at'])
    .where('ico_decided_at', 'is', null)
    .where('closed_at', 'is', null)
    .execute();
  const now = new Date();
  const breaches = { overdue: 0, dueSoon: 0 };
  for (const b of open) {
    const state = clockState(b.aware_at, b.ico_decided_at, now);
    if (state.state === 'overdue') breaches.overdue += 1;
    else if (state.state === 'running' && state.dueSoon) breaches.dueSoon += 1;
  }
  return {
    auditEventsLastMinute: row?.last_minute ?? 0,
    unchainedEvents: row?.unchained ?? 0,
    checkpointAgeSeconds: row ? Math.round(row.checkpoint_age) : -1,
    rights: {
      overdue: reminders.filter((r) => r.daysLeft < 0).length,
      dueSoon: reminders.filter((r) => r.daysLeft >= 0).length,
    },
    breaches,
  };
}

/** One read shared by every gauge of a scrape, and by scrapes within `ms` of it. */
function cachedFor<T>(ms: number, read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= ms) {
      const value = read();
      last = { at: now, value };
      // A failed read is not kept: the next scrape tries again.
      value.catch(() => {
        if (last?.value === value) last = null;
      });
    }
    return last.value;
  };
}

/**
 * GET /metrics, for Prometheus, with `Authorization: Bearer METRICS_TOKEN`.
 * Without a token it answers as any unknown URL (404); a missing or wrong
 * token gets 401. The token is compared in constant time.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: Metrics,
  token: string | null,
): void {
  metrics.measureRequests(app);
  const expected = token ? digest(token) : null;
  app.get(
    '/metrics',
    { config: { access: 'public', ownBearerToken: true }, schema: { hide: true } },
    async (request, reply) => {
      // Turned off: as any unknown URL, whatever the request carries.
      if (!expected) return reply.callNotFound();
      const given = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer realm="metrics"')
          .send({ error: 'metrics-token-required' });
      }
      const text = await metrics.exposition();
      return reply.header('content-type', metrics.contentType).send(text);
    },
  );
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route checks an Authorization bearer token of its own (not an API token). */
    ownBearerToken?: boolean;
  }
}
