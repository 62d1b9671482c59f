import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
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
import type { CategorySlug } from '../policy/index.js';
import { z } from 'zod';
import {
  detailListForms,
  detailListFormsFor,
  detailObjectForms,
  detailObjectFormsFor,
  detailSchemas,
  formFieldsFor,
} from './categories.js';
import { CaseworkService } from './service.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let service: CaseworkService;
let worker: CaseworkStaff;
let otherTeamWorker: CaseworkStaff;
let dso: CaseworkStaff;
let maidstoneOfficer: CaseworkStaff;
let ig: CaseworkStaff;
let kscmp: CaseworkStaff;
let dpo: CaseworkStaff;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  service = new CaseworkService(database.db);
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  otherTeamWorker = await caseworkStaff(
    database.db,
    'kent-scs',
    ['practitioner'],
    ['children-in-care'],
  );
  dso = await caseworkStaff(database.db, 'maidstone-bc', ['designated-safeguarding-officer']);
  maidstoneOfficer = await caseworkStaff(database.db, 'maidstone-bc', ['practitioner']);
  ig = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
  kscmp = await caseworkStaff(database.db, 'kscmp', ['partnership-business']);
  dpo = await caseworkStaff(database.db, 'kent-scs', ['data-protection-officer']);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const agents = new Map<string, Agent>();

/**
 * One signed-in agent per staff member for the whole file: signing in again
 * would meet the two-factor step set up the first time, and the sign-in
 * rate limit.
 */
async function signedIn(staff: CaseworkStaff): Promise<Agent> {
  const known = agents.get(staff.accountId);
  if (known) return known;
  const agent = new Agent(app);
  await signInFully(agent, staff);
  agents.set(staff.accountId, agent);
  return agent;
}

/** A JSON call with the agent's session and CSRF token, as a browser script would send. */
async function api(agent: Agent, method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) {
  if (!agent.csrfToken) await agent.get('/records/new');
  const cookies = ['safekeep_session', 'safekeep_csrf']
    .map((name) => [name, agent.cookie(name)] as const)
    .filter(([, value]) => value)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
  return app.inject({
    method,
    url,
    headers: {
      cookie: cookies,
      'x-csrf-token': agent.csrfToken,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
}

function dateFields(name: string, iso: string): Record<string, string> {
  const [year, month, day] = iso.split('-');
  return { [`${name}-day`]: day!, [`${name}-month`]: month!, [`${name}-year`]: year! };
}

describe('record pages', () => {
  it('creates a child protection plan from the form, shows it, and adds a note to its timeline', async () => {
    const agent = await signedIn(worker);
    const child = await createPerson(database.db, 'kent-scs', {
      givenName: 'Ada',
      familyName: 'Synthetic',
    });
    const choose = await agent.get(`/records/new?person=${child}`);
    expect(choose.statusCode).toBe(200);
    expect(choose.body).toContain('Child protection plan');
    expect(choose.body).not.toContain('value="adoption"');

    const form = await agent.get(`/records/new?category=child-protection-plan&person=${child}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Category of abuse');

    const invalid = await agent.post('/records/new', {
      category: 'child-protection-plan',
      subjectPersonId: child,
      ...dateFields('openedOn', '2026-01-05'),
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('govuk-error-summary');
    expect(invalid.body).toContain('href="#detail.categoryOfAbuse"');

    const created = await agent.post('/records/new', {
      category: 'child-protection-plan',
      subjectPersonId: child,
      ...dateFields('openedOn', '2026-01-05'),
      'detail.categoryOfAbuse': 'neglect',
    });
    expect(created.statusCode).toBe(303);
    const location = String(created.headers.location);
    expect(location).toMatch(/^\/records\/[0-9a-f-]{36}$/);

    const page = await agent.get(location);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="record-heading"');
    expect(page.body).toContain('Ada Synthetic');
    expect(page.body).toContain('kent-scs/child-protection-plan/birth-plus-40');

    const note = await agent.post(`${location}/notes`, {
      kind: 'visit',
      ...dateFields('occurredOn', '2026-01-06'),
      text: 'Saw the child at home',
    });
    expect(note.statusCode).toBe(303);
    const after = await agent.get(location);
    expect(after.body).toContain('moj-timeline');
    expect(after.body).toContain('Saw the child at home');

    const chronology = await agent.get(`/chronologies/${child}`);
    expect(chronology.statusCode).toBe(200);
    expect(chronology.body).toContain('Saw the child at home');
  });

  it('answers 404 for a record the user may not see, in pages and the API', async () => {
    const person = await createPerson(database.db, 'maidstone-bc');
    const id = await service.create(dso.context, {
      category: 'safeguarding-concern',
      subjectPersonId: person,
      openedOn: '2026-02-01',
      detail: { concernTypes: ['mental-health'] },
    });
    const officer = await signedIn(maidstoneOfficer);
    expect((await officer.get(`/records/${id}`)).statusCode).toBe(404);
    const apiResponse = await api(officer, 'GET', `/api/v1/records/${id}`);
    expect(apiResponse.statusCode).toBe(404);
    expect(apiResponse.json()).toMatchObject({ error: 'not-found' });
    expect((await officer.get(`/records/${id}/history`)).statusCode).toBe(404);
    expect((await officer.get('/records')).body).not.toContain(id);

    const designated = await signedIn(dso);
    expect((await designated.get(`/records/${id}`)).statusCode).toBe(200);
    // Another organisation's staff get the same "not found".
    const kent = await signedIn(worker);
    expect((await kent.get(`/records/${id}`)).statusCode).toBe(404);
  });

  it('asks for a reason before breaking glass, then shows the record with a warning', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const id = await service.create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2026-01-01',
    });
    const agent = await signedIn(otherTeamWorker);
    const asked = await agent.get(`/records/${id}`);
    expect(asked.statusCode).toBe(403);
    expect(asked.body).toContain('data-testid="break-glass-reason"');
    const tooShort = await agent.post(`/records/${id}/break-glass`, { reason: 'x' });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.body).toContain('govuk-error-summary');
    const opened = await agent.post(`/records/${id}/break-glass`, {
      reason: 'Duty cover: police called about the child',
    });
    expect(opened.statusCode).toBe(303);
    const page = await agent.get(`/records/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="break-glass-warning"');
    expect(page.body).not.toContain('data-testid="edit-record"');
  });

  it('refuses a stale edit from the form and keeps the other change', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const id = await service.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2026-01-01',
      detail: { categoryOfAbuse: 'neglect' },
    });
    const agent = await signedIn(worker);
    const edit = await agent.get(`/records/${id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('name="version" value="1"');
    await service.update(worker.context, id, {
      version: 1,
      detail: { categoryOfAbuse: 'sexual-abuse' },
    });
    const stale = await agent.post(`/records/${id}/edit`, {
      version: '1',
      ...dateFields('openedOn', '2026-01-01'),
      'detail.categoryOfAbuse': 'physical-abuse',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('data-testid="conflict"');
    const view = await service.open(worker.context, id);
    expect(view.detail.categoryOfAbuse).toBe('sexual-abuse');

    const fresh = await agent.post(`/records/${id}/edit`, {
      version: '2',
      ...dateFields('openedOn', '2026-01-01'),
      ...dateFields('closedOn', '2026-06-30'),
      'detail.categoryOfAbuse': 'physical-abuse',
    });
    expect(fresh.statusCode).toBe(303);
    const history = await agent.get(`/records/${id}/history`);
    expect(history.body).toContain('detail.categoryOfAbuse');
    expect(history.body).toContain('closedOn');
  });

  it('uploads a document from the page and downloads it as an attachment', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const id = await service.create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2026-01-01',
    });
    const agent = await signedIn(worker);
    await agent.get(`/records/${id}`);
    const boundary = '----safekeep-test';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${agent.csrfToken}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="report.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      Buffer.from('%PDF-1.7 synthetic report'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const cookie = ['safekeep_session', 'safekeep_csrf']
      .map((name) => `${name}=${agent.cookie(name)}`)
      .join('; ');
    const upload = await app.inject({
      method: 'POST',
      url: `/records/${id}/documents`,
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(upload.statusCode).toBe(303);
    const page = await agent.get(`/records/${id}`);
    const link = /href="(\/records\/[^"]+\/documents\/[^"]+)"/.exec(page.body)?.[1];
    expect(link).toBeTruthy();
    const download = await agent.get(link!);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toContain('attachment; filename="report.pdf"');
    expect(download.body).toBe('%PDF-1.7 synthetic report');
  });
});

describe('bad input on the record pages (issue 10 items 10 and 11)', () => {
  it('refuses an upload whose body cannot be read as a form, with a 400 page', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const id = await service.create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2026-01-01',
    });
    const agent = await signedIn(worker);
    await agent.get(`/records/${id}`);
    const cookie = ['safekeep_session', 'safekeep_csrf']
      .map((name) => `${name}=${agent.cookie(name)}`)
      .join('; ');
    for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=""']) {
      const upload = await app.inject({
        method: 'POST',
        url: `/records/${id}/documents`,
        headers: { cookie, 'content-type': contentType },
        payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n\u0000\r\n--x--',
      });
      expect(upload.statusCode, contentType).toBe(400);
      expect(upload.body).toContain('The upload could not be read');
    }
  });

  it('refuses a note dated in the future, or holding a NUL, and keeps what was typed', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const id = await service.create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2026-01-01',
    });
    const agent = await signedIn(worker);
    await agent.get(`/records/${id}`);
    const future = await agent.post(`/records/${id}/notes`, {
      text: 'Home visit with the family',
      kind: 'visit',
      'occurredOn-day': '3',
      'occurredOn-month': '4',
      'occurredOn-year': '2030',
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('Enter a date of the note between 1900 and today');
    expect(future.body).toContain('Home visit with the family');
    const nul = await agent.post(`/records/${id}/notes`, {
      text: 'Home\u0000visit',
      kind: 'visit',
      'occurredOn-day': '3',
      'occurredOn-month': '4',
      'occurredOn-year': '2025',
    });
    expect(nul.statusCode).toBe(400);
    expect(nul.body).toContain('The note contains a hidden character that cannot be saved');
    const notes = await database.db
      .selectFrom('case_note')
      .select('id')
      .where('record_id', '=', id)
      .execute();
    expect(notes).toEqual([]);
  });

  it('refuses a record opened in the future through the API', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const agent = await signedIn(worker);
    await agent.get('/');
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/records',
      headers: agent.apiHeaders(),
      payload: {
        category: 'child-in-need',
        subjectPersonId: child,
        openedOn: '2031-01-01',
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      fieldErrors: [
        {
          field: 'openedOn',
          message: 'Enter a date the record was opened between 1900 and today',
        },
      ],
    });
  });
});

describe('adding to a list in the record detail', () => {
  it('adds a Section 47 enquiry and a conference from the page forms, refusing a missing field and a stale version', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const id = await service.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2026-01-01',
      detail: { categoryOfAbuse: 'neglect' },
    });
    const agent = await signedIn(worker);
    const page = await agent.get(`/records/${id}`);
    expect(page.body).toContain(`href="/records/${id}/details/section47Enquiries/new"`);
    expect(page.body).toContain('Add a Section 47 enquiry');
    expect(page.body).toContain('Add a child protection conference');

    const form = await agent.get(`/records/${id}/details/section47Enquiries/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="version" value="1"');
    expect(form.body).toContain('name="item.startedOn-day"');

    // A missing required field: the error summary, and nothing saved.
    const missing = await agent.post(`/records/${id}/details/section47Enquiries/new`, {
      version: '1',
      'item.outcome': 'other',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('govuk-error-summary');
    expect(missing.body).toContain('href="#item.startedOn-day"');
    expect((await service.open(worker.context, id)).version).toBe(1);

    const enquiry = await agent.post(`/records/${id}/details/section47Enquiries/new`, {
      version: '1',
      ...dateFields('item.startedOn', '2026-01-10'),
      ...dateFields('item.completedOn', '2026-01-20'),
      'item.outcome': 'concerns-substantiated-conference',
    });
    expect(enquiry.statusCode).toBe(303);
    expect(enquiry.headers.location).toBe(`/records/${id}#detail`);

    // A zod refusal from the whole detail is shown against the field.
    const badDecision = await agent.post(`/records/${id}/details/conferences/new`, {
      version: '2',
      'item.kind': 'initial',
      ...dateFields('item.heldOn', '2026-01-25'),
      'item.decision': 'not-a-decision',
    });
    expect(badDecision.statusCode).toBe(400);
    expect(badDecision.body).toContain('href="#item.decision"');

    const conference = await agent.post(`/records/${id}/details/conferences/new`, {
      version: '2',
      'item.kind': 'initial',
      ...dateFields('item.heldOn', '2026-01-25'),
      'item.decision': 'plan-made',
    });
    expect(conference.statusCode).toBe(303);

    // Each item a summary card, its dates and codes in words.
    const after = await agent.get(`/records/${id}`);
    expect(after.body).toContain('data-testid="item-section47Enquiries-0"');
    expect(after.body).toContain('10 January 2026');
    expect(after.body).toContain('Concerns substantiated conference');
    expect(after.body).toContain('25 January 2026');
    const view = await service.open(worker.context, id);
    expect(view.version).toBe(3);
    expect(view.detail.conferences).toEqual([
      { kind: 'initial', heldOn: '2026-01-25', decision: 'plan-made' },
    ]);
    const history = await agent.get(`/records/${id}/history`);
    expect(history.body).toContain('detail.section47Enquiries');
    expect(history.body).toContain('detail.conferences');

    // A form opened on version 2 is refused once the record is at version 3.
    const stale = await agent.post(`/records/${id}/details/conferences/new`, {
      version: '2',
      'item.kind': 'review',
      ...dateFields('item.heldOn', '2026-04-25'),
      'item.decision': 'plan-continued',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('data-testid="conflict"');
    expect((await service.open(worker.context, id)).detail.conferences).toHaveLength(1);

    // A list the category does not have is not found.
    expect((await agent.get(`/records/${id}/details/placements/new`)).statusCode).toBe(404);
  });
});

describe('changing and removing an item of a detail list', () => {
  it('changes a Section 47 enquiry, refusing a bad date and a stale version, with its history', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const id = await service.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2026-01-01',
      detail: {
        categoryOfAbuse: 'neglect',
        section47Enquiries: [{ startedOn: '2026-01-10' }, { startedOn: '2026-02-10' }],
      },
    });
    const agent = await signedIn(worker);
    const page = await agent.get(`/records/${id}`);
    expect(page.body).toContain(`href="/records/${id}/details/section47Enquiries/1/edit"`);
    expect(page.body).toContain(`href="/records/${id}/details/section47Enquiries/1/remove"`);

    const form = await agent.get(`/records/${id}/details/section47Enquiries/1/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Change Section 47 enquiry 2');
    expect(form.body).toContain('name="version" value="1"');
    expect(form.body).toMatch(/name="item\.startedOn-month"[^>]*value="2"/);

    const badDate = await agent.post(`/records/${id}/details/section47Enquiries/1/edit`, {
      version: '1',
      ...dateFields('item.startedOn', '2026-02-30'),
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('govuk-error-summary');
    expect(badDate.body).toContain('href="#item.startedOn-day"');

    const changed = await agent.post(`/records/${id}/details/section47Enquiries/1/edit`, {
      version: '1',
      ...dateFields('item.startedOn', '2026-02-11'),
      ...dateFields('item.completedOn', '2026-03-01'),
      'item.outcome': 'other',
    });
    expect(changed.statusCode).toBe(303);
    const view = await service.open(worker.context, id);
    expect(view.version).toBe(2);
    expect(view.detail.section47Enquiries).toEqual([
      { startedOn: '2026-01-10' },
      { startedOn: '2026-02-11', completedOn: '2026-03-01', outcome: 'other' },
    ]);

    // The same form sent again on version 1: refused, the saved change kept.
    const stale = await agent.post(`/records/${id}/details/section47Enquiries/1/edit`, {
      version: '1',
      ...dateFields('item.startedOn', '2026-02-12'),
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('data-testid="conflict"');
    expect((await service.open(worker.context, id)).detail.section47Enquiries).toEqual(
      view.detail.section47Enquiries,
    );

    const history = await service.history(worker.context, id);
    const change = history.changes.find((c) => c.field === 'detail.section47Enquiries');
    expect(change).toMatchObject({ version: 2 });
    expect(change?.from).toContain('2026-02-10');
    expect(change?.to).toContain('2026-02-11');

    // An item that is not there is not found.
    expect((await agent.get(`/records/${id}/details/section47Enquiries/2/edit`)).statusCode).toBe(
      404,
    );
  });

  it('removes a placement after confirming, refusing a stale confirmation', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const id = await service.create(worker.context, {
      category: 'looked-after',
      subjectPersonId: child,
      openedOn: '2026-01-01',
      detail: {
        placements: [
          { type: 'foster-care', startedOn: '2026-01-01', provider: 'Synthetic Fostering' },
          { type: 'residential', startedOn: '2026-03-01' },
        ],
      },
    });
    const agent = await signedIn(worker);
    const confirm = await agent.get(`/records/${id}/details/placements/0/remove`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Remove placement 1?');
    expect(confirm.body).toContain('Synthetic Fostering');
    expect(confirm.body).toContain('name="version" value="1"');
    // Nothing is removed by looking at the question.
    expect((await service.open(worker.context, id)).version).toBe(1);

    await service.addNote(worker.context, id, {
      kind: 'note',
      occurredOn: '2026-03-02',
      text: 'A note does not change the record version',
    });
    await service.update(worker.context, id, { version: 1, closedOn: '2026-06-01' });
    const stale = await agent.post(`/records/${id}/details/placements/0/remove`, { version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('data-testid="conflict"');
    expect((await service.open(worker.context, id)).detail.placements).toHaveLength(2);

    const removed = await agent.post(`/records/${id}/details/placements/0/remove`, {
      version: '2',
    });
    expect(removed.statusCode).toBe(303);
    const view = await service.open(worker.context, id);
    expect(view.detail.placements).toEqual([{ type: 'residential', startedOn: '2026-03-01' }]);
    const history = await service.history(worker.context, id);
    expect(history.changes.find((c) => c.field === 'detail.placements')?.from).toContain(
      'Synthetic Fostering',
    );
    // A stale page pointing past the end of the shortened list is a conflict, not "not found".
    const pastEnd = await agent.post(`/records/${id}/details/placements/1/remove`, {
      version: '2',
    });
    expect(pastEnd.statusCode).toBe(409);
  });

  it('adds, changes and removes a review’s panel members, a list of plain text', async () => {
    const child = await createPerson(database.db, 'kscmp');
    const id = await service.create(kscmp.context, {
      category: 'practice-review',
      subjectPersonId: child,
      openedOn: '2026-01-01',
      detail: { reviewType: 'rapid-review' },
    });
    const agent = await signedIn(kscmp);
    const empty = await agent.post(`/records/${id}/details/panel/new`, { version: '1' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#item.name"');
    const added = await agent.post(`/records/${id}/details/panel/new`, {
      version: '1',
      'item.name': 'Dr Synthetic Chair',
    });
    expect(added.statusCode).toBe(303);
    await agent.post(`/records/${id}/details/panel/new`, {
      version: '2',
      'item.name': 'Synthetic Police Lead',
    });
    const edited = await agent.post(`/records/${id}/details/panel/0/edit`, {
      version: '3',
      'item.name': 'Dr Synthetic Chairperson',
    });
    expect(edited.statusCode).toBe(303);
    const removed = await agent.post(`/records/${id}/details/panel/1/remove`, { version: '4' });
    expect(removed.statusCode).toBe(303);
    expect((await service.open(kscmp.context, id)).detail.panel).toEqual([
      'Dr Synthetic Chairperson',
    ]);
    const page = await agent.get(`/records/${id}`);
    expect(page.body).toContain('Dr Synthetic Chairperson');
    expect(page.body).toContain(`href="/records/${id}/details/panel/0/edit"`);

    const audit = await service.create(kscmp.context, {
      category: 'audit-qa',
      subjectPersonId: child,
      openedOn: '2026-01-01',
      detail: { theme: 'Synthetic neglect audit' },
    });
    expect((await agent.get(`/records/${audit}`)).body).toContain('Add an agency');
    const agency = await agent.post(`/records/${audit}/details/agencies/new`, {
      version: '1',
      'item.agency': 'Synthetic Health Trust',
    });
    expect(agency.statusCode).toBe(303);
    expect((await service.open(kscmp.context, audit)).detail.agencies).toEqual([
      'Synthetic Health Trust',
    ]);
  });
});

describe('changing an object in the detail', () => {
  it('records a care leaver’s education, employment and accommodation, then changes the accommodation', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2007-05-05' });
    const id = await service.create(worker.context, {
      category: 'looked-after',
      subjectPersonId: child,
      openedOn: '2025-01-01',
    });
    const agent = await signedIn(worker);
    const page = await agent.get(`/records/${id}`);
    expect(page.body).toContain('data-testid="detail-careLeaver"');
    expect(page.body).toContain(`href="/records/${id}/details/careLeaver/edit"`);

    const missing = await agent.post(`/records/${id}/details/careLeaver/edit`, {
      version: '1',
      'item.education': 'further-education',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#item.employment"');
    expect(missing.body).toContain('href="#item.accommodation"');
    // What was typed is kept.
    expect(missing.body).toMatch(/value="further-education" selected/);

    const unknown = await agent.post(`/records/${id}/details/careLeaver/edit`, {
      version: '1',
      'item.education': 'college',
      'item.employment': 'part-time',
      'item.accommodation': 'independent',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('href="#item.education"');

    const saved = await agent.post(`/records/${id}/details/careLeaver/edit`, {
      version: '1',
      'item.education': 'further-education',
      'item.employment': 'part-time',
      'item.accommodation': 'supported-lodgings',
      ...dateFields('item.pathwayPlanReviewedOn', '2025-06-01'),
    });
    expect(saved.statusCode).toBe(303);
    const form = await agent.get(`/records/${id}/details/careLeaver/edit`);
    expect(form.body).toMatch(/value="supported-lodgings" selected/);
    const moved = await agent.post(`/records/${id}/details/careLeaver/edit`, {
      version: '2',
      'item.education': 'further-education',
      'item.employment': 'part-time',
      'item.accommodation': 'independent',
    });
    expect(moved.statusCode).toBe(303);
    const view = await service.open(worker.context, id);
    // Left empty, the optional review date is cleared: the page changes the object as a whole.
    expect(view.detail.careLeaver).toEqual({
      education: 'further-education',
      employment: 'part-time',
      accommodation: 'independent',
    });
    const stale = await agent.post(`/records/${id}/details/careLeaver/edit`, {
      version: '2',
      'item.education': 'none',
      'item.employment': 'not-employed',
      'item.accommodation': 'custody',
    });
    expect(stale.statusCode).toBe(409);
    expect((await service.open(worker.context, id)).detail.careLeaver).toEqual(
      view.detail.careLeaver,
    );
    const after = await agent.get(`/records/${id}`);
    expect(after.body).toContain('Independent');
    const history = await service.history(worker.context, id);
    expect(history.changes.filter((c) => c.field === 'detail.careLeaver')).toHaveLength(2);
  });

  it('records the national panel notification decision of a rapid review', async () => {
    const child = await createPerson(database.db, 'kscmp');
    const id = await service.create(kscmp.context, {
      category: 'practice-review',
      subjectPersonId: child,
      openedOn: '2026-01-01',
      detail: { reviewType: 'rapid-review' },
    });
    const agent = await signedIn(kscmp);
    const form = await agent.get(`/records/${id}/details/nationalPanelNotification/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Record the national panel notification decision');
    // The schema's default until someone decides.
    expect(form.body).toMatch(/value="pending" selected/);
    const badDate = await agent.post(`/records/${id}/details/nationalPanelNotification/edit`, {
      version: '1',
      'item.decision': 'notified',
      ...dateFields('item.decidedOn', '2026-13-01'),
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('href="#item.decidedOn-day"');
    const saved = await agent.post(`/records/${id}/details/nationalPanelNotification/edit`, {
      version: '1',
      'item.decision': 'notified',
      ...dateFields('item.decidedOn', '2026-01-04'),
    });
    expect(saved.statusCode).toBe(303);
    expect((await service.open(kscmp.context, id)).detail.nationalPanelNotification).toEqual({
      decision: 'notified',
      decidedOn: '2026-01-04',
    });
    const chronology = await service.chronology(kscmp.context, child);
    expect(chronology.entries.map((e) => e.text)).toContain(
      'National panel notification: Notified',
    );
    // An object the category does not have is not found.
    expect((await agent.get(`/records/${id}/details/careLeaver/edit`)).statusCode).toBe(404);
  });
});

describe('who may change the detail', () => {
  it('answers "not found" to those who may not see the record, and refuses readers', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const id = await service.create(worker.context, {
      category: 'looked-after',
      subjectPersonId: child,
      openedOn: '2026-01-01',
      detail: { placements: [{ type: 'foster-care', startedOn: '2026-01-01' }] },
    });
    const pages = [
      `/records/${id}/details/placements/new`,
      `/records/${id}/details/placements/0/edit`,
      `/records/${id}/details/placements/0/remove`,
      `/records/${id}/details/careLeaver/edit`,
    ];
    const posts: [string, Record<string, string>][] = [
      [
        pages[0]!,
        { version: '1', 'item.type': 'secure', ...dateFields('item.startedOn', '2026-02-01') },
      ],
      [
        pages[1]!,
        { version: '1', 'item.type': 'secure', ...dateFields('item.startedOn', '2026-02-01') },
      ],
      [pages[2]!, { version: '1' }],
      [
        pages[3]!,
        {
          version: '1',
          'item.education': 'none',
          'item.employment': 'not-employed',
          'item.accommodation': 'custody',
        },
      ],
    ];
    // Another organisation's staff, and staff of this one with no rule for the category.
    for (const outsider of [dso, dpo]) {
      const agent = await signedIn(outsider);
      await agent.get('/');
      for (const url of pages) expect((await agent.get(url)).statusCode, url).toBe(404);
      for (const [url, form] of posts)
        expect((await agent.post(url, form)).statusCode, url).toBe(404);
    }
    // Information governance may read the record but not change it.
    const governance = await signedIn(ig);
    for (const url of pages) {
      const response = await governance.get(url);
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location).toBe(`/records/${id}`);
    }
    for (const [url, form] of posts)
      expect((await governance.post(url, form)).statusCode, url).toBe(403);
    const page = await governance.get(`/records/${id}`);
    expect(page.body).not.toContain(`/details/placements/0/edit`);
    expect(page.body).not.toContain('data-testid="add-placements"');

    const view = await service.open(worker.context, id);
    expect(view.version).toBe(1);
    expect(view.detail.placements).toEqual([{ type: 'foster-care', startedOn: '2026-01-01' }]);
  });
});

describe('the detail list forms', () => {
  it('describe items the zod schemas accept, and leave out a required field only when the schema needs it', () => {
    for (const [category, lists] of Object.entries(detailListForms)) {
      const schema = detailSchemas[category as CategorySlug];
      for (const list of lists) {
        const sample = (kind: string, options?: readonly string[]) =>
          kind === 'date' ? '2026-01-01' : kind === 'select' ? options?.[0] : 'Synthetic';
        const item = Object.fromEntries(
          list.fields.map((f) => [f.name, sample(f.kind, f.options)]),
        );
        const listIssues = (value: unknown) =>
          (schema.safeParse({ [list.name]: [value] }).error?.issues ?? []).filter(
            (issue) => issue.path[0] === list.name,
          );
        if (list.items === 'text') {
          // A list of plain text: the one field is the item, and it is required.
          expect(
            list.fields.map((f) => f.required),
            `${category} ${list.name}`,
          ).toEqual([true]);
          expect(listIssues('Synthetic'), `${category} ${list.name}`).toEqual([]);
          expect(listIssues(''), `${category} ${list.name}`).not.toEqual([]);
          continue;
        }
        expect(listIssues(item), `${category} ${list.name}`).toEqual([]);
        for (const field of list.fields) {
          const without = Object.fromEntries(
            Object.entries(item).filter(([name]) => name !== field.name),
          );
          expect(listIssues(without).length > 0, `${category} ${list.name}.${field.name}`).toBe(
            field.required === true,
          );
        }
      }
    }
  });
});

describe('every list and object in the detail has a page form', () => {
  /** What a detail field holds, seen through its default and optional wrappers. */
  function shapeOf(type: z.ZodType): 'array' | 'object' | 'scalar' {
    let inner: z.ZodType = type;
    while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) {
      inner = inner.unwrap() as z.ZodType;
    }
    if (inner instanceof z.ZodArray) return 'array';
    return inner instanceof z.ZodObject ? 'object' : 'scalar';
  }

  it('so that nothing in a record is left to the API alone', () => {
    for (const [category, schema] of Object.entries(detailSchemas)) {
      const slug = category as CategorySlug;
      const shape = (schema as z.ZodObject).shape as Record<string, z.ZodType>;
      const lists = detailListFormsFor(slug).map((l) => l.name);
      const objects = detailObjectFormsFor(slug).map((o) => o.name);
      const checkboxes = formFieldsFor(slug)
        .filter((f) => f.kind === 'checkboxes')
        .map((f) => f.name);
      for (const [name, type] of Object.entries(shape)) {
        const kind = shapeOf(type);
        if (kind === 'array') expect([...lists, ...checkboxes], `${slug}.${name}`).toContain(name);
        if (kind === 'object') expect(objects, `${slug}.${name}`).toContain(name);
      }
    }
  });

  it('describes objects the zod schemas accept, with the required fields the schema requires', () => {
    for (const [category, parts] of Object.entries(detailObjectForms)) {
      const schema = detailSchemas[category as CategorySlug];
      for (const part of parts) {
        const value = Object.fromEntries(
          part.fields.map((f) => [f.name, f.kind === 'date' ? '2026-01-01' : f.options?.[0]]),
        );
        const issues = (object: Record<string, unknown>) =>
          (schema.safeParse({ [part.name]: object }).error?.issues ?? []).filter(
            (issue) => issue.path[0] === part.name,
          );
        expect(issues(value), `${category} ${part.name}`).toEqual([]);
        for (const field of part.fields) {
          const without = Object.fromEntries(
            Object.entries(value).filter(([name]) => name !== field.name),
          );
          expect(issues(without).length > 0, `${category} ${part.name}.${field.name}`).toBe(
            field.required === true,
          );
        }
      }
    }
  });
});

describe('every form and page renders', () => {
  it('shows the new-record form for each category the user may create, and lists in the detail', async () => {
    const agent = await signedIn(worker);
    const { categories } = await service.formChoices(worker.context);
    expect(categories.length).toBeGreaterThan(3);
    // The person first (issue 13 item 4): without one, the page asks who the record is about.
    const child = await createPerson(database.db, 'kent-scs');
    const asks = await agent.get(`/records/new?category=child-in-need`);
    expect(asks.body).toContain('Who is the record about?');
    expect(asks.body).not.toContain('data-testid="record-form"');
    for (const category of categories) {
      const form = await agent.get(`/records/new?category=${category.slug}&person=${child}`);
      expect(form.statusCode, category.slug).toBe(200);
      expect(form.body).toContain('data-testid="record-form"');
    }
    const id = await service.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2026-01-01',
      detail: {
        categoryOfAbuse: 'neglect',
        conferences: [{ kind: 'initial', heldOn: '2026-01-15', decision: 'plan-made' }],
      },
    });
    const page = await agent.get(`/records/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Child protection conferences');
    expect(page.body).toContain('15 January 2026');
    expect((await agent.get(`/records/${id}/edit`)).statusCode).toBe(200);
    expect((await agent.get('/records')).body).toContain(id);

    const designated = await signedIn(dso);
    const concerned = await createPerson(database.db, 'maidstone-bc');
    const concern = await designated.get(
      `/records/new?category=safeguarding-concern&person=${concerned}`,
    );
    expect(concern.statusCode).toBe(200);
    expect(concern.body).toContain('Domestic abuse');
  });
});

describe('the records API', () => {
  it('creates, reads and edits with optimistic locking, and is in the OpenAPI description', async () => {
    const agent = await signedIn(worker);
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2012-02-29' });
    const created = await api(agent, 'POST', '/api/v1/records', {
      category: 'looked-after',
      subjectPersonId: child,
      openedOn: '2025-09-01',
      detail: { placements: [{ type: 'foster-care', startedOn: '2025-09-01' }] },
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    const read = await api(agent, 'GET', `/api/v1/records/${id}`);
    expect(read.statusCode).toBe(200);
    // 29 February + 75 years falls in a common year: 1 March (decision 0002).
    expect(read.json()).toMatchObject({
      category: 'looked-after',
      version: 1,
      retention: { due: '2087-03-01', action: 'destroy' },
    });
    const edited = await api(agent, 'PATCH', `/api/v1/records/${id}`, {
      version: 1,
      closedOn: '2026-01-01',
    });
    expect(edited.json()).toEqual({ id, version: 2 });
    const stale = await api(agent, 'PATCH', `/api/v1/records/${id}`, {
      version: 1,
      closedOn: '2026-02-01',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'conflict' });

    const wrongCategory = await api(agent, 'POST', '/api/v1/records', {
      category: 'safeguarding-concern',
      subjectPersonId: child,
      openedOn: '2025-09-01',
    });
    expect(wrongCategory.statusCode).toBe(400);
    expect(wrongCategory.json()).toMatchObject({ fieldErrors: [{ field: 'category' }] });

    const docs = await app.inject('/api/docs/json');
    expect(Object.keys(docs.json<{ paths: Record<string, unknown> }>().paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/records',
        '/api/v1/records/{id}',
        '/api/v1/chronologies/{personId}',
      ]),
    );
  });
});

describe('governance pages', () => {
  it('shows who has seen a record and the access monitoring list to information governance only', async () => {
    const child = await createPerson(database.db, 'kent-scs');
    const id = await service.create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2026-01-01',
    });
    await service.open(worker.context, id);
    const governance = await signedIn(ig);
    const log = await governance.get(`/records/${id}/access-log`);
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain('data-testid="access-log-table"');
    // In words, not audit codes.
    expect(log.body).toContain('Opened the record');
    expect(log.body).not.toContain('record.read');
    const monitoring = await governance.get('/governance/access-monitoring');
    expect(monitoring.statusCode).toBe(200);
    // Words, not codes: no record id as link text, no ISO date or time.
    expect(monitoring.body).not.toContain(`>${id}<`);
    expect(log.body + monitoring.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);

    const practitioner = await signedIn(worker);
    expect((await practitioner.get(`/records/${id}/access-log`)).statusCode).toBe(404);
    expect((await practitioner.get('/governance/access-monitoring')).statusCode).toBe(404);
  });
});

describe('starting a record from a person', () => {
  /** A kent-scs child known only through an adoption record, sealed to the adoption team. */
  async function hiddenChild(): Promise<string> {
    const child = await createPerson(database.db, 'kent-scs', {
      givenName: 'Sealed',
      familyName: 'Adoptee',
    });
    await service.create(
      (await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['adoption'])).context,
      {
        category: 'adoption',
        subjectPersonId: child,
        openedOn: '2024-01-01',
      },
    );
    return child;
  }

  it('fills in who the record is about, by name, from ?person=', async () => {
    const agent = await signedIn(worker);
    const child = await createPerson(database.db, 'kent-scs', {
      givenName: 'Prefilled',
      familyName: 'Subject',
      dateOfBirth: '2017-04-09',
    });
    const choose = await agent.get(`/records/new?person=${child}`);
    expect(choose.body).toContain('For Prefilled Subject, born 9 April 2017');
    expect(choose.body).toContain(`name="person" value="${child}"`);
    const form = await agent.get(`/records/new?category=child-in-need&person=${child}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('data-testid="subject-summary"');
    expect(form.body).toContain('Prefilled Subject, born 9 April 2017');
    expect(form.body).toContain(`name="subjectPersonId" value="${child}"`);
    // A form sent back with an error still names who it is about.
    const invalid = await agent.post('/records/new', {
      category: 'child-in-need',
      subjectPersonId: child,
      ...dateFields('openedOn', '2026-02-30'),
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Prefilled Subject, born 9 April 2017');
  });

  it('refuses a record, or a part in one, for a person the user may not see, exactly as for no person at all', async () => {
    const child = await hiddenChild();
    const nobody = randomUUID();
    const agent = await signedIn(worker);
    const attempt = (subjectPersonId: string) =>
      agent.post('/records/new', {
        category: 'child-in-need',
        subjectPersonId,
        ...dateFields('openedOn', '2026-03-01'),
      });
    const hidden = await attempt(child);
    const missing = await attempt(nobody);
    expect(hidden.statusCode).toBe(400);
    expect(missing.statusCode).toBe(400);
    const summary = (body: string) => /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(body)?.[1];
    expect(summary(hidden.body)).toContain('No person found with that reference');
    expect(summary(hidden.body)).toBe(summary(missing.body));
    expect(hidden.body).not.toContain('Adoptee');

    const viaApi = (subjectPersonId: string) =>
      api(agent, 'POST', '/api/v1/records', {
        category: 'child-in-need',
        subjectPersonId,
        openedOn: '2026-03-01',
      });
    const [hiddenApi, missingApi] = [await viaApi(child), await viaApi(nobody)];
    expect(hiddenApi.statusCode).toBe(400);
    expect(hiddenApi.json()).toEqual(missingApi.json());

    // Adding them to a record the user holds would open them too.
    const own = await service.create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: await createPerson(database.db, 'kent-scs'),
      openedOn: '2026-03-01',
    });
    const party = await agent.post(`/records/${own}/parties`, { personId: child, role: 'sibling' });
    expect(party.statusCode).toBe(400);
    expect(party.body).toContain('No person found with that reference');

    const records = await database.db
      .selectFrom('record_party')
      .select('record_id')
      .where('person_id', '=', child)
      .execute();
    expect(records).toHaveLength(1);
  });

  it('lets the team that holds a child open a record for another team’s worker, which then opens the child to them', async () => {
    const carer = await createPerson(database.db, 'kent-scs', { familyName: 'Heldelsewhere' });
    await service.create(otherTeamWorker.context, {
      category: 'looked-after',
      subjectPersonId: carer,
      openedOn: '2025-01-01',
    });
    const agent = await signedIn(worker);
    const refused = await agent.post('/records/new', {
      category: 'child-in-need',
      subjectPersonId: carer,
      ...dateFields('openedOn', '2026-03-01'),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('No person found with that reference');

    const manager = await caseworkStaff(
      database.db,
      'kent-scs',
      ['team-manager'],
      ['children-in-care'],
    );
    const id = await service.create(manager.context, {
      category: 'child-in-need',
      subjectPersonId: carer,
      openedOn: '2026-03-01',
      allocatedAccountId: worker.accountId,
    });
    expect((await agent.get(`/records/${id}`)).statusCode).toBe(200);
    expect((await agent.get(`/people/${carer}`)).statusCode).toBe(200);
    const another = await agent.post('/records/new', {
      category: 'child-in-need',
      subjectPersonId: carer,
      ...dateFields('openedOn', '2026-03-02'),
    });
    expect(another.statusCode).toBe(303);
  });

  it('treats a person the user may not see as not given: their name is never shown', async () => {
    const child = await hiddenChild();
    const agent = await signedIn(worker);
    for (const url of [
      `/records/new?person=${child}`,
      `/records/new?category=child-in-need&person=${child}`,
    ]) {
      const page = await agent.get(url);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain(child);
      expect(page.body).not.toContain('Adoptee');
    }
    // Sent back with an error, the form still names nobody the user may not see.
    const invalid = await agent.post('/records/new', {
      category: 'child-in-need',
      subjectPersonId: child,
      ...dateFields('openedOn', '2026-02-30'),
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).not.toContain('Adoptee');
    expect(invalid.body).not.toContain('data-testid="subject-summary"');
  });
});
