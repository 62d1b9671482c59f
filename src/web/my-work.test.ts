import type { FastifyInstance } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import {
  caseworkStaff,
  createPerson,
  signInFully,
  team,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { codesOnPage } from '../../test/support/human-words.js';
import { recordWith } from '../../test/support/people.js';
import type { DatabaseHandle } from '../db/connection.js';
import { RightsService, type NewRequest } from '../rights/service.js';

/**
 * Issue 13 item 1: "My work" on the home page — the caseload (mine, my
 * team's, unallocated for managers), what is due from the clocks that
 * already run, approvals waiting (never for the one who prepared them),
 * most urgent first, every item a link the role may follow; and the number
 * of SQL statements does not grow with the caseload.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let statements = 0;
const countStatements: KyselyPlugin = {
  transformQuery(args) {
    statements += 1;
    return args.node;
  },
  transformResult: async (args) => args.result,
};

let worker: CaseworkStaff;
let colleague: CaseworkStaff;
let manager: CaseworkStaff;
let outsider: CaseworkStaff;
let ig: CaseworkStaff;
let secondIg: CaseworkStaff;
const records: Record<string, string> = {};

function sarRequest(receivedOn: string): NewRequest {
  return {
    type: 'access',
    receivedOn,
    channel: 'email',
    description: 'Please send me everything you hold about me.',
    requesterRole: 'self',
    requesterName: 'Synthetic Requester',
    requesterContact: 'requester@example.test',
    identityCheck: 'photo-id-seen',
    subject: { givenName: 'Synthetic', familyName: 'Subject', dateOfBirth: '2008-02-11' },
  };
}

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  app = await testApp({ ...database, db: db.withPlugin(countStatements) });
  worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['north'], 'Wren Worker');
  colleague = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['north'], 'Cole League');
  manager = await caseworkStaff(db, 'kent-scs', ['team-manager'], ['north'], 'Mona Manager');
  outsider = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['south'], 'Otto Side');
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance'], [], 'Iga Gov');
  secondIg = await caseworkStaff(db, 'kent-scs', ['information-governance'], [], 'Sec Ond');
  const north = await team(db, 'kent-scs', 'north');
  const south = await team(db, 'kent-scs', 'south');
  const person = (givenName: string) =>
    createPerson(db, 'kent-scs', { givenName, familyName: 'Caseload' });
  records.mine = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'child-protection-plan',
    personIds: [await person('Mina')],
    allocatedAccountId: worker.accountId,
    allocatedTeamId: north.id,
  });
  records.colleagues = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'child-in-need',
    personIds: [await person('Colin')],
    allocatedAccountId: colleague.accountId,
    allocatedTeamId: north.id,
  });
  records.unallocated = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'child-in-need',
    personIds: [await person('Una')],
    allocatedTeamId: north.id,
  });
  records.otherTeam = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'child-in-need',
    personIds: [await person('Sol')],
    allocatedAccountId: outsider.accountId,
    allocatedTeamId: south.id,
  });
  records.closed = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'child-in-need',
    personIds: [await person('Clo')],
    allocatedAccountId: worker.accountId,
    allocatedTeamId: north.id,
  });
  await db
    .updateTable('case_record')
    .set({ closed_on: '2025-06-01' })
    .where('id', '=', records.closed)
    .execute();

  // Rights work for governance: one request long overdue, one received
  // today, and one in review that `ig` prepared (so only `secondIg` may approve it).
  const rights = new RightsService(db);
  records.overdueRequest = await rights.create(ig.context, sarRequest('2025-01-06'));
  records.freshRequest = await rights.create(
    ig.context,
    sarRequest(new Date().toISOString().slice(0, 10)),
  );
  records.reviewRequest = await rights.create(ig.context, sarRequest('2025-02-03'));
  await db
    .updateTable('rights_request')
    .set({ state: 'review', prepared_by: ig.accountId })
    .where('id', '=', records.reviewRequest)
    .execute();
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** One signed-in agent per staff member: a privileged role's second sign-in would need a code. */
const agents = new Map<string, Agent>();
async function agentOf(staff: CaseworkStaff): Promise<Agent> {
  let agent = agents.get(staff.accountId);
  if (!agent) {
    agent = new Agent(app);
    await signInFully(agent, staff);
    agents.set(staff.accountId, agent);
  }
  return agent;
}

async function homeOf(staff: CaseworkStaff): Promise<{ body: string; statements: number }> {
  const agent = await agentOf(staff);
  const before = statements;
  const response = await agent.get('/');
  expect(response.statusCode).toBe(200);
  return { body: response.body, statements: statements - before };
}

function section(body: string, testid: string): string {
  const start = body.indexOf(`data-testid="${testid}"`);
  if (start < 0) return '';
  return body.slice(start, body.indexOf('</table>', start));
}

describe('the caseload', () => {
  it('shows a practitioner their own open records and their team’s, not other teams’ or closed ones', async () => {
    const { body } = await homeOf(worker);
    const mine = section(body, 'caseload-mine');
    expect(mine).toContain(`/records/${records.mine}`);
    expect(mine).toContain('Mina Caseload');
    expect(mine).toContain('Child protection plan');
    expect(mine).not.toContain(records.closed);
    const theirs = section(body, 'caseload-team');
    expect(theirs).toContain(`/records/${records.colleagues}`);
    expect(theirs).toContain('Cole League');
    expect(body).not.toContain(records.otherTeam);
    // Unallocated work is the manager's to allocate.
    expect(body).not.toContain('data-testid="caseload-unallocated"');
    expect(codesOnPage(body)).toEqual([]);
  });

  it('shows a team manager the team’s unallocated records', async () => {
    const { body } = await homeOf(manager);
    expect(section(body, 'caseload-unallocated')).toContain(`/records/${records.unallocated}`);
    expect(section(body, 'caseload-team')).toContain(`/records/${records.mine}`);
  });

  it('hides whom a restricted record is about, and does not link to it', async () => {
    const restrictedPerson = await createPerson(database.db, 'kent-scs', {
      givenName: 'Restra',
      familyName: 'Caseload',
    });
    const id = await recordWith(database.db, {
      organisation: 'kent-scs',
      category: 'child-in-need',
      personIds: [restrictedPerson],
      allocatedAccountId: outsider.accountId,
      allocatedTeamId: (await team(database.db, 'kent-scs', 'south')).id,
    });
    const request = await new RightsService(database.db).create(
      ig.context,
      sarRequest('2025-03-03'),
    );
    await database.db
      .insertInto('restriction')
      .values({
        organisation_id: ig.context.organisation!.id,
        request_id: request,
        scope: 'record',
        record_id: id,
        ground: 'accuracy-contested',
        placed_by: ig.accountId,
      })
      .execute();
    const { body } = await homeOf(outsider);
    const mine = section(body, 'caseload-mine');
    expect(mine).toContain('Restricted record');
    expect(mine).not.toContain('Restra');
    expect(mine).not.toContain(`/records/${id}`);
  });

  it('runs the same number of statements for a caseload of 3 as of 40', async () => {
    const small = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['small']);
    const large = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['large']);
    for (const [staff, count] of [
      [small, 3],
      [large, 40],
    ] as const) {
      const t = await team(database.db, 'kent-scs', staff === small ? 'small' : 'large');
      for (let i = 0; i < count; i++) {
        await recordWith(database.db, {
          organisation: 'kent-scs',
          category: 'child-in-need',
          personIds: [await createPerson(database.db, 'kent-scs')],
          allocatedAccountId: staff.accountId,
          allocatedTeamId: t.id,
        });
      }
    }
    const smallHome = await homeOf(small);
    const largeHome = await homeOf(large);
    expect(section(smallHome.body, 'caseload-mine').match(/caseload-link/g)).toHaveLength(3);
    expect(section(largeHome.body, 'caseload-mine').match(/caseload-link/g)).toHaveLength(40);
    expect(largeHome.statements).toBe(smallHome.statements);
  });

  it('audits the caseload with exactly the records shown', async () => {
    await homeOf(worker);
    const event = await database.db
      .selectFrom('audit_event')
      .select(['object_ids'])
      .where('actor_account_id', '=', worker.accountId)
      .where('action', '=', 'record.list')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect([...event.object_ids].sort()).toEqual([records.mine, records.colleagues].sort());
  });
});

describe('what is due, and approvals', () => {
  it('lists rights requests overdue first, and no caseload for governance', async () => {
    const { body } = await homeOf(ig);
    const due = section(body, 'my-due');
    const overdueAt = due.indexOf(`/rights/${records.overdueRequest}`);
    const freshAt = due.indexOf(`/rights/${records.freshRequest}`);
    expect(overdueAt).toBeGreaterThan(-1);
    expect(freshAt).toBeGreaterThan(overdueAt);
    expect(due).toContain('Overdue');
    expect(body).not.toContain('My caseload');
    expect(codesOnPage(body)).toEqual([]);
  });

  it('never offers the approval to the person who prepared the response', async () => {
    const preparer = await homeOf(ig);
    expect(section(preparer.body, 'my-approvals')).not.toContain(records.reviewRequest);
    const second = await homeOf(secondIg);
    expect(section(second.body, 'my-approvals')).toContain(`/rights/${records.reviewRequest}`);
  });

  it('lists the next management oversight for the team manager, by urgency with the rest', async () => {
    // Oversight given on the team's records (decision 0044): one overdue, one far off.
    for (const [recordId, next] of [
      [records.colleagues, '2025-03-01'],
      [records.unallocated, '2099-01-01'],
    ] as const) {
      await database.db
        .insertInto('oversight_note')
        .values({
          record_id: recordId!,
          given_on: '2025-02-01',
          direction: 'Synthetic direction.',
          next_review_on: next,
          recorded_by: manager.accountId,
        })
        .execute();
    }
    const { body } = await homeOf(manager);
    const due = section(body, 'my-due');
    const visit = due.indexOf(`/records/${records.mine}#visits`);
    const overdue = due.indexOf(`/records/${records.colleagues}#oversight`);
    const later = due.indexOf(`/records/${records.unallocated}#oversight`);
    // The plan's first visit was due in January 2025, before the oversight of March 2025.
    expect(visit).toBeGreaterThan(-1);
    expect(overdue).toBeGreaterThan(visit);
    expect(later).toBeGreaterThan(overdue);
    expect(due).toContain('Management oversight overdue');
    expect(due).toContain('1 March 2025');
    expect(codesOnPage(body)).toEqual([]);
    // The worker's own page has no oversight to do.
    expect((await homeOf(colleague)).body).not.toContain('#oversight');
  });

  it('shows a practitioner no governance work', async () => {
    const { body } = await homeOf(worker);
    expect(body).not.toContain('/rights/');
    expect(body).not.toContain('data-testid="my-approvals"');
  });

  it('links every item to a page the role may open', async () => {
    for (const staff of [worker, manager, secondIg]) {
      const agent = await agentOf(staff);
      const home = await agent.get('/');
      const links = [
        ...home.body.matchAll(/href="([^"]+)" data-testid="(?:work-item-link|caseload-link)"/g),
      ].map((m) => m[1] ?? '');
      expect(links.length).toBeGreaterThan(0);
      for (const href of links) {
        const page = await agent.get(href.replace(/&amp;/g, '&'));
        expect(page.statusCode, href).toBe(200);
      }
    }
  });
});
