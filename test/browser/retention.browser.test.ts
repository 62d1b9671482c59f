import type { FastifyInstance } from 'fastify';
import { generate } from 'otplib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseworkService } from '../../src/casework/service.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { sql } from 'kysely';
import { caseworkStaff, createPerson, organisationId } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { assessedRecord } from '../support/retention-records.js';
import { createStaff, type TestStaff } from '../support/staff.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let governance: TestStaff;
let reviewRecordId: string;

beforeAll(async () => {
  database = await testDatabase();
  governance = await createStaff(database.db, [
    { organisation: 'kent-scs', role: 'information-governance' },
  ]);
  reviewRecordId = (
    await assessedRecord(database.db, {
      organisation: 'kent-scs',
      category: 'child-in-need',
      authorAccountId: governance.accountId,
      due: null,
      status: 'needs-review',
      needsReview: true,
    })
  ).recordId;
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

/** Signs in a privileged governance officer, setting up two-factor on the way. */
async function signInGovernance(tab: Tab) {
  await tab.signInSettingUpTwoFactor(governance.email, governance.password);
}

describe('retention screens', { timeout: JOURNEY_TIMEOUT }, () => {
  it('lets a governance officer review a record, place and release a hold, and see certificates', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await signInGovernance(tab);
    await tab.visit('/retention');
    // The category by its name, never its slug.
    const queue = (await tab.page.getByTestId('review-queue').textContent()) ?? '';
    expect(queue).toContain('Child in need and all other children’s records');
    expect(queue).not.toContain('child-in-need');

    await tab.visit(`/retention/records/${reviewRecordId}`);
    // No choice made: the error summary says what to do.
    await tab.submit({}, 'record-decision');
    await expect(tab.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Select what should happen to the record',
    );
    await tab.page.getByLabel('Destroy now').check();
    await tab.page.getByLabel('Rationale').fill('No further concerns; the schedule applies');
    await tab.submit({}, 'record-decision');
    expect(tab.path()).toBe('/retention');
    await expect(tab.page.locator('.govuk-notification-banner').textContent()).resolves.toContain(
      'Decision recorded',
    );

    await tab.visit('/retention/certificates');
    await expect(tab.page.getByTestId('certificates').textContent()).resolves.toContain(
      '1 records',
    );

    await tab.visit('/retention/holds');
    await tab.page.getByLabel('Every record of a category').check();
    await tab.page.getByLabel('Type of hold').selectOption('inquiry');
    await tab.page.locator('#reviewOn-day').fill('1');
    await tab.page.locator('#reviewOn-month').fill('6');
    await tab.page.locator('#reviewOn-year').fill('2027');
    await tab.submit({}, 'place-hold');
    // Missing fields are named, and what was entered is kept.
    await expect(tab.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Select the category',
    );
    // The category is chosen from the policy's list, never typed (issue 13 item 4).
    await tab.page.locator('#category').selectOption({ label: 'Child protection plan' });
    await tab.page.locator('#reason').fill('Independent inquiry into child protection plans');
    await tab.submit({}, 'place-hold');
    // The hold is named in words, not by the category's code.
    await expect(tab.page.getByTestId('holds').textContent()).resolves.toMatch(
      /Every child protection plan.* record/i,
    );
    await Promise.all([
      tab.page.waitForLoadState('load'),
      tab.page.getByRole('button', { name: /^Release/ }).click(),
    ]);
    await tab.page.waitForURL('**/retention/holds');
    await tab.checkAccessibility();
    expect(await tab.page.getByTestId('holds').count()).toBe(0);
    await expect(tab.page.locator('main').textContent()).resolves.toContain(
      'There are no active holds.',
    );
    await tab.close();
  });

  it(
    'lets a partnership’s governance officer hold a meeting that needs review, on an accessible page',
    { timeout: 120_000 },
    async () => {
      const kscmp = await organisationId(database.db, 'kscmp');
      const officer = await createStaff(database.db, [
        { organisation: 'kscmp', role: 'information-governance' },
      ]);
      const { rows } = await sql<{ id: string }>`
      insert into partnership_meeting (organisation_id, body, title, meeting_date,
        retention_status, retention_due, retention_action, retention_rule_id, retention_needs_review, retention_explanation)
      values (${kscmp}, 'Board', 'Synthetic meeting', '2016-05-05', 'no-rule', null, null, null, true,
        'No rule: the notice gives no retention for these minutes.') returning id`.execute(
        database.db,
      );
      const tab = await Tab.open(browser, baseUrl);
      await tab.signIn(officer.email, officer.password);
      const secret = (await tab.page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
      await tab.submit({ code: await generate({ secret }) }, 'continue');
      await Promise.all([
        tab.page.waitForURL(`${baseUrl}/`),
        tab.page.getByTestId('continue').click(),
      ]);
      await tab.visit('/retention');
      await expect(tab.page.getByTestId('review-queue').textContent()).resolves.toContain(
        'Meeting',
      );
      await Promise.all([
        tab.page.waitForURL(`**/retention/items/partnership-meeting/${rows[0]!.id}`),
        tab.page
          .getByTestId('review-queue')
          .getByRole('link', { name: /Administration of board and sub-group meetings/ })
          .click(),
      ]);
      await tab.checkAccessibility();
      await tab.page.getByLabel('Place a legal hold').check();
      await tab.page.getByLabel('Type of hold').selectOption('inquiry');
      await tab.page.locator('#reviewOn-day').fill('1');
      await tab.page.locator('#reviewOn-month').fill('6');
      await tab.page.locator('#reviewOn-year').fill('2027');
      await tab.page.getByLabel('Rationale').fill('The board’s inquiry needs these minutes');
      await tab.submit({}, 'record-decision');
      expect(tab.path()).toBe('/retention');
      await expect(tab.page.locator('main').textContent()).resolves.toContain('Nothing to review.');
      await tab.close();
    },
  );

  it('tells a worker who could see a restricted person that their data may only be stored', async () => {
    const worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2014-04-03' });
    // Allocated to the worker, so they could see the child but for the restriction.
    await new CaseworkService(database.db).create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2024-01-10',
      allocatedAccountId: worker.accountId,
    });
    await database.db
      .insertInto('restriction')
      .values({
        organisation_id: await organisationId(database.db, 'kent-scs'),
        scope: 'person',
        person_id: child,
        ground: 'accuracy-contested',
        placed_by: worker.accountId,
      })
      .execute();
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn(worker.email, worker.password);
    expect(await tab.visit(`/people/${child}/retention`)).toBe(200);
    await expect(tab.page.getByTestId('person-restricted').textContent()).resolves.toContain(
      'may only be stored',
    );
    await tab.close();
  });
});
