import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp, testConfig } from '../../test/support/app.js';
import { caseworkStaff, signInFully, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { recordWith } from '../../test/support/people.js';
import type { DatabaseHandle } from '../db/connection.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { reportingYear, reportingYearsTo } from './annual-report.js';
import { PartnershipService } from './service.js';

/**
 * Issue 12 item 19: the partnership's annual report, built from surveys,
 * training and practice reviews, with small numbers hidden. The reporting
 * year here is April 2025 to March 2026; figures dated either side of it
 * must not count.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let business: CaseworkStaff;
let practitioner: CaseworkStaff;
let service: PartnershipService;

async function responses(surveyId: string, dates: string[]) {
  for (const received_on of dates) {
    await database.db
      .insertInto('survey_response')
      .values({ survey_id: surveyId, received_on })
      .execute();
  }
}

/** A practice review referred on `referred`, a rapid review sent on `rapid` if given. */
async function review(referred: string, rapid: string | null = null) {
  const recordId = await recordWith(database.db, {
    organisation: 'kscmp',
    category: 'practice-review',
    personIds: [],
  });
  await database.db
    .insertInto('practice_review')
    .values({
      record_id: recordId,
      organisation_id: business.context.organisation?.id ?? '',
      stage: rapid ? 'rapid-review' : 'referred',
      referral_received_on: referred,
      referred_by: 'Synthetic referrer',
      aware_on: referred,
      rapid_review_sent_on: rapid,
      started_by: business.accountId,
      updated_at: new Date(),
    })
    .execute();
}

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  business = await caseworkStaff(database.db, 'kscmp', ['partnership-business']);
  practitioner = await caseworkStaff(database.db, 'kent-scs', ['practitioner']);
  service = new PartnershipService(database.db, {
    sessionSecret: testConfig().sessionSecret,
    today: () => '2026-12-05',
  });
  const big = await service.createSurvey(business.context, {
    title: 'Multi-agency training feedback',
    purpose: 'To improve the partnership’s training',
  });
  const small = await service.createSurvey(business.context, {
    title: 'Young people’s voice',
    purpose: 'To hear from young people',
  });
  // Nine in the year, one the day before it starts and one the day after it ends.
  await responses(big, [
    ...Array.from({ length: 8 }, () => '2025-06-10'),
    '2026-03-31',
    '2025-03-31',
    '2026-04-01',
  ]);
  await responses(small, ['2025-09-01', '2025-09-02']);
  // Eight referrals in the year (two went to rapid review), one before it.
  for (let i = 0; i < 6; i += 1) await review('2025-05-01');
  await review('2025-07-01', '2025-07-20');
  await review('2026-03-01', '2026-03-20');
  await review('2025-03-01', '2025-03-10');
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe('reporting years', () => {
  it('run from April to March, named in words, only once they have ended', () => {
    expect(reportingYear(2025)).toEqual({
      from: '2025-04-01',
      to: '2026-03-31',
      label: '1 April 2025 to 31 March 2026',
    });
    expect(reportingYearsTo('2026-12-05').slice(0, 2)).toEqual([2025, 2024]);
    expect(reportingYearsTo('2026-04-01')[0]).toBe(2025);
    expect(reportingYearsTo('2026-03-31')[0]).toBe(2024);
  });
});

describe('the annual report', () => {
  it('counts what happened in the year, hiding counts from 1 to 7', async () => {
    const report = await service.annualReport(business.context, 2025);
    expect(report.surveys).toEqual([
      { title: 'Multi-agency training feedback', respondents: 9 },
      { title: 'Young people’s voice', respondents: null },
    ]);
    expect(Object.fromEntries(report.reviews.map((r) => [r.measure, r.count]))).toMatchObject({
      'Referrals of serious incidents received': 8,
      'Rapid reviews sent to the national panel': null,
      'Local child safeguarding practice reviews published': 0,
    });
  });

  it('is refused, as not found, to staff without the partnership business role', async () => {
    await expect(service.annualReport(practitioner.context, 2025)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('is a page with a year picker and a CSV download; a year not offered is a plain error', async () => {
    const agent = new Agent(app);
    await signInFully(agent, business);
    const page = await agent.get('/partnership/annual-report?year=2025');
    expect(page.statusCode, page.body.slice(0, 3000)).toBe(200);
    expect(page.body).toContain('1 April 2025 to 31 March 2026');
    expect(page.body).toContain('Multi-agency training feedback');
    expect(page.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);

    const csv = await agent.get('/partnership/annual-report.csv?year=2025');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('Surveys,Responses: Multi-agency training feedback,9');
    expect(csv.body).toContain('Practice reviews,Rapid reviews sent to the national panel,c');

    for (const year of ['1999', 'next year', '2025-04-01']) {
      const refused = await agent.get(
        `/partnership/annual-report?year=${encodeURIComponent(year)}`,
      );
      expect(refused.statusCode, year).toBe(400);
      expect(refused.body).toContain('Select a reporting year from the list');
    }
    const outsider = new Agent(app);
    await signInFully(outsider, practitioner);
    expect((await outsider.get('/partnership/annual-report')).statusCode).toBe(404);
    expect((await outsider.get('/partnership/annual-report.csv')).statusCode).toBe(404);
  });
});
