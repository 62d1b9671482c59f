import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseworkService } from '../../src/casework/service.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import type { StaffContext } from '../../src/platform/auth/service.js';
import { createPerson, organisationId, team } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { Tab, launchBrowser, serveApp } from './browser.js';

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

describe('a disclosure in a browser', () => {
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
    const notes = await lado.page.getByTestId('notes-timeline').textContent();
    expect(notes).toContain('Synthetic note for the LADO');
    expect(notes).not.toContain('stays here');
    await lado.close();
  });
});
