import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { policies } from '../../src/policy/index.js';
import { caseworkStaff, type CaseworkStaff } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * The privacy notices and the record of processing in a browser (issue 11):
 * the list and each of the five notices, without signing in, pass axe
 * (Tab.visit checks every page); a
 * DPO whose notice is due for review sees the banner (and one whose is not,
 * none); the DPO sees the record of processing, downloads it
 * as CSV, and reads the appropriate policy document and the differences.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let dpo: CaseworkStaff;
let kscmpDpo: CaseworkStaff;

beforeAll(async () => {
  database = await testDatabase();
  dpo = await caseworkStaff(database.db, 'maidstone-bc', ['data-protection-officer']);
  kscmpDpo = await caseworkStaff(database.db, 'kscmp', ['data-protection-officer']);
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

describe('the privacy notices in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('the list and each of the five notices render without signing in; axe-clean', async () => {
    const visitor = await Tab.open(browser, baseUrl);
    expect(await visitor.visit('/privacy')).toBe(200);
    for (const policy of policies) {
      expect(await visitor.visit(`/privacy/${policy.slug}`), policy.slug).toBe(200);
      expect(await visitor.page.getByTestId('notice-heading').textContent()).toBe('Privacy notice');
      expect(await visitor.page.getByTestId('retention-sentence').count()).toBeGreaterThan(0);
    }
    await visitor.close();
  });

  it('the DPO is reminded to review the notice only when a review is due, and marks it reviewed', async () => {
    // KSCMP's notice was last updated on 7 April 2025: a year on, its review is overdue.
    const tab = await Tab.open(browser, baseUrl);
    await tab.signInSettingUpTwoFactor(kscmpDpo.email, kscmpDpo.password);
    expect(await tab.visit('/')).toBe(200);
    expect(await tab.page.getByTestId('notice-review').textContent()).toContain(
      'The privacy notice’s review was due on 7 April 2026',
    );
    // Marking it reviewed records a new policy version and ends the reminder.
    await Promise.all([
      tab.page.waitForURL(`${baseUrl}/governance/policy#notice-review`),
      tab.page.getByTestId('notice-review-mark-link').click(),
    ]);
    await tab.checkAccessibility();
    await Promise.all([
      tab.page.waitForLoadState('load'),
      tab.page.getByTestId('mark-reviewed').click(),
    ]);
    await tab.page.waitForLoadState('load');
    await tab.checkAccessibility();
    expect(await tab.page.getByTestId('notice-review-status').textContent()).toContain(
      'last reviewed on',
    );
    expect(await tab.visit('/')).toBe(200);
    expect(await tab.page.getByTestId('notice-review').count()).toBe(0);
    await tab.close();
  });

  it('the DPO downloads the record of processing', async () => {
    // Maidstone's notice states no date: its review date is the day it was
    // loaded (25 November 2026), so no review is due yet.
    const tab = await Tab.open(browser, baseUrl);
    await tab.signInSettingUpTwoFactor(dpo.email, dpo.password);
    expect(await tab.visit('/')).toBe(200);
    expect(await tab.page.getByTestId('notice-review').count()).toBe(0);
    expect(await tab.visit('/governance/record-of-processing')).toBe(200);
    const [download] = await Promise.all([
      tab.page.waitForEvent('download'),
      tab.page.getByTestId('ropa-download').click(),
    ]);
    expect(download.suggestedFilename()).toBe('record-of-processing-maidstone-bc.csv');
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const csv = await readFile(path, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('Controller,Data protection officer');
    expect(csv).toContain('Safeguarding concern log');
    for (const url of [
      '/governance/appropriate-policy-document',
      '/governance/notice/differences',
    ]) {
      expect(await tab.visit(url), url).toBe(200);
    }
    await tab.close();
  });
});
