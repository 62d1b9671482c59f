import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { personFileRetention } from '../casework/retention.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';

/**
 * Issue 4: where a person's file spans several categories, the latest date
 * and the most protective action govern what is kept about the person,
 * whatever order the categories came in; the explanation says which won.
 */
let database: DatabaseHandle;
let worker: CaseworkStaff;

beforeAll(async () => {
  database = await testDatabase();
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
});
afterAll(() => database.close());

async function record(childId: string, category: 'child-in-need' | 'child-protection-plan') {
  return new CaseworkService(database.db).create(worker.context, {
    category,
    subjectPersonId: childId,
    openedOn: '2024-01-10',
    allocatedAccountId: worker.accountId,
    ...(category === 'child-protection-plan' ? { detail: { categoryOfAbuse: 'neglect' } } : {}),
  });
}

describe("a person's whole file", () => {
  it('is kept to the latest date of any of their records, whichever came first', async () => {
    for (const order of [
      ['child-in-need', 'child-protection-plan'],
      ['child-protection-plan', 'child-in-need'],
    ] as const) {
      const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2014-04-03' });
      for (const category of order) await record(child, category);
      const summary = await personFileRetention(database.db, child);
      expect(summary.status).toBe('scheduled');
      // Child in need: birth + 25 = 2039; child protection plan: birth + 40 = 2054.
      expect(summary.due?.toString()).toBe('2054-04-03');
      expect(summary.dateSetBy?.rule.id).toBe('kent-scs/child-protection-plan/birth-plus-40');
      expect(summary.explanation).toContain('child-protection-plan');
    }
  });

  it('is shown to those who may see the person, and audited; hidden people are not found', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2014-04-03' });
    await record(child, 'child-in-need');
    const app = await testApp(database);
    try {
      const agent = new Agent(app);
      await agent.signIn(worker.email, worker.password);
      const response = await agent.get(`/api/v1/people/${child}/retention`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'scheduled', due: '2039-04-03' });
      expect((await agent.get(`/people/${child}/retention`)).body).toContain(
        'data-testid="person-retention"',
      );
      const outsider = await caseworkStaff(
        database.db,
        'kent-scs',
        ['practitioner'],
        ['children-in-care'],
      );
      const other = new Agent(app);
      await other.signIn(outsider.email, outsider.password);
      expect((await other.get(`/api/v1/people/${child}/retention`)).statusCode).toBe(404);
      const audit = await database.db
        .selectFrom('audit_event')
        .select('object_ids')
        .where('action', '=', 'retention.person.view')
        .execute();
      expect(audit.flatMap((a) => a.object_ids)).toContain(child);
    } finally {
      await app.close();
    }
  });

  it('tells those who could see a restricted person so, with when and by which rules but none of their dates', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2014-04-03' });
    await record(child, 'child-in-need');
    const kentScs = await database.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', 'kent-scs')
      .executeTakeFirstOrThrow();
    // Placed as the rights service does (src/rights): an Art 18 restriction on the person.
    await database.db
      .insertInto('restriction')
      .values({
        organisation_id: kentScs.id,
        scope: 'person',
        person_id: child,
        ground: 'accuracy-contested',
        placed_by: worker.accountId,
      })
      .execute();
    const app = await testApp(database);
    try {
      const agent = new Agent(app);
      await agent.signIn(worker.email, worker.password);
      const api = await agent.get(`/api/v1/people/${child}/retention`);
      expect(api.statusCode).toBe(200);
      expect(api.json()).toMatchObject({
        restricted: true,
        status: 'scheduled',
        due: null,
        latestKnownDue: null,
        action: 'destroy',
        dateSetBy: 'kent-scs/child-in-need/birth-plus-25',
      });
      const page = await agent.get(`/people/${child}/retention`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('data-testid="person-restricted"');
      expect(page.body).toContain('may only be stored');
      // Nothing counted from, or quoting, their own dates.
      for (const date of ['2039', '2014', 'April']) expect(page.body).not.toContain(date);

      const outsider = await caseworkStaff(
        database.db,
        'kent-scs',
        ['practitioner'],
        ['children-in-care'],
      );
      const other = new Agent(app);
      await other.signIn(outsider.email, outsider.password);
      expect((await other.get(`/api/v1/people/${child}/retention`)).statusCode).toBe(404);
      expect((await other.get(`/people/${child}/retention`)).statusCode).toBe(404);
      const audit = await database.db
        .selectFrom('audit_event')
        .select('object_ids')
        .where('action', '=', 'retention.person.view.restricted')
        .execute();
      expect(audit.flatMap((a) => a.object_ids)).toContain(child);
    } finally {
      await app.close();
    }
  });
});
