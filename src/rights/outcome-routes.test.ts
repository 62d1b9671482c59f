import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import {
  caseworkStaff,
  createPerson,
  sessionApiHeaders,
  signInFully,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';

let database: DatabaseHandle;
let app: FastifyInstance;
/** An information governance officer's session: a service account may not hold the role. */
let igSession: Record<string, string>;
let worker: CaseworkStaff;
let casework: CaseworkService;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  igSession = await sessionApiHeaders(
    app,
    await caseworkStaff(database.db, 'kent-scs', ['information-governance']),
  );
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  casework = new CaseworkService(database.db);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

/** A child with a plan and one note, and a rectification request with the child confirmed. */
async function rectificationOfNewChild() {
  const child = await createPerson(database.db, 'kent-scs', {
    givenName: 'Quentin',
    familyName: 'Corrigan',
    dateOfBirth: '2013-06-01',
  });
  const recordId = await casework.create(worker.context, {
    category: 'child-protection-plan',
    subjectPersonId: child,
    openedOn: '2025-01-10',
    detail: { categoryOfAbuse: 'neglect' },
  });
  const noteId = await casework.addNote(worker.context, recordId, {
    occurredOn: '2025-02-01',
    kind: 'visit',
    text: 'The worker thought the home was chaotic.',
  });
  const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: igSession, ...(payload ? { payload } : {}) });
  const created = await api('POST', '/api/v1/rights/requests', {
    type: 'rectification',
    receivedOn: '2025-09-03',
    channel: 'letter',
    description: 'My date of birth is wrong, and I dispute what the worker wrote.',
    requesterRole: 'self',
    requesterName: 'Synthetic Requester',
    requesterContact: '1 Test Street',
    identityCheck: 'photo-id-seen',
    subject: { givenName: 'Quentin', familyName: 'Corrigan' },
  });
  const { id } = created.json<{ id: string }>();
  expect(
    (await api('POST', `/api/v1/rights/requests/${id}/transitions`, { to: 'in-progress' }))
      .statusCode,
  ).toBe(200);
  expect(
    (await api('POST', `/api/v1/rights/requests/${id}/subject`, { personId: child })).statusCode,
  ).toBeLessThan(300);
  return { id, child, recordId, noteId, api };
}

describe('API: carrying out a rectification', () => {
  it('corrects the person, annotates a note, and says so on the request', async () => {
    const { id, child, noteId, recordId, api } = await rectificationOfNewChild();
    const person = await database.db
      .selectFrom('person')
      .select('version')
      .where('id', '=', child)
      .executeTakeFirstOrThrow();
    const corrected = await api('POST', `/api/v1/rights/requests/${id}/rectification/person`, {
      version: person.version,
      dateOfBirth: '2013-06-02',
    });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toEqual({ version: person.version + 1 });

    const bad = await api('POST', `/api/v1/rights/requests/${id}/annotations`, {
      kind: 'gossip',
      recordId,
      text: '',
    });
    expect(bad.statusCode).toBe(400);
    const annotated = await api('POST', `/api/v1/rights/requests/${id}/annotations`, {
      kind: 'disputed-opinion',
      recordId,
      noteId,
      text: 'The family says the home was tidy that day.',
    });
    expect(annotated.statusCode).toBe(201);

    const detail = (await api('GET', `/api/v1/rights/requests/${id}`)).json<{
      annotations: { noteId: string }[];
      recipients: unknown[];
      events: { kind: string }[];
    }>();
    expect(detail.annotations.map((a) => a.noteId)).toEqual([noteId]);
    expect(detail.recipients).toEqual([]);
    expect(detail.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['rectified-person', 'annotated-disputed-opinion']),
    );

    // An erasure is carried out only on an erasure request.
    const wrong = await api('POST', `/api/v1/rights/requests/${id}/erasure`, { items: [] });
    expect(wrong.statusCode).toBe(409);
  });

  it('describes the new calls in OpenAPI', async () => {
    const docs = (await app.inject('/api/docs/json')).json<{ paths: Record<string, unknown> }>();
    for (const path of ['erasure', 'rectification/person', 'annotations', 'recipient-notices']) {
      expect(docs.paths).toHaveProperty([`/api/v1/rights/requests/{id}/${path}`]);
    }
  });
});

describe('pages: rectification on the request page, annotation on the record page', () => {
  it('shows errors in a summary, then attaches the statement where the record is shown', async () => {
    const { id, recordId, noteId } = await rectificationOfNewChild();
    const ig = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
    const agent = new Agent(app);
    await signInFully(agent, ig);
    const page = await agent.get(`/rights/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="rectify-person-form"');
    expect(page.body).toContain(`value="${recordId}:${noteId}"`);

    const missing = await agent.post(`/rights/${id}/annotations`, {
      target: `${recordId}:${noteId}`,
      kind: 'disputed-opinion',
      text: '',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('There is a problem');
    expect(missing.body).toContain('Enter what the person disputes, or their statement');

    const saved = await agent.post(`/rights/${id}/annotations`, {
      target: `${recordId}:${noteId}`,
      kind: 'disputed-opinion',
      text: 'The family says the home was tidy that day.',
    });
    expect(saved.statusCode).toBe(303);

    const badDate = await agent.post(`/rights/${id}/rectification/person`, {
      version: '1',
      givenName: 'Quentin',
      familyName: 'Corrigan',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '2013',
    });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('must be a real date');

    const badNumber = await agent.post(`/rights/${id}/rectification/identifier`, {
      identifierType: 'nhs-number',
      identifierValue: '1234567890',
    });
    expect(badNumber.statusCode).toBe(400);
    expect(badNumber.body).toContain('href="#identifierValue"');
    const address = await agent.post(`/rights/${id}/rectification/address`, {
      line1: '2 Synthetic Close',
      town: 'Ashford',
    });
    expect(address.statusCode).toBe(303);

    const practitioner = new Agent(app);
    await signInFully(practitioner, worker);
    const record = await practitioner.get(`/records/${recordId}`);
    expect(record.statusCode).toBe(200);
    expect(record.body).toContain('data-testid="annotation"');
    expect(record.body).toContain('The family says the home was tidy that day.');
    expect(record.body).toContain('The worker thought the home was chaotic.');
  });
});
