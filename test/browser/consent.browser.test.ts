import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { createPerson } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 12 item 7 in a browser: a Kent social worker records a person's
 * consent to be told about events (errors in words first, what was typed
 * kept), sees them on the list of everyone consenting, records the
 * withdrawal, and they leave the list at once. axe on every page.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let personId: string;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 3 });
  personId = await createPerson(database.db, 'kent-scs', {
    givenName: 'Ottilie',
    familyName: 'Brennand',
    dateOfBirth: '1990-04-12',
  });
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function fillDate(tab: Tab, id: string, day: string, month: string, year: string) {
  await tab.page.locator(`#${id}-day`).fill(day);
  await tab.page.locator(`#${id}-month`).fill(month);
  await tab.page.locator(`#${id}-year`).fill(year);
}

describe('consent, given and withdrawn', { timeout: JOURNEY_TIMEOUT }, () => {
  it('is recorded with its evidence, listed, and withdrawn at once', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    expect(await tab.visit(`/people/${personId}`)).toBe(200);
    await Promise.all([
      tab.page.waitForURL(`**/people/${personId}/consent`),
      tab.page.getByRole('link', { name: 'Consent' }).click(),
    ]);
    await tab.checkAccessibility();

    // Nothing chosen: every problem in words, the evidence kept.
    await tab.page.locator('#evidence').fill('Signed form on the family file');
    await tab.submit({}, 'record-consent');
    const summary = await tab.page.locator('.govuk-error-summary').textContent();
    expect(summary).toContain('Select what they consented to');
    expect(summary).toContain('Select how they gave consent');
    expect(summary).toContain('Enter the date they gave consent');
    await expect(tab.page.locator('#evidence').inputValue()).resolves.toBe(
      'Signed form on the family file',
    );

    await tab.page
      .getByLabel(
        "Telling the family about events and activities at Children's Centres and Youth Hubs",
      )
      .check();
    await tab.page.getByLabel('In writing').check();
    await fillDate(tab, 'givenOn', '3', '6', '2026');
    await tab.submit({}, 'record-consent');
    await expect(tab.page.getByTestId('saved').textContent()).resolves.toContain(
      'Consent recorded',
    );
    const card = await tab.page.getByTestId('consent-2').textContent();
    expect(card).toContain('Given on 3 June 2026, in writing');

    expect(await tab.visit('/people/consent/events-information')).toBe(200);
    await expect(tab.page.getByTestId('consenting').textContent()).resolves.toContain(
      'Ottilie Brennand',
    );

    expect(await tab.visit(`/people/${personId}/consent`)).toBe(200);
    await Promise.all([
      tab.page.waitForURL(`**/withdraw`),
      tab.page.getByTestId('withdraw-2').click(),
    ]);
    await tab.checkAccessibility();
    await tab.page.getByLabel('In person or on the phone').check();
    await fillDate(tab, 'withdrawnOn', '5', '6', '2026');
    await tab.submit({}, 'withdraw-consent');
    await expect(tab.page.getByTestId('saved').textContent()).resolves.toContain(
      'Consent withdrawn',
    );
    await expect(tab.page.getByTestId('consent-2').textContent()).resolves.toContain(
      'withdrawn on 5 June 2026',
    );
    expect(await tab.visit('/people/consent/events-information')).toBe(200);
    await expect(tab.page.getByTestId('consenting').textContent()).resolves.not.toContain(
      'Ottilie Brennand',
    );
    await tab.close();
  });
});
