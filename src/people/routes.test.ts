import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import { testDatabase } from '../../test/support/database.js';
import {
  apiCall,
  peopleStaff,
  recordWith,
  type PeopleTestStaff,
} from '../../test/support/people.js';
import type { DatabaseHandle } from '../db/connection.js';
import { syntheticNhsNumber } from './identifiers.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let worker: PeopleTestStaff;
let agent: Agent;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  worker = await peopleStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  agent = new Agent(app);
  await agent.signIn(worker.email, worker.password);
  await agent.get('/people/new'); // a page, for the CSRF token
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const dateParts = (name: string, day: string, month: string, year: string) => ({
  [`${name}-day`]: day,
  [`${name}-month`]: month,
  [`${name}-year`]: year,
});

describe('person pages', () => {
  let personId: string;

  it('adds a person with a GOV.UK date input, then redirects to their page', async () => {
    const response = await agent.post('/people/new', {
      givenName: 'Rosa',
      familyName: 'Pagewright',
      ...dateParts('dateOfBirth', '27', '3', '2015'),
      dateOfBirthPrecision: 'exact',
      nhsNumber: syntheticNhsNumber(9100),
    });
    expect(response.statusCode).toBe(303);
    personId = /\/people\/([0-9a-f-]{36})/.exec(String(response.headers.location))![1]!;
    const page = await agent.get(`/people/${personId}?saved=created`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('moj-identity-bar');
    expect(page.body).toContain('moj-sub-navigation');
    expect(page.body).toContain('data-testid="person-heading"');
    expect(page.body).toContain('27 March 2015');
    expect(page.body).toMatch(/999 \d{3} \d{4}/);
  });

  it('shows the error summary, keeps what was typed and saves nothing on bad input', async () => {
    const response = await agent.post('/people/new', {
      givenName: 'Rosa',
      familyName: '',
      ...dateParts('dateOfBirth', '30', '2', '2015'),
      nhsNumber: '943 476 5918',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('Enter the last name');
    expect(response.body).toContain('Date of birth must be a real date');
    expect(response.body).toContain(
      'The NHS number check digit (the last digit) should be 9, not 8',
    );
    expect(response.body).toContain('value="943 476 5918"');
  });

  it('shows likely existing matches before adding, and adds once told it is someone else', async () => {
    const form = {
      givenName: 'Roza',
      familyName: 'Pagewrite',
      ...dateParts('dateOfBirth', '27', '3', '2015'),
      dateOfBirthPrecision: 'exact',
    };
    const check = await agent.post('/people/new', form);
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('data-testid="likely-matches"');
    expect(check.body).toContain(`/people/${personId}`);
    const confirmed = await agent.post('/people/new', { ...form, confirmedNotDuplicate: 'yes' });
    expect(confirmed.statusCode).toBe(303);
  });

  it('finds people from the search form, tolerant of spelling', async () => {
    const page = await agent.get('/people?name=Rossa+Pagewrite');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="search-results"');
    expect(page.body).toContain(`/people/${personId}`);
  });

  it('refuses a stale edit on the page and says so, saving nothing', async () => {
    const fields = {
      givenName: 'Rosa',
      familyName: 'Pagewright',
      ...dateParts('dateOfBirth', '27', '3', '2015'),
      dateOfBirthPrecision: 'exact',
      version: '1',
    };
    expect((await agent.post(`/people/${personId}/edit`, fields)).statusCode).toBe(303);
    const stale = await agent.post(`/people/${personId}/edit`, {
      ...fields,
      familyName: 'Changed',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this person’s details');
    expect(stale.body).toContain('data-testid="conflict"');
    const page = await agent.get(`/people/${personId}`);
    expect(page.body).not.toContain('Changed');
  });

  it('serves every page of a person, with a heading and labelled fields', async () => {
    for (const path of [
      '',
      '/edit',
      '/names/new',
      '/addresses/new',
      '/identifiers/new',
      '/contacts/new',
      '/sensitive',
      '/sensitive/new',
      '/merge',
    ]) {
      const page = await agent.get(`/people/${personId}${path}`);
      expect(page.statusCode, path).toBe(200);
      expect(page.body, path).toMatch(/<h1 class="govuk-heading-l"/);
      expect(page.body, path).toContain('moj-sub-navigation');
    }
    expect((await agent.get('/people')).body).toContain('data-testid="people-table"');
  });

  it('merges from the merge page and undoes from the person page', async () => {
    const merge = await agent.get(`/people/${personId}/merge`);
    const candidate = /name="duplicateId" type="radio" value="([0-9a-f-]{36})"/.exec(
      merge.body,
    )?.[1];
    expect(candidate).toBeDefined();
    const merged = await agent.post(`/people/${personId}/merge`, { duplicateId: candidate! });
    expect(merged.statusCode).toBe(303);
    const page = await agent.get(`/people/${personId}?saved=merged`);
    expect(page.body).toContain('data-testid="undo-merge"');
    const mergeId = /action="\/people\/merges\/([0-9a-f-]{36})\/undo"/.exec(page.body)?.[1];
    const undone = await agent.post(`/people/merges/${mergeId}/undo`, {});
    expect(undone.statusCode).toBe(303);
    expect((await agent.get(`/people/${candidate}`)).statusCode).toBe(200);
  });

  it('refuses an invalid identifier with the reason', async () => {
    await agent.get(`/people/${personId}/identifiers/new`);
    const response = await agent.post(`/people/${personId}/identifiers/new`, {
      type: 'upn',
      value: 'C801200005001',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('check letter (the first character) should be B, not C');
  });

  it('answers "not found" for a person the user may not see, and for nonsense ids', async () => {
    const sealed = await database.db
      .insertInto('person')
      .values({
        organisation_id: worker.context.organisation!.id,
        given_name: 'Sealed',
        family_name: 'Adoption',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordWith(database.db, {
      organisation: 'kent-scs',
      category: 'adoption',
      personIds: [sealed.id],
    });
    expect((await agent.get(`/people/${sealed.id}`)).statusCode).toBe(404);
    expect((await apiCall(app, agent, 'GET', `/api/v1/people/${sealed.id}`)).statusCode).toBe(404);
    expect((await agent.get('/people/not-a-uuid')).statusCode).toBe(404);
  });
});

describe('the people API', () => {
  it('creates, refuses a likely duplicate with 409, reads and searches', async () => {
    const body = { givenName: 'Api', familyName: 'Person', dateOfBirth: '2016-06-06' };
    const created = await apiCall(app, agent, 'POST', '/api/v1/people', body);
    expect(created.statusCode).toBe(201);
    const { id } = created.json() as { id: string };
    const again = await apiCall(app, agent, 'POST', '/api/v1/people', body);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'possible-duplicate', matches: [{ id }] });
    const read = await apiCall(app, agent, 'GET', `/api/v1/people/${id}`);
    expect(read.json()).toMatchObject({ id, version: 1, names: [{ kind: 'current' }] });
    const found = await apiCall(app, agent, 'GET', '/api/v1/people/search?name=Appi%20Persson');
    expect((found.json() as { people: { id: string }[] }).people.map((p) => p.id)).toContain(id);
  });

  it('refuses a NUL in a name, a date of birth in the future and a name used backwards in time (issue 10)', async () => {
    const fieldErrorsOf = (response: { json: () => unknown }) =>
      (response.json() as { fieldErrors: { field: string; message: string }[] }).fieldErrors;
    const nul = await apiCall(app, agent, 'POST', '/api/v1/people', {
      givenName: 'Nul\u0000',
      familyName: 'Byte',
      confirmedNotDuplicate: true,
    });
    expect(nul.statusCode).toBe(400);
    expect(fieldErrorsOf(nul)).toEqual([
      {
        field: 'givenName',
        message:
          'The first name contains a hidden character that cannot be saved. Remove it and try again',
      },
    ]);
    for (const [dateOfBirth, message] of [
      ['2031-01-01', 'Enter a date of birth between 1900 and today'],
      ['0000-01-01', 'Enter a date of birth between 1900 and today'],
    ] as const) {
      const refused = await apiCall(app, agent, 'POST', '/api/v1/people', {
        givenName: 'Future',
        familyName: 'Born',
        dateOfBirth,
        dateOfBirthPrecision: 'exact',
        confirmedNotDuplicate: true,
      });
      expect(refused.statusCode, dateOfBirth).toBe(400);
      expect(fieldErrorsOf(refused)).toEqual([{ field: 'dateOfBirth', message }]);
    }
    const id = (
      (
        await apiCall(app, agent, 'POST', '/api/v1/people', {
          givenName: 'Renamed',
          familyName: 'Person',
          confirmedNotDuplicate: true,
        })
      ).json() as { id: string }
    ).id;
    const backwards = await apiCall(app, agent, 'POST', `/api/v1/people/${id}/names`, {
      kind: 'previous',
      givenName: 'Earlier',
      familyName: 'Name',
      fromDate: '2020-01-01',
      toDate: '2019-01-01',
    });
    expect(backwards.statusCode).toBe(400);
    expect(fieldErrorsOf(backwards)).toEqual([
      { field: 'toDate', message: 'The end date must be the same as or after the start date' },
    ]);
  });

  it('answers invalid input with the field and the reason', async () => {
    const response = await apiCall(app, agent, 'POST', '/api/v1/people', {
      givenName: 'Bad',
      familyName: 'Input',
      dateOfBirth: '2015-02-30',
      nhsNumber: '1234567890',
    });
    expect(response.statusCode).toBe(400);
    const { fieldErrors } = response.json() as {
      fieldErrors: { field: string; message: string }[];
    };
    expect(fieldErrors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'dateOfBirth',
          message: 'Date of birth must be a real date',
        }),
        expect.objectContaining({
          field: 'nhsNumber',
          message: expect.stringMatching(/cannot be an NHS number/),
        }),
      ]),
    );
    const id = (
      (
        await apiCall(app, agent, 'POST', '/api/v1/people', {
          givenName: 'Postcode',
          familyName: 'Check',
          confirmedNotDuplicate: true,
        })
      ).json() as { id: string }
    ).id;
    const address = await apiCall(app, agent, 'POST', `/api/v1/people/${id}/addresses`, {
      line1: '1 Synthetic Road',
      postcode: 'me141xx',
    });
    expect(address.statusCode).toBe(201);
    const read = (await apiCall(app, agent, 'GET', `/api/v1/people/${id}`)).json() as {
      addresses: { postcode: string }[];
    };
    expect(read.addresses[0]?.postcode).toBe('ME14 1XX');
    const badPostcode = await apiCall(app, agent, 'POST', `/api/v1/people/${id}/addresses`, {
      line1: '1 Synthetic Road',
      postcode: 'ME14 XX1',
    });
    expect(badPostcode.statusCode).toBe(400);
    expect(badPostcode.json()).toMatchObject({ fieldErrors: [{ field: 'postcode' }] });
  });

  it('refuses a stale version with 409 and the reason', async () => {
    const { id } = (
      await apiCall(app, agent, 'POST', '/api/v1/people', {
        givenName: 'Versioned',
        familyName: 'Entry',
        confirmedNotDuplicate: true,
      })
    ).json() as { id: string };
    const edit = { givenName: 'Versioned', familyName: 'Entry', version: 1 };
    expect((await apiCall(app, agent, 'PUT', `/api/v1/people/${id}`, edit)).json()).toEqual({
      version: 2,
    });
    const stale = await apiCall(app, agent, 'PUT', `/api/v1/people/${id}`, edit);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      error: 'conflict',
      message: expect.stringMatching(/Someone else/),
    });
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await app.inject('/api/docs/json')).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/people',
        '/api/v1/people/search',
        '/api/v1/people/likely-matches',
        '/api/v1/people/{id}',
        '/api/v1/people/{id}/identifiers',
        '/api/v1/people/{id}/special-category',
        '/api/v1/people/{id}/merge',
        '/api/v1/people/merges/{mergeId}/undo',
      ]),
    );
  });
});

describe('relationship and criminal offence data pages', () => {
  const auditActions = async (personId: string) =>
    (
      await database.db
        .selectFrom('audit_event')
        .select('action')
        .where(sql<boolean>`object_ids @> array[${personId}]::text[]`)
        .execute()
    ).map((e) => e.action);

  async function addPerson(givenName: string, familyName: string): Promise<string> {
    const response = await agent.post('/people/new', {
      givenName,
      familyName,
      ...dateParts('dateOfBirth', '4', '5', '2014'),
      dateOfBirthPrecision: 'exact',
      confirmedNotDuplicate: 'yes',
    });
    expect(response.statusCode).toBe(303);
    return /\/people\/([0-9a-f-]{36})/.exec(String(response.headers.location))![1]!;
  }

  it('links the person page to a new record about them and to their chronology', async () => {
    const id = await addPerson('Linda', 'Linkwright');
    const page = await agent.get(`/people/${id}`);
    expect(page.body).toContain(`href="/records/new?person=${id}"`);
    expect(page.body).toContain(`href="/chronologies/${id}"`);
    expect(page.body).toContain(`href="/people/${id}/relationships/new"`);
  });

  it('relates two people found by name; the error summary when nothing is chosen', async () => {
    const child = await addPerson('Quentin', 'Kinsfold');
    const carer = await addPerson('Ottoline', 'Kinsfold');
    const search = await agent.get(`/people/${child}/relationships/new?name=Ottoline+Kinsfold`);
    expect(search.statusCode).toBe(200);
    expect(search.body).toContain(`value="${carer}"`);
    // The person themselves is never offered.
    expect(search.body).not.toContain(`name="relatedPersonId" type="radio" value="${child}"`);

    const empty = await agent.post(`/people/${child}/relationships/new`, {
      searchName: 'Ottoline Kinsfold',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('Choose the related person');
    expect(empty.body).toContain('Select the kind of relationship');
    expect(empty.body).toContain(`value="${carer}"`); // the choices are shown again

    const saved = await agent.post(`/people/${child}/relationships/new`, {
      searchName: 'Ottoline Kinsfold',
      relatedPersonId: carer,
      type: 'carer',
      description: 'Aunt, kinship carer',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/people/${child}?saved=relationship`);
    const page = await agent.get(`/people/${child}?saved=relationship`);
    expect(page.body).toContain('Relationship added');
    expect(page.body).toContain('Aunt, kinship carer');
    expect(await auditActions(child)).toContain('person.relationship.add');
  });

  it('refuses to relate someone the staff member may not see, and says nothing of them', async () => {
    const child = await addPerson('Petra', 'Sealwright');
    const hidden = await createHiddenPerson();
    const before = await database.db
      .selectFrom('person_relationship')
      .select('id')
      .where('person_id', '=', child)
      .execute();
    const refused = await agent.post(`/people/${child}/relationships/new`, {
      relatedPersonId: hidden,
      type: 'family',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Choose a person you can find in a search');
    // With no search made there is nothing to choose from: the message goes with the search box.
    expect(refused.body).toContain('href="#name"');
    expect(refused.body).not.toContain('Hiddenson');
    const after = await database.db
      .selectFrom('person_relationship')
      .select('id')
      .where('person_id', '=', child)
      .execute();
    expect(after).toEqual(before);
  });

  it('adds criminal offence data on the sensitive tab, audited; bad input changes nothing', async () => {
    const id = await addPerson('Rupert', 'Offwright');
    const form = await agent.get(`/people/${id}/offence-data/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Article 10');
    // Only what Kent children's services' notice covers: cautions and convictions.
    expect(form.body).toContain('value="caution"');
    expect(form.body).not.toContain('value="legal-status"');

    const invalid = await agent.post(`/people/${id}/offence-data/new`, {
      description: '',
      ...dateParts('occurredOn', '31', '2', '2024'),
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('govuk-error-summary');
    expect(invalid.body).toContain('Select the kind of criminal offence information');
    expect(invalid.body).toContain('Date must be a real date');
    const none = await database.db
      .selectFrom('person_offence_data')
      .select('id')
      .where('person_id', '=', id)
      .execute();
    expect(none).toEqual([]);

    const saved = await agent.post(`/people/${id}/offence-data/new`, {
      kind: 'caution',
      description: 'Synthetic caution for a test',
      ...dateParts('occurredOn', '3', '1', '2024'),
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/people/${id}/sensitive?saved=offence`);
    const page = await agent.get(`/people/${id}/sensitive?saved=offence`);
    expect(page.body).toContain('Criminal offence information added');
    expect(page.body).toContain('Synthetic caution for a test');
    expect(page.body).toContain('3 January 2024');
    expect(await auditActions(id)).toContain('person.offence-data.add');
  });

  it('answers "not found" for the pages of a person the staff member may not see', async () => {
    const hidden = await createHiddenPerson();
    expect((await agent.get(`/people/${hidden}/relationships/new`)).statusCode).toBe(404);
    expect((await agent.get(`/people/${hidden}/offence-data/new`)).statusCode).toBe(404);
    const post = await agent.post(`/people/${hidden}/offence-data/new`, {
      kind: 'caution',
      description: 'Synthetic',
    });
    expect(post.statusCode).toBe(404);
  });
});

/** A kent-scs person known only through an adoption record, sealed to the adoption team. */
async function createHiddenPerson(): Promise<string> {
  const organisation = await database.db
    .selectFrom('organisation')
    .select('id')
    .where('slug', '=', 'kent-scs')
    .executeTakeFirstOrThrow();
  const { id } = await database.db
    .insertInto('person')
    .values({ organisation_id: organisation.id, given_name: 'Hidden', family_name: 'Hiddenson' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordWith(database.db, {
    organisation: 'kent-scs',
    category: 'adoption',
    personIds: [id],
  });
  return id;
}
