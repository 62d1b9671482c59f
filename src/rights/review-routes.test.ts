import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../test/support/app.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { caseworkStaff, sessionApiHeaders } from '../../test/support/casework.js';

let database: DatabaseHandle;
let app: FastifyInstance;
/** An information governance officer's session: a service account may not hold the role. */
let igSession: Record<string, string>;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  igSession = await sessionApiHeaders(
    app,
    await caseworkStaff(database.db, 'kent-scs', ['information-governance']),
  );
});

afterAll(async () => {
  await app.close();
  await database.close();
});

/** An access request being worked on, from `requesterRole`. */
async function inProgress(requesterRole: 'self' | 'parent') {
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/rights/requests',
    headers: igSession,
    payload: {
      type: 'access',
      receivedOn: '2025-09-03',
      channel: 'letter',
      description: 'Everything about my child',
      requesterRole,
      requesterName: 'Synthetic Requester',
      requesterContact: '1 Test Street',
      identityCheck: 'photo-id-seen',
      ...(requesterRole === 'parent' ? { authorityEvidence: 'birth-certificate' } : {}),
      subject: { givenName: 'Synthetic', familyName: 'Child', dateOfBirth: '2014-03-01' },
    },
  });
  expect(created.statusCode).toBe(201);
  const { id } = created.json<{ id: string }>();
  const moved = await app.inject({
    method: 'POST',
    url: `/api/v1/rights/requests/${id}/transitions`,
    headers: igSession,
    payload: { to: 'in-progress', on: '2025-09-03' },
  });
  expect(moved.statusCode).toBe(200);
  return id;
}

describe('API: neither confirm nor deny', () => {
  const ncnd = (id: string, payload: object, method: 'PUT' | 'DELETE' = 'PUT') =>
    app.inject({
      method,
      url: `/api/v1/rights/requests/${id}/review/ncnd`,
      headers: igSession,
      ...(method === 'PUT' ? { payload } : {}),
    });

  it('validates the ground and the reason at the edge', async () => {
    const id = await inProgress('parent');
    expect((await ncnd(id, { ground: 'gossip', reason: 'A reason long enough.' })).statusCode).toBe(
      400,
    );
    expect((await ncnd(id, { ground: 'sch2-para2-crime', reason: 'short' })).statusCode).toBe(400);
    const notAllowed = await ncnd(id, {
      ground: 'sch3-para7-serious-harm',
      reason: 'A synthetic reason of enough length.',
    });
    expect(notAllowed.statusCode).toBe(400);
    expect(notAllowed.json().message).toMatch(/does not allow neither confirm nor deny/);
  });

  it('applies the who-may-claim rule: para 21 only when a parent asks', async () => {
    const reason = 'Telling the parent that this exists is not in the child’s best interests.';
    const self = await inProgress('self');
    const refused = await ncnd(self, { ground: 'sch3-para21-child-abuse', reason });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/only when a parent or a court appointee asks/);
    const parent = await inProgress('parent');
    expect((await ncnd(parent, { ground: 'sch3-para21-child-abuse', reason })).statusCode).toBe(
      204,
    );
    expect((await ncnd(parent, {}, 'DELETE')).statusCode).toBe(204);
    expect((await ncnd(parent, {}, 'DELETE')).statusCode).toBe(409);
  });
});
