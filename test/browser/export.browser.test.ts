import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { testDatabase } from '../support/database.js';
import { kentCaseload } from '../support/kent-caseload.js';
import { codesOnPage } from '../support/human-words.js';
import { pdfText } from '../support/pdf-text.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 13 item 10 in a browser: a social worker downloads a record and a
 * child's chronology (filtered by date and kind) as PDF and CSV, each marked
 * OFFICIAL-SENSITIVE and each download audited; another organisation's
 * worker gets not found. axe on the pages; the filter works without JavaScript.
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
  const kent = await kentCaseload(db);
  ({ recordId, personId: child } = await kent.record('child-in-need', {
    givenName: 'Morwenna',
    familyName: 'Trelawny',
    dateOfBirth: '2013-07-08',
  }));
  for (const [occurred, text] of [
    ['2026-02-03', 'Home visit: kitchen tidy.'],
    ['2026-05-06', 'School says attendance is better.'],
  ] as const) {
    await db
      .insertInto('case_note')
      .values({
        record_id: recordId,
        author_account_id: kent.workerId,
        occurred_on: occurred,
        kind: 'note',
        text,
      })
      .execute();
  }
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function download(page: Page, testId: string): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).click(),
  ]);
  return readFile((await file.path()) ?? '');
}

describe('print and export', { timeout: JOURNEY_TIMEOUT }, () => {
  it('downloads the record as PDF and CSV, marked and audited', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    expect(await tab.visit(`/records/${recordId}`)).toBe(200);
    const pdf = await pdfText(await download(tab.page, 'record-pdf'));
    expect(pdf).toContain('OFFICIAL-SENSITIVE');
    expect(pdf).toContain('Record: Child in need');
    expect(pdf).toContain('About Morwenna Trelawny');
    expect(pdf).toContain('School says attendance is better.');
    expect(pdf).toContain('6 May 2026');
    const csv = (await download(tab.page, 'record-csv')).toString('utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^OFFICIAL-SENSITIVE,/);
    expect(csv).toContain('Case notes,3 February 2026,Note,Home visit: kitchen tidy.');
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'object_ids'])
      .where('action', 'in', ['record.export.pdf', 'record.export.csv'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['record.export.csv', 'record.export.pdf']);
    expect(audit.every((a) => a.object_ids.includes(recordId))).toBe(true);
    await tab.close();
  });

  it('downloads a person’s summary with their records and alerts', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    expect(await tab.visit(`/people/${child}`)).toBe(200);
    const pdf = await pdfText(await download(tab.page, 'person-pdf'));
    expect(pdf).toContain('OFFICIAL-SENSITIVE');
    expect(pdf).toContain('Person summary: Morwenna Trelawny');
    expect(pdf).toContain('Born 8 July 2013');
    expect(pdf).toMatch(/Child in need[^:]*: About them; opened 1 January 2025; open/);
    const csv = (await download(tab.page, 'person-csv')).toString('utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^OFFICIAL-SENSITIVE,/);
    const audit = await database.db
      .selectFrom('audit_event')
      .select('object_ids')
      .where('action', 'in', ['person.export.pdf', 'person.export.csv'])
      .execute();
    expect(audit).toHaveLength(2);
    expect(
      audit.every((a) => a.object_ids.includes(child) && a.object_ids.includes(recordId)),
    ).toBe(true);
    await tab.close();
  });

  it('filters the chronology by date and kind without JavaScript and exports what matches', async () => {
    const tab = await Tab.open(browser, baseUrl, { javaScript: false });
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    expect(await tab.visit(`/chronologies/${child}`)).toBe(200);
    await page.locator('summary', { hasText: 'Filter by date and kind' }).click();
    await page.locator('#from-day').fill('1');
    await page.locator('#from-month').fill('4');
    await page.locator('#from-year').fill('2026');
    await page.getByLabel('Case notes').check();
    await tab.submit({}, 'chronology-filter-apply');
    const table = (await page.getByTestId('chronology-table').textContent()) ?? '';
    expect(table).toContain('School says attendance is better.');
    expect(table).not.toContain('Home visit: kitchen tidy.');
    expect(table).not.toContain('Child in need opened');
    expect(codesOnPage(await page.content())).toEqual([]);
    const csv = (await download(page, 'chronology-csv')).toString('utf8');
    expect(csv).toContain('School says attendance is better.');
    expect(csv).not.toContain('kitchen tidy');
    expect(csv).toContain('Entries from 1 April 2026; only case notes');

    // A date that is not one: said in words, typed value kept.
    await tab.visit(`/chronologies/${child}?from-day=31&from-month=2&from-year=2026`);
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Enter the first date as a real date, like 27 3 2026',
    );
    expect(await page.locator('#from-day').inputValue()).toBe('31');
    await tab.close();
  });

  it('passes axe on the filtered chronology, and is not found for another organisation', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    expect(
      await tab.visit(`/chronologies/${child}?kind=note&to-day=1&to-month=4&to-year=2026`),
    ).toBe(200);
    await tab.close();
    const other = await Tab.open(browser, baseUrl);
    await other.signIn('officer@maidstone-bc.example', DEMO_PASSWORD);
    for (const path of [
      `/records/${recordId}/export.pdf`,
      `/chronologies/${child}/export.csv`,
      `/people/${child}/export.pdf`,
    ]) {
      const response = await other.page.request.get(baseUrl + path);
      expect(response.status()).toBe(404);
    }
    await other.close();
  });
});
