import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp, testConfig } from '../../../test/support/app.js';
import { testDatabase } from '../../../test/support/database.js';
import { createStaff } from '../../../test/support/staff.js';
import { buildApp } from '../../app.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { Metrics } from './metrics.js';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';

let database: ScratchDatabase;
let app: FastifyInstance;
let metrics: Metrics;

beforeAll(async () => {
  database = await testDatabase();
  metrics = new Metrics().observeDatabase(database.db, { everyMs: 0 });
  if (database.poolStats) metrics.observePool(database.poolStats);
  app = await buildApp({ config: testConfig({ METRICS_TOKEN: TOKEN }), db: database.db, metrics });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition format, parsed: one sample a line. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not exposition format: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key = '', value = ''] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[key] = value;
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );

async function scrape(): Promise<{ text: string; samples: Sample[] }> {
  const response = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/plain');
  return { text: response.body, samples: parse(response.body) };
}

describe('/metrics', () => {
  it('is not there at all without METRICS_TOKEN', async () => {
    const without = await testApp(database);
    try {
      const response = await without.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.statusCode).toBe(404);
    } finally {
      await without.close();
    }
  });

  it('refuses a scrape without the token, or with another', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('Bearer');
    expect(wrong.body).not.toContain('safekeep_');
  });

  it('times requests by route pattern, never by the URL with its values', async () => {
    const staff = await createStaff(database.db, [
      { organisation: 'kent-scs', role: 'practitioner' },
    ]);
    const agent = new Agent(app, { remoteAddress: '198.51.100.23' });
    await agent.signIn(staff.email, staff.password);
    const unknownId = '7b0e6a3c-51f5-4c1e-9d0e-2f4ad3c9e111';
    await agent.get(`/people/${unknownId}`);
    await agent.get('/privacy/kent-scs');
    await agent.get('/privacy/kent-scs');
    await agent.get(`/no/such/page/${unknownId}`);

    const { text, samples } = await scrape();
    const privacy = find(samples, 'safekeep_http_request_duration_seconds_count', {
      method: 'GET',
      route: '/privacy/:organisation',
      status_code: '200',
    });
    expect(privacy.map((s) => s.value)).toEqual([2]);
    expect(
      find(samples, 'safekeep_http_request_duration_seconds_count', {
        route: 'unmatched',
        status_code: '404',
      }),
    ).toHaveLength(1);
    const buckets = find(samples, 'safekeep_http_request_duration_seconds_bucket', {
      route: '/privacy/:organisation',
      le: '+Inf',
    });
    expect(buckets.map((s) => s.value)).toEqual([2]);
    // No ids, addresses, emails or organisation names in any label.
    for (const personal of [unknownId, '198.51.100.23', staff.email, 'kent-scs']) {
      expect(text).not.toContain(personal);
    }
  });

  it("shows the pool's connections", async () => {
    const { samples } = await scrape();
    const max = find(samples, 'safekeep_db_pool_max')[0]?.value;
    expect(max).toBe(database.kind === 'pglite' ? 1 : 10);
    expect(find(samples, 'safekeep_db_pool_connections')[0]?.value).toBeGreaterThanOrEqual(1);
    // The scrape's own reads of the database may be waiting for it as it is measured.
    expect(find(samples, 'safekeep_db_pool_waiting')[0]?.value).toBeGreaterThanOrEqual(0);
    expect(find(samples, 'safekeep_db_pool_idle')[0]?.value).toBeLessThanOrEqual(max ?? 0);
  });

  it('counts job runs and their durations, failed ones too', async () => {
    const jobs = metrics.timed([
      { name: 'test-ok', runIfDue: async () => undefined },
      {
        name: 'test-failing',
        runIfDue: async () => {
          throw new Error('failed');
        },
      },
    ]);
    await jobs[0]?.runIfDue();
    await jobs[0]?.runIfDue();
    await expect(jobs[1]?.runIfDue()).rejects.toThrow('failed');
    const { samples } = await scrape();
    expect(
      find(samples, 'safekeep_job_runs_total', { job: 'test-ok', outcome: 'ok' })[0]?.value,
    ).toBe(2);
    expect(
      find(samples, 'safekeep_job_runs_total', { job: 'test-failing', outcome: 'failed' })[0]
        ?.value,
    ).toBe(1);
    expect(find(samples, 'safekeep_job_duration_seconds_count', { job: 'test-ok' })[0]?.value).toBe(
      2,
    );
  });

  it('reads audit throughput and lag, and breach clocks at risk, from the database', async () => {
    const organisation = await database.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', 'kent-scs')
      .executeTakeFirstOrThrow();
    const staff = await createStaff(database.db, [
      { organisation: 'kent-scs', role: 'data-protection-officer' },
    ]);
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const breach = (awareHoursAgo: number, reference: number) => ({
      organisation_id: organisation.id,
      reference,
      summary: 'Test breach',
      occurred_at: hoursAgo(awareHoursAgo + 1),
      aware_at: hoursAgo(awareHoursAgo),
      reported_by: 'Test',
      discovery: 'Test',
      data_categories: ['contact'],
      approx_people: 1,
      approx_records: 1,
      recorded_by: staff.accountId,
    });
    const before = await scrape();
    const atRisk = (samples: Sample[], state: string) =>
      find(samples, 'safekeep_breaches_at_risk', { state })[0]?.value ?? NaN;
    await database.db
      .insertInto('breach')
      .values([breach(80, 9001), breach(60, 9002), breach(1, 9003)])
      .execute();
    const after = await scrape();
    expect(atRisk(after.samples, 'overdue') - atRisk(before.samples, 'overdue')).toBe(1);
    expect(atRisk(after.samples, 'due_soon') - atRisk(before.samples, 'due_soon')).toBe(1);
    expect(find(after.samples, 'safekeep_rights_requests_at_risk')).toHaveLength(2);
    // Signing in above wrote audit events, not yet chained: no chainer runs here.
    expect(find(after.samples, 'safekeep_audit_events_last_minute')[0]?.value).toBeGreaterThan(0);
    expect(find(after.samples, 'safekeep_audit_unchained_events')[0]?.value).toBeGreaterThan(0);
    expect(find(after.samples, 'safekeep_audit_checkpoint_age_seconds')[0]?.value).toBe(-1);
  });
});
