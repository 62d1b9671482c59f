import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import { caseworkStaff, signInFully } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { ServiceAccounts } from '../auth/service-accounts.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let agent: Agent;
let token: string;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  agent = new Agent(app);
  await signInFully(agent, await caseworkStaff(database.db, 'kent-scs', ['practitioner']));
  token = (
    await new ServiceAccounts(database.db).create({
      name: 'MASH referrals feed',
      organisationSlug: 'kent-scs',
      roles: ['practitioner'],
      validDays: 1,
    })
  ).token;
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('Cache-Control', () => {
  it('is no-store on signed-in pages, redirects and errors', async () => {
    for (const url of ['/', '/people', '/people/new', '/no-such-page']) {
      const response = await agent.get(url);
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
    const posted = await agent.post('/people/new', { givenName: '', familyName: '' });
    expect(posted.statusCode).toBe(400);
    expect(posted.headers['cache-control']).toBe('no-store');
  });

  it('is no-store on every API answer: session, bearer token, refused and unknown', async () => {
    const answers = [
      await app.inject({ url: '/api/v1/me', headers: agent.apiHeaders() }),
      await app.inject({ url: '/api/v1/people', headers: { authorization: `Bearer ${token}` } }),
      await app.inject({ url: '/api/v1/people' }),
      await app.inject({ url: '/api/v1/people', headers: { authorization: 'Bearer made-up' } }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 401, 401]);
    for (const answer of answers) expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('leaves the public static assets their own caching, signed in or not', async () => {
    for (const headers of [{}, agent.apiHeaders(null)]) {
      const asset = await app.inject({ url: '/assets/app.css', headers });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    }
  });
});
