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
 * Issue 13 item 11 in a browser: the team manager goes from My work to
 * their team, sees each worker's load and overdue work, allocates an
 * unallocated record (an error in plain words first) and reallocates one;
 * a practitioner has no such page. axe on every page; allocation also
 * without JavaScript.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let unallocatedId: string;
let overdueId: string;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 4 });
  const db = database.db;
  const kent = await kentCaseload(db);
  ({ recordId: unallocatedId } = await kent.record(
    'child-in-need',
    { givenName: 'Idris', familyName: 'Penhallow', dateOfBirth: '2017-01-02' },
    { unallocated: true },
  ));
  // Opened 1 January 2025, no visit since: a visit overdue for Sam.
  ({ recordId: overdueId } = await kent.record('child-protection-plan', {
    givenName: 'Bethan',
    familyName: 'Quiller',
    dateOfBirth: '2016-03-04',
  }));
  // The last oversight set its next review for 1 March 2025: overdue too.
  const manager = await db
    .selectFrom('account')
    .select('id')
    .where('email', '=', 'team.manager@kent-scs.example')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('oversight_note')
    .values({
      record_id: overdueId,
      given_on: '2025-02-01',
      direction: 'Synthetic direction: visit weekly until the conference.',
      next_review_on: '2025-03-01',
      recorded_by: manager.id,
    })
    .execute();
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

describe('the team manager’s team page', { timeout: JOURNEY_TIMEOUT }, () => {
  it('shows loads and overdue work by worker, and allocates unallocated work', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('team.manager@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    await Promise.all([page.waitForURL('**/team'), page.getByTestId('team-link').click()]);
    await tab.checkAccessibility();
    expect(codesOnPage(await page.content())).toEqual([]);
    const workers = page
      .getByTestId('team-workers')
      .locator('tr', { hasText: 'Sam Social-Worker' });
    expect(await workers.textContent()).toMatch(/overdue/);
    const overdue = (await page.getByTestId('team-overdue').first().textContent()) ?? '';
    expect(overdue).toContain('Sam Social-Worker');
    expect(overdue).toContain('Statutory visit overdue');
    expect(overdue).toContain('Management oversight overdue');
    for (const section of ['visits', 'oversight']) {
      expect(
        await page
          .locator(`[data-testid="team-overdue"] a[href="/records/${overdueId}#${section}"]`)
          .count(),
      ).toBeGreaterThan(0);
    }
    const unallocated = (await page.getByTestId('team-unallocated').textContent()) ?? '';
    expect(unallocated).toContain('Idris Penhallow');

    await Promise.all([
      page.waitForURL(`**/team/records/${unallocatedId}/allocate`),
      page.locator(`a[href="/team/records/${unallocatedId}/allocate"]`).click(),
    ]);
    await tab.checkAccessibility();
    expect(codesOnPage(await page.content())).toEqual([]);
    await tab.submit({}, 'allocate-submit');
    const errors = (await page.locator('.govuk-error-summary').textContent()) ?? '';
    expect(errors).toContain('Select a worker in your team');
    await page.getByTestId('allocate-worker').getByLabel('Sam Social-Worker').check();
    await tab.submit({}, 'allocate-submit');
    expect(tab.path()).toBe('/team');
    const caseload = page
      .getByTestId('team-caseload')
      .locator('tr', { hasText: 'Idris Penhallow' });
    expect(await caseload.textContent()).toContain('Sam Social-Worker');
    expect(await page.getByTestId('team-unallocated').count()).toBe(0);
    await tab.close();
  });

  it('reallocates without JavaScript', async () => {
    const tab = await Tab.open(browser, baseUrl, { javaScript: false });
    await tab.signIn('team.manager@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    expect(await tab.visit(`/team/records/${overdueId}/allocate`)).toBe(200);
    await page.getByTestId('allocate-worker').getByLabel('Taylor Team-Manager').check();
    await tab.submit({}, 'allocate-submit');
    expect(tab.path()).toBe('/team');
    const row = page.getByTestId('team-caseload').locator('tr', { hasText: 'Bethan Quiller' });
    expect(await row.textContent()).toContain('Taylor Team-Manager');
    await tab.close();
  });

  it('does not exist for a practitioner', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    expect(await tab.page.getByTestId('team-link').count()).toBe(0);
    expect(await tab.visit('/team')).toBe(404);
    expect(await tab.visit(`/team/records/${unallocatedId}/allocate`)).toBe(404);
    await tab.close();
  });
});
