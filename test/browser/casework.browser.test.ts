import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { createPerson } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

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

describe('casework in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
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

  it('changes a care leaver’s accommodation, changes and removes a placement, and records a national panel decision; every page passes axe', async () => {
    const child = await createPerson(database.db, 'kent-scs', {
      givenName: 'Leaver',
      familyName: 'Synthetic',
      dateOfBirth: '2007-03-03',
    });
    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const fillDate = async (name: string, iso: string) => {
      const [year, month, day] = iso.split('-');
      await page.fill(`[name="${name}-day"]`, day!);
      await page.fill(`[name="${name}-month"]`, month!);
      await page.fill(`[name="${name}-year"]`, year!);
    };
    /** Follows a link or presses a button that loads a page, then checks it with axe. */
    const go = async (locator: ReturnType<typeof page.locator>) => {
      await Promise.all([page.waitForEvent('load'), locator.click()]);
      await tab.checkAccessibility();
    };

    expect(await tab.visit(`/records/new?person=${child}&category=looked-after`)).toBe(200);
    await fillDate('openedOn', '2025-03-03');
    await go(page.getByTestId('save-record'));
    const recordPath = tab.path();
    expect(recordPath).toMatch(/^\/records\/[0-9a-f-]{36}$/);

    // A placement: added, changed, then removed after the confirmation step.
    await go(page.getByTestId('add-placements'));
    await page.selectOption('[name="item.type"]', 'foster-care');
    await fillDate('item.startedOn', '2025-03-03');
    await page.fill('[name="item.provider"]', 'Synthetic Fostering Agency');
    await go(page.getByTestId('save-detail-list-item'));
    await expect(page.getByTestId('item-placements-0').textContent()).resolves.toContain(
      'Synthetic Fostering Agency',
    );
    await go(page.locator(`a[href="${recordPath}/details/placements/0/edit"]`));
    await page.fill('[name="item.provider"]', '');
    await go(page.getByTestId('save-detail-list-item'));
    await expect(page.getByTestId('item-placements-0').textContent()).resolves.not.toContain(
      'Synthetic Fostering Agency',
    );
    await go(page.locator(`a[href="${recordPath}/details/placements/0/remove"]`));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'Remove placement 1?',
    );
    await go(page.getByTestId('confirm-remove'));
    expect(await page.getByTestId('item-placements-0').count()).toBe(0);

    // The care leaver's situation: a missing answer is explained, then saved and changed.
    await go(page.locator(`a[href="${recordPath}/details/careLeaver/edit"]`));
    await page.selectOption('[name="item.education"]', 'further-education');
    await go(page.getByTestId('save-detail-list-item'));
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Accommodation: select an option',
    );
    await page.selectOption('[name="item.employment"]', 'part-time');
    await page.selectOption('[name="item.accommodation"]', 'supported-lodgings');
    await go(page.getByTestId('save-detail-list-item'));
    await go(page.locator(`a[href="${recordPath}/details/careLeaver/edit"]`));
    await page.selectOption('[name="item.accommodation"]', 'independent');
    await go(page.getByTestId('save-detail-list-item'));
    await expect(page.getByTestId('detail-careLeaver').textContent()).resolves.toContain(
      'Independent',
    );
    expect(await tab.visit(`${recordPath}/history`)).toBe(200);
    await expect(page.getByTestId('history-table').textContent()).resolves.toContain(
      'detail.careLeaver',
    );
    await tab.close();

    // A partnership's rapid review: the national panel notification decision.
    const review = await createPerson(database.db, 'kscmp', { givenName: 'Reviewed' });
    const business = await Tab.open(browser, baseUrl);
    await business.signIn('business@kscmp.example', DEMO_PASSWORD);
    const bpage = business.page;
    expect(await business.visit(`/records/new?person=${review}&category=practice-review`)).toBe(
      200,
    );
    const [year, month, day] = ['2026', '1', '12'];
    await bpage.fill('[name="openedOn-day"]', day);
    await bpage.fill('[name="openedOn-month"]', month);
    await bpage.fill('[name="openedOn-year"]', year);
    await bpage.selectOption('[name="detail.reviewType"]', 'rapid-review');
    await Promise.all([
      bpage.waitForURL(/\/records\/[0-9a-f-]{36}$/),
      bpage.getByTestId('save-record').click(),
    ]);
    await business.checkAccessibility();
    const reviewPath = business.path();
    await Promise.all([
      bpage.waitForEvent('load'),
      bpage.locator(`a[href="${reviewPath}/details/nationalPanelNotification/edit"]`).click(),
    ]);
    await business.checkAccessibility();
    await bpage.selectOption('[name="item.decision"]', 'not-notified');
    await bpage.fill('[name="item.decidedOn-day"]', '14');
    await bpage.fill('[name="item.decidedOn-month"]', '1');
    await bpage.fill('[name="item.decidedOn-year"]', '2026');
    await Promise.all([
      bpage.waitForURL(`**${reviewPath}#detail`),
      bpage.getByTestId('save-detail-list-item').click(),
    ]);
    await business.checkAccessibility();
    const decision = await bpage.getByTestId('detail-nationalPanelNotification').textContent();
    expect(decision).toContain('Not notified');
    expect(decision).toContain('14 January 2026');
    await business.close();
    // Two sign-ins and some twenty pages, each checked with axe, on a shared machine.
  }, 120_000);
});
