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
import { apiCall } from '../../test/support/people.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let business: CaseworkStaff;
let sscp: CaseworkStaff;
let businessAgent: Agent;
let sscpAgent: Agent;

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  business = await caseworkStaff(database.db, 'kscmp', ['partnership-business']);
  sscp = await caseworkStaff(database.db, 'sscp', ['partnership-business']);
  businessAgent = new Agent(app);
  await signInFully(businessAgent, business);
  sscpAgent = new Agent(app);
  await signInFully(sscpAgent, sscp);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function reviewRecord() {
  const child = await createPerson(database.db, 'kscmp');
  return new CaseworkService(database.db).create(business.context, {
    category: 'practice-review',
    subjectPersonId: child,
    openedOn: today,
    detail: { reviewType: 'rapid-review' },
  });
}

describe('the practice-review API', () => {
  it('runs the workflow as JSON, with field errors and refusals as the pages have them', async () => {
    const recordId = await reviewRecord();
    const url = `/api/v1/practice-reviews/${recordId}`;
    const empty = await apiCall(app, businessAgent, 'GET', url);
    expect(empty.statusCode).toBe(200);
    expect(empty.json().review).toBeNull();

    const bad = await apiCall(app, businessAgent, 'POST', url, { referredBy: 'Duty team' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid-input');

    const started = await apiCall(app, businessAgent, 'POST', url, {
      referralReceivedOn: today,
      referredBy: 'Synthetic duty team',
      awareOn: today,
      summary: 'Synthetic referral.',
    });
    expect(started.statusCode).toBe(201);

    const early = await apiCall(app, businessAgent, 'POST', `${url}/rapid-review`, {
      sentOn: today,
      recipientName: 'KSCMP Rapid Review Group',
      consent: 'not-sought',
      consentReason: 'not-reasonably-expected',
      justification: 'Statutory practice review: the group needs the referral.',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toMatch(/notification to the National Panel before/);

    const notified = await apiCall(app, businessAgent, 'POST', `${url}/notification`, {
      notified: true,
      decidedOn: today,
    });
    expect(notified.statusCode).toBe(200);
    const requested = await apiCall(app, businessAgent, 'POST', `${url}/chronologies`, {
      recipientId: 'partner-agencies',
      agencyName: 'Synthetic Health Trust',
      requestedOn: today,
      dueOn: today,
      scope: 'Involvement with the family',
      consent: 'not-sought',
      consentReason: 'not-reasonably-expected',
      justification: 'Statutory practice review: the agency must check its involvement.',
    });
    expect(requested.statusCode).toBe(201);
    const overview = await apiCall(app, businessAgent, 'GET', url);
    expect(overview.statusCode).toBe(200);
    expect(overview.json().review).toMatchObject({
      stage: 'notified',
      steps: ['send-to-rapid-review', 'request-chronology'],
      chronologies: [
        {
          id: requested.json().id,
          agencyName: 'Synthetic Health Trust',
          status: 'requested',
          overdue: false,
          disclosure: { status: 'awaiting-approval', kind: 'package' },
        },
      ],
    });
  });

  it('is not there for another organisation, nor for a record of another category', async () => {
    const recordId = await reviewRecord();
    expect(
      (await apiCall(app, sscpAgent, 'GET', `/api/v1/practice-reviews/${recordId}`)).statusCode,
    ).toBe(404);
    expect((await sscpAgent.get(`/records/${recordId}/practice-review`)).statusCode).toBe(404);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await app.inject({ method: 'GET', url: '/api/docs/json' });
    const paths = Object.keys(doc.json().paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/practice-reviews/{id}',
        '/api/v1/practice-reviews/{id}/chronologies',
        '/api/v1/practice-reviews/{id}/chronologies/{itemId}/outcome',
        '/api/v1/practice-reviews/{id}/practitioners/{itemId}/acknowledgement',
        '/api/v1/practice-reviews/{id}/publication',
      ]),
    );
  });
});

describe('the review pages', () => {
  it('show the referral form with its errors, then the task list', async () => {
    const recordId = await reviewRecord();
    const page = `/records/${recordId}/practice-review`;
    expect((await businessAgent.get(page)).body).toContain('Record the referral');
    const invalid = await businessAgent.post(page, { referredBy: '' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('There is a problem');
    expect(invalid.body).toContain('href="#referralReceivedOn-day"');
    const [year, month, day] = today.split('-');
    const saved = await businessAgent.post(page, {
      'referralReceivedOn-day': day!,
      'referralReceivedOn-month': month!,
      'referralReceivedOn-year': year!,
      'awareOn-day': day!,
      'awareOn-month': month!,
      'awareOn-year': year!,
      referredBy: 'Synthetic duty team',
      summary: 'Synthetic referral.',
    });
    expect(saved.statusCode).toBe(303);
    const list = await businessAgent.get(page);
    expect(list.body).toContain('govuk-task-list');
    expect(list.body).toContain(`href="${page}/notification"`);
    // The rapid review cannot be reached before the notification.
    const early = await businessAgent.post(`${page}/rapid-review`, {
      recipientName: 'Group',
      'sentOn-day': day!,
      'sentOn-month': month!,
      'sentOn-year': year!,
      consent: 'given',
    });
    // A step out of order is a conflict with the review's state, as in the API (409).
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('govuk-error-summary');
    expect(early.body).toContain('before the rapid review');
  });
});
