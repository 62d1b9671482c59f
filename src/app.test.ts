import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp, testConfig } from '../test/support/app.js';
import { testDatabase } from '../test/support/database.js';
import { createStaff, type TestStaff } from '../test/support/staff.js';
import { buildApp } from './app.js';
import type { DatabaseHandle } from './db/connection.js';
import { loadDemoData } from './demo/demo-data.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let socialWorker: TestStaff;
let maidstoneOfficer: TestStaff;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 6 });
  app = await testApp(database);
  app.get('/test-only/explode', async () => {
    throw new Error('a secret internal detail');
  });
  socialWorker = await createStaff(database.db, [
    { organisation: 'kent-scs', role: 'practitioner' },
  ]);
  maidstoneOfficer = await createStaff(database.db, [
    { organisation: 'maidstone-bc', role: 'practitioner' },
  ]);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('the web app', () => {
  it('reports health with the database reachable', async () => {
    const response = await app.inject('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'reachable' });
    expect((await app.inject('/health/ready')).json()).toEqual({
      status: 'ok',
      database: 'reachable',
    });
    expect((await app.inject('/health/live')).statusCode).toBe(200);
  });

  it('reports 503 when the database cannot be reached', async () => {
    const lost = await testDatabase();
    const unhealthy = await testApp(lost);
    await lost.close();
    try {
      const response = await unhealthy.inject('/health');
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
      // Out of rotation, but alive: restarting it would not bring the database back.
      expect((await unhealthy.inject('/health/ready')).statusCode).toBe(503);
      const live = await unhealthy.inject('/health/live');
      expect(live.statusCode).toBe(200);
      expect(live.json()).toEqual({ status: 'live' });
    } finally {
      await unhealthy.close();
    }
  });

  it('sends a strict Content-Security-Policy and the other security headers', async () => {
    const response = await app.inject('/sign-in');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    // The template's one inline script carries the nonce.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(response.body).toContain(`<script nonce="${nonce}">`);
  });

  it('serves the design systems from the app itself', async () => {
    for (const asset of [
      '/assets/govuk-frontend.min.css',
      '/assets/moj-frontend.min.css',
      '/assets/govuk-frontend.min.js',
      '/assets/fonts/bold-b542beb274-v2.woff2',
      '/assets/init.js',
    ]) {
      expect((await app.inject(asset)).statusCode, asset).toBe(200);
    }
    expect((await app.inject('/assets/template.njk')).statusCode).toBe(404);
  });

  it('shows a not-found page, signed in or not', async () => {
    const anonymous = await app.inject('/no/such/page');
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.body).toContain('Page not found');
    const agent = new Agent(app);
    await agent.signIn(socialWorker.email, socialWorker.password);
    const signedIn = await agent.get('/no/such/page');
    expect(signedIn.statusCode).toBe(404);
    expect(signedIn.body).toContain('Sign out');
    expect((await agent.get('/api/v1/nothing')).json()).toMatchObject({ error: 'not-found' });
  });

  it('shows a 500 page with a reference and never the error itself', async () => {
    const agent = new Agent(app);
    await agent.signIn(socialWorker.email, socialWorker.password);
    const response = await agent.get('/test-only/explode');
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('Sorry, there is a problem with the service');
    expect(response.body).not.toContain('a secret internal detail');
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('publishes the OpenAPI document of /api/v1, generated from the zod schemas', async () => {
    const response = await app.inject('/api/docs/json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/v1/me', '/api/v1/people']),
    );
    const people = document.paths['/api/v1/people'].get;
    expect(people.responses['200'].content['application/json'].schema.properties).toHaveProperty(
      'people',
    );
    expect((await app.inject('/api/docs')).statusCode).toBeLessThan(400);
  });

  it('answers bad API input with the field at fault', async () => {
    const agent = new Agent(app);
    await agent.signIn(socialWorker.email, socialWorker.password);
    const response = await agent.get('/api/v1/people?page=0');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: 'invalid-input',
      fieldErrors: [{ field: 'page' }],
    });
  });
});

describe('people, behind the access function', () => {
  it('lists only the organisation’s own people and audits exactly who was shown', async () => {
    const agent = new Agent(app);
    await agent.signIn(socialWorker.email, socialWorker.password);
    const response = await agent.get('/api/v1/people');
    expect(response.statusCode).toBe(200);
    const { people, total } = response.json() as { people: { id: string }[]; total: number };
    const kentScs = await database.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', 'kent-scs')
      .executeTakeFirstOrThrow();
    // Need to know: a practitioner in no team, with nothing allocated to
    // them, sees the organisation's people who are in no record at all, and
    // nobody whose records are allocated to others.
    const own = await database.db
      .selectFrom('person')
      .select('id')
      .where('organisation_id', '=', kentScs.id)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('record_party')
              .select('record_id')
              .whereRef('record_party.person_id', '=', 'person.id'),
          ),
        ),
      )
      .execute();
    expect(own.length).toBeGreaterThan(0);
    expect(total).toBe(own.length);
    expect(people.map((p) => p.id).sort()).toEqual(own.map((p) => p.id).sort());
    const event = await database.db
      .selectFrom('audit_event')
      .selectAll()
      .where('actor_account_id', '=', socialWorker.accountId)
      .where('action', '=', 'person.list')
      .executeTakeFirstOrThrow();
    expect(event.object_ids.sort()).toEqual(own.map((p) => p.id).sort());
    expect(event).toMatchObject({
      organisation_id: kentScs.id,
      purpose: 'casework',
      object_type: 'person',
    });
    const page = await agent.get('/people');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="people-table"');
  });

  it('keeps the Maidstone concern log to the Designated Safeguarding Officer and deputies', async () => {
    const agent = new Agent(app);
    await agent.signIn(maidstoneOfficer.email, maidstoneOfficer.password);
    expect((await agent.get('/people')).statusCode).toBe(404);
    expect((await agent.get('/api/v1/people')).statusCode).toBe(404);
  });
});

describe('logs', () => {
  it('hold no personal data: no names, emails, search terms or cookies', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const config = testConfig({ LOG_LEVEL: 'info' });
    const logged = await buildApp({ config, db: database.db });
    // Swap pino's destination for the sink: same redaction and serializers.
    const pino = (await import('pino')).default;
    const { loggerOptions } = await import('./platform/http/logging.js');
    const options = loggerOptions(config) as Record<string, unknown>;
    const logger = pino(options, sink);
    logged.log.info({ body: { email: socialWorker.email, name: 'Synthetic Name' } }, 'probe');
    await logged.close();
    const probe = pino(options, sink);
    probe.info({ req: { id: 'r1', method: 'GET', url: '/people?name=Synthetic+Name' } }, 'request');
    probe.info({ user: { email: socialWorker.email, familyName: 'Synthetic' } }, 'nested');
    logger.flush();
    const text = lines.join('');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(socialWorker.email);
    expect(text).not.toContain('Synthetic');
  });
});
