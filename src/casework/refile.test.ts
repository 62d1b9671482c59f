import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import {
  caseworkStaff,
  createPerson,
  signInFully,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../platform/errors/errors.js';
import { RefileService } from './refile-service.js';
import { CaseworkService } from './service.js';

/*
 * Issue 12 item 14: a record filed in the wrong category is re-filed by
 * information governance, with a reason, audited, and its retention is
 * worked out again (decision 0020).
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let casework: CaseworkService;
let refile: RefileService;
let practitioner: CaseworkStaff;
let kentIg: CaseworkStaff;
let kscmpBusiness: CaseworkStaff;
let kscmpIg: CaseworkStaff;
let ladoIg: CaseworkStaff;
const TODAY = '2026-11-25';

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  casework = new CaseworkService(database.db, { today: () => TODAY });
  refile = new RefileService(database.db, { today: () => TODAY });
  practitioner = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  kentIg = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
  kscmpBusiness = await caseworkStaff(database.db, 'kscmp', ['partnership-business']);
  kscmpIg = await caseworkStaff(database.db, 'kscmp', ['information-governance']);
  ladoIg = await caseworkStaff(database.db, 'kent-lado', ['information-governance']);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function childInNeed() {
  const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2015-06-01' });
  return casework.create(practitioner.context, {
    category: 'child-in-need',
    subjectPersonId: child,
    openedOn: '2025-01-10',
  });
}

/** A KSCMP practice review of an incident on 1 March 2024, the child living. */
async function practiceReview() {
  const child = await createPerson(database.db, 'kscmp', { dateOfBirth: '2012-01-01' });
  return casework.create(kscmpBusiness.context, {
    category: 'practice-review',
    subjectPersonId: child,
    openedOn: '2024-03-05',
    facts: { incidentDate: '2024-03-01', childDied: false },
    detail: { reviewType: 'rapid-review' },
  });
}

describe('re-filing a record (service)', () => {
  it('moves it, keeps who, when and why, audits it, and works out retention again', async () => {
    const id = await childInNeed();
    const before = await casework.open(kentIg.context, id);
    const result = await refile.refile(kentIg.context, id, {
      category: 'child-protection-plan',
      reason: 'A child protection plan was made at conference: filed in the wrong category.',
    });
    expect(result).toMatchObject({
      category: 'child-protection-plan',
      retention: {
        status: 'scheduled',
        ruleId: 'kent-scs/child-protection-plan/birth-plus-40',
        due: '2055-06-01',
      },
    });
    const after = await casework.open(kentIg.context, id);
    expect(after.category).toBe('child-protection-plan');
    expect(after.version).toBe(before.version + 1);
    expect(after.retention.ruleId).not.toBe(before.retention.ruleId);
    const history = await database.db
      .selectFrom('record_refile')
      .selectAll()
      .where('record_id', '=', id)
      .execute();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      from_category: 'child-in-need',
      to_category: 'child-protection-plan',
      refiled_by: kentIg.accountId,
    });
    const events = await database.db
      .selectFrom('audit_event')
      .select(['action', 'outcome'])
      .where('action', '=', 'record.refile')
      .where('object_ids', '@>', sql<string[]>`array[${id}]::text[]`)
      .execute();
    expect(events).toEqual([{ action: 'record.refile', outcome: 'success' }]);
  });

  it('is information governance’s alone: a reader is told no, anyone else finds nothing', async () => {
    const id = await childInNeed();
    const input = { category: 'looked-after', reason: 'Synthetic reason for the test.' };
    expect(await rejection(refile.refile(practitioner.context, id, input))).toBeInstanceOf(
      ForbiddenError,
    );
    for (const outsider of [kscmpIg, ladoIg]) {
      expect(await rejection(refile.refile(outsider.context, id, input))).toBeInstanceOf(
        NotFoundError,
      );
    }
    expect(await rejection(refile.refile(kentIg.context, randomUUID(), input))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await rejection(refile.refile(kentIg.context, 'not-an-id', input))).toBeInstanceOf(
      NotFoundError,
    );
    expect((await casework.open(kentIg.context, id)).category).toBe('child-in-need');
  });

  it('refuses bad input in plain English and changes nothing', async () => {
    const id = await childInNeed();
    const cases = [
      [{ category: 'child-in-need', reason: 'It is where it already is.' }, 'category'],
      [{ category: 'lado-allegation', reason: 'Another organisation’s category.' }, 'category'],
      [{ category: 'no-such-thing', reason: 'Not a category at all.' }, 'category'],
      [{ category: 'looked-after', reason: 'short' }, 'reason'],
      [{}, 'category'],
    ] as const;
    for (const [input, field] of cases) {
      const error = await rejection(refile.refile(kentIg.context, id, input));
      expect(error).toBeInstanceOf(ValidationError);
      const messages = (error as ValidationError).fieldErrors;
      expect(messages.map((m) => m.field)).toContain(field);
      for (const m of messages) expect(m.message).not.toMatch(/enum|invalid_|expected/i);
    }
    expect((await casework.open(kentIg.context, id)).category).toBe('child-in-need');
    const history = await database.db
      .selectFrom('record_refile')
      .select('id')
      .where('record_id', '=', id)
      .execute();
    expect(history).toEqual([]);
  });

  it('leaves an archived record where it is', async () => {
    const id = await childInNeed();
    await sql`update case_record set record_state = 'archived', state_changed_on = ${TODAY} where id = ${id}`.execute(
      database.db,
    );
    expect(
      await rejection(
        refile.refile(kentIg.context, id, {
          category: 'looked-after',
          reason: 'Synthetic reason for the test.',
        }),
      ),
    ).toBeInstanceOf(ConflictError);
  });
});

describe('re-filing through the API and the page', () => {
  const agents = new Map<string, Agent>();
  async function signedIn(staff: CaseworkStaff): Promise<Agent> {
    const known = agents.get(staff.accountId);
    if (known) return known;
    const agent = new Agent(app);
    await signInFully(agent, staff);
    agents.set(staff.accountId, agent);
    return agent;
  }
  async function api(agent: Agent, url: string, body: unknown) {
    if (!agent.csrfToken) await agent.get('/retention');
    const cookies = ['safekeep_session', 'safekeep_csrf']
      .map((name) => [name, agent.cookie(name)] as const)
      .filter(([, value]) => value)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    return app.inject({
      method: 'POST',
      url,
      headers: {
        cookie: cookies,
        'x-csrf-token': agent.csrfToken,
        'content-type': 'application/json',
      },
      payload: JSON.stringify(body),
    });
  }

  it('POST /api/v1/records/:id/refile moves a referral not notified to “incident + 12 years”', async () => {
    const id = await practiceReview();
    expect((await casework.open(kscmpIg.context, id)).retention).toMatchObject({
      ruleId: 'kscmp/practice-review/incident-plus-75',
      due: '2099-03-01',
    });
    const agent = await signedIn(kscmpIg);
    const response = await api(agent, `/api/v1/records/${id}/refile`, {
      category: 'panel-referral-not-notified',
      reason: 'Considered for notification to the National Panel; not notified.',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      id,
      category: 'panel-referral-not-notified',
      retention: {
        status: 'scheduled',
        due: '2036-03-01',
        ruleId: 'kscmp/panel-referral-not-notified/incident-plus-12',
      },
    });
    const bad = await api(agent, `/api/v1/records/${id}/refile`, { category: 'practice-review' });
    expect(bad.statusCode).toBe(400);
    const other = await api(agent, `/api/v1/records/${randomUUID()}/refile`, {
      category: 'practice-review',
      reason: 'Synthetic reason for the test.',
    });
    expect(other.statusCode).toBe(404);
  });

  it('the page shows categories by name, keeps what was typed on an error, and re-files', async () => {
    const id = await childInNeed();
    const agent = await signedIn(kentIg);
    const page = await agent.get(`/records/${id}/refile`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Child protection plan');
    const invalid = await agent.post(`/records/${id}/refile`, {
      category: 'looked-after',
      reason: 'short',
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Give the reason in at least 10 characters');
    expect(invalid.body).toMatch(/value="looked-after" checked/);
    const done = await agent.post(`/records/${id}/refile`, {
      category: 'looked-after',
      reason: 'The child came into care: a looked-after child’s record.',
    });
    expect(done.statusCode).toBe(303);
    expect((await casework.open(kentIg.context, id)).category).toBe('looked-after');
    // A practitioner has no such page.
    const worker = await signedIn(practitioner);
    expect((await worker.get(`/records/${id}/refile`)).statusCode).toBe(403);
  });
});
