import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import {
  caseworkStaff,
  sessionApiHeaders,
  signInFully,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { PartnershipService } from '../partnership/service.js';
import { RightsService } from './service.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let rights: RightsService;
let partnership: PartnershipService;
let ig: CaseworkStaff;
let approver: CaseworkStaff;
let team: CaseworkStaff;
/** An information governance officer's session: a service account may not hold the role. */
let igSession: Record<string, string>;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  rights = new RightsService(database.db);
  partnership = new PartnershipService(database.db, {
    sessionSecret: 'test-session-secret-for-portability-routes-00',
  });
  ig = await caseworkStaff(database.db, 'kscmp', ['information-governance']);
  approver = await caseworkStaff(database.db, 'kscmp', ['information-governance']);
  team = await caseworkStaff(database.db, 'kscmp', ['partnership-business']);
  igSession = await sessionApiHeaders(
    app,
    await caseworkStaff(database.db, 'kscmp', ['information-governance']),
  );
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** A portability request for a new trainee, discovered and decided, in progress. */
async function portabilityRequest(fullName: string, employer: string) {
  const courseId = await partnership.createCourse(team.context, {
    title: 'Safer recruitment',
    kind: 'course',
    delivery: 'online',
    startDate: '2026-05-01',
    endDate: '2026-05-01',
  });
  const bookingId = await partnership.book(team.context, courseId, {
    fullName,
    jobRole: 'Teacher',
    employer,
    sector: 'education',
    email: 'trainee@synthetic.example',
    telephone: null,
    postalAddress: null,
    budgetReference: null,
    requirements: null,
  });
  const [givenName = '', familyName = ''] = fullName.split(' ');
  const id = await rights.create(ig.context, {
    type: 'portability',
    receivedOn: '2026-03-02',
    channel: 'email',
    description: 'My training records, please, for my new school.',
    requesterRole: 'self',
    requesterName: 'Synthetic Requester',
    requesterContact: 'by post only',
    identityCheck: 'known-to-us',
    subject: { givenName, familyName },
  });
  await rights.transition(ig.context, id, { to: 'in-progress' });
  await rights.review.discover(ig.context, id);
  await rights.decide(ig.context, id, { kind: 'portability' });
  return { id, bookingId };
}

describe('pages: the portability export on the request page', () => {
  it('chooses the entries, refuses downloads until approved, then offers JSON and a CSV per data set', async () => {
    const { id, bookingId } = await portabilityRequest('Philippa Portwright', '+Synthetic Academy');
    const agent = new Agent(app);
    await signInFully(agent, ig);

    const page = await agent.get(`/rights/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="portability"');
    expect(page.body).toContain('data-testid="portable-empty"');
    expect(page.body).toContain('data-testid="portability-not-yet"');

    const choose = await agent.get(`/rights/${id}/portability`);
    expect(choose.statusCode).toBe(200);
    expect(choose.body).toContain(`value="training-booking:${bookingId}"`);

    const bad = await agent.post(`/rights/${id}/portability`, { items: 'training-booking:nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('Select entries from the list discovery found');

    const saved = await agent.post(`/rights/${id}/portability`, {
      items: `training-booking:${bookingId}`,
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/rights/${id}#portability`);
    const after = await agent.get(`/rights/${id}`);
    expect(after.body).toContain('data-testid="portable-items"');
    expect(after.body).toContain('Philippa Portwright');

    expect((await agent.get(`/rights/${id}/portability.json`)).statusCode).toBe(409);
    await rights.transition(ig.context, id, { to: 'review' });
    await rights.transition(approver.context, id, { to: 'approved' });

    const ready = await agent.get(`/rights/${id}`);
    expect(ready.body).toContain(`href="/rights/${id}/portability.json"`);
    expect(ready.body).toContain(`href="/rights/${id}/portability.csv?dataset=training-bookings"`);
    expect(ready.body).toContain(
      `href="/rights/${id}/portability.csv?dataset=newsletter-subscriptions"`,
    );

    const json = await agent.get(`/rights/${id}/portability.json`);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toBe(
      `attachment; filename="portability-${id}.json"`,
    );
    expect(json.headers['cache-control']).toBe('no-store');
    const doc = json.json<{ datasets: { dataset: string; records: unknown[] }[] }>();
    expect(doc.datasets.map((d) => [d.dataset, d.records.length])).toEqual([
      ['training-bookings', 1],
      ['newsletter-subscriptions', 0],
    ]);

    const csv = await agent.get(`/rights/${id}/portability.csv?dataset=training-bookings`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.body.split('\r\n')[1]).toContain("Philippa Portwright,Teacher,'+Synthetic Academy");
    expect((await agent.get(`/rights/${id}/portability.csv?dataset=surveys`)).statusCode).toBe(400);
  });
});

describe('API: the portability export', () => {
  it('confirms, refuses before approval, and gives the same JSON and CSV', async () => {
    const { id, bookingId } = await portabilityRequest('Quintus Portapi', 'Synthetic College');
    const api = (method: 'GET' | 'PUT', url: string, payload?: object) =>
      app.inject({ method, url, headers: igSession, ...(payload ? { payload } : {}) });
    const base = `/api/v1/rights/requests/${id}/portability`;
    expect(
      (await api('PUT', base, { items: [{ source: 'survey', id: bookingId }] })).statusCode,
    ).toBe(400);
    expect(
      (await api('PUT', base, { items: [{ source: 'training-booking', id: bookingId }] }))
        .statusCode,
    ).toBe(204);
    const early = await api('GET', `${base}.json`);
    expect(early.statusCode).toBe(409);
    expect(early.json<{ message: string }>().message).toMatch(/second person/);
    await rights.transition(ig.context, id, { to: 'review' });
    await rights.transition(approver.context, id, { to: 'approved' });

    const json = await api('GET', `${base}.json`);
    expect(json.statusCode).toBe(200);
    const doc = json.json<{ format: string; datasets: { records: { fullName: string }[] }[] }>();
    expect(doc.format).toBe('safekeep-portability-export/1');
    expect(doc.datasets[0]?.records.map((r) => r.fullName)).toEqual(['Quintus Portapi']);
    const csv = await api('GET', `${base}.csv?dataset=training-bookings`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.startsWith('fullName,jobRole,employer')).toBe(true);
    expect(csv.body).toContain('Quintus Portapi,Teacher,Synthetic College');
  });

  it('describes the calls in OpenAPI', async () => {
    const docs = (await app.inject('/api/docs/json')).json<{ paths: Record<string, unknown> }>();
    for (const path of ['portability', 'portability.json', 'portability.csv']) {
      expect(docs.paths).toHaveProperty([`/api/v1/rights/requests/{id}/${path}`]);
    }
  });
});
