import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseworkService } from '../../src/casework/service.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { createPerson, organisationId } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 4 });
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

/** A London calendar day `days` from today, as the three GOV.UK date boxes. */
function day(days: number) {
  const date = new Date(Date.now() + days * 86_400_000);
  const [year, month, dayOfMonth] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
    .format(date)
    .split('-');
  return { day: String(Number(dayOfMonth)), month: String(Number(month)), year: year! };
}

async function fillDate(tab: Tab, name: string, days: number) {
  const value = day(days);
  await tab.page.fill(`#${name}-day`, value.day);
  await tab.page.fill(`#${name}-month`, value.month);
  await tab.page.fill(`#${name}-year`, value.year);
}

async function submitStep(tab: Tab) {
  await Promise.all([tab.page.waitForLoadState('load'), tab.page.getByTestId('submit').click()]);
  await tab.page.waitForLoadState('load');
  await tab.checkAccessibility();
}

async function sharedOutsideAgreement(tab: Tab) {
  await tab.page.check('input[name="consent"][value="not-sought"]');
  await tab.page.check('input[name="consentReason"][value="not-reasonably-expected"]');
  await tab.page.fill(
    '#justification',
    'Statutory practice review: this step needs exactly this information.',
  );
}

describe('a practice review in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('walks a referral through the rapid review and a chronology request to publication; every page passes axe', async () => {
    const kscmp = await organisationId(database.db, 'kscmp');
    // A practice-review record of its own: the demo's are already at their
    // workflow stages (src/practice-reviews/demo.ts).
    const business = await database.db
      .selectFrom('account')
      .select(['id', 'display_name'])
      .where('email', '=', 'business@kscmp.example')
      .executeTakeFirstOrThrow();
    const recordId = await new CaseworkService(database.db).create(
      {
        accountId: business.id,
        sessionId: randomUUID(),
        displayName: business.display_name,
        organisation: { id: kscmp, slug: 'kscmp', shortName: 'KSCMP' },
        roles: ['partnership-business'],
        teams: [],
        organisationCount: 1,
        stage: 'complete',
      },
      {
        category: 'practice-review',
        subjectPersonId: await createPerson(database.db, 'kscmp'),
        openedOn: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
          new Date(),
        ),
        detail: { reviewType: 'rapid-review' },
      },
    );
    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await tab.signIn('business@kscmp.example', DEMO_PASSWORD);
    const review = `/records/${recordId}/practice-review`;

    expect(await tab.visit(`/records/${recordId}`)).toBe(200);
    await Promise.all([
      page.waitForURL(`**${review}`),
      page.getByRole('link', { name: 'Review workflow' }).click(),
    ]);
    await tab.checkAccessibility();

    // The referral, first with nothing filled in: the error summary.
    await submitStep(tab);
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Enter who made the referral',
    );
    await fillDate(tab, 'referralReceivedOn', -2);
    await page.fill('#referredBy', 'Synthetic duty team');
    await fillDate(tab, 'awareOn', -3);
    await page.fill('#summary', 'Synthetic referral: a child was seriously harmed.');
    await submitStep(tab);
    expect(tab.path()).toBe(review);
    await expect(page.getByTestId('stage').textContent()).resolves.toContain('Referral received');

    // Notification, then the Rapid Review Group.
    expect(await tab.visit(`${review}/notification`)).toBe(200);
    await page.check('input[name="notified"][value="yes"]');
    await fillDate(tab, 'decidedOn', -1);
    await submitStep(tab);
    expect(await tab.visit(`${review}/rapid-review`)).toBe(200);
    await page.fill('#recipientName', 'KSCMP Rapid Review Group');
    await fillDate(tab, 'sentOn', 0);
    await sharedOutsideAgreement(tab);
    await submitStep(tab);
    expect(tab.path()).toBe(review);
    await expect(page.locator('.govuk-task-list').textContent()).resolves.toContain(
      'Waiting for a second person to approve',
    );

    // A chronology request under the KMISA, due tomorrow.
    expect(await tab.visit(`${review}/chronologies/new`)).toBe(200);
    await page.check('input[name="recipient"][value="partner-agencies"]');
    await page.fill('#agencyName', 'Synthetic Health Trust');
    await page.fill('#scope', 'Involvement with the child and family in the last two years');
    await fillDate(tab, 'requestedOn', 0);
    await fillDate(tab, 'dueOn', 1);
    await page.selectOption('[name="agreementId"]', {
      label: 'Kent and Medway Information Sharing Agreement',
    });
    await page.check('input[name="consent"][value="not-sought"]');
    await page.check('input[name="consentReason"][value="not-reasonably-expected"]');
    await submitStep(tab);
    expect(tab.path()).toBe(review);
    await expect(page.getByTestId('chronologies').textContent()).resolves.toContain(
      'Synthetic Health Trust',
    );

    // What came back: a note.
    await Promise.all([
      page.waitForURL('**/outcome'),
      page.getByRole('link', { name: /Record what came back/ }).click(),
    ]);
    await tab.checkAccessibility();
    await page.check('input[name="outcome"][value="returned"]');
    await fillDate(tab, 'on', 0);
    await page.fill('#note', 'Synthetic: seen twice by the health visitor.');
    await submitStep(tab);
    await expect(page.getByTestId('chronologies').textContent()).resolves.toContain('Returned');

    // The rapid review decides on a practice review; the lead reviewer is appointed.
    expect(await tab.visit(`${review}/decision`)).toBe(200);
    await page.check('input[name="lcspr"][value="yes"]');
    await fillDate(tab, 'decidedOn', 0);
    await page.fill('#reasons', 'Synthetic: learning about multi-agency practice.');
    await submitStep(tab);
    expect(await tab.visit(`${review}/appointments/new`)).toBe(200);
    await page.check('input[name="role"][value="lead-reviewer"]');
    await page.fill('#name', 'Synthetic Lead Reviewer');
    await page.fill('#agency', 'Independent reviewer');
    await fillDate(tab, 'appointedOn', 0);
    await sharedOutsideAgreement(tab);
    await submitStep(tab);
    expect(tab.path()).toBe(review);

    // The final report, then publication: a year at least.
    expect(await tab.visit(`${review}/report`)).toBe(200);
    await page.check('input[name="final"][value="yes"]');
    await page.setInputFiles('#document', {
      name: 'report.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Child A: anonymised synthetic report.'),
    });
    await submitStep(tab);
    expect(tab.path()).toBe(review);
    expect(await tab.visit(`${review}/publication`)).toBe(200);
    await fillDate(tab, 'publishedOn', 0);
    await fillDate(tab, 'withdrawNotBefore', 30);
    await page.check('input[name="anonymised"][value="yes"]');
    await submitStep(tab);
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'at least a year',
    );
    await page.fill('#withdrawNotBefore-day', '');
    await page.fill('#withdrawNotBefore-month', '');
    await page.fill('#withdrawNotBefore-year', '');
    await page.check('input[name="anonymised"][value="yes"]');
    await submitStep(tab);
    expect(tab.path()).toBe(review);
    await expect(page.getByTestId('stage').textContent()).resolves.toContain('Report published');
    // Every step that sent something links to its disclosure.
    const shared = await page.getByTestId('shared-by-steps').textContent();
    expect(shared).toContain('The Rapid Review Group');
    expect(shared).toContain('Chronology request: Synthetic Health Trust');
    expect(shared).toContain('Lead reviewer: Synthetic Lead Reviewer');
    await Promise.all([
      page.waitForURL(/\/sharing\/disclosures\/[0-9a-f-]{36}$/),
      page.getByRole('link', { name: 'The Rapid Review Group' }).click(),
    ]);
    await tab.checkAccessibility();
    await tab.close();
  }, 240_000);
});
