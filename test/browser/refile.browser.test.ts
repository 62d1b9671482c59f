import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseworkService } from '../../src/casework/service.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { caseworkStaff, createPerson } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { createStaff, type TestStaff } from '../support/staff.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/*
 * Issue 12 item 14 (re-filing, by information governance) and item 15 (an
 * archived record, out of lists, on the governance page of kept records),
 * through the pages, with axe on every page (decision 0020).
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let kscmpGovernance: TestStaff;
let kentGovernance: TestStaff;
let reviewRecordId: string;
let dueRecordId: string;

beforeAll(async () => {
  database = await testDatabase();
  const casework = new CaseworkService(database.db);
  kscmpGovernance = await createStaff(database.db, [
    { organisation: 'kscmp', role: 'information-governance' },
  ]);
  kentGovernance = await createStaff(database.db, [
    { organisation: 'kent-scs', role: 'information-governance' },
  ]);
  const business = await caseworkStaff(database.db, 'kscmp', ['partnership-business']);
  reviewRecordId = await casework.create(business.context, {
    category: 'practice-review',
    subjectPersonId: await createPerson(database.db, 'kscmp', { dateOfBirth: '2012-01-01' }),
    openedOn: '2024-03-05',
    facts: { incidentDate: '2024-03-01', childDied: false },
    detail: { reviewType: 'rapid-review' },
  });
  const practitioner = await caseworkStaff(
    database.db,
    'kent-scs',
    ['practitioner'],
    ['assessment'],
  );
  // Born in 1990, closed in 2006: its retention has run, so it is for review.
  dueRecordId = await casework.create(practitioner.context, {
    category: 'child-in-need',
    subjectPersonId: await createPerson(database.db, 'kent-scs', { dateOfBirth: '1990-01-01' }),
    openedOn: '2005-01-10',
    closedOn: '2006-01-10',
  });
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

describe('re-filing a record', { timeout: JOURNEY_TIMEOUT }, () => {
  it(
    'information governance moves a referral that was not notified, and its retention follows',
    { timeout: 120_000 },
    async () => {
      const tab = await Tab.open(browser, baseUrl);
      await tab.signInSettingUpTwoFactor(kscmpGovernance.email, kscmpGovernance.password);
      expect(await tab.visit(`/records/${reviewRecordId}`)).toBe(200);
      await Promise.all([
        tab.page.waitForURL(`**/records/${reviewRecordId}/refile`),
        tab.page.getByRole('link', { name: 'Re-file' }).click(),
      ]);
      await tab.checkAccessibility();
      await expect(tab.page.getByTestId('refile-current').textContent()).resolves.toContain(
        'Rapid reviews and Local Child Safeguarding Practice Reviews',
      );

      // Nothing chosen, too short a reason: plain errors, the reason kept.
      await tab.submit({ 'refile-reason': 'short' }, 'refile-submit');
      const summary = (await tab.page.locator('.govuk-error-summary').textContent()) ?? '';
      expect(summary).toContain('Select the category the record belongs in');
      expect(summary).toContain('Give the reason in at least 10 characters');
      expect(await tab.page.getByTestId('refile-reason').inputValue()).toBe('short');

      await tab.page
        .getByLabel('Referral considered for notification to the National Panel, not notified')
        .check();
      await tab.submit(
        { 'refile-reason': 'Considered for notification to the National Panel; not notified.' },
        'refile-submit',
      );
      expect(tab.path()).toBe(`/records/${reviewRecordId}`);
      await expect(tab.page.getByTestId('record-heading').textContent()).resolves.toContain(
        'Referral considered for notification to the National Panel, not notified',
      );
      // "Date of incident +12 years": 1 March 2036, in words.
      expect(await tab.page.content()).toContain('1 March 2036');
      await tab.close();
    },
  );
});

describe('archiving a record at its review', { timeout: JOURNEY_TIMEOUT }, () => {
  it(
    'takes it out of the records list and onto the page of kept records',
    { timeout: 120_000 },
    async () => {
      const tab = await Tab.open(browser, baseUrl);
      await tab.signInSettingUpTwoFactor(kentGovernance.email, kentGovernance.password);
      expect(await tab.visit(`/retention/records/${dueRecordId}`)).toBe(200);
      await tab.page.getByLabel('Archive now').check();
      await tab.page
        .getByLabel('Rationale')
        .fill('Of lasting value to the person as an adult: archived as the notice allows.');
      await tab.submit({}, 'record-decision');
      expect(tab.path()).toBe('/retention');

      await Promise.all([
        tab.page.waitForURL('**/retention/kept'),
        tab.page.getByTestId('kept-link').click(),
      ]);
      await tab.checkAccessibility();
      const kept = (await tab.page.getByTestId('kept-records').textContent()) ?? '';
      expect(kept).toContain('Archived');
      expect(kept).toContain('Child in need and all other children’s records');
      expect(kept).not.toContain('child-in-need');

      // Read-only for governance, with the state said on the page.
      expect(await tab.visit(`/records/${dueRecordId}`)).toBe(200);
      await expect(tab.page.getByTestId('record-kept-state').textContent()).resolves.toContain(
        'archived',
      );
      await tab.visit('/records');
      expect(await tab.page.content()).not.toContain(`/records/${dueRecordId}"`);
      await tab.close();
    },
  );
});
