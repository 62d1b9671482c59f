import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp, testConfig } from '../../../test/support/app.js';
import { caseworkStaff, signInFully } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let ig: Agent;
let ladoIg: Agent;
let practitioner: Agent;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  const db = database.db;
  ig = new Agent(app);
  await signInFully(ig, await caseworkStaff(db, 'kent-scs', ['information-governance']));
  ladoIg = new Agent(app);
  await signInFully(ladoIg, await caseworkStaff(db, 'kent-lado', ['information-governance']));
  practitioner = new Agent(app);
  await signInFully(practitioner, await caseworkStaff(db, 'kent-scs', ['practitioner']));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const count = async () =>
  Number(
    (
      await database.db
        .selectFrom('complaint')
        .select(database.db.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const publicForm = {
  fullName: 'Synthetic Complainant',
  email: 'complainant@synthetic.example',
  postalAddress: '',
  phone: '',
  about: 'You shared my report with my neighbour.',
  theirReference: '',
  onBehalf: 'no',
  onBehalfName: '',
  onBehalfRelationship: '',
};

describe('the public complaint form', () => {
  it('is at /privacy/{organisation}/complain without signing in; an unknown organisation is not found', async () => {
    const visitor = new Agent(app);
    const page = await visitor.get('/privacy/kent-scs/complain');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Complain about how we use personal information');
    expect(page.body).toContain('Kent County Council');
    const missing = await visitor.get('/privacy/nowhere-council/complain');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Page not found');
    expect((await visitor.get('/privacy/%00/complain')).statusCode).toBe(404);
  });

  it('refuses bad input in plain words, keeping what was typed and saving nothing', async () => {
    const visitor = new Agent(app);
    await visitor.get('/privacy/kent-scs/complain');
    const before = await count();
    const refused = await visitor.post('/privacy/kent-scs/complain', {
      ...publicForm,
      fullName: 'Synthetic <b>Person</b>',
      email: '',
      onBehalf: 'yes',
      about: 'Line one\nline two',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(
      'Enter at least one way to contact you: an email address, a postal address or a phone number',
    );
    expect(refused.body).toContain('Enter the name of the person you are complaining for');
    expect(refused.body).toContain('value="Synthetic &lt;b&gt;Person&lt;/b&gt;"');
    expect(refused.body).toContain('Line one\nline two</textarea>');
    const bad = await visitor.post('/privacy/kent-scs/complain', {
      ...publicForm,
      email: 'not an address',
      phone: 'call me',
      fullName: 'a\u0000b',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter an email address in the correct format');
    expect(bad.body).toContain('Enter a phone number, like 01632 960 001');
    expect(bad.body).toContain('hidden character');
    expect(await count()).toBe(before);
  });

  it('needs the page’s CSRF token', async () => {
    const visitor = new Agent(app);
    const before = await count();
    const forged = await visitor.post('/privacy/kent-scs/complain', publicForm, false);
    expect(forged.statusCode).toBe(403);
    expect(await count()).toBe(before);
  });

  it('sends a complaint and shows its reference in words, and the day it will be acknowledged by', async () => {
    const visitor = new Agent(app);
    await visitor.get('/privacy/kent-scs/complain');
    const sent = await visitor.post('/privacy/kent-scs/complain', publicForm);
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/privacy/kent-scs/complain/sent');
    const done = await visitor.get('/privacy/kent-scs/complain/sent');
    expect(done.statusCode).toBe(200);
    const reference = /data-testid="complaint-reference">([^<]+)</.exec(done.body)?.[1];
    expect(reference).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
    expect(done.body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\d{4}-\d{2}-\d{2}/);
    // Without the cookie the page says nothing about any complaint.
    const other = await new Agent(app).get('/privacy/kent-scs/complain/sent');
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain(reference!);
  });
});

describe('the complaints pages for information governance', () => {
  it('lists complaints, and everyone else gets the same “not found” as a complaint that does not exist', async () => {
    const list = await ig.get('/governance/complaints');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Synthetic Complainant');
    expect(list.body).toMatch(/Acknowledge by \d{1,2} [A-Z][a-z]+ \d{4}/);
    const id = /href="\/governance\/complaints\/([0-9a-f-]{36})"/.exec(list.body)![1]!;

    const pages = [`/governance/complaints/${id}`, `/governance/complaints/${id}/letter`];
    for (const agent of [practitioner, ladoIg]) {
      for (const url of pages) {
        const foreign = await agent.get(url);
        const missing = await agent.get(url.replace(id, randomUUID()));
        expect(foreign.statusCode).toBe(404);
        expect(foreign.body.replace(/nonce="[^"]*"|value="[^"]*"/g, '')).toBe(
          missing.body.replace(/nonce="[^"]*"|value="[^"]*"/g, ''),
        );
      }
    }
    expect((await practitioner.get('/governance/complaints')).statusCode).toBe(404);
    expect((await practitioner.get('/governance/complaints/new')).statusCode).toBe(404);
    expect((await practitioner.get('/governance/complaints/counts')).statusCode).toBe(404);
    expect((await ladoIg.get('/governance/complaints')).body).not.toContain(
      'Synthetic Complainant',
    );
    const post = await ladoIg.post(`/governance/complaints/${id}/notes`, { noteBody: 'Peek' });
    expect(post.statusCode).toBe(404);
  });

  it('finds a complaint by the reference a caller reads out, in any case and spacing', async () => {
    const complaint = await database.db
      .selectFrom('complaint')
      .select(['id', 'reference'])
      .executeTakeFirstOrThrow();
    const spoken = complaint.reference.replace(/-/g, '  ').toUpperCase();
    const found = await ig.get(`/governance/complaints?reference=${encodeURIComponent(spoken)}`);
    expect(found.statusCode).toBe(303);
    expect(found.headers.location).toBe(`/governance/complaints/${complaint.id}`);
    const none = await ig.get('/governance/complaints?reference=Nothing+Here+10');
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('No complaint has that reference');
    expect(none.body).toContain('value="Nothing Here 10"');
    const bad = await ig.get('/governance/complaints?reference=%00');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('like Amber Heron 47');
    // Another organisation's officer cannot find it by reference either.
    const lado = await ladoIg.get(`/governance/complaints?reference=${encodeURIComponent(spoken)}`);
    expect(lado.statusCode).toBe(400);
  });

  it('rate-limits the public form per client address, as sign-in is', async () => {
    const limited = await testApp(database, {
      config: testConfig({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '2' }),
    });
    try {
      const visitor = new Agent(limited, { remoteAddress: '203.0.113.9' });
      await visitor.get('/privacy/kent-scs/complain');
      const answers = [];
      for (let i = 0; i < 3; i++) {
        answers.push(
          (await visitor.post('/privacy/kent-scs/complain', { fullName: '' })).statusCode,
        );
      }
      expect(answers).toEqual([400, 400, 429]);
    } finally {
      await limited.close();
    }
  });

  it('records a caller’s complaint, keeping what was typed when refused', async () => {
    await ig.get('/governance/complaints/new');
    const before = await count();
    const refused = await ig.post('/governance/complaints/new', {
      ...publicForm,
      fullName: '',
      channel: '',
      'receivedOn-day': '31',
      'receivedOn-month': '2',
      'receivedOn-year': '2026',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Enter their name');
    expect(refused.body).toContain('Select how the complaint arrived');
    expect(refused.body).toContain('must be a real date');
    expect(refused.body).toContain('You shared my report with my neighbour.');
    expect(await count()).toBe(before);
    const saved = await ig.post('/governance/complaints/new', {
      ...publicForm,
      fullName: 'Synthetic Caller',
      email: '',
      phone: '01632 960 001',
      channel: 'phone',
      'receivedOn-day': '2',
      'receivedOn-month': '3',
      'receivedOn-year': '2026',
    });
    expect(saved.statusCode).toBe(303);
    const page = await ig.get(saved.headers.location as string);
    expect(page.body).toContain('Synthetic Caller');
    expect(page.body).toContain(
      'The 30 days to acknowledge count that day as the first, so the last day is 31 March 2026',
    );
  });

  it('acknowledges, notes, updates, records the outcome and shows the letter', async () => {
    await ig.get('/governance/complaints/new');
    const saved = await ig.post('/governance/complaints/new', {
      ...publicForm,
      fullName: 'Synthetic Writer',
      postalAddress: '2 Synthetic Road\nCanterbury',
      channel: 'letter',
      'receivedOn-day': '2',
      'receivedOn-month': '3',
      'receivedOn-year': '2026',
    });
    const url = saved.headers.location as string;
    await ig.get(url);
    const date = (name: string, d: string, m: string, y: string) => ({
      [`${name}-day`]: d,
      [`${name}-month`]: m,
      [`${name}-year`]: y,
    });
    const early = await ig.post(`${url}/acknowledge`, {
      version: '1',
      ackVia: 'letter',
      ...date('ackOn', '1', '3', '2026'),
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain(
      'must be on or after the day the complaint was received, 2 March 2026',
    );
    const ack = await ig.post(`${url}/acknowledge`, {
      version: '1',
      ackVia: 'letter',
      ...date('ackOn', '4', '3', '2026'),
    });
    expect(ack.statusCode).toBe(303);
    const stale = await ig.post(`${url}/outcome`, {
      version: '1',
      outcome: 'upheld',
      findings: 'Found',
      ...date('closedOn', '5', '3', '2026'),
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this complaint');
    expect((await ig.post(`${url}/notes`, { noteBody: '' })).statusCode).toBe(400);
    expect((await ig.post(`${url}/notes`, { noteBody: 'Checked the post log.' })).statusCode).toBe(
      303,
    );
    const update = await ig.post(`${url}/updates`, {
      updateVia: 'email',
      updateBody: 'Still looking.',
      ...date('updateOn', '5', '3', '2026'),
    });
    expect(update.statusCode).toBe(303);
    const link = await ig.post(`${url}/links`, { rightsRequestId: randomUUID() });
    expect(link.statusCode).toBe(400);
    expect(link.body).toContain('Select a rights request from the list');
    const outcome = await ig.post(`${url}/outcome`, {
      version: '2',
      outcome: 'not-upheld',
      findings: 'We checked and the letter went to the address you gave us.',
      actions: '',
      ...date('closedOn', '6', '3', '2026'),
    });
    expect(outcome.statusCode).toBe(303);
    const page = await ig.get(url);
    expect(page.body).toContain('Checked the post log.');
    expect(page.body).toContain('Update sent by email on 5 March 2026');
    const letter = await ig.get(`${url}/letter`);
    expect(letter.statusCode).toBe(200);
    expect(letter.body).toContain('2 Synthetic Road<br>Canterbury');
    expect(letter.body).toContain('We have not upheld your complaint.');
    expect(letter.body).toContain('Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF');
    expect(letter.body).toContain('0303 123 1113');
    expect(letter.body).toContain('ico.org.uk/make-a-complaint');
  });

  it('shows counts per period with a CSV, and refuses a period that is not one', async () => {
    const counts = await ig.get('/governance/complaints/counts?period=2026-03');
    expect(counts.statusCode).toBe(200);
    expect(counts.body).toContain('March 2026');
    const csv = await ig.get('/governance/complaints/counts.csv?period=2026-03');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('"Closed: not upheld",1');
    const bad = await ig.get('/governance/complaints/counts?period=2026-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select a period from the list');
    expect((await ig.get('/governance/complaints/counts.csv?period=x')).statusCode).toBe(400);
  });

  it('reminds information governance on the home page', async () => {
    const home = await ig.get('/');
    expect(home.body).toContain('data-testid="complaints-link"');
    const practitionerHome = await practitioner.get('/');
    expect(practitionerHome.body).not.toContain('complaint');
  });
});
