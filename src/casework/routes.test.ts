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
import { detailListForms, detailSchemas } from './categories.js';
import { CaseworkService } from './service.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let service: CaseworkService;
let worker: CaseworkStaff;
let otherTeamWorker: CaseworkStaff;
let dso: CaseworkStaff;
let maidstoneOfficer: CaseworkStaff;
let ig: CaseworkStaff;

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
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function signedIn(staff: CaseworkStaff): Promise<Agent> {
  const agent = new Agent(app);
  await signInFully(agent, staff);
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
    expect(enquiry.headers.location).toBe(`/records/${id}`);

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

    const after = await agent.get(`/records/${id}`);
    expect(after.body).toContain('Started on: 2026-01-10');
    expect(after.body).toContain('Outcome: concerns-substantiated-conference');
    expect(after.body).toContain('Held on: 2026-01-25');
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
        const listIssues = (value: Record<string, unknown>) =>
          (schema.safeParse({ [list.name]: [value] }).error?.issues ?? []).filter(
            (issue) => issue.path[0] === list.name,
          );
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

describe('every form and page renders', () => {
  it('shows the new-record form for each category the user may create, and lists in the detail', async () => {
    const agent = await signedIn(worker);
    const { categories } = await service.formChoices(worker.context);
    expect(categories.length).toBeGreaterThan(3);
    for (const category of categories) {
      const form = await agent.get(`/records/new?category=${category.slug}`);
      expect(form.statusCode, category.slug).toBe(200);
      expect(form.body).toContain('data-testid="record-form"');
    }
    const child = await createPerson(database.db, 'kent-scs');
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
    expect(page.body).toContain('Conferences');
    expect(page.body).toContain('Held on: 2026-01-15');
    expect((await agent.get(`/records/${id}/edit`)).statusCode).toBe(200);
    expect((await agent.get('/records')).body).toContain(id);

    const designated = await signedIn(dso);
    const concern = await designated.get('/records/new?category=safeguarding-concern');
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
    expect(log.body).toContain('record.read');
    expect((await governance.get('/governance/access-monitoring')).statusCode).toBe(200);

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
