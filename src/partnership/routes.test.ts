import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp, testConfig } from '../../test/support/app.js';
import { caseworkStaff, signInFully, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { loggerOptions } from '../platform/http/logging.js';
import { PartnershipService } from './service.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let business: CaseworkStaff;
let practitioner: CaseworkStaff;
let service: PartnershipService;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  business = await caseworkStaff(database.db, 'kscmp', ['partnership-business']);
  practitioner = await caseworkStaff(database.db, 'kent-scs', ['practitioner']);
  service = new PartnershipService(database.db, { sessionSecret: testConfig().sessionSecret });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

async function staffAgent(staff: CaseworkStaff) {
  const agent = new Agent(app);
  await signInFully(agent, staff);
  return agent;
}

describe('staff pages', () => {
  it('are refused to staff without the partnership business role, and to the signed out', async () => {
    const outsider = await staffAgent(practitioner);
    for (const path of ['/partnership', '/partnership/training', '/partnership/newsletter']) {
      expect((await outsider.get(path)).statusCode, path).toBe(404);
    }
    expect((await outsider.get('/api/v1/partnership/newsletter/subscribers')).statusCode).toBe(404);
    const anonymous = await app.inject('/partnership/newsletter');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toBe('/sign-in');
  });

  it('books a place, refusing requirements for an online course with a message', async () => {
    const agent = await staffAgent(business);
    await agent.get('/partnership/training');
    const created = await agent.post('/partnership/training', {
      title: 'Online basics',
      kind: 'course',
      delivery: 'online',
      'startDate-day': '5',
      'startDate-month': '3',
      'startDate-year': '2026',
      'endDate-day': '5',
      'endDate-month': '3',
      'endDate-year': '2026',
    });
    expect(created.statusCode).toBe(303);
    const coursePath = created.headers.location as string;
    await agent.get(`${coursePath}/book`);
    const fields = {
      fullName: 'Synthetic Trainee',
      jobRole: 'Teacher',
      employer: 'Synthetic School',
      sector: 'education',
      email: 'trainee@synthetic.example',
    };
    const refused = await agent.post(`${coursePath}/book`, { ...fields, requirements: 'Vegan' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('face-to-face courses only');
    const booked = await agent.post(`${coursePath}/book`, fields);
    expect(booked.statusCode).toBe(303);
    const page = await agent.get(booked.headers.location as string);
    expect(page.body).toContain('Synthetic Trainee');
    const api = await agent.get(`/api/v1/partnership/courses/${coursePath.split('/').at(-1)}`);
    expect(api.json()).toMatchObject({ bookings: [{ fullName: 'Synthetic Trainee' }] });
  });
});

describe('bad input (issue 10 item 10)', () => {
  it('refuses a meeting in year 9999 or 0000, or with a NUL in its title, keeping what was typed', async () => {
    const agent = await staffAgent(business);
    await agent.get('/partnership/meetings');
    const meeting = (title: string, year: string) =>
      agent.post('/partnership/meetings', {
        body: 'Board',
        title,
        'meetingDate-day': '1',
        'meetingDate-month': '2',
        'meetingDate-year': year,
      });
    for (const year of ['9999', '0000']) {
      const refused = await meeting('Annual review', year);
      expect(refused.statusCode, year).toBe(400);
      expect(refused.body).toContain('Enter a date of the meeting between 1900 and 2200');
      expect(refused.body).toContain('value="Annual review"');
    }
    const nul = await meeting('Annual\u0000review', '2027');
    expect(nul.statusCode).toBe(400);
    expect(nul.body).toContain(
      'The meeting title contains a hidden character that cannot be saved',
    );
    const stored = await database.db.selectFrom('partnership_meeting').select('id').execute();
    expect(stored).toEqual([]);
  });

  it('refuses a NUL in the public newsletter sign-up with a message, not a 500', async () => {
    const visitor = new Agent(app);
    await visitor.get('/partnerships/kscmp/newsletter');
    const refused = await visitor.post('/partnerships/kscmp/newsletter', {
      fullName: 'Public\u0000Person',
      employer: 'Public Org',
      email: 'nul.person@synthetic.example',
      consent: 'yes',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Your name contains a hidden character that cannot be saved');
  });
});

describe('public pages', () => {
  it('signs up without signing in, and a tampered unsubscribe link is refused', async () => {
    const visitor = new Agent(app);
    expect((await visitor.get('/partnerships/kscmp/newsletter')).statusCode).toBe(200);
    const invalid = await visitor.post('/partnerships/kscmp/newsletter', { email: 'nope' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('govuk-error-summary');
    const signedUp = await visitor.post('/partnerships/kscmp/newsletter', {
      fullName: 'Public Person',
      employer: 'Public Org',
      email: 'public.person@synthetic.example',
      consent: 'yes',
    });
    expect(signedUp.statusCode).toBe(303);

    const subscriber = await database.db
      .selectFrom('newsletter_subscriber')
      .select('id')
      .where('email', '=', 'public.person@synthetic.example')
      .executeTakeFirstOrThrow();
    const link = service.unsubscribePath('kscmp', subscriber.id);
    const tampered = link.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'));
    expect((await visitor.get(tampered)).statusCode).toBe(404);
    expect((await visitor.post(tampered, {})).statusCode).toBe(404);
    expect((await visitor.get(link.replace('/kscmp/', '/sscp/'))).statusCode).toBe(404);

    expect((await visitor.get(link)).statusCode).toBe(200);
    const done = await visitor.post(link, {});
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/partnerships/kscmp/newsletter/unsubscribed');
    const left = await database.db
      .selectFrom('newsletter_subscriber')
      .select('id')
      .where('id', '=', subscriber.id)
      .execute();
    expect(left).toEqual([]);
  });

  it('takes a survey response without identity, and logs no IP address or user agent', async () => {
    const id = await service.createSurvey(business.context, {
      title: 'Feedback',
      purpose: 'To learn.',
    });
    await service.addQuestion(business.context, id, {
      kind: 'single-choice',
      prompt: 'Useful?',
      options: ['Yes', 'No'],
    });
    await service.openSurvey(business.context, id);
    const [question] = (await service.survey(business.context, id)).questions;

    let captured: unknown;
    const logged = await testApp(database);
    logged.addHook('onResponse', async (request) => {
      if (request.method === 'POST') captured = request;
    });
    const visitor = new Agent(logged);
    await visitor.get(`/surveys/${id}`);
    const response = await visitor.post(`/surveys/${id}`, {
      [`q_${question!.id}`]: question!.options[0]!.id,
    });
    expect(response.statusCode).toBe(303);
    await logged.close();

    // Log the real request as Fastify's request logger does, through the app's own settings.
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino(
      loggerOptions(testConfig({ LOG_LEVEL: 'info' })) as pino.LoggerOptions,
      sink,
    );
    logger.info({ req: captured }, 'incoming request');
    logger.flush();
    const text = lines.join('');
    expect(text).toContain('/surveys/:id');
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toMatch(/remoteAddress|user-agent|lightMyRequest/i);
  });
});
