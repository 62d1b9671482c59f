import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { createPerson } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { Tab, launchBrowser, serveApp } from './browser.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 6 });
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

describe('casework in a browser', () => {
  it('a practitioner creates a child protection plan and a note; every page passes axe', async () => {
    const child = await createPerson(database.db, 'kent-scs', {
      givenName: 'Browser',
      familyName: 'Synthetic',
      dateOfBirth: '2016-08-08',
    });
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);

    expect(await tab.visit('/records')).toBe(200);
    expect(await tab.visit(`/records/new?person=${child}`)).toBe(200);
    await tab.page.getByLabel('Child protection plan').check();
    await Promise.all([
      tab.page.waitForURL('**/records/new?**'),
      tab.page.getByTestId('continue').click(),
    ]);
    await tab.checkAccessibility();

    const { page } = tab;
    const fillDate = async (name: string, iso: string) => {
      const [year, month, day] = iso.split('-');
      await page.fill(`[name="${name}-day"]`, day!);
      await page.fill(`[name="${name}-month"]`, month!);
      await page.fill(`[name="${name}-year"]`, year!);
    };
    // Missing category of abuse: the error summary, on the same page.
    await fillDate('openedOn', '2026-02-02');
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('save-record').click()]);
    await tab.checkAccessibility();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'There is a problem',
    );

    await page.selectOption('[name="detail.categoryOfAbuse"]', 'neglect');
    await Promise.all([
      page.waitForURL(/\/records\/[0-9a-f-]{36}$/),
      page.getByTestId('save-record').click(),
    ]);
    await tab.checkAccessibility();
    await expect(page.getByTestId('record-subject').textContent()).resolves.toContain(
      'Browser Synthetic',
    );

    await page.getByTestId('note-text').fill('Home visit: synthetic note from the browser test');
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('add-note').click()]);
    await tab.checkAccessibility();
    await expect(page.getByTestId('notes-timeline').textContent()).resolves.toContain(
      'synthetic note from the browser test',
    );

    const recordPath = tab.path();
    expect(await tab.visit(`${recordPath}/history`)).toBe(200);
    expect(await tab.visit(`${recordPath}/edit`)).toBe(200);
    expect(await tab.visit(`/chronologies/${child}`)).toBe(200);
    await expect(page.getByTestId('chronology-table').textContent()).resolves.toContain(
      'synthetic note from the browser test',
    );
    await tab.close();
  });
});
