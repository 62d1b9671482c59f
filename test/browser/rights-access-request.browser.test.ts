import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { testDatabase } from '../support/database.js';
import { pdfText } from '../support/pdf-text.js';
import { createStaff, type TestStaff } from '../support/staff.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let secondOfficer: TestStaff;
let child: { id: string; given_name: string; family_name: string; date_of_birth: string | null };

const REFERRER = 'a neighbour at number 12';
const DISCLOSED = 'The social worker visited the family home on Tuesday.';

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 6 });
  const db = database.db;
  // A demo child who is the subject of a child-in-need record.
  const found = await db
    .selectFrom('person as p')
    .innerJoin('record_party as rp', 'rp.person_id', 'p.id')
    .innerJoin('case_record as cr', 'cr.id', 'rp.record_id')
    .innerJoin('organisation as o', 'o.id', 'cr.organisation_id')
    .select(['p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'cr.id as record_id'])
    .where('o.slug', '=', 'kent-scs')
    .where('rp.role', '=', 'subject')
    .where('cr.category', '=', 'child-in-need')
    .where('p.date_of_birth', 'is not', null)
    .orderBy('p.family_name')
    .limit(1)
    .executeTakeFirstOrThrow();
  child = found;
  const author = await db
    .selectFrom('account')
    .select('id')
    .where('email', '=', 'social.worker@kent-scs.example')
    .executeTakeFirstOrThrow();
  // A synthetic note naming an anonymous referrer, for the redaction.
  await db
    .insertInto('case_note')
    .values({
      record_id: found.record_id,
      author_account_id: author.id,
      occurred_on: '2025-01-15',
      kind: 'visit',
      text: `An anonymous referrer, ${REFERRER}, called about ${found.given_name}. ${DISCLOSED}`,
    })
    .execute();
  secondOfficer = await createStaff(db, [
    { organisation: 'kent-scs', role: 'information-governance' },
  ]);
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

/** Signs in a privileged governance officer, setting up two-factor on the way. */
async function signInGovernance(tab: Tab, email: string, password: string) {
  await tab.signInSettingUpTwoFactor(email, password);
}

async function moveTo(tab: Tab, state: string, extra?: () => Promise<unknown>) {
  await tab.page.getByTestId('transition-form').getByLabel(state, { exact: true }).check();
  await extra?.();
  await tab.submit({}, 'transition');
}

describe('a subject access request in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('runs from intake to an approved, redacted PDF; every page passes axe', async () => {
    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await signInGovernance(tab, 'ig.officer@kent-scs.example', DEMO_PASSWORD);

    // Intake: a parent asks for their child's records; ID not yet checked.
    expect(await tab.visit('/rights/new')).toBe(200);
    await page.getByLabel('Access (subject access request)').check();
    const today = Temporal.Now.plainDateISO('Europe/London');
    await page.locator('#receivedOn-day').fill(String(today.day));
    await page.locator('#receivedOn-month').fill(String(today.month));
    await page.locator('#receivedOn-year').fill(String(today.year));
    await page.locator('#channel').selectOption('email');
    await page.locator('#description').fill('Everything you hold about my child.');
    await page.getByLabel('A parent with parental responsibility').check();
    await page.locator('#requesterName').fill('Synthetic Parent');
    await page.locator('#requesterContact').fill('parent@example.test');
    await page.locator('#identityCheck').selectOption('not-yet-checked');
    await page.locator('#authorityEvidence').selectOption('birth-certificate');
    await page.locator('#subjectGivenName').fill(child.given_name);
    await page.locator('#subjectFamilyName').fill(child.family_name);
    const [year, month, day] = child.date_of_birth!.split('-');
    await page.locator('#subjectDateOfBirth-day').fill(String(Number(day)));
    await page.locator('#subjectDateOfBirth-month').fill(String(Number(month)));
    await page.locator('#subjectDateOfBirth-year').fill(year!);
    await tab.submit({}, 'record-request');
    expect(tab.path()).toMatch(/^\/rights\/[0-9a-f-]{36}$/);
    const requestPath = tab.path();

    // ID: asked for, then arrives; work starts.
    await moveTo(tab, 'Awaiting proof of identity');
    await expect(page.getByTestId('request-state').textContent()).resolves.toContain(
      'Awaiting proof of identity',
    );
    await moveTo(tab, 'In progress', () =>
      page.locator('#identityCheck').selectOption('photo-id-seen'),
    );
    await expect(page.getByTestId('request-state').textContent()).resolves.toContain('In progress');

    // Discovery: the demo child is found by name and date of birth, with reasons.
    await page.getByTestId('discovery-link').click();
    await page.waitForURL('**/discovery');
    await tab.checkAccessibility();
    await tab.submit({}, 'run-discovery');
    const candidate = page
      .getByTestId('candidate')
      .filter({ hasText: `${child.given_name} ${child.family_name}` })
      .first();
    await expect(candidate.getByTestId('candidate-reasons').textContent()).resolves.toContain(
      'Same date of birth',
    );
    await Promise.all([
      page.waitForURL('**/review'),
      candidate.getByTestId('confirm-subject').click(),
    ]);
    await tab.checkAccessibility();

    // Review: gather the items, redact the referrer, disclose the rest.
    await tab.submit({}, 'prepare-review');
    const items = page.getByTestId('review-item');
    expect(await items.count()).toBeGreaterThan(1);
    const referrerNote = items.filter({ hasText: REFERRER });
    await referrerNote.getByTestId('redact-details').locator('summary').click();
    await referrerNote.getByTestId('phrase').fill(REFERRER);
    await referrerNote.getByTestId('redact-ground').selectOption('sch2-para16-third-party');
    await referrerNote.getByTestId('third-party').selectOption('referrer');
    await Promise.all([page.waitForEvent('load'), referrerNote.getByTestId('redact').click()]);
    await tab.checkAccessibility();
    const redacted = page.getByTestId('review-item').filter({ hasText: DISCLOSED });
    await expect(redacted.getByTestId('item-text').textContent()).resolves.toContain(
      '[redacted: sch2-para16-third-party]',
    );
    // Everything else is disclosed, one decision at a time.
    for (;;) {
      const undecided = page
        .getByTestId('review-item')
        .filter({ hasText: 'Needs a decision' })
        .first();
      if ((await undecided.count()) === 0) break;
      await undecided.getByLabel('Disclose').check();
      await Promise.all([
        page.waitForEvent('load'),
        undecided.getByTestId('save-decision').click(),
      ]);
    }
    await tab.checkAccessibility();
    await expect(page.getByTestId('undecided').textContent()).resolves.toMatch(/^0 of/);

    // To review; the preparer cannot approve their own work.
    expect(await tab.visit(requestPath)).toBe(200);
    await moveTo(tab, 'In review');
    await expect(page.getByTestId('request-state').textContent()).resolves.toContain('In review');
    await expect(page.locator('main').textContent()).resolves.toContain(
      'someone else must approve it',
    );
    await tab.close();

    // A second governance officer approves.
    const second = await Tab.open(browser, baseUrl);
    await signInGovernance(second, secondOfficer.email, secondOfficer.password);
    expect(await second.visit(requestPath)).toBe(200);
    await moveTo(second, 'Approved');
    await expect(second.page.getByTestId('request-state').textContent()).resolves.toContain(
      'Approved',
    );

    // The PDF: the disclosed sentence is there, the referrer is not.
    const [download] = await Promise.all([
      second.page.waitForEvent('download'),
      second.page.getByTestId('bundle-pdf').click(),
    ]);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const words = await pdfText(bytes);
    expect(words).toContain(DISCLOSED);
    expect(words).not.toContain('neighbour');
    expect(words).toContain('[redacted: sch2-para16-third-party]');
    expect(words).toContain('Your rights');
    await second.close();

    const audited = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'rights.bundle.download-pdf')
      .execute();
    expect(audited).toHaveLength(1);
  }, 240_000);
});
