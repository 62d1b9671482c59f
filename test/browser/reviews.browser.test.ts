import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonToday } from '../../src/casework/retention.js';
import { dueFrom, timescales } from '../../src/casework/entries/timescales.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { formatDate } from '../../src/platform/http/views.js';
import { testDatabase } from '../support/database.js';
import { kentCaseload } from '../support/kent-caseload.js';
import { codesOnPage } from '../support/human-words.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 13 item 2 in a browser (decision 0031): a social worker sees a
 * looked-after child's first review overdue on My work, records the review
 * and how the child took part (errors in plain words first, what was typed
 * kept), sees it on the record
 * and the child's chronology, and the second review due on My work; the
 * conference form on a plan offers the conference's decisions. With and
 * without JavaScript; axe on every page.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let child: string;
let lookedAfterId: string;
let planId: string;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 4 });
  const db = database.db;
  const kent = await kentCaseload(db);
  // Opened on 1 January 2025 with no review since: long overdue.
  ({ recordId: lookedAfterId, personId: child } = await kent.record('looked-after', {
    givenName: 'Orla',
    familyName: 'Pendry',
    dateOfBirth: '2012-02-03',
  }));
  ({ recordId: planId } = await kent.record('child-protection-plan', {
    givenName: 'Tamsin',
    familyName: 'Vellacott',
    dateOfBirth: '2015-08-09',
  }));
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

describe('conferences and looked after reviews', { timeout: JOURNEY_TIMEOUT }, () => {
  it('records a review and shows the next one due, on the record and on My work', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    const link = page.locator(`a[href="/records/${lookedAfterId}#reviews"]`);
    const dueRow = page.locator('tr', { has: link });
    await expect(dueRow.first().textContent()).resolves.toContain(
      'First looked after review overdue: within 20 working days of becoming looked after',
    );

    expect(await tab.visit(`/records/${lookedAfterId}`)).toBe(200);
    const dueList = (await page.getByTestId('reviews-due').textContent()) ?? '';
    expect(dueList).toContain('Overdue');
    expect(dueList).toContain('regulation 33(1)');
    await Promise.all([
      page.waitForURL(`**/records/${lookedAfterId}/reviews/new`),
      page.getByTestId('record-review').click(),
    ]);
    await tab.checkAccessibility();

    await tab.submit({ 'review-chair': 'Independent reviewing officer' }, 'review-submit');
    const summary = (await page.locator('.govuk-error-summary').textContent()) ?? '';
    expect(summary).toContain('Enter the date it was held');
    expect(summary).toContain('Select how the child took part');
    expect(summary).toContain('Enter what was decided');
    expect(summary).not.toMatch(/invalid input|expected|received|too big/i);
    expect(await page.getByTestId('review-chair').inputValue()).toBe(
      'Independent reviewing officer',
    );

    const today = londonToday();
    const [year, month, day] = today.split('-');
    await page.locator('#heldOn-day').fill(String(Number(day)));
    await page.locator('#heldOn-month').fill(String(Number(month)));
    await page.locator('#heldOn-year').fill(year ?? '');
    // How the child took part, in the DfE's terms, in words (SSDA903 REVIEW_CODE).
    await page
      .getByTestId('review-participation')
      .getByLabel('Attended, and an advocate or the reviewing officer spoke for them')
      .check();
    await tab.submit(
      { 'review-summary': 'Stays with foster carers; contact weekly.' },
      'review-submit',
    );

    expect(tab.path()).toBe(`/records/${lookedAfterId}`);
    const timeline = (await page.getByTestId('reviews-timeline').textContent()) ?? '';
    expect(timeline).toContain('Looked after review');
    expect(timeline).toContain(formatDate(today));
    expect(timeline).toContain('Stays with foster carers; contact weekly.');
    expect(timeline).toContain('Attended, and an advocate or the reviewing officer spoke for them');
    expect(codesOnPage(await page.content())).toEqual([]);
    const second = dueFrom(today, timescales.secondLookedAfterReview);
    await expect(page.getByTestId('reviews-due').textContent()).resolves.toContain(
      formatDate(second),
    );

    expect(await tab.visit(`/chronologies/${child}`)).toBe(200);
    await expect(page.getByTestId('chronology-table').textContent()).resolves.toContain(
      'Looked after review',
    );

    expect(await tab.visit('/')).toBe(200);
    const row =
      (await page
        .locator('tr', { has: page.locator(`a[href="/records/${lookedAfterId}#reviews"]`) })
        .first()
        .textContent()) ?? '';
    expect(row).toContain('Second looked after review due');
    expect(row).toContain(formatDate(second));
    await tab.close();
  });

  it('records a conference without JavaScript, choosing its decision', async () => {
    const tab = await Tab.open(browser, baseUrl, { javaScript: false });
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    expect(await tab.visit(`/records/${planId}/reviews/new`)).toBe(200);
    await page.getByTestId('review-kind').getByLabel('Initial child protection conference').check();
    await page.locator('#heldOn-day').fill('3');
    await page.locator('#heldOn-month').fill('6');
    await page.locator('#heldOn-year').fill('2026');
    await page.getByTestId('review-decision').getByLabel('Child protection plan made').check();
    await page.getByTestId('review-childParticipated').getByLabel('No').check();
    await tab.submit({ 'review-summary': 'Plan made: neglect.' }, 'review-submit');
    expect(tab.path()).toBe(`/records/${planId}`);
    await expect(page.getByTestId('reviews-timeline').textContent()).resolves.toContain(
      'Initial child protection conference — child protection plan made',
    );
    await expect(page.getByTestId('reviews-due').textContent()).resolves.toContain(
      `Due by ${formatDate(dueFrom('2026-06-03', timescales.firstReviewConference))}`,
    );
    await tab.close();
  });
});
