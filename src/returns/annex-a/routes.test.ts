import type { FastifyInstance } from 'fastify';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followReturnJob } from '../../../test/support/return-jobs.js';
import { Agent, testApp } from '../../../test/support/app.js';
import { caseworkStaff, organisationId, signInFully } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { loadDemoData } from '../../demo/demo-data.js';
import { annexALists, listKeys } from './lists.js';

/**
 * The Annex A part of the returns page, through HTTP as staff use it: only
 * returns staff see it; a date that is not a real one is refused in words
 * with what was typed kept; a check shows the lists and any failing child
 * (linked for those who may open the record); the workbook is made only
 * with the CSRF token and no error, and is then listed as made. No id,
 * slug or ISO date on the page.
 */
let database: ScratchDatabase;
let app: FastifyInstance;
let governance: Agent;
let practitioner: Agent;
let kent: string;

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const isoDate = /\b\d{4}-\d{2}-\d{2}\b/;
const asOf = { 'asOf-day': '1', 'asOf-month': '10', 'asOf-year': '2026' };
const query = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 60 });
  kent = await organisationId(database.db, 'kent-scs');
  app = await testApp(database);
  governance = new Agent(app);
  await signInFully(
    governance,
    await caseworkStaff(database.db, 'kent-scs', ['information-governance']),
  );
  practitioner = new Agent(app);
  await signInFully(
    practitioner,
    await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']),
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('the Annex A part of the returns page', () => {
  it('is not there for staff without a returns role', async () => {
    expect((await practitioner.get(`/returns/annex-a?${query(asOf)}`)).statusCode).toBe(404);
    await practitioner.get('/');
    expect((await practitioner.post('/returns/annex-a', asOf)).statusCode).toBe(404);
  });

  it('asks for the date the lists are for', async () => {
    const page = await governance.get('/returns');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ofsted Annex A lists');
    for (const part of ['day', 'month', 'year']) expect(page.body).toContain(`name="asOf-${part}"`);
  });

  it('refuses a date that is not real, or in the future, keeping what was typed', async () => {
    const bad = await governance.get(
      `/returns/annex-a?${query({ 'asOf-day': '31', 'asOf-month': '2', 'asOf-year': '2026' })}`,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The date the lists are for must be a real date');
    expect(bad.body).toContain('href="#asOf"');
    expect(bad.body).toMatch(/name="asOf-day"[^>]*value="31"|value="31"[^>]*name="asOf-day"/);
    const future = await governance.get(
      `/returns/annex-a?${query({ 'asOf-day': '1', 'asOf-month': '1', 'asOf-year': '2100' })}`,
    );
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('must be today or in the past');
    const empty = await governance.get('/returns/annex-a');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter the date the lists are for');
  });

  it('checks the lists: each list, what it covers, its rows; no id or ISO date on the page', async () => {
    const page = await governance.get(`/returns/annex-a?${query(asOf)}`);
    expect(page.statusCode).toBe(200);
    const text = visibleText(page.body);
    expect(text).toContain('Annex A lists as of 1 October 2026');
    for (const key of listKeys) {
      expect(text).toContain(`List ${annexALists[key].number}: ${annexALists[key].title}`);
    }
    expect(text).toContain('Safekeep has no early help record');
    expect(text).not.toMatch(uuid);
    expect(text).not.toMatch(isoDate);
    expect(page.body).toContain('data-testid="produce-annex-a"');
  });

  it('makes the workbook only with the form’s token, then lists it as made', async () => {
    await governance.get(`/returns/annex-a?${query(asOf)}`);
    const forged = await governance.post('/returns/annex-a', asOf, false);
    expect(forged.statusCode).toBe(403);
    const { page, file } = await followReturnJob(
      governance,
      await governance.post('/returns/annex-a', asOf),
    );
    expect(page.body).toContain('data-testid="job-made"');
    if (!file) throw new Error('no file linked from the finished job');
    const made = file;
    expect(made.statusCode).toBe(200);
    expect(made.headers['content-type']).toContain('spreadsheetml.sheet');
    expect(made.headers['content-disposition']).toBe(
      'attachment; filename="annex-a-886-20261001.xlsx"',
    );
    const sheets = await readXlsxFile(made.rawPayload);
    expect(sheets.map((s) => s.sheet)).toEqual(listKeys.map((k) => annexALists[k].sheet));
    const returns = await governance.get('/returns');
    expect(visibleText(returns.body)).toContain('Ofsted Annex A lists as of 1 October 2026');
    const row = await database.db
      .selectFrom('statutory_return')
      .select(['kind', 'recipient_id'])
      .where('organisation_id', '=', kent)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ kind: 'annex-a', recipient_id: 'ofsted' });
  });

  it('shows a failing child linked to the record, and will not make the workbook', async () => {
    const plan = await database.db
      .selectFrom('case_record')
      .select(['id', 'detail'])
      .where('organisation_id', '=', kent)
      .where('category', '=', 'child-protection-plan')
      .where('closed_on', 'is', null)
      .where('opened_on', '<=', '2026-10-01')
      .orderBy('opened_on', 'desc')
      .executeTakeFirstOrThrow();
    const detail = { ...(plan.detail as Record<string, unknown>) };
    delete detail['categoryOfAbuse'];
    await database.db
      .updateTable('case_record')
      .set({ detail: JSON.stringify(detail) })
      .where('id', '=', plan.id)
      .execute();
    try {
      const page = await governance.get(`/returns/annex-a?${query(asOf)}`);
      expect(page.statusCode).toBe(200);
      expect(visibleText(page.body)).toContain(
        'The child protection plan has no category of abuse Ofsted recognises',
      );
      expect(page.body).toContain(`href="/records/${plan.id}"`);
      expect(page.body).not.toContain('data-testid="produce-annex-a"');
      const { page: refused, file } = await followReturnJob(
        governance,
        await governance.post('/returns/annex-a', asOf),
      );
      expect(file).toBeUndefined();
      expect(refused.body).toContain('data-testid="job-refused"');
      expect(visibleText(refused.body)).toMatch(
        /cannot be made while (an error remains|\d+ errors remain)/,
      );
      expect(refused.body).toContain(
        'href="/returns/annex-a?asOf-day=1&amp;asOf-month=10&amp;asOf-year=2026"',
      );
    } finally {
      await database.db
        .updateTable('case_record')
        .set({ detail: JSON.stringify(plan.detail) })
        .where('id', '=', plan.id)
        .execute();
    }
  });
});
