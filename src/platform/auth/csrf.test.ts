import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import { caseworkStaff, signInFully, type CaseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { ServiceAccounts } from './service-accounts.js';

/**
 * Every state-changing request made with a session cookie carries the CSRF
 * token of that session (app.ts); a bearer-token call sends no cookie, so it
 * cannot be forged from another site and needs none.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let worker: CaseworkStaff;
let agent: Agent;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner']);
  agent = new Agent(app);
  await signInFully(agent, worker);
  await agent.get('/people/new');
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const person = (familyName: string) => ({ givenName: 'Synthetic', familyName });

async function peopleNamed(familyName: string): Promise<number> {
  const rows = await database.db
    .selectFrom('person')
    .select('id')
    .where('family_name', '=', familyName)
    .execute();
  return rows.length;
}

describe('CSRF protection on signed-in requests', () => {
  it('refuses a signed-in form post with no token or a wrong one, and accepts the right one', async () => {
    const form = { ...person('Nocsrf'), confirmedNotDuplicate: 'yes' };
    const missing = await agent.post('/people/new', form, false);
    expect(missing.statusCode).toBe(403);
    const wrong = await agent.post('/people/new', { ...form, _csrf: 'not-the-token' }, false);
    expect(wrong.statusCode).toBe(403);
    expect(await peopleNamed('Nocsrf')).toBe(0);

    const right = await agent.post('/people/new', form);
    expect(right.statusCode).toBe(303);
    expect(await peopleNamed('Nocsrf')).toBe(1);
  });

  it('refuses a session-cookie API call with no token or a wrong one, and accepts the right one', async () => {
    const call = (headers: Record<string, string>, familyName: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/people',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: JSON.stringify({ ...person(familyName), confirmedNotDuplicate: true }),
      });
    const missing = await call(agent.apiHeaders(null), 'Apinocsrf');
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ error: 'csrf' });
    const wrong = await call(agent.apiHeaders('not-the-token'), 'Apinocsrf');
    expect(wrong.statusCode).toBe(403);
    expect(await peopleNamed('Apinocsrf')).toBe(0);

    const right = await call(agent.apiHeaders(), 'Apinocsrf');
    expect(right.statusCode).toBe(201);
    expect(await peopleNamed('Apinocsrf')).toBe(1);
  });

  it('needs no token on a bearer-token API call', async () => {
    const { token } = await new ServiceAccounts(database.db).create({
      name: 'MASH referrals feed',
      organisationSlug: 'kent-scs',
      roles: ['practitioner'],
      validDays: 1,
    });
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/people',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ ...person('Bearercall'), confirmedNotDuplicate: true }),
    });
    expect(response.statusCode).toBe(201);
  });
});
