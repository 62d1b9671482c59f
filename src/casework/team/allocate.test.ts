import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import {
  caseworkStaff,
  createPerson,
  signInFully,
  team,
  type CaseworkStaff,
} from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import { recordWith } from '../../../test/support/people.js';
import type { DatabaseHandle } from '../../db/connection.js';

/*
 * Allocating a record on /team (issue 13 item 11; decision 0044) is one
 * change: one transaction and one audit event, `record.update` — not the
 * record opened (and audited as read) twice on the way. The page that shows
 * the record to allocate is still an audited read; a refused id is one
 * denied event and changes nothing.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let manager: CaseworkStaff;
let worker: CaseworkStaff;
let agent: Agent;
let northId: string;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  manager = await caseworkStaff(database.db, 'kent-scs', ['team-manager'], ['north']);
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['north'], 'Ada Worker');
  northId = (await team(database.db, 'kent-scs', 'north')).id;
  agent = new Agent(app);
  await signInFully(agent, manager);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function unallocatedRecord(teamSlug = 'north') {
  return recordWith(database.db, {
    organisation: 'kent-scs',
    category: 'child-in-need',
    personIds: [await createPerson(database.db, 'kent-scs')],
    allocatedTeamId: (await team(database.db, 'kent-scs', teamSlug)).id,
  });
}

/** The audit events the manager's request wrote, oldest first. */
async function eventsDuring(work: () => Promise<unknown>) {
  const last = await database.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirstOrThrow();
  await work();
  return database.db
    .selectFrom('audit_event')
    .select(['action', 'object_ids', 'outcome'])
    .where('seq', '>', last.seq ?? 0)
    .where('actor_account_id', '=', manager.accountId)
    .orderBy('seq')
    .execute();
}

describe('allocating a record', () => {
  it('writes one audit event, the change, and no read', async () => {
    const id = await unallocatedRecord();
    expect((await agent.get(`/team/records/${id}/allocate`)).statusCode).toBe(200);
    const events = await eventsDuring(async () => {
      const response = await agent.post(`/team/records/${id}/allocate`, {
        workerId: worker.accountId,
        version: '1',
      });
      expect(response.statusCode).toBe(303);
    });
    expect(events.map((e) => [e.action, [...e.object_ids]])).toEqual([['record.update', [id]]]);
    const row = await database.db
      .selectFrom('case_record')
      .select(['allocated_account_id', 'allocated_team_id', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      allocated_account_id: worker.accountId,
      allocated_team_id: northId,
      version: 2,
    });
  });

  it('shows the form again, one audited read, when no worker is chosen', async () => {
    const id = await unallocatedRecord();
    const events = await eventsDuring(async () => {
      const response = await agent.post(`/team/records/${id}/allocate`, { version: '1' });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('Select a worker in your team');
    });
    expect(events.map((e) => e.action)).toEqual(['record.read']);
  });

  it('refuses a worker outside the team in plain words, and changes nothing', async () => {
    const id = await unallocatedRecord();
    const outsider = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['south']);
    const response = await agent.post(`/team/records/${id}/allocate`, {
      workerId: outsider.accountId,
      version: '1',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Select a worker in your team');
    const row = await database.db
      .selectFrom('case_record')
      .select(['allocated_account_id', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ allocated_account_id: null, version: 1 });
  });

  it('answers another team’s record as not found, with one denied event and no change', async () => {
    const id = await unallocatedRecord('south');
    const events = await eventsDuring(async () => {
      const response = await agent.post(`/team/records/${id}/allocate`, {
        workerId: worker.accountId,
        version: '1',
      });
      expect(response.statusCode).toBe(404);
    });
    expect(events.map((e) => [e.action, e.outcome])).toEqual([['record.write', 'denied']]);
    const row = await database.db
      .selectFrom('case_record')
      .select('allocated_account_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.allocated_account_id).toBeNull();
  });
});
