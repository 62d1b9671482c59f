import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import { caseworkStaff, signInFully, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { childProtectionPlan, disclosureToLado } from '../../test/support/sharing.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import { seedAgreements } from './agreements.js';
import { SharingService } from './service.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let ig: Agent;
let worker: Agent;

beforeAll(async () => {
  database = await testDatabase();
  await seedAgreements(database.db);
  app = await testApp(database);
  // Each signs in once: a second sign-in in the same 30 seconds would reuse a TOTP code.
  ig = await signedIn(await caseworkStaff(database.db, 'kent-scs', ['information-governance']));
  worker = await signedIn(
    await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']),
  );
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function signedIn(staff: CaseworkStaff): Promise<Agent> {
  const agent = new Agent(app);
  await signInFully(agent, staff);
  await agent.get('/sharing');
  return agent;
}

/** A JSON call with the agent's session and CSRF token, as a browser script would send. */
async function api(agent: Agent, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) {
  const cookies = ['safekeep_session', 'safekeep_csrf']
    .map((name) => [name, agent.cookie(name)] as const)
    .filter(([, value]) => value)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
  return app.inject({
    method,
    url,
    headers: {
      cookie: cookies,
      'x-csrf-token': agent.csrfToken,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
}

const terms = {
  title: 'API protocol',
  parties: ['kent-scs', 'kent-lado'],
  externalRecipients: ['police'],
  purposes: ['allegation-management'],
  dataCategories: ['lado-allegation'],
  lawfulBases: ['6(1)(e)'],
  specialConditions: ['9(2)(g)'],
  reviewDate: '2099-01-01',
};

describe('the agreements API', () => {
  it('creates, lists, changes with optimistic locking, reviews and ends an agreement', async () => {
    const agent = ig;
    const tooFar = await api(agent, 'POST', '/api/v1/sharing/agreements', terms);
    expect(tooFar.statusCode).toBe(400);
    expect(tooFar.body).toContain('reviewDate');

    const reviewDate = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
    const created = await api(agent, 'POST', '/api/v1/sharing/agreements', {
      ...terms,
      reviewDate,
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();

    const listed = await api(agent, 'GET', '/api/v1/sharing/agreements');
    expect(listed.statusCode).toBe(200);
    const titles = listed.json<{ agreements: { title: string; status: string }[] }>().agreements;
    expect(titles.map((a) => a.title)).toEqual(
      expect.arrayContaining(['API protocol', 'Kent and Medway Information Sharing Agreement']),
    );

    const changed = await api(agent, 'PUT', `/api/v1/sharing/agreements/${id}`, {
      ...terms,
      reviewDate,
      title: 'API protocol, second edition',
      version: 1,
    });
    expect(changed.json()).toEqual({ id, version: 2 });
    const stale = await api(agent, 'PUT', `/api/v1/sharing/agreements/${id}`, {
      ...terms,
      reviewDate,
      version: 1,
    });
    expect(stale.statusCode).toBe(409);

    const today = new Date().toISOString().slice(0, 10);
    const reviewed = await api(agent, 'POST', `/api/v1/sharing/agreements/${id}/reviews`, {
      version: 2,
      reviewedOn: today,
      nextReviewDate: reviewDate,
    });
    expect(reviewed.json()).toEqual({ id, version: 3 });
    const ended = await api(agent, 'POST', `/api/v1/sharing/agreements/${id}/end`, {
      version: 3,
      reason: 'Superseded by a new protocol',
    });
    expect(ended.json()).toEqual({ id, version: 4 });

    const detail = await api(agent, 'GET', `/api/v1/sharing/agreements/${id}?version=1`);
    expect(detail.statusCode).toBe(200);
    const first = detail.json<{ title: string; versions: { change: string }[] }>();
    expect(first.title).toBe('API protocol');
    expect(first.versions.map((v) => v.change)).toEqual(['ended', 'reviewed', 'edited', 'created']);

    const openapi = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(Object.keys(openapi.json<{ paths: object }>().paths)).toContain(
      '/api/v1/sharing/agreements/{id}',
    );
  });

  it('refuses a practitioner', async () => {
    const agent = worker;
    const refused = await api(agent, 'POST', '/api/v1/sharing/agreements', terms);
    expect(refused.statusCode).toBe(403);
  });
});

describe('the agreement pages', () => {
  it('shows the list with statuses; the form reports errors, then saves', async () => {
    const agent = ig;
    const list = await agent.get('/sharing');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Kent and Medway Information Sharing Agreement');
    expect(list.body).toContain('data-testid="new-agreement"');

    const form = await agent.get('/sharing/agreements/new');
    expect(form.statusCode).toBe(200);
    const bad = await agent.post('/sharing/agreements', { title: 'Page protocol' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('Choose the purposes it covers');
    expect(bad.body).toContain('href="#reviewDate-day"');

    const next = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    const [year, month, day] = next.split('-') as [string, string, string];
    const body = new URLSearchParams({
      _csrf: agent.csrfToken,
      title: 'Page protocol',
      parties: 'kent-scs',
      purposes: 'safeguarding-child',
      dataCategories: 'child-in-need',
      lawfulBases: '6(1)(e)',
      specialConditions: '9(2)(g)',
      'reviewDate-day': day,
      'reviewDate-month': month,
      'reviewDate-year': year,
    });
    body.append('parties', 'kent-lado');
    const saved = await app.inject({
      method: 'POST',
      url: '/sharing/agreements',
      headers: {
        cookie: ['safekeep_session', 'safekeep_csrf']
          .map((n) => `${n}=${agent.cookie(n)}`)
          .join('; '),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: body.toString(),
    });
    expect(saved.statusCode).toBe(303);
    const page = await agent.get(saved.headers.location as string);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Page protocol');
    expect(page.body).toContain('Part 2 para 18');

    // Two officers change it from the same version: the second is told, and nothing of theirs is saved.
    const change = (title: string) => {
      const edit = new URLSearchParams(body);
      edit.set('title', title);
      edit.set('version', '1');
      return app.inject({
        method: 'POST',
        url: saved.headers.location as string,
        headers: {
          cookie: ['safekeep_session', 'safekeep_csrf']
            .map((n) => `${n}=${agent.cookie(n)}`)
            .join('; '),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: edit.toString(),
      });
    };
    expect((await change('Page protocol, first change')).statusCode).toBe(303);
    const stale = await change('Page protocol, second change');
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('govuk-error-summary');
    expect(stale.body).toContain('Page protocol, first change');
    expect((await agent.get(saved.headers.location as string)).body).not.toContain('second change');

    const practitioner = worker;
    expect((await practitioner.get('/sharing/agreements/new')).statusCode).toBe(404);
  });
});

describe('the end-the-agreement page', () => {
  it('says how many grants ending it will revoke, and ending it revokes them', async () => {
    const created = await api(ig, 'POST', '/api/v1/sharing/agreements', {
      ...terms,
      title: 'Ending page protocol',
      dataCategories: ['child-protection-plan'],
      reviewDate: new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10),
    });
    const { id } = created.json<{ id: string }>();
    const sharer = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
    const casework = new CaseworkService(database.db);
    const sharing = new SharingService(database.db);
    const shareOne = async () => {
      const recordId = await childProtectionPlan(database.db, casework, sharer);
      return sharing.create(
        sharer.context,
        disclosureToLado(id, [{ recordId, kind: 'record', id: recordId }]),
      );
    };
    const none = await ig.get(`/sharing/agreements/${id}/end`);
    expect(none.body).toContain('No grant made under this agreement is still in force');
    const shared = [await shareOne(), await shareOne(), await shareOne()];

    const page = await ig.get(`/sharing/agreements/${id}/end`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      'Ending this agreement will revoke 3 grants that recipients can still use',
    );
    // A refused save shows the count again beside the error.
    const refused = await ig.post(`/sharing/agreements/${id}/end`, { version: '1', reason: '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('will revoke 3 grants');

    const ended = await ig.post(`/sharing/agreements/${id}/end`, {
      version: '1',
      reason: 'Replaced by the county-wide protocol',
    });
    expect(ended.statusCode).toBe(303);
    for (const disclosureId of shared) {
      expect((await sharing.disclosure(sharer.context, disclosureId)).status).toBe('revoked');
    }
  });
});
