import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { testDatabase } from '../support/database.js';
import { kentCaseload } from '../support/kent-caseload.js';
import { codesOnPage } from '../support/human-words.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 13 item 5 in a browser (decision 0032): a social worker writes a
 * case summary (errors in plain words first, what was typed kept) and sees
 * it on the record and in the chronology; the team manager records
 * management oversight, which the worker cannot. axe on every page; the
 * manager's form works without JavaScript.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let child: string;
let recordId: string;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 4 });
  const db = database.db;
  ({ recordId, personId: child } = await (
    await kentCaseload(db)
  ).record('child-in-need', {
    givenName: 'Ffion',
    familyName: 'Maddox',
    dateOfBirth: '2014-05-06',
  }));
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

describe('case summary and management oversight', { timeout: JOURNEY_TIMEOUT }, () => {
  it('a worker writes the case summary; it shows on the record and in the chronology', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    expect(await tab.visit(`/records/${recordId}`)).toBe(200);
    await expect(page.getByTestId('case-summary').textContent()).resolves.toContain(
      'No summary written yet',
    );
    // A practitioner records no oversight.
    expect(await page.getByTestId('record-oversight').count()).toBe(0);
    await Promise.all([
      page.waitForURL(`**/records/${recordId}/summary/new`),
      page.getByTestId('update-summary').click(),
    ]);
    await tab.checkAccessibility();
    await tab.submit({ 'summary-people': 'Mother – main carer' }, 'summary-submit');
    const errors = (await page.locator('.govuk-error-summary').textContent()) ?? '';
    expect(errors).toContain('Enter the current plan');
    expect(errors).toContain('Enter the risks, or say that none are known');
    expect(errors).not.toMatch(/invalid input|expected|received|too big/i);
    expect(await page.getByTestId('summary-people').inputValue()).toBe('Mother – main carer');
    await tab.submit(
      {
        'summary-plan': 'Family support weekly.',
        'summary-risks': 'Neglect when mother is unwell.',
      },
      'summary-submit',
    );
    expect(tab.path()).toBe(`/records/${recordId}`);
    const card = (await page.getByTestId('case-summary').textContent()) ?? '';
    expect(card).toContain('Family support weekly.');
    expect(card).toContain('Mother – main carer');
    expect(codesOnPage(await page.content())).toEqual([]);
    expect(await tab.visit(`/chronologies/${child}`)).toBe(200);
    await expect(page.getByTestId('chronology-table').textContent()).resolves.toContain(
      'Case summary updated. Current plan: Family support weekly.',
    );
    expect(await tab.visit(`/records/${recordId}/oversight/new`)).toBe(403);
    await tab.close();
  });

  it('the team manager records oversight without JavaScript', async () => {
    const tab = await Tab.open(browser, baseUrl, { javaScript: false });
    await tab.signIn('team.manager@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    expect(await tab.visit(`/records/${recordId}`)).toBe(200);
    await Promise.all([
      page.waitForURL(`**/records/${recordId}/oversight/new`),
      page.getByTestId('record-oversight').click(),
    ]);
    await tab.submit({ 'oversight-direction': 'Visit weekly.' }, 'oversight-submit');
    const errors = (await page.locator('.govuk-error-summary').textContent()) ?? '';
    expect(errors).toContain('Enter the date of the oversight');
    expect(await page.getByTestId('oversight-direction').inputValue()).toBe('Visit weekly.');
    await page.locator('#givenOn-day').fill('2');
    await page.locator('#givenOn-month').fill('11');
    await page.locator('#givenOn-year').fill('2026');
    await page.locator('#nextReviewOn-day').fill('2');
    await page.locator('#nextReviewOn-month').fill('12');
    await page.locator('#nextReviewOn-year').fill('2026');
    await tab.submit({}, 'oversight-submit');
    expect(tab.path()).toBe(`/records/${recordId}`);
    const timeline = (await page.getByTestId('oversight-timeline').textContent()) ?? '';
    expect(timeline).toContain('2 November 2026');
    expect(timeline).toContain('Visit weekly.');
    expect(timeline).toContain('Next management review: 2 December 2026');
    // The next oversight is the manager's work now: on My work, one click from the record.
    expect(await tab.visit('/')).toBe(200);
    const due = page.getByTestId('my-due').locator('tr', {
      has: page.locator(`a[href="/records/${recordId}#oversight"]`),
    });
    expect(await due.textContent()).toContain('Management oversight');
    expect(await due.textContent()).toContain('2 December 2026');
    await tab.close();
  });

  it('the oversight form passes axe', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('team.manager@kent-scs.example', DEMO_PASSWORD);
    expect(await tab.visit(`/records/${recordId}/oversight/new`)).toBe(200);
    expect(await tab.visit(`/records/${recordId}`)).toBe(200);
    await tab.close();
  });
});
