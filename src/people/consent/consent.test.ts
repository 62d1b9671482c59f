import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import {
  caseworkStaff,
  createPerson,
  signInFully,
  type CaseworkStaff,
} from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import { childProtectionPlan } from '../../../test/support/sharing.js';
import { CaseworkService } from '../../casework/service.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { ValidationError } from '../../platform/errors/errors.js';
import { RightsService } from '../../rights/service.js';
import type { DisclosureInput } from '../../sharing/schemas.js';
import { SharingService } from '../../sharing/service.js';
import { withoutStandingConsent } from './service.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let worker: CaseworkStaff;
let agent: Agent;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  agent = new Agent(app);
  await signInFully(agent, worker);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const kentId = async () =>
  (
    await database.db
      .selectFrom('organisation')
      .select('id')
      .where('slug', '=', 'kent-scs')
      .executeTakeFirstOrThrow()
  ).id;

async function giveEventsConsent(personId: string) {
  await agent.get(`/people/${personId}/consent`);
  return agent.post(`/people/${personId}/consent`, {
    purpose: 'events-information',
    'givenOn-day': '3',
    'givenOn-month': '6',
    'givenOn-year': '2026',
    givenHow: 'in-writing',
    evidence: 'Signed consent form scanned to the family file',
  });
}

describe('consent to the purposes Kent SCS rests on consent (issue 12 item 7)', () => {
  it('is recorded with its evidence, listed, and stops the moment it is withdrawn', async () => {
    const personId = await createPerson(database.db, 'kent-scs');
    const person = await agent.get(`/people/${personId}`);
    expect(person.body).toContain(`href="/people/${personId}/consent"`);

    const empty = await agent.post(`/people/${personId}/consent`, {
      evidence: 'kept when the rest is wrong',
      'givenOn-day': '31',
      'givenOn-month': '2',
      'givenOn-year': '2026',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Select what they consented to');
    expect(empty.body).toContain('Select how they gave consent');
    expect(empty.body).toContain('must be a real date');
    expect(empty.body).toContain('kept when the rest is wrong');
    expect(empty.body).not.toMatch(/Invalid input|expected|received/);

    const saved = await giveEventsConsent(personId);
    expect(saved.statusCode).toBe(303);
    const page = await agent.get(`/people/${personId}/consent?saved=given`);
    expect(page.body).toContain('Given on 3 June 2026, in writing');
    expect(page.body).toContain('Signed consent form scanned to the family file');

    const again = await giveEventsConsent(personId);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('They have already consented to this');

    const list = await agent.get('/people/consent/events-information');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/people/${personId}/consent`);

    const consent = await database.db
      .selectFrom('person_consent')
      .select('id')
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    await agent.get(`/people/${personId}/consent/${consent.id}/withdraw`);
    const early = await agent.post(`/people/${personId}/consent/${consent.id}/withdraw`, {
      'withdrawnOn-day': '1',
      'withdrawnOn-month': '6',
      'withdrawnOn-year': '2026',
      withdrawnHow: 'spoken',
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('on or after the date they gave it');
    const withdrawn = await agent.post(`/people/${personId}/consent/${consent.id}/withdraw`, {
      'withdrawnOn-day': '4',
      'withdrawnOn-month': '6',
      'withdrawnOn-year': '2026',
      withdrawnHow: 'spoken',
    });
    expect(withdrawn.statusCode).toBe(303);
    const after = await agent.get('/people/consent/events-information');
    expect(after.body).not.toContain(`/people/${personId}/consent`);
    const history = await agent.get(`/people/${personId}/consent`);
    expect(history.body).toContain('withdrawn on 4 June 2026 (in person or on the phone)');

    const actions = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('actor_account_id', '=', worker.accountId)
      .where('action', 'like', 'person.consent.%')
      .execute();
    expect(new Set(actions.map((a) => a.action))).toEqual(
      new Set([
        'person.consent.read',
        'person.consent.give',
        'person.consent.list',
        'person.consent.withdraw',
      ]),
    );
  });

  it('answers "not found" for another organisation’s person and where no purpose rests on consent', async () => {
    const maidstonePerson = await createPerson(database.db, 'maidstone-bc');
    expect((await agent.get(`/people/${maidstonePerson}/consent`)).statusCode).toBe(404);
    expect((await giveEventsConsent(maidstonePerson)).statusCode).toBe(404);
    expect((await agent.get('/people/consent/no-such-purpose')).statusCode).toBe(404);

    const dso = await caseworkStaff(database.db, 'maidstone-bc', [
      'designated-safeguarding-officer',
    ]);
    const maidstone = new Agent(app);
    await signInFully(maidstone, dso);
    const page = await maidstone.get(`/people/${maidstonePerson}`);
    expect(page.body).not.toContain('/consent"');
    expect((await maidstone.get(`/people/${maidstonePerson}/consent`)).statusCode).toBe(404);
  });

  it('lets a record be shared with Open Access centres only while everyone in it consents', async () => {
    const casework = new CaseworkService(database.db);
    const sharing = new SharingService(database.db);
    const recordId = await childProtectionPlan(database.db, casework, worker);
    const parties = await database.db
      .selectFrom('record_party')
      .select('person_id')
      .where('record_id', '=', recordId)
      .execute();
    const disclosure: DisclosureInput = {
      items: [{ recordId, kind: 'record', id: recordId }],
      recipientId: 'open-access-centres',
      recipientName: 'Oakwood Children’s Centre',
      purpose: 'care-and-support',
      lawfulBasis: '6(1)(e)',
      specialCondition: '9(2)(g)',
      consent: 'given',
      justification: 'The family asked to be registered at their local centre',
    };
    const refused = await sharing.create(worker.context, disclosure).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldErrors[0]?.message).toContain(
      'needs the consent of everyone in the record',
    );

    const organisationId = await kentId();
    for (const p of parties) {
      await database.db
        .insertInto('person_consent')
        .values({
          organisation_id: organisationId,
          person_id: p.person_id,
          purpose: 'open-access-registration',
          given_on: '2026-01-05',
          given_how: 'in-writing',
          evidence: 'Registration form',
          recorded_by: worker.accountId,
        })
        .execute();
    }
    expect(
      await withoutStandingConsent(
        database.db,
        organisationId,
        parties.map((p) => p.person_id),
        'open-access-registration',
      ),
    ).toEqual([]);
    await expect(sharing.create(worker.context, disclosure)).resolves.toEqual(expect.any(String));
  });

  it('is withdrawn at once when a request to withdraw consent is matched to the person', async () => {
    const personId = await createPerson(database.db, 'kent-scs');
    expect((await giveEventsConsent(personId)).statusCode).toBe(303);
    const ig = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
    const rights = new RightsService(database.db, () => '2026-11-20');
    const id = await rights.create(ig.context, {
      type: 'objection-direct-marketing',
      receivedOn: '2026-11-19',
      channel: 'email',
      description: 'Please stop telling me about events.',
      requesterRole: 'self',
      requesterName: 'A parent',
      requesterContact: 'parent@example.test',
      identityCheck: 'photo-id-seen',
      subject: { givenName: 'Any', familyName: 'Name' },
    });
    await rights.transition(ig.context, id, { to: 'in-progress' });
    await rights.confirmSubject(ig.context, id, personId);
    const row = await database.db
      .selectFrom('person_consent')
      .select(['withdrawn_on', 'withdrawn_how', 'withdrawn_request_id'])
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      withdrawn_on: '2026-11-20',
      withdrawn_how: 'objection-to-direct-marketing',
      withdrawn_request_id: id,
    });
  });
});
