import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import { caseworkStaff, signInFully } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let agent: Agent;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  agent = new Agent(app);
  await signInFully(agent, await caseworkStaff(database.db, 'kscmp', ['partnership-business']));
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('the learning and development report page', () => {
  it('asks for its period in day, month and year boxes, this year until chosen', async () => {
    const page = await agent.get('/partnership/training/report');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('YYYY');
    expect(page.body).toContain('name="from-day"');
    expect(page.body).toContain(`value="${new Date().getFullYear()}"`);

    const chosen = await agent.get(
      '/partnership/training/report?from-day=1&from-month=4&from-year=2025&to-day=31&to-month=3&to-year=2026',
    );
    expect(chosen.statusCode).toBe(200);
    expect(chosen.body).toContain('Courses and events ending in the period');
  });

  it('says what is wrong with a period in words, keeping what was typed', async () => {
    const wrong = await agent.get(
      '/partnership/training/report?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=1&to-year=2020',
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The start date must be a real date');
    expect(wrong.body).toContain('value="31"');
    const backwards = await agent.get(
      '/partnership/training/report?from-day=1&from-month=4&from-year=2026&to-day=1&to-month=1&to-year=2026',
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The end must be after the start');
  });
});
