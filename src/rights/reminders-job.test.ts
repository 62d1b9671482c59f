import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import { caseworkStaff, signInFully, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import {
  recordRightsReminders,
  remindersFor,
  rightsRemindersJob,
  workingDaysAfter,
} from './reminders-job.js';
import { RightsService, type NewRequest } from './service.js';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let ig: CaseworkStaff;
let ladoIg: CaseworkStaff;
let practitioner: CaseworkStaff;

function request(receivedOn: string): NewRequest {
  return {
    type: 'access',
    receivedOn,
    channel: 'email',
    description: 'Everything you hold about me.',
    requesterRole: 'self',
    requesterName: 'Synthetic Requester',
    requesterContact: 'requester@example.test',
    identityCheck: 'photo-id-seen',
    subject: { givenName: 'Synthetic', familyName: 'Requester' },
  };
}

/** A request received on `receivedOn`, being worked on (its clock running). */
async function started(staff: CaseworkStaff, receivedOn: string, today: string) {
  const rights = new RightsService(db, () => today);
  const id = await rights.create(staff.context, request(receivedOn));
  await rights.transition(staff.context, id, { to: 'in-progress' });
  return id;
}

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  ladoIg = await caseworkStaff(db, 'kent-lado', ['information-governance']);
  practitioner = await caseworkStaff(db, 'kent-scs', ['practitioner']);
});

afterAll(async () => {
  await handle.close();
});

describe('working days ahead', () => {
  it('skips weekends and bank holidays', () => {
    // Friday 22 December 2023: Christmas Day and Boxing Day are bank holidays.
    const friday = Temporal.PlainDate.from('2023-12-22');
    expect(workingDaysAfter(friday, 1).toString()).toBe('2023-12-27');
    // 27, 28, 29 December, then 1 January (a bank holiday) is skipped: 2, 3 January.
    expect(workingDaysAfter(friday, 5).toString()).toBe('2024-01-03');
  });
});

describe('the daily reminders job (fixed clock: Monday 20 October 2025)', () => {
  const TODAY = '2025-10-20';
  let overdue: string;
  let dueSoon: string;
  let later: string;
  let extended: string;
  let otherOrganisation: string;

  beforeAll(async () => {
    // Received 1 September: due Wednesday 1 October, 19 days ago.
    overdue = await started(ig, '2025-09-01', '2025-09-02');
    // Received 24 September: due Friday 24 October, within 5 working days —
    // also the last day to tell the requester of an extension.
    dueSoon = await started(ig, '2025-09-24', '2025-09-25');
    // Received 10 October: due 10 November, not yet.
    later = await started(ig, '2025-10-10', '2025-10-11');
    // Received 22 September and extended by two months on 1 October: due 22 December.
    const rights = new RightsService(db, () => '2025-10-01');
    extended = await started(ig, '2025-09-22', '2025-09-23');
    await rights.transition(ig.context, extended, {
      to: 'extended',
      extension: {
        months: 2,
        reason: 'Records held in three services must be gathered and reviewed.',
        toldOn: '2025-10-01',
      },
    });
    otherOrganisation = await started(ladoIg, '2025-09-01', '2025-09-02');
  });

  it('records overdue, due-soon and extension-notice reminders, once a day however often it runs', async () => {
    const first = await recordRightsReminders(db, { today: TODAY });
    expect(first).toEqual({ onDate: TODAY, reminders: 4, recorded: 4 });
    const again = await recordRightsReminders(db, { today: TODAY });
    expect(again).toEqual({ onDate: TODAY, reminders: 4, recorded: 0 });

    const rows = await db
      .selectFrom('rights_reminder')
      .select(['request_id', 'kind', 'due', 'days_left'])
      .where('on_date', '=', TODAY)
      .orderBy('days_left')
      .orderBy('kind')
      .execute();
    expect(rows).toHaveLength(4);
    expect(rows).toEqual(
      expect.arrayContaining([
        { request_id: overdue, kind: 'overdue', due: '2025-10-01', days_left: -19 },
        { request_id: otherOrganisation, kind: 'overdue', due: '2025-10-01', days_left: -19 },
        { request_id: dueSoon, kind: 'due-soon', due: '2025-10-24', days_left: 4 },
        { request_id: dueSoon, kind: 'extension-notice', due: '2025-10-24', days_left: 4 },
      ]),
    );
    expect(rows.map((r) => r.request_id)).not.toContain(later);
    expect(rows.map((r) => r.request_id)).not.toContain(extended);

    // The next day is a new day's reminders.
    const tomorrow = await recordRightsReminders(db, { today: '2025-10-21' });
    expect(tomorrow.recorded).toBe(4);
  });

  it('shows each organisation its own, to its governance team only', async () => {
    const summary = await remindersFor(db, ig.context, TODAY);
    expect(summary?.total).toBe(3);
    expect(summary?.byKind).toEqual({ overdue: 1, 'due-soon': 1, 'extension-notice': 1 });
    expect(summary?.rows[0]).toMatchObject({ requestId: overdue, kind: 'overdue' });
    expect(summary?.rows.map((r) => r.requestId)).not.toContain(otherOrganisation);
    const lado = await remindersFor(db, ladoIg.context, TODAY);
    expect(lado?.rows.map((r) => r.requestId)).toEqual([otherOrganisation]);
    expect(await remindersFor(db, practitioner.context, TODAY)).toBeNull();
  });

  it('leaves out a request closed since the job ran', async () => {
    await db
      .updateTable('rights_request')
      .set({ state: 'closed' })
      .where('id', '=', otherOrganisation)
      .execute();
    expect((await remindersFor(db, ladoIg.context, TODAY))?.total).toBe(0);
  });

  it('runs as a daily job, logging counts only', async () => {
    const lines: string[] = [];
    const job = rightsRemindersJob(db, { info: (line) => lines.push(line) }, () => '2025-10-22');
    await job.runIfDue();
    await job.runIfDue();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rights reminders for 2025-10-22: \d+ recorded$/);
  });
});

describe('pages', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await testApp(handle);
    const today = Temporal.Now.plainDateISO('Europe/London');
    // Received two months ago: overdue today, whatever today is.
    const received = today.subtract({ months: 2 }).toString();
    await started(ig, received, today.subtract({ months: 2 }).add({ days: 1 }).toString());
    await recordRightsReminders(db, { today: today.toString() });
  });

  afterAll(async () => {
    await app.close();
  });

  it('the governance team sees a banner on the home page and the reminders page', async () => {
    const agent = new Agent(app);
    await signInFully(agent, ig);
    const home = await agent.get('/');
    expect(home.body).toContain('data-testid="rights-reminders"');
    expect(home.body).toMatch(/\d+ overdue/);
    const page = await agent.get('/rights/reminders');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="reminder-link"');
    expect(page.body).toContain('Overdue');
  });

  it('nobody else sees either', async () => {
    const agent = new Agent(app);
    await signInFully(agent, practitioner);
    const home = await agent.get('/');
    expect(home.body).not.toContain('data-testid="rights-reminders"');
    expect((await agent.get('/rights/reminders')).statusCode).toBe(404);
  });
});
