import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import { caseworkStaff, signInFully, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { censusYearsTo } from './routes.js';
import { ssda903Columns, ssda903Tables } from './ssda903/files.js';
import { followReturnJob } from '../../test/support/return-jobs.js';

/**
 * The SSDA903 part of the returns page, over the app: check a year, see the
 * rows per file and the report, make the files as one zip download; the
 * same people as the census, and nobody else (404); a form post without
 * the CSRF token is refused.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let performance: CaseworkStaff;
let practitioner: CaseworkStaff;
let agent: Agent;
const year = String(censusYearsTo(new Date().toISOString().slice(0, 10))[0]);

async function signedIn(staff: CaseworkStaff) {
  const agent = new Agent(app);
  await signInFully(agent, staff);
  return agent;
}

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  performance = await caseworkStaff(database.db, 'kent-scs', ['performance']);
  practitioner = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  agent = await signedIn(performance);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('SSDA903 on the returns page', () => {
  it('offers the check beside the census, and shows the files’ rows once checked', async () => {
    const page = await agent.get('/returns');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('action="/returns/ssda903"');
    expect(page.body).toContain('Check the SSDA903 return');
    const checked = await agent.get(`/returns/ssda903?year=${year}`);
    expect(checked.statusCode).toBe(200);
    expect(checked.body).toContain('data-testid="ssda903-result"');
    expect(checked.body).toContain('data-testid="ssda903-clean"');
    for (const table of ssda903Tables) expect(checked.body).toContain(`>${table}<`);
    expect(checked.body).toContain('Make the SSDA903 files');
    // No ISO date on the page: the years are written out.
    expect(checked.body).not.toMatch(/\b\d{4}-\d\d-\d\d\b/);
  });

  it('makes the eleven files as one zip, recorded among the returns made', async () => {
    await agent.get(`/returns/ssda903?year=${year}`);
    const posted = await agent.post('/returns/ssda903', { year });
    // Made in the background: the job's page, then its kept file.
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toMatch(/^\/returns\/jobs\/[0-9a-f-]{36}$/);
    const { page, file } = await followReturnJob(agent, posted);
    expect(page.body).toContain('data-testid="job-made"');
    expect(page.body).not.toMatch(/\b\d{4}-\d\d-\d\d\b/);
    if (!file) throw new Error('no file linked from the finished job');
    const made = file;
    expect(made.statusCode).toBe(200);
    expect(made.headers['content-type']).toBe('application/zip');
    expect(made.headers['content-disposition']).toBe(
      `attachment; filename="ssda903-886-${year}.zip"`,
    );
    const zip = await JSZip.loadAsync(made.rawPayload);
    expect(Object.keys(zip.files).sort()).toEqual(ssda903Tables.map((t) => `${t}.csv`).sort());
    const episodes = await zip.file('Episodes.csv')?.async('string');
    expect(episodes).toBe(`${ssda903Columns.Episodes.join(',')}\r\n`);
    const listed = await agent.get('/returns');
    expect(listed.body).toContain('SSDA903 children looked after, year ending');
  });

  it('refuses a year not offered, and a post without the form’s token', async () => {
    const bad = await agent.get('/returns/ssda903?year=1999');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select a collection year from the list');
    expect(bad.body).toContain('href="#ssda-year"');
    const forged = await agent.post('/returns/ssda903', { year }, false);
    expect(forged.statusCode).toBe(403);
  });

  it('shows the job’s steps while it runs, never refreshing the whole page, and only to the organisation’s returns staff', async () => {
    const posted = await agent.post('/returns/ssda903', { year });
    const jobUrl = String(posted.headers.location);
    const first = await agent.get(jobUrl);
    expect(first.statusCode).toBe(200);
    // Either still running (steps, a link to see progress) or already made: never an error.
    expect(first.body).not.toContain('http-equiv="refresh"');
    if (first.body.includes('data-job-status="working"')) {
      expect(first.body).toContain('data-testid="job-steps"');
      expect(first.body).toContain('Refresh to see progress');
    }
    await followReturnJob(agent, posted);
    const worker = await signedIn(practitioner);
    expect((await worker.get(jobUrl)).statusCode).toBe(404);
    expect((await agent.get('/returns/jobs/not-a-job')).statusCode).toBe(404);
  });

  it('does not exist for staff without a returns role', async () => {
    const worker = await signedIn(practitioner);
    expect((await worker.get(`/returns/ssda903?year=${year}`)).statusCode).toBe(404);
    await worker.get('/');
    expect((await worker.post('/returns/ssda903', { year })).statusCode).toBe(404);
  });
});
