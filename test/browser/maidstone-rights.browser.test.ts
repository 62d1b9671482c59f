import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { testDatabase } from '../support/database.js';
import { pdfText } from '../support/pdf-text.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 12 item 3 (decision record 0023): a subject access request to
 * Maidstone, whose concern log only the Designated Safeguarding Officer and
 * deputies may read, answered end to end with the demo accounts — the
 * officer gathers and redacts, governance and the DPO see and approve only
 * the redacted items.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let subject: { id: string; given_name: string; family_name: string; date_of_birth: string };

const WITNESS = 'Pat Synthetic-Witness';
const DISCLOSED = 'The officer spoke to the family about the concern on Monday.';

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 6 });
  const db = database.db;
  const found = await db
    .selectFrom('person as p')
    .innerJoin('record_party as rp', 'rp.person_id', 'p.id')
    .innerJoin('case_record as cr', 'cr.id', 'rp.record_id')
    .innerJoin('organisation as o', 'o.id', 'cr.organisation_id')
    .select(['p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'cr.id as record_id'])
    .where('o.slug', '=', 'maidstone-bc')
    .where('cr.category', '=', 'safeguarding-concern')
    .where('rp.role', '=', 'subject')
    .where('p.date_of_birth', 'is not', null)
    .orderBy('p.family_name')
    .limit(1)
    .executeTakeFirstOrThrow();
  subject = { ...found, date_of_birth: found.date_of_birth! };
  const dso = await db
    .selectFrom('account')
    .select('id')
    .where('email', '=', 'dso@maidstone-bc.example')
    .executeTakeFirstOrThrow();
  // A synthetic concern-log note naming a third party, for the redaction.
  await db
    .insertInto('case_note')
    .values({
      record_id: found.record_id,
      author_account_id: dso.id,
      occurred_on: '2025-03-10',
      kind: 'contact',
      text: `${WITNESS} reported a worry about ${found.given_name}. ${DISCLOSED}`,
    })
    .execute();
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function moveTo(tab: Tab, state: string, extra?: () => Promise<unknown>) {
  await tab.page.getByTestId('transition-form').getByLabel(state, { exact: true }).check();
  await extra?.();
  await tab.submit({}, 'transition');
}

describe('a Maidstone subject access request in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('is gathered and redacted by the officer; governance and the DPO see and approve only the redacted items', async () => {
    // Information governance records the request.
    const ig = await Tab.open(browser, baseUrl);
    const { page } = ig;
    await ig.signInSettingUpTwoFactor('ig@maidstone-bc.example', DEMO_PASSWORD);
    expect(await ig.visit('/rights/new')).toBe(200);
    await page.getByLabel('Access (subject access request)').check();
    const today = Temporal.Now.plainDateISO('Europe/London');
    await page.locator('#receivedOn-day').fill(String(today.day));
    await page.locator('#receivedOn-month').fill(String(today.month));
    await page.locator('#receivedOn-year').fill(String(today.year));
    await page.locator('#channel').selectOption('letter');
    await page.locator('#description').fill('Everything the council holds about me.');
    await page.getByLabel('The person themselves').check();
    await page.locator('#requesterName').fill(`${subject.given_name} ${subject.family_name}`);
    await page.locator('#requesterContact').fill('subject@example.test');
    await page.locator('#identityCheck').selectOption('not-yet-checked');
    await page.locator('#subjectGivenName').fill(subject.given_name);
    await page.locator('#subjectFamilyName').fill(subject.family_name);
    const [year, month, day] = subject.date_of_birth.split('-');
    await page.locator('#subjectDateOfBirth-day').fill(String(Number(day)));
    await page.locator('#subjectDateOfBirth-month').fill(String(Number(month)));
    await page.locator('#subjectDateOfBirth-year').fill(year!);
    await ig.submit({}, 'record-request');
    const requestPath = ig.path();
    expect(requestPath).toMatch(/^\/rights\/[0-9a-f-]{36}$/);
    await moveTo(ig, 'Awaiting proof of identity');
    await moveTo(ig, 'In progress', () =>
      page.locator('#identityCheck').selectOption('photo-id-seen'),
    );

    // Governance cannot search the concern log: the page says who can.
    expect(await ig.visit(`${requestPath}/discovery`)).toBe(200);
    await ig.submit({}, 'run-discovery');
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'designated safeguarding officer',
    );

    // So it asks the officer to gather it, and cannot send it on meanwhile.
    expect(await ig.visit(requestPath)).toBe(200);
    await ig.submit({}, 'request-gathering');
    await expect(page.getByTestId('gathering-state').textContent()).resolves.toContain(
      'gathering the items',
    );
    await moveTo(ig, 'In review');
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'still gathering',
    );

    // The officer gathers and redacts, from their own list.
    const dso = await Tab.open(browser, baseUrl);
    await dso.signIn('dso@maidstone-bc.example', DEMO_PASSWORD);
    await Promise.all([
      dso.page.waitForURL('**/rights/gathering'),
      dso.page.getByRole('link', { name: 'Requests to gather' }).click(),
    ]);
    await dso.checkAccessibility();
    await Promise.all([
      dso.page.waitForURL('**/discovery'),
      dso.page
        .getByTestId('gather-link')
        .filter({ hasText: `${subject.given_name} ${subject.family_name}` })
        .click(),
    ]);
    await dso.checkAccessibility();
    // The officer sees who it is about, never who asked.
    await expect(dso.page.locator('main').textContent()).resolves.not.toContain(
      'subject@example.test',
    );
    await dso.submit({}, 'run-discovery');
    const candidate = dso.page
      .getByTestId('candidate')
      .filter({ hasText: `${subject.given_name} ${subject.family_name}` })
      .first();
    await Promise.all([
      dso.page.waitForURL('**/review'),
      candidate.getByTestId('confirm-subject').click(),
    ]);
    await dso.checkAccessibility();
    await dso.submit({}, 'prepare-review');
    const note = dso.page.getByTestId('review-item').filter({ hasText: WITNESS });
    await note.getByTestId('redact-details').locator('summary').click();
    await note.getByTestId('phrase').fill(WITNESS);
    await note.getByTestId('redact-ground').selectOption('sch2-para16-third-party');
    await note.getByTestId('third-party').selectOption('other-individual');
    await Promise.all([dso.page.waitForEvent('load'), note.getByTestId('redact').click()]);
    await dso.checkAccessibility();
    for (;;) {
      const undecided = dso.page
        .getByTestId('review-item')
        .filter({ hasText: 'Needs a decision' })
        .first();
      if ((await undecided.count()) === 0) break;
      await undecided.getByLabel('Disclose').check();
      await Promise.all([
        dso.page.waitForEvent('load'),
        undecided.getByTestId('save-decision').click(),
      ]);
    }
    await dso.checkAccessibility();
    await dso.submit({}, 'submit-gathering');
    expect(dso.path()).toBe('/rights/gathering');
    await expect(dso.page.getByTestId('gathering-requests').textContent()).resolves.toContain(
      'Handed back',
    );
    // The request's own page, with the requester, is not the officer's.
    expect(await dso.visit(requestPath)).toBe(404);
    await dso.close();

    // Governance sees each item only as it would be sent.
    expect(await ig.visit(requestPath)).toBe(200);
    await expect(page.getByTestId('gathering-state').textContent()).resolves.toContain(
      'Handed back',
    );
    expect(await ig.visit(`${requestPath}/review`)).toBe(200);
    const reviewText = (await page.locator('main').textContent()) ?? '';
    expect(reviewText).not.toContain(WITNESS);
    expect(reviewText).toContain(DISCLOSED);
    expect(reviewText).toContain('[redacted: sch2-para16-third-party]');
    expect(await page.getByTestId('as-disclosed').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('redact-form').count()).toBe(0);
    expect(await ig.visit(requestPath)).toBe(200);
    await moveTo(ig, 'In review');
    await expect(page.getByTestId('request-state').textContent()).resolves.toContain('In review');
    await ig.close();

    // The DPO, a second person, approves the redacted bundle and downloads it.
    const dpo = await Tab.open(browser, baseUrl);
    await dpo.signInSettingUpTwoFactor('dpo@maidstone-bc.example', DEMO_PASSWORD);
    expect(await dpo.visit(`${requestPath}/review`)).toBe(200);
    await expect(dpo.page.locator('main').textContent()).resolves.not.toContain(WITNESS);
    expect(await dpo.visit(requestPath)).toBe(200);
    await moveTo(dpo, 'Approved');
    await expect(dpo.page.getByTestId('request-state').textContent()).resolves.toContain(
      'Approved',
    );
    const [download] = await Promise.all([
      dpo.page.waitForEvent('download'),
      dpo.page.getByTestId('bundle-pdf').click(),
    ]);
    const words = await pdfText(await readFile((await download.path())!));
    expect(words).toContain(DISCLOSED);
    expect(words).not.toContain('Synthetic-Witness');
    await dpo.close();

    const actions = (
      await database.db
        .selectFrom('audit_event')
        .select('action')
        .where('action', 'in', [
          'rights.gathering-requested',
          'rights.gathering-submitted',
          'rights.review.redact-span',
          'rights.bundle.download-pdf',
        ])
        .execute()
    ).map((a) => a.action);
    expect(new Set(actions)).toEqual(
      new Set([
        'rights.gathering-requested',
        'rights.gathering-submitted',
        'rights.review.redact-span',
        'rights.bundle.download-pdf',
      ]),
    );
  }, 600_000);
});
