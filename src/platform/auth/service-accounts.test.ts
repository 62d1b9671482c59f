import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, TestClock, testApp } from '../../../test/support/app.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { loadDemoData } from '../../demo/demo-data.js';
import { ServiceAccounts } from './service-accounts.js';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new TestClock();
let accounts: ServiceAccounts;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 3 });
  app = await testApp(database, { clock });
  accounts = new ServiceAccounts(database.db, clock.now);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('service accounts for integrations', () => {
  it('call /api/v1 with a bearer token, as their organisation and roles, audited as themselves', async () => {
    const { accountId, token } = await accounts.create({
      name: 'MASH referrals feed',
      organisationSlug: 'kent-scs',
      roles: ['practitioner'],
      validDays: 30,
    });
    const me = await app.inject({ url: '/api/v1/me', headers: bearer(token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      accountId,
      organisation: { slug: 'kent-scs' },
      roles: ['practitioner'],
    });
    const people = await app.inject({ url: '/api/v1/people', headers: bearer(token) });
    expect(people.statusCode).toBe(200);
    // The token sees what its roles may: here, the people in no record
    // allocated elsewhere (need to know applies to integrations too).
    const shown = (people.json() as { people: { id: string }[] }).people.map((p) => p.id);
    const kentScs = await database.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', 'kent-scs')
      .executeTakeFirstOrThrow();
    const inOrganisation = await database.db
      .selectFrom('person')
      .select('id')
      .where('organisation_id', '=', kentScs.id)
      .execute();
    expect(shown.length).toBeGreaterThan(0);
    expect(inOrganisation.map((p) => p.id)).toEqual(expect.arrayContaining(shown));
    const audit = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('actor_account_id', '=', accountId)
      .execute();
    expect(audit.map((a) => a.action)).toContain('person.list');
  });

  it('refuse unknown, revoked and expired tokens, and pages', async () => {
    expect((await app.inject({ url: '/api/v1/me', headers: bearer('made-up') })).statusCode).toBe(
      401,
    );
    const { accountId, token } = await accounts.create({
      name: 'Reporting tool',
      organisationSlug: 'kscmp',
      roles: ['partnership-business'],
      validDays: 1,
    });
    // Pages are for people: a token there is sent to sign in, never served.
    const page = await app.inject({ url: '/', headers: bearer(token) });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/sign-in');
    expect((await app.inject({ url: '/api/v1/me', headers: bearer(token) })).statusCode).toBe(200);
    clock.advanceMinutes(24 * 60 + 1);
    const expired = await app.inject({ url: '/api/v1/me', headers: bearer(token) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().message).toContain('expired');

    const second = await accounts.create({
      name: 'Another feed',
      organisationSlug: 'kscmp',
      roles: ['partnership-business'],
      validDays: 30,
    });
    expect(await accounts.revokeAll(second.accountId)).toBe(1);
    expect(
      (await app.inject({ url: '/api/v1/me', headers: bearer(second.token) })).statusCode,
    ).toBe(401);
    expect(accountId).not.toBe(second.accountId);
  });

  it('cannot sign in on the sign-in page', async () => {
    await accounts.create({
      name: 'Feed',
      organisationSlug: 'kent-scs',
      roles: ['practitioner'],
      validDays: 5,
    });
    const row = await database.db
      .selectFrom('account')
      .select('email')
      .where('kind', '=', 'service')
      .executeTakeFirstOrThrow();
    const agent = new Agent(app);
    const response = await agent.signIn(row.email, 'anything at all');
    expect(response.statusCode).toBe(401);
  });
});
