import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import {
  caseworkStaff,
  organisationId,
  signInFully,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';

/**
 * The review queue page: the partnerships' own rows that need a person
 * (here a training booking whose course date is unknown) are listed with
 * case records and decided on the same form.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let governance: CaseworkStaff;
let agent: Agent;
let bookingId: string;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  governance = await caseworkStaff(database.db, 'kscmp', ['information-governance']);
  agent = new Agent(app);
  await signInFully(agent, governance);
  const kscmp = await organisationId(database.db, 'kscmp');
  const { rows: course } = await sql<{ id: string }>`
    insert into training_course (organisation_id, title, kind, delivery, start_date, end_date)
    values (${kscmp}, 'Synthetic course', 'course', 'online', '2018-03-01', '2018-03-01') returning id`.execute(
    database.db,
  );
  const { rows } = await sql<{ id: string }>`
    insert into training_booking (organisation_id, course_id, full_name, job_role, employer, sector, email,
      retention_status, retention_due, retention_action, retention_rule_id, retention_needs_review, retention_explanation)
    values (${kscmp}, ${course[0]!.id}, 'Synthetic Trainee', 'Teacher', 'Synthetic School', 'education',
      'trainee@example.org', 'needs-review', null, 'review', null, true,
      'Needs review: the date of the training is not known.') returning id`.execute(database.db);
  bookingId = rows[0]!.id;
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('the retention review queue', () => {
  it('lists a partnership row needing review and records a decision on it, audited', async () => {
    const page = await agent.get('/retention');
    expect(page.statusCode).toBe(200);
    const queue = /data-testid="review-queue"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    expect(queue).toContain(`href="/retention/items/training-booking/${bookingId}"`);
    expect(queue).toContain('Training booking');
    // Names and verbs, not slugs or ids, on the page.
    expect(queue).toContain('Learning and development / training bookings');
    expect(queue).not.toMatch(/>\s*(training|review|destroy)\s*</);
    expect(queue).not.toContain(`> ${bookingId}<`);
    expect(queue).toContain('the date of the training is not known');
    // The queue shows retention, never the booking's personal details.
    expect(page.body).not.toContain('Synthetic Trainee');

    const url = `/retention/items/training-booking/${bookingId}`;
    const form = await agent.get(url);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Decide what happens to this training booking');
    expect(form.body).toContain('The booking is destroyed and a certificate is kept.');
    expect(form.body).not.toContain('trainee@example.org');

    const invalid = await agent.post(url, { decision: 'keep-until', rationale: 'short' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Explain the decision in at least 10 characters');

    const decided = await agent.post(url, {
      decision: 'keep-until',
      'keepUntil-day': '1',
      'keepUntil-month': '1',
      'keepUntil-year': '2035',
      rationale: 'The course is repeated; attendance must be shown',
    });
    expect(decided.statusCode).toBe(303);
    expect(decided.headers.location).toBe('/retention?decided=1');
    const after = await agent.get('/retention?decided=1');
    expect(after.body).toContain('Decision recorded');
    expect(after.body).not.toContain(bookingId);

    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'object_type'])
      .where(sql<boolean>`${bookingId} = any(object_ids)`)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => [a.action, a.object_type])).toEqual([
      ['retention.review.view', 'training-booking'],
      ['retention.review.view', 'training-booking'],
      ['retention.decision.keep-until', 'training-booking'],
    ]);
  });

  it('answers "not found" for another partnership’s row and for an unknown kind', async () => {
    const sscp = await caseworkStaff(database.db, 'sscp', ['information-governance']);
    const other = new Agent(app);
    await signInFully(other, sscp);
    expect((await other.get(`/retention/items/training-booking/${bookingId}`)).statusCode).toBe(
      404,
    );
    expect((await agent.get(`/retention/items/newsletter/${bookingId}`)).statusCode).toBe(404);
  });
});
