import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import { caseworkStaff, signInFully } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import { codesOnPage, visibleText } from '../../../test/support/human-words.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { BreachService } from '../breaches/service.js';
import { ComplaintsService } from './service.js';

/**
 * Issue 11: a complaint "linked to rights requests and breaches where
 * relevant". A complaint is linked to a breach in its organisation's
 * register by someone who may see both; the breach's page then lists it.
 * Another organisation's breach, or an id that names nothing, is refused
 * alike and nothing is written.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let ig: Agent;
let complaintId: string;
let breachId: string;
let otherBreachId: string;

const complaint = {
  fullName: 'Synthetic Complainant',
  email: 'complainant@synthetic.example',
  postalAddress: null,
  phone: null,
  about: 'My details were in a letter sent to the wrong address',
  theirReference: null,
  onBehalf: 'no' as const,
  onBehalfName: null,
  onBehalfRelationship: null,
  channel: 'phone' as const,
  receivedOn: '2026-03-04',
};
const breach = {
  summary: 'A letter went to the wrong address',
  occurredAt: new Date('2026-03-02T09:00:00Z'),
  awareAt: new Date('2026-03-03T10:00:00Z'),
  reportedBy: 'Synthetic Reporter',
  discovery: 'The neighbour phoned',
  dataCategories: ['safeguarding' as const],
  approxPeople: 1,
  approxRecords: 1,
};

const links = async () =>
  Number(
    (
      await database.db
        .selectFrom('complaint_link')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  const db = database.db;
  const igStaff = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  const ladoIg = await caseworkStaff(db, 'kent-lado', ['information-governance']);
  complaintId = await new ComplaintsService(db).record(igStaff.context, complaint);
  breachId = await new BreachService(db).report(igStaff.context, breach);
  otherBreachId = await new BreachService(db).report(ladoIg.context, breach);
  ig = new Agent(app);
  await signInFully(ig, igStaff);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('linking a complaint to a breach', () => {
  it('refuses another organisation’s breach and an id naming nothing alike, writing nothing', async () => {
    await ig.get(`/governance/complaints/${complaintId}`);
    const answers = [];
    for (const id of [otherBreachId, '8c6c3f5e-2f0e-4a38-9d7e-0b6f1f4f2a11', 'not-an-id', '']) {
      const page = await ig.post(`/governance/complaints/${complaintId}/breach-links`, {
        breachId: id,
      });
      expect(page.statusCode, id).toBe(400);
      answers.push(visibleText(page.body).includes('Select a breach'));
    }
    expect(answers).toEqual([true, true, true, true]);
    expect(await links()).toBe(0);
  });

  it('links it, and the breach’s page lists the complaint', async () => {
    const page = await ig.get(`/governance/complaints/${complaintId}`);
    expect(page.body).toContain('data-testid="link-breach"');
    const linked = await ig.post(`/governance/complaints/${complaintId}/breach-links`, {
      breachId,
    });
    expect(linked.statusCode).toBe(303);
    expect(await links()).toBe(1);
    // Twice is still once.
    await ig.get(`/governance/complaints/${complaintId}`);
    await ig.post(`/governance/complaints/${complaintId}/breach-links`, { breachId });
    expect(await links()).toBe(1);

    const complaintPage = await ig.get(`/governance/complaints/${complaintId}`);
    expect(complaintPage.body).toContain(`href="/governance/breaches/${breachId}"`);
    const breachPage = await ig.get(`/governance/breaches/${breachId}`);
    expect(breachPage.statusCode).toBe(200);
    expect(breachPage.body).toContain(`href="/governance/complaints/${complaintId}"`);
    expect(visibleText(breachPage.body)).toContain('Complaints about this breach');
    expect(codesOnPage(breachPage.body)).toEqual([]);
    expect(codesOnPage(complaintPage.body)).toEqual([]);
    const audit = await database.db
      .selectFrom('audit_event')
      .select('object_ids')
      .where('action', '=', 'complaint.link')
      .execute();
    expect(audit.map((a) => a.object_ids)).toEqual([[complaintId, breachId]]);
  });
});
