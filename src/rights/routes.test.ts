import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import { caseworkStaff, sessionApiHeaders, signInFully } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { ServiceAccounts } from '../platform/auth/service-accounts.js';

let database: DatabaseHandle;
let app: FastifyInstance;
/** Information governance officers' sessions: a service account may not hold the role. */
let igSession: Record<string, string>;
let secondIgSession: Record<string, string>;
let practitionerToken: string;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  const accounts = new ServiceAccounts(database.db);
  const officer = async () =>
    sessionApiHeaders(
      app,
      await caseworkStaff(database.db, 'kent-scs', ['information-governance']),
    );
  igSession = await officer();
  secondIgSession = await officer();
  practitionerToken = (
    await accounts.create({
      name: 'Practice tool',
      organisationSlug: 'kent-scs',
      roles: ['practitioner'],
      validDays: 1,
    })
  ).token;
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const newRequest = {
  type: 'access',
  receivedOn: '2025-09-03',
  channel: 'letter',
  description: 'Everything about me',
  requesterRole: 'self',
  requesterName: 'Synthetic Requester',
  requesterContact: '1 Test Street',
  identityCheck: 'photo-id-seen',
  subject: { givenName: 'Synthetic', familyName: 'Requester', dateOfBirth: '2007-03-01' },
};

describe('API /api/v1/rights', () => {
  it('records a request, runs it through a second person’s approval, and refuses illegal moves', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/rights/requests',
      headers: igSession,
      payload: newRequest,
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    const move = (session: Record<string, string>, payload: object) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/rights/requests/${id}/transitions`,
        headers: session,
        payload,
      });

    const illegal = await move(igSession, { to: 'approved' });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().message).toMatch(/cannot move to "approved"/);

    expect((await move(igSession, { to: 'in-progress', on: '2025-09-03' })).statusCode).toBe(200);
    expect((await move(igSession, { to: 'review' })).statusCode).toBe(200);
    const self = await move(igSession, { to: 'approved' });
    expect(self.statusCode).toBe(409);
    expect(self.json().message).toMatch(/second person/);
    expect((await move(secondIgSession, { to: 'approved' })).json()).toEqual({ state: 'approved' });

    const detail = await app.inject({
      url: `/api/v1/rights/requests/${id}`,
      headers: igSession,
    });
    expect(detail.json()).toMatchObject({
      state: 'approved',
      clock: { status: 'running', due: '2025-10-03' },
      nextStates: ['responded-in-full', 'responded-in-part', 'refused'],
    });

    const list = await app.inject({ url: '/api/v1/rights/requests', headers: igSession });
    expect(list.json<{ id: string }[]>().map((r) => r.id)).toContain(id);
  });

  it('validates input at the edge', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/rights/requests',
      headers: igSession,
      payload: { ...newRequest, receivedOn: '2025-02-30', type: 'gossip' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a NUL in the request, a request received in the future and year 0000, in plain words (issue 10)', async () => {
    const send = (payload: object) =>
      app.inject({ method: 'POST', url: '/api/v1/rights/requests', headers: igSession, payload });
    const before = await database.db.selectFrom('rights_request').select('id').execute();
    const nul = await send({ ...newRequest, description: 'Everything\u0000about me' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json<{ message: string }>().message).toBe(
      'description: What the request asks for contains a hidden character that cannot be saved. Remove it and try again',
    );
    const future = await send({ ...newRequest, receivedOn: '2030-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json<{ message: string }>().message).toBe(
      'receivedOn: Enter a date the request was received between 1900 and today',
    );
    const yearZero = await send({
      ...newRequest,
      subject: { ...newRequest.subject, dateOfBirth: '0000-01-01' },
    });
    expect(yearZero.statusCode).toBe(400);
    const missing = await send({ ...newRequest, requesterName: undefined });
    expect(JSON.stringify(missing.json())).not.toMatch(/Invalid input|expected string/);
    const after = await database.db.selectFrom('rights_request').select('id').execute();
    expect(after.length).toBe(before.length);
  });

  it('gives the Art 15 supplementary information from policy', async () => {
    const info = await app.inject({
      url: '/api/v1/rights/supplementary-information?category=adoption',
      headers: igSession,
    });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({
      controller: expect.stringMatching(/Kent County Council/),
      purposes: [{ category: 'adoption' }],
    });
  });

  it('is not there for a practitioner', async () => {
    const list = await app.inject({
      url: '/api/v1/rights/requests',
      headers: bearer(practitionerToken),
    });
    expect(list.statusCode).toBe(404);
  });
});

describe('pages', () => {
  it('intake form, request page with clock and timeline, refusal shown on the page', async () => {
    const ig = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
    const agent = new Agent(app);
    await signInFully(agent, ig);

    const form = await agent.get('/rights/new');
    expect(form.statusCode).toBe(200);
    const missing = await agent.post('/rights/new', { type: 'access' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('There is a problem');
    expect(missing.body).toContain('Enter the date the request was received');

    const created = await agent.post('/rights/new', {
      type: 'access',
      'receivedOn-day': '3',
      'receivedOn-month': '9',
      'receivedOn-year': '2025',
      channel: 'email',
      description: 'Please send my file',
      requesterRole: 'parent',
      requesterName: 'Synthetic Parent',
      requesterContact: 'parent@example.test',
      identityCheck: 'photo-id-seen',
      subjectGivenName: 'Synthetic',
      subjectFamilyName: 'Child',
      nhsNumber: '9990000018',
    });
    expect(created.statusCode).toBe(303);
    const url = created.headers.location as string;
    const page = await agent.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="clock"');
    expect(page.body).toMatch(/Overdue: was due 3 October 2025|Due 3 October 2025/);
    expect(page.body).toContain('data-testid="supplementary-information"');

    // A parent needs proof of authority before work starts: refused, on the page.
    const refused = await agent.post(`${url}/transition`, { to: 'in-progress' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('proof of authority');

    const asked = await agent.post(`${url}/transition`, { to: 'awaiting-authority' });
    expect(asked.statusCode).toBe(303);
    const after = await agent.get(url);
    expect(after.body).toContain('Awaiting proof of authority');
    expect(after.body).toMatch(/Authority requested/);

    const dashboard = await agent.get('/rights');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain(url);
  });

  it('is not found for a practitioner', async () => {
    const practitioner = await caseworkStaff(database.db, 'kent-scs', ['practitioner']);
    const agent = new Agent(app);
    await signInFully(agent, practitioner);
    expect((await agent.get('/rights')).statusCode).toBe(404);
    expect((await agent.get('/rights/new')).statusCode).toBe(404);
  });
});
