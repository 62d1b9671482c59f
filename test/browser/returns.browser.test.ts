import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { organisationId } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { codesOnPage } from '../support/human-words.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 17 in a browser: information governance at Kent SCS checks the
 * Children in Need census from the returns page, is sent to the records to
 * fix, and once no error remains makes the file; the return is then listed
 * as made. A practitioner has no such page. axe on every page.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db);
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

describe('the returns page', { timeout: JOURNEY_TIMEOUT }, () => {
  it('checks the census, names what to fix, then makes the file once it is clean', async () => {
    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await tab.signInSettingUpTwoFactor('ig.officer@kent-scs.example', DEMO_PASSWORD);
    await Promise.all([page.waitForURL('**/returns'), page.getByTestId('returns-link').click()]);
    await tab.checkAccessibility();
    expect(await page.getByTestId('returns-made').count()).toBe(0);

    // No year chosen: said in words, nothing lost.
    expect(await tab.visit('/returns?year=1999')).toBe(400);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Select a census year from the list',
    );

    await page.getByLabel('Census year').selectOption('2026');
    await Promise.all([
      page.waitForURL('**/returns?year=2026'),
      page.getByTestId('check-census').click(),
    ]);
    await tab.checkAccessibility();
    expect(codesOnPage(await page.content())).toEqual([]);
    const summary = (await page.getByTestId('census-summary').textContent()) ?? '';
    expect(summary).toMatch(/Children in the census\s+\d+/);
    // The demo leaves some dates of birth unknown on purpose: an error to fix
    // in the record, and no file until it is.
    const rules = (await page.getByTestId('census-rule').allTextContents()).join('\n');
    expect(rules).toMatch(/date of birth/i);
    expect(await page.getByTestId('produce-census').count()).toBe(0);

    // Recorded in the records, as a practitioner would from the report.
    const kent = await organisationId(database.db, 'kent-scs');
    await database.db
      .updateTable('person')
      .set({ date_of_birth: '2015-02-14', date_of_birth_precision: 'exact' })
      .where('organisation_id', '=', kent)
      .where('date_of_birth', 'is', null)
      .execute();
    await tab.visit('/returns?year=2026');
    expect(await page.getByTestId('census-summary').textContent()).toMatch(/Errors to fix\s+0/);

    // Made in the background: the job's page swaps in its progress (no
    // page refresh, which axe rightly refuses) until the census is made,
    // then links the file kept with the return.
    await Promise.all([
      page.waitForURL('**/returns/jobs/*'),
      page.getByTestId('produce-census').click(),
    ]);
    await tab.checkAccessibility();
    await page.getByTestId('job-made').waitFor({ timeout: 60_000 });
    await tab.checkAccessibility();
    expect(codesOnPage(await page.content())).toEqual([]);
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('job-download').click(),
    ]);
    expect(file.suggestedFilename()).toBe('cin-census-886-2026.xml');
    const xml = await readFile((await file.path()) ?? '', 'utf8');
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toContain('<ReferenceDate>2026-03-31</ReferenceDate>');

    // A job still working when its page is read: the page never reloads
    // itself; its script swaps in the new state once the job has finished,
    // and says so to a screen reader. (Held here in the table, so the
    // working state is seen on every database, however fast the job.)
    const officer = await database.db
      .selectFrom('account')
      .select('id')
      .where('email', '=', 'ig.officer@kent-scs.example')
      .executeTakeFirstOrThrow();
    const held = await database.db
      .insertInto('statutory_return_job')
      .values({
        organisation_id: kent,
        requested_by: officer.id,
        kind: 'ssda903',
        collection_year: 2026,
        steps_total: 3,
        status: 'running',
        steps_done: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tab.visit(`/returns/jobs/${held.id}`);
    expect(await page.getByTestId('job-status').getAttribute('data-job-status')).toBe('working');
    expect(await page.getByTestId('job-steps').textContent()).toContain('In progress');
    await tab.checkAccessibility();
    await database.db
      .updateTable('statutory_return_job')
      .set({ status: 'failed' })
      .where('id', '=', held.id)
      .execute();
    await page.getByTestId('job-failed').waitFor({ timeout: 15_000 });
    expect(page.url()).toContain(`/returns/jobs/${held.id}`);
    expect(await page.getByRole('status').textContent()).toContain('not made');
    await tab.checkAccessibility();

    await tab.visit('/returns');
    const made = (await page.getByTestId('returns-made').textContent()) ?? '';
    expect(made).toContain('Children in Need census of 31 March 2026');
    expect(made).toContain('Indira Governance');
    await tab.close();
  });

  it('does not exist for a practitioner, who has no link to it', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    expect(await tab.page.getByTestId('returns-link').count()).toBe(0);
    expect(await tab.visit('/returns')).toBe(404);
    await tab.close();
  });
});
