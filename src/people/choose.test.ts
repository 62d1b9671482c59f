import type { FastifyInstance } from 'fastify';
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
import { parseFind } from './choose.js';

/**
 * Issue 13 item 4: forms that name a person or record choose them by
 * searching — name, date of birth, NHS number or UPN — among people the
 * user may see; nobody types an id.
 */

describe('parseFind', () => {
  it('reads a name, a date of birth, an NHS number and a UPN from one field', () => {
    expect(parseFind('Sam Taylor')).toEqual({ ok: true, criteria: { name: 'Sam Taylor' } });
    expect(parseFind('5/12/2015')).toMatchObject({
      ok: true,
      criteria: { dateOfBirth: '2015-12-05' },
    });
    expect(parseFind('Sam 5 December 2015')).toMatchObject({
      ok: true,
      criteria: { name: 'Sam', dateOfBirth: '2015-12-05' },
    });
    expect(parseFind('999 000 0018')).toMatchObject({
      ok: true,
      criteria: { nhsNumber: '9990000018' },
    });
    expect(parseFind('b801200005001')).toMatchObject({
      ok: true,
      criteria: { upn: 'B801200005001' },
    });
  });

  it('answers bad input in plain English', () => {
    const badDate = parseFind('31/2/2015');
    expect(badDate).toEqual({
      ok: false,
      message: 'Enter a real date of birth, for example 5/12/2015',
    });
    const badNhs = parseFind('999 000 0019');
    expect(badNhs.ok).toBe(false);
    if (!badNhs.ok) expect(badNhs.message).not.toMatch(/invalid input|expected|received/i);
    expect(parseFind('   ').ok).toBe(false);
  });
});

let database: DatabaseHandle;
let app: FastifyInstance;
let worker: CaseworkStaff;
let ig: CaseworkStaff;
let workerAgent: Agent;
let igAgent: Agent;
let child: string;
let aunt: string;
let cousin: string;
let foreign: string;
let record: string;
let otherTeamRecord: string;

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  app = await testApp(database);
  worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['pick']);
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  const pick = await team(db, 'kent-scs', 'pick');
  const other = await team(db, 'kent-scs', 'other-pick');
  child = await createPerson(db, 'kent-scs', {
    givenName: 'Quill',
    familyName: 'Chooser',
    dateOfBirth: '2016-04-09',
  });
  aunt = await createPerson(db, 'kent-scs', { givenName: 'Aster', familyName: 'Chooser' });
  cousin = await createPerson(db, 'kent-scs', { givenName: 'Cass', familyName: 'Chooser' });
  foreign = await createPerson(db, 'kent-lado', { givenName: 'Quill', familyName: 'Chooser' });
  record = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'child-in-need',
    personIds: [child],
    allocatedAccountId: worker.accountId,
    allocatedTeamId: pick.id,
  });
  otherTeamRecord = await recordWith(db, {
    organisation: 'kent-scs',
    category: 'child-in-need',
    personIds: [aunt],
    allocatedTeamId: other.id,
  });
  workerAgent = new Agent(app);
  await signInFully(workerAgent, worker);
  igAgent = new Agent(app);
  await signInFully(igAgent, ig);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('a new record starts by finding the person', () => {
  it('asks who the record is about, and finds only people the user may see', async () => {
    const asks = await workerAgent.get('/records/new');
    expect(asks.statusCode).toBe(200);
    expect(asks.body).toContain('Who is the record about?');
    expect(asks.body).not.toContain('subjectPersonId');
    const found = await workerAgent.get('/records/new?category=child-in-need&find=Quill%20Chooser');
    expect(found.body).toContain(`/records/new?person=${child}&amp;category=child-in-need`);
    expect(found.body).toContain('Born 9 April 2016');
    expect(found.body).not.toContain(foreign);
    expect(codesOnPage(found.body)).toEqual([]);
    const byBirth = await workerAgent.get('/records/new?find=9%2F4%2F2016');
    expect(byBirth.body).toContain(`person=${child}`);
    const form = await workerAgent.get(`/records/new?person=${child}&category=child-in-need`);
    expect(form.body).toContain('data-testid="record-form"');
    expect(form.body).toContain('Quill Chooser');
  });

  it('keeps what was typed and says what is wrong in plain words', async () => {
    const bad = await workerAgent.get('/records/new?find=31%2F2%2F2016');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a real date of birth');
    expect(bad.body).toContain('value="31/2/2016"');
    expect(bad.body).toContain('govuk-error-summary');
  });
});

describe('adding a person to a record', () => {
  it('finds them by searching and adds them with their role', async () => {
    const page = await workerAgent.get(`/records/${record}/parties/new?find=Chooser`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`value="${cousin}"`);
    // In another team's record only: not someone this worker may see.
    expect(page.body).not.toContain(`value="${aunt}"`);
    // Already in the record: not offered again.
    expect(page.body).not.toContain(`value="${child}"`);
    const refused = await workerAgent.post(`/records/${record}/parties/new?find=Chooser`, {
      personId: cousin,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Select their role in the record');
    // The search is kept, and the choice made.
    expect(refused.body).toContain(`value="${cousin}" checked`);
    const added = await workerAgent.post(`/records/${record}/parties/new?find=Chooser`, {
      personId: cousin,
      role: 'family-member',
    });
    expect(added.statusCode).toBe(303);
    const parties = await database.db
      .selectFrom('record_party')
      .select(['person_id', 'role'])
      .where('record_id', '=', record)
      .execute();
    expect(parties).toContainEqual({ person_id: cousin, role: 'family-member' });
  });

  it('is not found for a record the user may not change', async () => {
    // Answered as the record page itself answers (here: open it with a reason first).
    const recordPage = await workerAgent.get(`/records/${otherTeamRecord}`);
    const page = await workerAgent.get(`/records/${otherTeamRecord}/parties/new`);
    expect(recordPage.statusCode).not.toBe(200);
    expect(page.statusCode).toBe(recordPage.statusCode);
    const post = await workerAgent.post(`/records/${otherTeamRecord}/parties/new`, {
      personId: child,
      role: 'family-member',
    });
    expect(post.statusCode).not.toBe(303);
    const added = await database.db
      .selectFrom('record_party')
      .select('person_id')
      .where('record_id', '=', otherTeamRecord)
      .execute();
    expect(added).toHaveLength(1);
  });
});

describe('a legal hold chooses what it covers', () => {
  const hold = {
    holdType: 'litigation',
    reason: 'Synthetic litigation hold for the test',
    'reviewOn-day': '1',
    'reviewOn-month': '1',
    'reviewOn-year': '2030',
  };

  it('offers the people found and each of their records', async () => {
    const page = await igAgent.get('/retention/holds?find=Quill%20Chooser');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`value="person:${child}"`);
    expect(page.body).toContain(`value="record:${record}"`);
    expect(page.body).toContain(
      'Child in need and all other children’s records record of Quill Chooser',
    );
    expect(page.body).not.toContain(foreign);
    expect(codesOnPage(page.body)).toEqual([]);
  });

  it('places a hold on the record chosen', async () => {
    const placed = await igAgent.post('/retention/holds', {
      ...hold,
      find: 'Quill Chooser',
      target: `record:${record}`,
    });
    expect(placed.statusCode).toBe(303);
    const row = await database.db
      .selectFrom('retention_hold')
      .select(['scope', 'record_id'])
      .where('record_id', '=', record)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ scope: 'record', record_id: record });
  });

  it('asks for the category, keeping the search and what was typed', async () => {
    const refused = await igAgent.post('/retention/holds', {
      ...hold,
      find: 'Quill Chooser',
      target: 'category',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Select the category');
    expect(refused.body).toContain(`value="person:${child}"`);
    expect(refused.body).toContain('Synthetic litigation hold for the test');
    const nothing = await igAgent.post('/retention/holds', hold);
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('Select what the hold covers');
  });
});
