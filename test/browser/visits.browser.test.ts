import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestNextVisit } from '../../src/casework/entries/visit-policy.js';
import { londonToday } from '../../src/casework/retention.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { formatDate } from '../../src/platform/http/views.js';
import { testDatabase } from '../support/database.js';
import { kentCaseload } from '../support/kent-caseload.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 13 items 2 and 5 in a browser: a social worker sees a child
 * protection plan's visit overdue on My work, records the visit (errors in
 * plain words first, what was typed kept), sees it on the record and the
 * child's chronology, and the next visit due on My work. axe on every page.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let child: string;
let recordId: string;
let lookedAfterId: string;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 4 });
  const db = database.db;
  const kent = await kentCaseload(db);
  // Opened on 1 January 2025 with no visit since: long overdue.
  ({ recordId, personId: child } = await kent.record('child-protection-plan', {
    givenName: 'Tamsin',
    familyName: 'Vellacott',
    dateOfBirth: '2015-08-09',
  }));
  ({ recordId: lookedAfterId } = await kent.record('looked-after', {
    givenName: 'Orla',
    familyName: 'Pendry',
    dateOfBirth: '2012-02-03',
  }));
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

describe('statutory visits', { timeout: JOURNEY_TIMEOUT }, () => {
  it('records a visit and shows it in the chronology and the next one due on My work', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    const overdue = page.locator(`a[href="/records/${recordId}#visits"]`);
    await expect(overdue.first().textContent()).resolves.toBe(
      'Child protection plan record opened 1 January 2025',
    );
    const dueRow = page.locator('tr', { has: overdue });
    await expect(dueRow.first().textContent()).resolves.toContain('Statutory visit overdue');

    expect(await tab.visit(`/records/${recordId}`)).toBe(200);
    await expect(page.getByTestId('visit-next-due').textContent()).resolves.toContain('Overdue');
    await Promise.all([
      page.waitForURL(`**/records/${recordId}/visits/new`),
      page.getByTestId('record-visit').click(),
    ]);
    await tab.checkAccessibility();

    // Nothing answered: every message in plain words; typed text kept.
    await tab.submit({ 'visit-present': 'Mother' }, 'visit-submit');
    const summary = (await page.locator('.govuk-error-summary').textContent()) ?? '';
    expect(summary).toContain('Enter the date of the visit');
    expect(summary).toContain('Select yes if the child was seen');
    expect(summary).toContain('Select yes if the child’s bedroom was seen');
    expect(summary).not.toMatch(/invalid input|expected|received|too big/i);
    expect(await page.getByTestId('visit-present').inputValue()).toBe('Mother');

    const today = londonToday();
    const [year, month, day] = today.split('-');
    await page.locator('#visitedOn-day').fill(String(Number(day)));
    await page.locator('#visitedOn-month').fill(String(Number(month)));
    await page.locator('#visitedOn-year').fill(year ?? '');
    await page.getByTestId('visit-childSeen').getByLabel('Yes').check();
    await page.getByTestId('visit-seenAlone').getByLabel('Yes').check();
    await page.getByTestId('visit-bedroomSeen').getByLabel('Yes').check();
    await tab.submit({ 'visit-wishes': 'Wants to keep seeing her grandmother.' }, 'visit-submit');

    expect(tab.path()).toBe(`/records/${recordId}`);
    const timeline = (await page.getByTestId('visits-timeline').textContent()) ?? '';
    expect(timeline).toContain('Statutory visit — seen alone');
    expect(timeline).toContain(formatDate(today));
    expect(timeline).toContain('Wants to keep seeing her grandmother.');
    const next = latestNextVisit('child-protection-plan', today) ?? '';
    await expect(page.getByTestId('visit-next-due').textContent()).resolves.toContain(
      formatDate(next),
    );

    expect(await tab.visit(`/chronologies/${child}`)).toBe(200);
    await expect(page.getByTestId('chronology-table').textContent()).resolves.toContain(
      'Statutory visit — seen alone',
    );

    expect(await tab.visit('/')).toBe(200);
    const dueNow = page.locator('tr', {
      has: page.locator(`a[href="/records/${recordId}#visits"]`),
    });
    const row = (await dueNow.first().textContent()) ?? '';
    expect(row).toContain('Statutory visit due');
    expect(row).toContain(formatDate(next));
    await tab.close();
  });

  it('records a looked-after child’s SDQ score and shows it on the record', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    expect(await tab.visit(`/records/${lookedAfterId}`)).toBe(200);
    await Promise.all([
      page.waitForURL(`**/records/${lookedAfterId}/outcomes/new`),
      page.getByTestId('record-outcome').click(),
    ]);
    await tab.checkAccessibility();
    await tab.submit({ 'outcome-sdq': '44' }, 'outcome-submit');
    const summary = (await page.locator('.govuk-error-summary').textContent()) ?? '';
    expect(summary).toContain('Select what happened');
    expect(summary).toContain('Enter the date it happened');
    expect(await page.getByTestId('outcome-sdq').inputValue()).toBe('44');

    await page.getByLabel('Strengths and difficulties questionnaire (SDQ)').check();
    await page.locator('#occurredOn-day').fill('2');
    await page.locator('#occurredOn-month').fill('3');
    await page.locator('#occurredOn-year').fill('2026');
    await tab.submit({ 'outcome-sdq': '18' }, 'outcome-submit');
    expect(tab.path()).toBe(`/records/${lookedAfterId}`);
    const table = (await page.getByTestId('outcomes-table').textContent()) ?? '';
    expect(table).toContain('2 March 2026');
    expect(table).toContain('Strengths and difficulties questionnaire (SDQ): score 18');
    await tab.close();
  });
});
