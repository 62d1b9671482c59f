import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import { caseworkStaff, createPerson, signInFully } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';

/**
 * The breach register's pages, through HTTP as staff use them: who sees
 * them, bad input kept and refused in words, and a breach walked from the
 * report to its closure. No id, slug or ISO date on a page.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let ig: Agent;
let dpo: Agent;
let practitioner: Agent;
let otherIg: Agent;
let personId: string;

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The visible text of a page: what a person reads, without attributes, links' targets or hidden fields. */
function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

async function signedIn(staff: Awaited<ReturnType<typeof caseworkStaff>>) {
  const agent = new Agent(app);
  await signInFully(agent, staff);
  return agent;
}

const report = {
  summary: 'A letter about a child protection conference went to the wrong address',
  'occurredAt-day': '2',
  'occurredAt-month': '3',
  'occurredAt-year': '2026',
  'occurredAt-time': '9:00am',
  'awareAt-day': '3',
  'awareAt-month': '3',
  'awareAt-year': '2026',
  'awareAt-time': '14:30',
  reportedBy: 'Synthetic Caller, a neighbour',
  discovery: 'The neighbour phoned the team',
  dataCategories: 'safeguarding',
  approxPeopleCount: '3',
  approxRecordsCount: '1',
};

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  const db = database.db;
  personId = await createPerson(db, 'kent-scs', { givenName: 'Synthetic', familyName: 'Affected' });
  ig = await signedIn(await caseworkStaff(db, 'kent-scs', ['information-governance']));
  dpo = await signedIn(await caseworkStaff(db, 'kent-scs', ['data-protection-officer']));
  practitioner = await signedIn(await caseworkStaff(db, 'kent-scs', ['practitioner']));
  otherIg = await signedIn(await caseworkStaff(db, 'kent-lado', ['information-governance']));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('the breach register pages', () => {
  it('are not found for anyone but information governance and the DPO', async () => {
    expect((await practitioner.get('/governance/breaches')).statusCode).toBe(404);
    expect((await practitioner.get('/governance/breaches/new')).statusCode).toBe(404);
    expect((await ig.get('/governance/breaches')).statusCode).toBe(200);
    expect((await dpo.get('/governance/breaches')).statusCode).toBe(200);
    const home = await practitioner.get('/');
    expect(home.body).not.toContain('/governance/breaches');
  });

  it('refuses a report with bad input in words, keeping what was typed and saving nothing', async () => {
    await ig.get('/governance/breaches/new');
    const refused = await ig.post('/governance/breaches/new', {
      ...report,
      'awareAt-day': '31',
      'awareAt-month': '2',
      'occurredAt-time': 'teatime',
      approxPeopleCount: 'lots',
      summary: 'Kept as typed',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('There is a problem');
    expect(refused.body).toContain('must be a real date');
    expect(refused.body).toContain('Enter the time it happened as, for example, 9:30am or 14:30');
    expect(refused.body).toContain('as a whole number');
    expect(refused.body).toContain('Kept as typed');
    expect(refused.body).toContain('value="teatime"');
    const count = await database.db
      .selectFrom('breach')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);

    const backwards = await ig.post('/governance/breaches/new', {
      ...report,
      'awareAt-day': '1',
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain(
      'The time you became aware must be the same as or after the time it happened',
    );
  });

  it('walks a breach from report to closure, in words, with no ids on the pages', async () => {
    await ig.get('/governance/breaches/new');
    const created = await ig.post('/governance/breaches/new', report);
    expect(created.statusCode).toBe(303);
    const url = created.headers.location as string;
    expect(url).toMatch(/^\/governance\/breaches\/[0-9a-f-]{36}$/);

    const page = await ig.get(url);
    expect(page.statusCode).toBe(200);
    const text = visibleText(page.body);
    expect(text).toContain('Breach 1');
    expect(text).toContain('2:30pm on 3 March 2026');
    expect(text).toContain('Decision whether to tell the ICO due by 2:30pm on 6 March 2026');
    expect(text).not.toMatch(uuid);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);

    // Another organisation's governance: not found, as a breach that does not exist.
    const foreign = await otherIg.get(url);
    const missing = await otherIg.get('/governance/breaches/00000000-0000-4000-8000-000000000000');
    expect(foreign.statusCode).toBe(404);
    const noise = (body: string) =>
      body.replace(/nonce="[^"]*"/g, '').replace(/name="_csrf" value="[^"]*"/g, '');
    expect(noise(foreign.body)).toBe(noise(missing.body));

    // The home page shows the clock to information governance.
    const home = await ig.get('/');
    expect(home.body).toContain('data-testid="breach-clocks"');

    // Deciding before assessing is refused in words.
    await ig.get(`${url}/ico-decision`);
    const early = await ig.post(`${url}/ico-decision`, {
      decision: 'notify',
      reasons: 'A risk to the family',
      dpoContact: 'Synthetic DPO, dpo@synthetic.example',
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Assess the risk before deciding whether to tell the ICO');

    await ig.get(`${url}/assessment`);
    expect(
      (
        await ig.post(`${url}/assessment`, {
          likelihood: 'likely',
          severity: 'severe',
          consequences: 'The family could be found by someone they fear',
          measures: 'We asked for the letter back and it was returned unopened',
        })
      ).statusCode,
    ).toBe(303);

    await ig.get(`${url}/affected?name=Affected`);
    const search = await ig.get(`${url}/affected?name=Affected`);
    expect(visibleText(search.body)).toContain('Synthetic Affected');
    const picked = await ig.post(`${url}/affected/people`, { personIds: personId });
    expect(picked.headers.location, picked.body.slice(-3000)).toBe(`${url}/affected?added=1`);
    const badName = await ig.get(`${url}/affected?name=${encodeURIComponent('a\u0000b')}`);
    expect(badName.statusCode).toBe(400);
    expect(badName.body).toContain('hidden character');

    await ig.get(url);
    const decision = {
      decision: 'notify',
      reasons: 'A high risk to the family',
      dpoContact: 'Synthetic DPO, dpo@synthetic.example',
    };
    // Aware in March, deciding now: more than 72 hours, so the delay needs its reasons (Art 33(1)).
    const late = await ig.post(`${url}/ico-decision`, decision);
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('give the reasons for the delay');
    expect(late.body).toContain('A high risk to the family');
    expect(
      (
        await ig.post(`${url}/ico-decision`, {
          ...decision,
          lateReasons: 'The neighbour told us only this week',
        })
      ).statusCode,
    ).toBe(303);
    const icoReport = await ig.get(`${url}/ico-report`);
    expect(visibleText(icoReport.body)).toContain('Kent');
    expect(visibleText(icoReport.body)).toContain('Synthetic DPO, dpo@synthetic.example');

    await ig.get(`${url}/people-decision`);
    const notTellWithout = await ig.post(`${url}/people-decision`, { decision: 'not-tell' });
    expect(notTellWithout.statusCode).toBe(400);
    expect(notTellWithout.body).toContain('Select the exemption in Art 34(3) you rely on');
    expect(
      (
        await ig.post(`${url}/people-decision`, {
          decision: 'tell',
          notice: 'A letter about you was sent to the wrong address.',
          dpoContact: 'Synthetic DPO, dpo@synthetic.example',
        })
      ).statusCode,
    ).toBe(303);
    const letters = await ig.get(`${url}/letters`);
    expect(letters.body.match(/data-testid="letter"/g)).toHaveLength(1);
    expect(visibleText(letters.body)).toContain('Dear Synthetic Affected');

    // Information governance cannot sign off; the DPO (who did not record it) can.
    await ig.get(url);
    const igClose = await ig.post(`${url}/close`, { lessons: 'Check addresses twice' });
    expect(igClose.statusCode).toBe(400);
    expect(igClose.body).toContain('Only the data protection officer can close a breach');
    await dpo.get(url);
    expect((await dpo.post(`${url}/close`, { lessons: 'Check addresses twice' })).statusCode).toBe(
      303,
    );
    const closed = visibleText((await dpo.get(url)).body);
    expect(closed).toContain('Closed by');
    expect(closed).not.toMatch(uuid);
  });
});
