import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../../test/support/app.js';
import { testDatabase } from '../../../../test/support/database.js';
import { createStaff, type TestStaff } from '../../../../test/support/staff.js';
import type { DatabaseHandle } from '../../../db/connection.js';
import type { OrganisationSlug } from '../../../policy/index.js';
import { ScimService } from './scim.js';

/**
 * Issue 16: an organisation's identity provider tells Safekeep by SCIM 2.0
 * that a member of staff has left, and their account stops working without
 * waiting for them to sign in again. Real HTTP requests to the app, as
 * Entra ID's provisioning service sends them.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let kentToken: string;
let ladoToken: string;
let kentProvider: string;

const SCIM = 'application/scim+json';

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  kentProvider = await addProvider('kent-scs');
  await addProvider('kent-lado');
  const scim = new ScimService(database.db);
  kentToken = (await scim.issueToken('kent-scs'))!;
  ladoToken = (await scim.issueToken('kent-lado'))!;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function addProvider(slug: OrganisationSlug): Promise<string> {
  const db = database.db;
  const { id: organisationId } = await db
    .selectFrom('organisation')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  const { id } = await db
    .insertInto('sso_provider')
    .values({
      organisation_id: organisationId,
      issuer: `https://login.${slug}.example/tenant/v2.0`,
      client_id: `safekeep-${slug}`,
      redirect_uri: 'https://safekeep.example/sign-in/single-sign-on/callback',
      subject_claim: 'oid',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/**
 * A member of staff whose Kent account came from the provider (an 'sso'
 * role, an identity under its subject), signed in with an open session.
 */
async function signedInStaffFromProvider(
  options: { localRoleToo?: boolean } = {},
): Promise<{ staff: TestStaff; agent: Agent; subject: string; scimId: string }> {
  const staff = await createStaff(database.db, [
    { organisation: 'kent-scs', role: 'practitioner' },
  ]);
  await database.db
    .updateTable('membership')
    .set({ source: 'sso' })
    .where('account_id', '=', staff.accountId)
    .execute();
  if (options.localRoleToo) {
    const { organisation_id } = await database.db
      .selectFrom('membership')
      .select('organisation_id')
      .where('account_id', '=', staff.accountId)
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('membership')
      .values({
        account_id: staff.accountId,
        organisation_id,
        role_slug: 'team-manager',
        source: 'local',
      })
      .execute();
  }
  const subject = randomUUID();
  const { id: scimId } = await database.db
    .insertInto('account_identity')
    .values({ account_id: staff.accountId, provider_id: kentProvider, subject })
    .returning('id')
    .executeTakeFirstOrThrow();
  const agent = new Agent(app);
  expect((await agent.signIn(staff.email, staff.password)).statusCode).toBe(303);
  expect((await agent.get('/api/v1/me')).statusCode).toBe(200);
  return { staff, agent, subject, scimId };
}

function scim(
  method: 'GET' | 'PATCH' | 'DELETE' | 'POST' | 'PUT',
  url: string,
  token: string | null,
  body?: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': SCIM }),
    },
    ...(body === undefined
      ? {}
      : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

const deactivate = (value: unknown = false) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'Replace', path: 'active', value }],
});

function expectScimError(response: LightMyRequestResponse, status: number, scimType?: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toContain(SCIM);
  expect(response.json()).toMatchObject({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
    status: String(status),
    ...(scimType ? { scimType } : {}),
  });
}

async function accountState(accountId: string) {
  const account = await database.db
    .selectFrom('account')
    .select('disabled_at')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  const roles = await database.db
    .selectFrom('membership')
    .select(['role_slug', 'source'])
    .where('account_id', '=', accountId)
    .orderBy('role_slug')
    .execute();
  const openSessions = await database.db
    .selectFrom('session')
    .select('id')
    .where('account_id', '=', accountId)
    .where('ended_at', 'is', null)
    .execute();
  return { disabled: account.disabled_at !== null, roles, openSessions: openSessions.length };
}

async function auditFor(accountId: string) {
  return database.db
    .selectFrom('audit_event')
    .selectAll()
    .where(sql<boolean>`${accountId} = any(object_ids)`)
    .orderBy('seq')
    .execute();
}

describe('SCIM 2.0 deprovisioning from the organisation’s provider', () => {
  it('finds a person by externalId or userName, as Entra ID does, and reads them by id', async () => {
    const { subject, scimId } = await signedInStaffFromProvider();
    for (const filter of [
      `externalId eq "${subject}"`,
      `userName eq "${subject}"`,
      `EXTERNALID EQ "${subject}"`,
      `urn:ietf:params:scim:schemas:core:2.0:User:userName eq "${subject}"`,
    ]) {
      const found = await scim(
        'GET',
        `/scim/v2/Users?filter=${encodeURIComponent(filter)}`,
        kentToken,
      );
      expect(found.statusCode, filter).toBe(200);
      expect(found.headers['content-type']).toContain(SCIM);
      expect(found.json()).toEqual({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 1,
        startIndex: 1,
        itemsPerPage: 1,
        Resources: [
          {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
            id: scimId,
            externalId: subject,
            userName: subject,
            active: true,
            meta: { resourceType: 'User', created: expect.any(String) as string },
          },
        ],
      });
    }
    const nobody = await scim(
      'GET',
      `/scim/v2/Users?filter=${encodeURIComponent(`externalId eq "${randomUUID()}"`)}`,
      kentToken,
    );
    expect(nobody.json()).toMatchObject({ totalResults: 0, Resources: [] });

    const one = await scim('GET', `/scim/v2/Users/${scimId}`, kentToken);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: scimId, externalId: subject, active: true });
    // No name or email address goes back to the provider.
    expect(one.body).not.toContain('@');

    const config = await scim('GET', '/scim/v2/ServiceProviderConfig', kentToken);
    expect(config.statusCode).toBe(200);
    expect(config.json()).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
    });
  });

  it('disables a leaver by PATCH active false: their roles from the provider go and their open session stops working', async () => {
    const { staff, agent, scimId } = await signedInStaffFromProvider();
    const patched = await scim('PATCH', `/scim/v2/Users/${scimId}`, kentToken, deactivate(false));
    expect(patched.statusCode).toBe(200);
    expect(patched.headers['content-type']).toContain(SCIM);
    expect(patched.json()).toMatchObject({ id: scimId, active: false });

    expect(await accountState(staff.accountId)).toEqual({
      disabled: true,
      roles: [],
      openSessions: 0,
    });
    expect((await agent.get('/api/v1/me')).statusCode).toBe(401);
    expect((await new Agent(app).signIn(staff.email, staff.password)).statusCode).not.toBe(303);

    const events = await auditFor(staff.accountId);
    const disabled = events.filter((e) => e.action === 'account.disabled-by-scim');
    expect(disabled).toHaveLength(1);
    // Ids only: nothing about the person in the event.
    const text = JSON.stringify(disabled[0]);
    expect(text).not.toContain(staff.email);

    // Told again (a provider retries): nothing more happens, nothing more is recorded.
    const again = await scim('PATCH', `/scim/v2/Users/${scimId}`, kentToken, deactivate('False'));
    expect(again.json()).toMatchObject({ active: false });
    expect(
      (await auditFor(staff.accountId)).filter((e) => e.action === 'account.disabled-by-scim'),
    ).toHaveLength(1);

    // Active again at the provider does not re-enable: roles come at the next sign-in.
    const back = await scim('PATCH', `/scim/v2/Users/${scimId}`, kentToken, deactivate(true));
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ active: false });
    expect((await accountState(staff.accountId)).disabled).toBe(true);
  });

  it('takes active as the string "False" and in the no-path form', async () => {
    for (const body of [
      deactivate('False'),
      {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', value: { active: false } }],
      },
    ]) {
      const { staff, agent, scimId } = await signedInStaffFromProvider();
      const patched = await scim('PATCH', `/scim/v2/Users/${scimId}`, kentToken, body);
      expect(patched.statusCode, JSON.stringify(body)).toBe(200);
      expect((await accountState(staff.accountId)).disabled).toBe(true);
      expect((await agent.get('/api/v1/me')).statusCode).toBe(401);
    }
  });

  it('disables a leaver by DELETE, and the link to the provider is gone', async () => {
    const { staff, agent, subject, scimId } = await signedInStaffFromProvider();
    const deleted = await scim('DELETE', `/scim/v2/Users/${scimId}`, kentToken);
    expect(deleted.statusCode).toBe(204);
    expect(await accountState(staff.accountId)).toEqual({
      disabled: true,
      roles: [],
      openSessions: 0,
    });
    expect((await agent.get('/api/v1/me')).statusCode).toBe(401);
    expectScimError(await scim('GET', `/scim/v2/Users/${scimId}`, kentToken), 404);
    expectScimError(await scim('DELETE', `/scim/v2/Users/${scimId}`, kentToken), 404);
    const listed = await scim(
      'GET',
      `/scim/v2/Users?filter=${encodeURIComponent(`externalId eq "${subject}"`)}`,
      kentToken,
    );
    expect(listed.json()).toMatchObject({ totalResults: 0 });
    const actions = (await auditFor(staff.accountId)).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['account.disabled-by-scim', 'account.identity-deleted-by-scim']),
    );
  });

  it('keeps open an account that also holds a role given locally, taking only the provider’s', async () => {
    const { staff, agent, scimId } = await signedInStaffFromProvider({ localRoleToo: true });
    const patched = await scim('PATCH', `/scim/v2/Users/${scimId}`, kentToken, deactivate());
    expect(patched.json()).toMatchObject({ active: false });
    expect(await accountState(staff.accountId)).toMatchObject({
      disabled: false,
      roles: [{ role_slug: 'team-manager', source: 'local' }],
    });
    expect((await agent.get('/api/v1/me')).statusCode).toBe(200);
    expect((await auditFor(staff.accountId)).map((e) => e.action)).toContain(
      'membership.removed-by-scim',
    );
  });

  it('lets a token reach only its own organisation’s people', async () => {
    const { staff, agent, subject, scimId } = await signedInStaffFromProvider();
    const filter = `/scim/v2/Users?filter=${encodeURIComponent(`externalId eq "${subject}"`)}`;
    expect((await scim('GET', filter, ladoToken)).json()).toMatchObject({ totalResults: 0 });
    const all = await scim('GET', '/scim/v2/Users', ladoToken);
    expect(all.json()).toMatchObject({ totalResults: 0, Resources: [] });
    expectScimError(await scim('GET', `/scim/v2/Users/${scimId}`, ladoToken), 404);
    expectScimError(await scim('PATCH', `/scim/v2/Users/${scimId}`, ladoToken, deactivate()), 404);
    expectScimError(await scim('DELETE', `/scim/v2/Users/${scimId}`, ladoToken), 404);
    // Another organisation's id answers exactly as one that does not exist.
    const foreign = await scim('GET', `/scim/v2/Users/${scimId}`, ladoToken);
    const missing = await scim('GET', `/scim/v2/Users/${randomUUID()}`, ladoToken);
    expect(foreign.body).toBe(missing.body);
    expect(await accountState(staff.accountId)).toMatchObject({ disabled: false, openSessions: 1 });
    expect((await agent.get('/api/v1/me')).statusCode).toBe(200);
    // Kent's own token lists them.
    expect((await scim('GET', '/scim/v2/Users', kentToken)).json()).toMatchObject({
      Resources: expect.arrayContaining([expect.objectContaining({ id: scimId })]) as unknown,
    });
  });

  it('refuses a missing, wrong or replaced token with 401 and a SCIM error, changing nothing', async () => {
    const { staff, scimId } = await signedInStaffFromProvider();
    for (const token of [null, 'not-the-token', `${kentToken}x`, '']) {
      const got = await scim('GET', '/scim/v2/Users', token);
      expectScimError(got, 401);
      expect(got.headers['www-authenticate']).toBe('Bearer realm="scim"');
      expectScimError(await scim('PATCH', `/scim/v2/Users/${scimId}`, token, deactivate()), 401);
      expectScimError(await scim('DELETE', `/scim/v2/Users/${scimId}`, token), 401);
    }
    // A new token replaces the old one.
    const service = new ScimService(database.db);
    const replaced = kentToken;
    kentToken = (await service.issueToken('kent-scs'))!;
    expect(kentToken).not.toBe(replaced);
    expectScimError(await scim('GET', '/scim/v2/Users', replaced), 401);
    expect((await scim('GET', '/scim/v2/Users', kentToken)).statusCode).toBe(200);
    expect(await accountState(staff.accountId)).toMatchObject({ disabled: false, openSessions: 1 });
    // Only a hash is stored.
    const stored = await database.db.selectFrom('sso_scim_token').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(kentToken);
    expect(await service.issueToken('no-such-organisation')).toBeNull();
  });

  it('leaves a local account (no identity at the provider) alone', async () => {
    const local = await createStaff(database.db, [
      { organisation: 'kent-scs', role: 'practitioner' },
    ]);
    const agent = new Agent(app);
    await agent.signIn(local.email, local.password);
    const listed = await scim('GET', '/scim/v2/Users?count=200', kentToken);
    expect(listed.body).not.toContain(local.accountId);
    // Its account id is no SCIM id.
    expectScimError(
      await scim('PATCH', `/scim/v2/Users/${local.accountId}`, kentToken, deactivate()),
      404,
    );
    expectScimError(await scim('DELETE', `/scim/v2/Users/${local.accountId}`, kentToken), 404);
    expect(await accountState(local.accountId)).toMatchObject({ disabled: false, openSessions: 1 });
    expect((await agent.get('/api/v1/me')).statusCode).toBe(200);
  });

  it('answers bad JSON, unsupported filters and odd requests with a SCIM 4xx, never a 5xx, changing nothing', async () => {
    const { staff, scimId } = await signedInStaffFromProvider();
    const user = `/scim/v2/Users/${scimId}`;
    for (const filter of [
      'displayName eq "x"',
      'externalId co "a"',
      'externalId eq "a" or userName eq "b"',
      'externalId eq 5',
      'externalId eq',
      '((((',
      '"',
      '',
      'x'.repeat(2_000),
    ]) {
      const got = await scim(
        'GET',
        `/scim/v2/Users?filter=${encodeURIComponent(filter)}`,
        kentToken,
      );
      expectScimError(got, 400, 'invalidFilter');
    }
    expectScimError(await scim('PATCH', user, kentToken, '{"schemas":'), 400, 'invalidSyntax');
    expectScimError(await scim('PATCH', user, kentToken, 'null'), 400, 'invalidSyntax');
    expectScimError(await scim('PATCH', user, kentToken), 400, 'invalidSyntax');
    expectScimError(await scim('PATCH', user, kentToken, { Operations: [] }), 400, 'invalidSyntax');
    expectScimError(await scim('PATCH', user, kentToken, deactivate('no')), 400, 'invalidValue');
    expectScimError(await scim('PATCH', user, kentToken, deactivate(0)), 400, 'invalidValue');
    expectScimError(
      await scim('PATCH', user, kentToken, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'Replace', path: 'displayName', value: 'Someone' },
          { op: 'Replace', path: 'active', value: false },
        ],
      }),
      400,
      'invalidPath',
    );
    expectScimError(
      await scim('PATCH', user, kentToken, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'externalId', value: 'someone-else' }],
      }),
      400,
      'mutability',
    );
    expectScimError(
      await scim('PATCH', user, kentToken, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Destroy', path: 'active', value: false }],
      }),
      400,
      'invalidSyntax',
    );
    expectScimError(await scim('PATCH', user, kentToken, `{"a":"${'x'.repeat(70 * 1024)}"}`), 413);
    expectScimError(await scim('GET', '/scim/v2/Users/not-an-id', kentToken), 404);
    expectScimError(await scim('PATCH', '/scim/v2/Users/not-an-id', kentToken, deactivate()), 404);
    expectScimError(await scim('GET', '/scim/v2/Groups', kentToken), 404);
    expectScimError(await scim('PUT', user, kentToken, { active: false }), 501);
    // Nothing above changed the person.
    expect(await accountState(staff.accountId)).toMatchObject({ disabled: false, openSessions: 1 });

    // Odd paging is read as the RFC says, not refused.
    const paged = await scim('GET', '/scim/v2/Users?startIndex=-4&count=abc', kentToken);
    expect(paged.statusCode).toBe(200);
    expect(paged.json()).toMatchObject({ startIndex: 1 });
    const none = await scim('GET', '/scim/v2/Users?count=0', kentToken);
    expect(none.json()).toMatchObject({ itemsPerPage: 0, Resources: [] });
    expect((none.json() as { totalResults: number }).totalResults).toBeGreaterThan(0);
  });

  it('creates nobody: a POST for someone unknown is refused with 403, as provisioning happens at first sign-in', async () => {
    const before = await database.db
      .selectFrom('account')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const subject = randomUUID();
    const created = await scim('POST', '/scim/v2/Users', kentToken, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      externalId: subject,
      userName: subject,
      active: true,
    });
    expectScimError(created, 403);
    const after = await database.db
      .selectFrom('account')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(
      await database.db
        .selectFrom('account_identity')
        .select('id')
        .where('subject', '=', subject)
        .execute(),
    ).toEqual([]);
  });
});
