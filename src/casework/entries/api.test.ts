import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import {
  caseworkStaff,
  createPerson,
  signInFully,
  type CaseworkStaff,
} from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import { apiCall, recordWith, teamIn } from '../../../test/support/people.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { londonToday } from '../retention.js';
import { oversightDue } from './oversight-due.js';

/*
 * The JSON API for visits, the case summary, management oversight,
 * conferences and reviews, and looked-after outcomes (issue 13; decision 0044): the page's access decision — another
 * organisation's id, a random id and a malformed id answer exactly alike,
 * not found, whatever was posted — and the page's messages, word for word.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let worker: CaseworkStaff;
let manager: CaseworkStaff;
const agents = new Map<string, Agent>();
let planId: string;
let needId: string;
let lookedAfterId: string;
let foreignId: string;

const JARGON = /invalid input|expected|received|too big|too small/i;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  const db = database.db;
  worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['api-north'], 'Api Worker');
  manager = await caseworkStaff(db, 'kent-scs', ['team-manager'], ['api-north'], 'Api Manager');
  const north = await teamIn(db, 'kent-scs', 'api-north');
  for (const [category, set] of [
    ['child-protection-plan', (id: string) => (planId = id)],
    ['child-in-need', (id: string) => (needId = id)],
    ['looked-after', (id: string) => (lookedAfterId = id)],
  ] as const) {
    set(
      await recordWith(db, {
        organisation: 'kent-scs',
        category,
        personIds: [await createPerson(db, 'kent-scs')],
        allocatedAccountId: worker.accountId,
        allocatedTeamId: north.id,
      }),
    );
  }
  foreignId = await recordWith(db, {
    organisation: 'kent-lado',
    category: 'lado-allegation',
    personIds: [await createPerson(db, 'kent-lado')],
  });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function agentOf(staff: CaseworkStaff): Promise<Agent> {
  let agent = agents.get(staff.accountId);
  if (!agent) {
    agent = new Agent(app);
    await signInFully(agent, staff);
    agents.set(staff.accountId, agent);
  }
  return agent;
}

async function post(staff: CaseworkStaff, url: string, body: unknown) {
  return apiCall(app, await agentOf(staff), 'POST', url, body);
}

const today = () => londonToday();

describe('POST /api/v1/records/:id/visits', () => {
  it('answers with the page’s messages, in plain words, and saves nothing', async () => {
    const api = await post(worker, `/api/v1/records/${planId}/visits`, { present: 'Mother' });
    expect(api.statusCode).toBe(400);
    const { fieldErrors } = api.json<{ fieldErrors: { field: string; message: string }[] }>();
    expect(fieldErrors).toEqual([
      { field: 'visitedOn', message: 'Enter the date of the visit' },
      { field: 'childSeen', message: 'Select yes if the child was seen' },
      { field: 'bedroomSeen', message: 'Select yes if the child’s bedroom was seen' },
    ]);
    // The page form, sent empty, says the same.
    const agent = await agentOf(worker);
    await agent.get(`/records/${planId}/visits/new`);
    const page = await agent.post(`/records/${planId}/visits`, { present: 'Mother' });
    expect(page.statusCode).toBe(400);
    for (const { message } of fieldErrors) {
      expect(page.body).toContain(message);
    }
    // A wrong type is told in words too.
    const typed = await post(worker, `/api/v1/records/${planId}/visits`, {
      visitedOn: 20260101,
      childSeen: true,
    });
    expect(typed.statusCode).toBe(400);
    expect(typed.body).not.toMatch(JARGON);
    const visits = await database.db
      .selectFrom('statutory_visit')
      .select('id')
      .where('record_id', '=', planId)
      .execute();
    expect(visits).toEqual([]);
  });

  it('records a visit, audited, with the next one due no later than the policy allows', async () => {
    const tooLate = await post(worker, `/api/v1/records/${planId}/visits`, {
      visitedOn: today(),
      childSeen: 'yes',
      seenAlone: 'yes',
      bedroomSeen: 'no',
      wishesAndFeelings: 'Wants to stay at her school.',
      nextDueOn: '2099-01-01',
    });
    expect(tooLate.statusCode).toBe(400);
    expect(tooLate.json<{ fieldErrors: { field: string }[] }>().fieldErrors).toMatchObject([
      { field: 'nextDueOn' },
    ]);
    expect(tooLate.body).toMatch(/The next visit must be due by \d{1,2} \w+ \d{4} at the latest/);
    const created = await post(worker, `/api/v1/records/${planId}/visits`, {
      visitedOn: today(),
      childSeen: 'yes',
      seenAlone: 'yes',
      bedroomSeen: 'no',
      wishesAndFeelings: 'Wants to stay at her school.',
    });
    // With no next date given, a plan's visit needs one: the page's message.
    expect(created.json<{ fieldErrors: unknown }>().fieldErrors).toEqual([
      { field: 'nextDueOn', message: 'Enter the date the next visit is due' },
    ]);
    const next = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const saved = await post(worker, `/api/v1/records/${planId}/visits`, {
      visitedOn: today(),
      childSeen: 'yes',
      seenAlone: 'yes',
      bedroomSeen: 'no',
      wishesAndFeelings: 'Wants to stay at her school.',
      nextDueOn: next,
    });
    expect(saved.statusCode).toBe(201);
    const { id } = saved.json<{ id: string }>();
    const event = await database.db
      .selectFrom('audit_event')
      .select(['action', 'object_ids'])
      .where('actor_account_id', '=', worker.accountId)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect({ ...event, object_ids: [...event.object_ids] }).toEqual({
      action: 'statutory-visit.create',
      object_ids: [planId, id],
    });
  });
});

describe('POST /api/v1/records/:id/summary', () => {
  it('refuses an empty summary with the page’s messages, and saves a good one', async () => {
    const empty = await post(worker, `/api/v1/records/${needId}/summary`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ fieldErrors: unknown }>().fieldErrors).toEqual([
      { field: 'currentPlan', message: 'Enter the current plan' },
      { field: 'risks', message: 'Enter the risks, or say that none are known' },
    ]);
    const saved = await post(worker, `/api/v1/records/${needId}/summary`, {
      currentPlan: 'Family support weekly.',
      risks: 'None known.',
    });
    expect(saved.statusCode).toBe(201);
    const row = await database.db
      .selectFrom('case_summary')
      .select(['id', 'current_plan'])
      .where('record_id', '=', needId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      id: saved.json<{ id: string }>().id,
      current_plan: 'Family support weekly.',
    });
  });
});

describe('POST /api/v1/records/:id/oversight', () => {
  it('is a team manager’s: a practitioner is told so, as on the page', async () => {
    const refused = await post(worker, `/api/v1/records/${needId}/oversight`, {
      givenOn: today(),
      direction: 'Carry on.',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ message: string }>().message).toBe(
      'Only a team manager can record management oversight',
    );
  });

  it('records oversight, whose next review is then on the manager’s My work', async () => {
    const bad = await post(manager, `/api/v1/records/${needId}/oversight`, {
      givenOn: '2026-01-10',
      nextReviewOn: '2026-01-10',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ fieldErrors: unknown }>().fieldErrors).toEqual([
      { field: 'direction', message: 'Enter the direction given' },
      {
        field: 'nextReviewOn',
        message:
          'The next management review must be after 10 January 2026, the date of this oversight',
      },
    ]);
    const saved = await post(manager, `/api/v1/records/${needId}/oversight`, {
      givenOn: '2026-01-10',
      direction: 'Visit weekly.',
      nextReviewOn: '2026-02-10',
    });
    expect(saved.statusCode).toBe(201);
    const due = await oversightDue(database.db, manager.context, today());
    expect(due.filter((i) => i.recordId === needId).map((i) => i.due)).toEqual(['2026-02-10']);
  });
});

describe('POST /api/v1/records/:id/reviews', () => {
  it('records a conference held, with the page’s messages for what is missing', async () => {
    const empty = await post(worker, `/api/v1/records/${planId}/reviews`, {
      kind: 'looked-after-review',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ fieldErrors: unknown }>().fieldErrors).toEqual([
      { field: 'kind', message: 'Select which meeting was held' },
      { field: 'heldOn', message: 'Enter the date it was held' },
      { field: 'childParticipated', message: 'Select yes if the child took part' },
      { field: 'summary', message: 'Enter what was decided' },
    ]);
    const saved = await post(worker, `/api/v1/records/${planId}/reviews`, {
      kind: 'initial-conference',
      heldOn: '2026-02-02',
      decision: 'plan-made',
      childParticipated: 'yes',
      summary: 'Plan agreed; core group in ten working days.',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const row = await database.db
      .selectFrom('statutory_review')
      .select(['id', 'kind', 'held_on'])
      .where('record_id', '=', planId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      id: saved.json<{ id: string }>().id,
      kind: 'initial-conference',
      held_on: '2026-02-02',
    });
    // A child in need holds no conferences: that record has no such entry.
    const none = await post(worker, `/api/v1/records/${needId}/reviews`, {});
    expect(none.statusCode).toBe(404);
  });
});

describe('POST /api/v1/records/:id/outcomes', () => {
  it('records a looked-after child’s SDQ, its score as a number or as text', async () => {
    const bad = await post(worker, `/api/v1/records/${lookedAfterId}/outcomes`, {
      kind: 'sdq',
      occurredOn: '2026-03-03',
      sdqScore: 41,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ fieldErrors: unknown }>().fieldErrors).toEqual([
      { field: 'sdqScore', message: 'Enter the SDQ score as a whole number from 0 to 40' },
    ]);
    expect(bad.body).not.toMatch(JARGON);
    for (const sdqScore of [17, '18']) {
      const saved = await post(worker, `/api/v1/records/${lookedAfterId}/outcomes`, {
        kind: 'sdq',
        occurredOn: '2026-03-03',
        sdqScore,
      });
      expect(saved.statusCode, saved.body).toBe(201);
    }
    const dental = await post(worker, `/api/v1/records/${lookedAfterId}/outcomes`, {
      kind: 'dental-check',
      occurredOn: '2026-03-04',
      sdqScore: 3,
    });
    expect(dental.json<{ fieldErrors: unknown }>().fieldErrors).toEqual([
      { field: 'sdqScore', message: 'Leave the SDQ score empty unless this is an SDQ' },
    ]);
    const scores = await database.db
      .selectFrom('looked_after_outcome')
      .select(['kind', 'sdq_score'])
      .where('record_id', '=', lookedAfterId)
      .orderBy('sdq_score')
      .execute();
    expect(scores).toEqual([
      { kind: 'sdq', sdq_score: 17 },
      { kind: 'sdq', sdq_score: 18 },
    ]);
    // Only a looked-after record has outcomes.
    const none = await post(worker, `/api/v1/records/${planId}/outcomes`, {});
    expect(none.statusCode).toBe(404);
  });
});

describe('ids the caller may not use', () => {
  it('answer exactly as an id that names nothing, for every entry, whatever the body', async () => {
    for (const path of ['visits', 'summary', 'oversight', 'reviews', 'outcomes']) {
      for (const body of [{}, { givenOn: '2026-01-10', direction: 'x', currentPlan: 'x' }]) {
        const answers = [];
        for (const id of [foreignId, randomUUID(), 'not-an-id']) {
          const response = await post(manager, `/api/v1/records/${id}/${path}`, body);
          answers.push(`${response.statusCode} ${response.body}`);
        }
        expect(answers[0], path).toMatch(/^404 /);
        expect(new Set(answers).size, path).toBe(1);
      }
    }
  });
});
