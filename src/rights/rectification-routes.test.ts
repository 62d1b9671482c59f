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
import { PeopleService } from '../people/service.js';

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

const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  app.inject({ method, url, headers: igSession, ...(payload ? { payload } : {}) });

/** A person on the risk register, and a rectification request with them confirmed. */
async function rectificationOfNewAdult() {
  const person = await createPerson(database.db, 'kent-scs');
  const recordId = await casework.create(worker.context, {
    category: 'risk-register',
    subjectPersonId: person,
    openedOn: '2020-01-15',
    facts: { cautionOrConvictionDate: '2019-06-01' },
    detail: { natureOfRisk: 'Synthetic risk description.' },
  });
  const created = await api('POST', '/api/v1/rights/requests', {
    type: 'rectification',
    receivedOn: '2025-09-03',
    channel: 'letter',
    description: 'The date of my caution is wrong.',
    requesterRole: 'self',
    requesterName: 'Synthetic Requester',
    requesterContact: '1 Test Street',
    identityCheck: 'photo-id-seen',
    subject: { givenName: 'Synthetic', familyName: 'Requester' },
  });
  const { id } = created.json<{ id: string }>();
  await api('POST', `/api/v1/rights/requests/${id}/transitions`, { to: 'in-progress' });
  await api('POST', `/api/v1/rights/requests/${id}/subject`, { personId: person });
  return { id, person, recordId };
}

describe('API: correcting a record’s facts', () => {
  it('reads and corrects a fact, refusing a stale version and a record outside the file', async () => {
    const { id, recordId } = await rectificationOfNewAdult();
    const url = `/api/v1/rights/requests/${id}/rectification/records/${recordId}`;
    const read = await api('GET', url);
    expect(read.statusCode).toBe(200);
    const facts = read.json<{ version: number; facts: Record<string, string> }>();
    expect(facts.facts).toEqual({ cautionOrConvictionDate: '2019-06-01' });

    const corrected = await api('POST', url, {
      version: facts.version,
      facts: { cautionOrConvictionDate: '2018-06-01' },
    });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toEqual({ version: facts.version + 1 });
    const stale = await api('POST', url, {
      version: facts.version,
      facts: { cautionOrConvictionDate: '2017-06-01' },
    });
    expect(stale.statusCode).toBe(409);
    // A fact the category does not hold is refused, as for a practitioner.
    const foreign = await api('POST', url, {
      version: facts.version + 1,
      facts: { incidentDate: '2017-06-01' },
    });
    expect(foreign.statusCode).toBe(400);

    const other = await rectificationOfNewAdult();
    const outside = await api(
      'POST',
      `/api/v1/rights/requests/${id}/rectification/records/${other.recordId}`,
      { version: 1, facts: { cautionOrConvictionDate: '2017-06-01' } },
    );
    expect(outside.statusCode).toBe(404);
  });

  it('removes a wrong identifier through the request, and describes the calls in OpenAPI', async () => {
    const { id, person } = await rectificationOfNewAdult();
    const added = await api('POST', `/api/v1/rights/requests/${id}/rectification/identifier`, {
      type: 'home-office-reference',
      value: 'B7654321',
    });
    expect(added.statusCode).toBe(201);
    const identifierId = added.json<{ id: string }>().id;
    const removed = await api(
      'POST',
      `/api/v1/rights/requests/${id}/rectification/identifiers/${identifierId}/removal`,
    );
    expect(removed.statusCode).toBe(204);
    const history = await database.db
      .selectFrom('person_change')
      .select(['field', 'from_value'])
      .where('person_id', '=', person)
      .execute();
    expect(history).toEqual([
      { field: 'identifier.home-office-reference', from_value: 'B7654321' },
    ]);
    const docs = (await app.inject('/api/docs/json')).json<{ paths: Record<string, unknown> }>();
    expect(docs.paths).toHaveProperty([
      '/api/v1/rights/requests/{id}/rectification/records/{recordId}',
    ]);
    expect(docs.paths).toHaveProperty(['/api/v1/people/{id}/identifiers/{entryId}']);
  });
});

describe('pages', () => {
  it('corrects a record fact from the request page, showing errors in a summary', async () => {
    const { id, recordId } = await rectificationOfNewAdult();
    const ig = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
    const agent = new Agent(app);
    await signInFully(agent, ig);
    const request = await agent.get(`/rights/${id}`);
    expect(request.body).toContain(`/rights/${id}/rectification/records/${recordId}`);
    const form = await agent.get(`/rights/${id}/rectification/records/${recordId}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Date of the latest caution or conviction');
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '';

    const bad = await agent.post(`/rights/${id}/rectification/records/${recordId}`, {
      version,
      'openedOn-day': '15',
      'openedOn-month': '1',
      'openedOn-year': '2020',
      'facts.cautionOrConvictionDate-day': '31',
      'facts.cautionOrConvictionDate-month': '2',
      'facts.cautionOrConvictionDate-year': '2018',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');

    const saved = await agent.post(`/rights/${id}/rectification/records/${recordId}`, {
      version,
      'openedOn-day': '15',
      'openedOn-month': '1',
      'openedOn-year': '2020',
      'facts.cautionOrConvictionDate-day': '1',
      'facts.cautionOrConvictionDate-month': '6',
      'facts.cautionOrConvictionDate-year': '2018',
    });
    expect(saved.statusCode).toBe(303);
    const row = await database.db
      .selectFrom('case_record')
      .select(['caution_or_conviction_date', 'closed_on'])
      .where('id', '=', recordId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ caution_or_conviction_date: '2018-06-01', closed_on: null });

    const stale = await agent.post(`/rights/${id}/rectification/records/${recordId}`, {
      version,
      'openedOn-day': '15',
      'openedOn-month': '1',
      'openedOn-year': '2020',
      'facts.cautionOrConvictionDate-day': '1',
      'facts.cautionOrConvictionDate-month': '6',
      'facts.cautionOrConvictionDate-year': '2010',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('data-testid="conflict"');
  });

  it('asks before removing a wrong address on the person page, and keeps it in the history', async () => {
    const person = await createPerson(database.db, 'kent-scs');
    const addressId = await new PeopleService(database.db).addAddress(worker.context, person, {
      line1: '4 Mistaken Mews',
      line2: null,
      town: 'Deal',
      postcode: null,
      fromDate: null,
      toDate: null,
    });
    // The worker can see the person only through a record of theirs.
    await casework.create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: person,
      openedOn: '2025-01-10',
      detail: {},
    });
    const agent = new Agent(app);
    await signInFully(agent, worker);
    const page = await agent.get(`/people/${person}`);
    expect(page.body).toContain(`/people/${person}/addresses/${addressId}/remove`);
    const confirm = await agent.get(`/people/${person}/addresses/${addressId}/remove`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('4 Mistaken Mews');
    expect(confirm.body).toContain('Yes, remove it');
    const done = await agent.post(`/people/${person}/addresses/${addressId}/remove`, {});
    expect(done.statusCode).toBe(303);
    const after = await agent.get(`/people/${person}?saved=address-removed`);
    expect(after.body).not.toContain('4 Mistaken Mews');
    const history = await database.db
      .selectFrom('person_change')
      .select(['field', 'from_value', 'changed_by'])
      .where('person_id', '=', person)
      .execute();
    expect(history).toEqual([
      { field: 'address', from_value: '4 Mistaken Mews, Deal', changed_by: worker.accountId },
    ]);
  });
});
