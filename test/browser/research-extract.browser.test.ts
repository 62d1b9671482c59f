import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { testDatabase } from '../support/database.js';
import { createStaff } from '../support/staff.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 14 item 4 in a browser: governance asks for an extract (errors in
 * words first, what was typed kept), a second person approves it, the CSV
 * downloads with pseudonyms only, and the record of processing lists it.
 * Every page is checked with axe.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 12 });
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

describe('a research extract in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('is asked for, approved by a second person, downloaded and listed in the record of processing', async () => {
    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await tab.signInSettingUpTwoFactor('ig@maidstone-bc.example', DEMO_PASSWORD);
    expect(await tab.visit('/governance/research-extracts')).toBe(200);
    await page.fill('#question', 'Synthetic: which ages and districts concerns come from');
    await tab.submit({}, 'request-extract');
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Select the purpose',
    );
    await expect(page.inputValue('#question')).resolves.toContain('Synthetic');
    await page.check('input[name="purpose"][value="statistics"]');
    await page.check('input[name="fields"][value="age"]');
    await page.check('input[name="fields"][value="postcode"]');
    await tab.submit({}, 'request-extract');
    expect(tab.path()).toBe('/governance/research-extracts');
    await expect(page.getByTestId('extract').textContent()).resolves.toContain(
      'a second person must approve',
    );
    // The one who asked cannot approve.
    await expect(page.getByTestId('approve-extract').count()).resolves.toBe(0);

    const colleague = await createStaff(database.db, [
      { organisation: 'maidstone-bc', role: 'information-governance' },
    ]);
    const second = await Tab.open(browser, baseUrl);
    await second.signInSettingUpTwoFactor(colleague.email, colleague.password);
    expect(await second.visit('/governance/research-extracts')).toBe(200);
    await second.submit({}, 'approve-extract');
    const card = (await second.page.getByTestId('extract').textContent()) ?? '';
    expect(card).not.toContain('Not yet');
    const csv = await second.page.request.get(
      `${baseUrl}${await second.page
        .getByRole('link', { name: 'Download the extract (CSV)' })
        .getAttribute('href')}`,
    );
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text.split('\n')[0]).toBe('pseudonym,age,postcode');
    expect(text).not.toMatch(/\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/);
    expect(await second.visit('/governance/record-of-processing')).toBe(200);
    await expect(second.page.locator('main').textContent()).resolves.toContain(
      'Synthetic: which ages and districts',
    );
    await second.close();
    await tab.close();
  }, 240_000);
});
