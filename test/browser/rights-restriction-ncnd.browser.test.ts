import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { recordRightsReminders } from '../../src/rights/reminders-job.js';
import { RightsService, type NewRequest } from '../../src/rights/service.js';
import { caseworkStaff, team, type CaseworkStaff } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { sarFixture, type SarFixture } from '../support/rights.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * The pages issue 5's restriction, neither-confirm-nor-deny and reminders
 * work adds to, in a browser, each checked with axe: the governance home
 * page's reminder banner and the reminders page; the review page choosing
 * neither confirm nor deny (with its error summary); and a practitioner's
 * records list, chronology and record page while a record is restricted.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let ig: CaseworkStaff;
let practitioner: CaseworkStaff;
let fixture: SarFixture;
let accessRequest: string;
let motherRequest: string;

const today = Temporal.Now.plainDateISO('Europe/London');

function request(over: Partial<NewRequest> = {}): NewRequest {
  return {
    type: 'access',
    receivedOn: today.toString(),
    channel: 'email',
    description: 'Everything you hold about my child.',
    requesterRole: 'parent',
    requesterName: 'Synthetic Parent',
    requesterContact: 'parent@example.test',
    identityCheck: 'photo-id-seen',
    authorityEvidence: 'birth-certificate',
    subject: { givenName: 'Rowan', familyName: 'Fairweather' },
    ...over,
  };
}

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  practitioner = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['browser-team']);
  fixture = await sarFixture(db, { authorAccountId: practitioner.accountId });
  const allocated = await team(db, 'kent-scs', 'browser-team');
  await db.updateTable('case_record').set({ allocated_team_id: allocated.id }).execute();

  // An overdue request, so today's reminders hold one.
  const twoMonthsAgo = today.subtract({ months: 2 });
  const earlier = new RightsService(db, () => twoMonthsAgo.toString());
  const overdue = await earlier.create(
    ig.context,
    request({ receivedOn: twoMonthsAgo.toString(), requesterRole: 'self' }),
  );
  await earlier.transition(ig.context, overdue, { to: 'in-progress' });
  await recordRightsReminders(db, { today: today.toString() });

  // An access request ready for review, and a restriction on the child's record.
  const rights = new RightsService(db);
  accessRequest = await rights.create(ig.context, request());
  await rights.transition(ig.context, accessRequest, { to: 'in-progress' });
  await rights.review.discover(ig.context, accessRequest);
  await rights.confirmSubject(ig.context, accessRequest, fixture.childId);
  await rights.review.prepare(ig.context, accessRequest);
  const restriction = await rights.create(ig.context, request({ type: 'restriction' }));
  await rights.restrict(ig.context, restriction, {
    scope: 'record',
    targetId: fixture.recordId,
    ground: 'accuracy-contested',
  });

  // The mother is restricted as a person; a request about her finds her, flagged.
  await rights.restrict(ig.context, restriction, {
    scope: 'person',
    targetId: fixture.motherId,
    ground: 'objection-pending',
  });
  motherRequest = await rights.create(
    ig.context,
    request({
      requesterRole: 'self',
      subject: { givenName: 'Marigold', familyName: 'Fairweather', dateOfBirth: '1985-03-04' },
    }),
  );
  await rights.transition(ig.context, motherRequest, { to: 'in-progress' });
  await rights.review.discover(ig.context, motherRequest);

  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function signInGovernance(tab: Tab) {
  await tab.signInSettingUpTwoFactor(ig.email, ig.password);
}

describe(
  'restriction, neither confirm nor deny and reminders in a browser',
  { timeout: JOURNEY_TIMEOUT },
  () => {
    it('shows governance its reminders and lets it answer neither confirm nor deny', async () => {
      const tab = await Tab.open(browser, baseUrl);
      const { page } = tab;
      await signInGovernance(tab);
      expect(await tab.visit('/')).toBe(200);
      await expect(page.getByTestId('rights-reminders').textContent()).resolves.toContain(
        '1 overdue',
      );
      await Promise.all([
        page.waitForURL('**/rights/reminders'),
        page.getByTestId('rights-reminders-link').click(),
      ]);
      await tab.checkAccessibility();
      expect(await page.getByTestId('reminder-link').count()).toBe(1);

      expect(await tab.visit(`/rights/${motherRequest}/discovery`)).toBe(200);
      await expect(
        page.getByTestId('candidate-restricted').first().textContent(),
      ).resolves.toContain('restricted');

      expect(await tab.visit(`/rights/${accessRequest}/review`)).toBe(200);
      // The restricted record's items are shown as restricted, without their text.
      await expect(page.locator('main').textContent()).resolves.toContain('Restricted (UK GDPR');
      await page.getByTestId('ncnd-details').locator('summary').click();
      await tab.submit({}, 'ncnd-save');
      await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
        'Select the exemption',
      );
      await page.getByTestId('ncnd-details').locator('summary').click();
      await page.locator('#ncnd-ground').selectOption('sch3-para21-child-abuse');
      await page
        .locator('#ncnd-reason')
        .fill('Telling the parent that this exists is not in the child’s best interests.');
      await tab.submit({}, 'ncnd-save');
      await expect(page.getByTestId('ncnd-chosen').textContent()).resolves.toContain(
        'neither confirms nor denies',
      );
      await tab.close();
    }, 120_000);

    it('shows a practitioner that a record is restricted, never what it says', async () => {
      const tab = await Tab.open(browser, baseUrl);
      const { page } = tab;
      await tab.signIn(practitioner.email, practitioner.password);
      expect(await tab.visit('/records')).toBe(200);
      await expect(page.getByTestId('records-table').textContent()).resolves.toContain(
        'Restricted: may only be stored',
      );
      expect(await tab.visit(`/chronologies/${fixture.childId}`)).toBe(200);
      await expect(page.getByTestId('restricted-records').textContent()).resolves.toContain(
        'restricted',
      );
      await expect(page.locator('main').textContent()).resolves.not.toContain(
        'Juniper had been unwell',
      );
      expect(await tab.visit(`/records/${fixture.recordId}`)).toBe(409);
      await expect(page.locator('main').textContent()).resolves.toContain(
        'restricted: may only be stored',
      );
      await tab.close();
    }, 120_000);
  },
);
