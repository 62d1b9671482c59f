import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseworkService } from '../../src/casework/service.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import type { StaffContext } from '../../src/platform/auth/service.js';
import { createPerson, organisationId, team } from '../support/casework.js';
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

/** A record of the demo social worker's, with a note, made through the casework service. */
async function socialWorkersRecord() {
  const db = database.db;
  const account = await db
    .selectFrom('account')
    .select('id')
    .where('email', '=', 'social.worker@kent-scs.example')
    .executeTakeFirstOrThrow();
  const staff: StaffContext = {
    accountId: account.id,
    sessionId: '00000000-0000-4000-8000-0000000000aa',
    displayName: 'Sam Social-Worker',
    organisation: {
      id: await organisationId(db, 'kent-scs'),
      slug: 'kent-scs',
      shortName: 'Kent SCS',
    },
    roles: ['practitioner'],
    teams: [await team(db, 'kent-scs', 'assessment')],
    organisationCount: 1,
    stage: 'complete',
  };
  const casework = new CaseworkService(db);
  const child = await createPerson(db, 'kent-scs', {
    givenName: 'Sharing',
    familyName: 'Synthetic',
    dateOfBirth: '2015-04-04',
  });
  const recordId = await casework.create(staff, {
    category: 'child-protection-plan',
    subjectPersonId: child,
    openedOn: '2026-01-05',
    detail: { categoryOfAbuse: 'neglect' },
  });
  const noteId = await casework.addNote(staff, recordId, {
    occurredOn: '2026-01-06',
    kind: 'visit',
    text: 'Synthetic note for the LADO',
  });
  await casework.addNote(staff, recordId, {
    occurredOn: '2026-01-07',
    kind: 'visit',
    text: 'Synthetic note that stays here',
  });
  return { recordId, noteId };
}

describe('a disclosure in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('a social worker shares a note with the LADO under the KMISA; the LADO sees only it; every page passes axe', async () => {
    const { recordId, noteId } = await socialWorkersRecord();
    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);

    expect(await tab.visit(`/records/${recordId}`)).toBe(200);
    await expect(page.getByTestId('shared-with').textContent()).resolves.toContain(
      'Not shared with anyone',
    );
    await Promise.all([page.waitForURL('**/share'), page.getByTestId('share-record').click()]);
    await tab.checkAccessibility();

    // Nothing chosen: the error summary, on the same page.
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('share').click()]);
    await tab.checkAccessibility();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Choose what to share',
    );

    await page.check(`input[name="items"][value="note:${noteId}"]`);
    await page.check('input[name="recipient"][value="kcc-teams@kent-lado"]');
    await page.getByTestId('recipient-name').fill('Kent LADO duty officer');
    await page.check('input[name="purpose"][value="allegation-management"]');
    await page.selectOption('[name="agreementId"]', {
      label: 'Kent and Medway Information Sharing Agreement',
    });
    await page.check('input[name="lawfulBasis"][value="6(1)(e)"]');
    await page.check('input[name="specialCondition"][value="9(2)(g)"]');
    await page.check('input[name="consent"][value="not-sought"]');
    await page.check('input[name="consentReason"][value="risk-to-child"]');
    await Promise.all([
      page.waitForURL(/\/sharing\/disclosures\/[0-9a-f-]{36}$/),
      page.getByTestId('share').click(),
    ]);
    await tab.checkAccessibility();
    await expect(page.getByTestId('disclosure-status').textContent()).resolves.toContain(
      'Approved',
    );

    expect(await tab.visit(`/records/${recordId}`)).toBe(200);
    await expect(page.getByTestId('shared-with').textContent()).resolves.toContain(
      'Kent LADO duty officer',
    );
    await tab.close();

    // The LADO service's manager sees the shared note, and only it.
    const lado = await Tab.open(browser, baseUrl);
    await lado.signIn('lado.manager@kent-lado.example', DEMO_PASSWORD);
    expect(await lado.visit('/sharing/received')).toBe(200);
    await Promise.all([
      lado.page.waitForURL(`**/records/${recordId}`),
      lado.page.getByTestId('received').getByRole('link').first().click(),
    ]);
    await lado.checkAccessibility();
    // Issue 13 item 8: the record says it is shared, by whom, and until when.
    const banner = await lado.page.getByTestId('shared-with-us').textContent();
    expect(banner).toContain("Kent Children's Social Care shared 1 note with you");
    expect(banner).toMatch(/You can see it until \d{1,2} [A-Z][a-z]+ \d{4}/);
    const notes = await lado.page.getByTestId('notes-timeline').textContent();
    expect(notes).toContain('Synthetic note for the LADO');
    expect(notes).not.toContain('stays here');
    await lado.close();
  });

  it('an IG officer sets up an agreement; a social worker shares two fields under it; the LADO sees only them', async () => {
    const ig = await Tab.open(browser, baseUrl);
    // A governance role signs in with two-factor, set up on the way.
    await ig.signIn('ig.officer@kent-scs.example', DEMO_PASSWORD);
    expect(ig.path()).toBe('/sign-in/two-factor/set-up');
    const secret = (await ig.page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    await ig.submit({ code: await generate({ secret }) }, 'continue');
    await Promise.all([ig.page.waitForURL(`${baseUrl}/`), ig.page.getByTestId('continue').click()]);
    expect(await ig.visit('/sharing')).toBe(200);
    await Promise.all([
      ig.page.waitForURL('**/sharing/agreements/new'),
      ig.page.getByTestId('new-agreement').click(),
    ]);
    await ig.checkAccessibility();
    await ig.page.getByTestId('agreement-title').fill('Browser allegations protocol');
    await ig.page.check('input[name="parties"][value="kent-lado"]');
    await ig.page.check('input[name="dataCategories"][value="child-protection-plan"]');
    await ig.page.check('input[name="lawfulBases"][value="6(1)(e)"]');
    await ig.page.check('input[name="specialConditions"][value="9(2)(g)"]');
    await ig.page.fill('#reviewDate-day', '1');
    await ig.page.fill('#reviewDate-month', '6');
    await ig.page.fill('#reviewDate-year', String(new Date().getUTCFullYear() + 1));
    // No purpose yet: the error summary, with what was chosen kept.
    await Promise.all([
      ig.page.waitForLoadState('load'),
      ig.page.getByTestId('save-agreement').click(),
    ]);
    await ig.checkAccessibility();
    await expect(ig.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Choose the purposes it covers',
    );
    expect(await ig.page.isChecked('input[name="parties"][value="kent-lado"]')).toBe(true);
    await ig.page.check('input[name="purposes"][value="allegation-management"]');
    await Promise.all([
      ig.page.waitForURL(/\/sharing\/agreements\/[0-9a-f-]{36}$/),
      ig.page.getByTestId('save-agreement').click(),
    ]);
    await ig.checkAccessibility();
    await expect(ig.page.getByTestId('agreement-status').textContent()).resolves.toContain(
      'In force',
    );
    await expect(ig.page.getByTestId('agreement-terms').textContent()).resolves.toContain(
      'Part 2 para 18',
    );
    const agreementPath = ig.path();
    expect(await ig.visit(`${agreementPath}/review`)).toBe(200);
    expect(await ig.visit(`${agreementPath}/edit`)).toBe(200);
    expect(await ig.visit(`${agreementPath}/end`)).toBe(200);
    await ig.close();

    const { recordId } = await socialWorkersRecord();
    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    expect(await tab.visit(`/records/${recordId}/share`)).toBe(200);
    await page.check('input[name="items"][value="field:subject.dateOfBirth"]');
    await page.check('input[name="items"][value="field:detail.categoryOfAbuse"]');
    await page.check('input[name="recipient"][value="kcc-teams@kent-lado"]');
    await page.getByTestId('recipient-name').fill('Kent LADO duty officer');
    await page.check('input[name="purpose"][value="allegation-management"]');
    await page.selectOption('[name="agreementId"]', { label: 'Browser allegations protocol' });
    await page.check('input[name="lawfulBasis"][value="6(1)(e)"]');
    await page.check('input[name="specialCondition"][value="9(2)(g)"]');
    await page.check('input[name="consent"][value="not-sought"]');
    await page.check('input[name="consentReason"][value="risk-to-child"]');
    await Promise.all([
      page.waitForURL(/\/sharing\/disclosures\/[0-9a-f-]{36}$/),
      page.getByTestId('share').click(),
    ]);
    await tab.checkAccessibility();
    const items = await page.getByTestId('disclosure-items').textContent();
    expect(items).toContain('Category of abuse');
    expect(items).toContain('Their date of birth');
    await expect(page.getByTestId('disclosure-summary').textContent()).resolves.toContain(
      'Browser allegations protocol, version 1',
    );
    await tab.close();

    const lado = await Tab.open(browser, baseUrl);
    await lado.signIn('lado.manager@kent-lado.example', DEMO_PASSWORD);
    expect(await lado.visit(`/records/${recordId}`)).toBe(200);
    const summary = await lado.page.getByTestId('record-summary').textContent();
    expect(summary).toContain('Category of abuse');
    expect(summary).toContain('Neglect');
    const people = await lado.page.getByTestId('parties-table').textContent();
    expect(people).toContain('Name not shared');
    expect(people).toContain('4 April 2015');
    const body = await lado.page.locator('main').textContent();
    expect(body).not.toContain('Sharing Synthetic');
    expect(body).not.toContain('Synthetic note');
    await lado.close();
    // Three people's sessions and a dozen pages checked by axe.
  }, 180_000);
});
