import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseworkService } from '../../src/casework/service.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { caseworkStaff, createPerson } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import type { TestStaff } from '../support/staff.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * The governance pages a DPO or information governance officer works from:
 * who holds each role, access monitoring, a record's access log. Each passes
 * axe and reads as words.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let kentIg: TestStaff;
let maidstoneDpo: TestStaff;
let recordId: string;

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  const worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  recordId = await new CaseworkService(db).create(worker.context, {
    category: 'child-in-need',
    subjectPersonId: await createPerson(db, 'kent-scs'),
    openedOn: '2025-02-03',
  });
  kentIg = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  maidstoneDpo = await caseworkStaff(db, 'maidstone-bc', ['data-protection-officer']);
  await caseworkStaff(db, 'maidstone-bc', ['designated-safeguarding-officer']);
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function signInWithTwoFactor(tab: Tab, staff: TestStaff) {
  await tab.signInSettingUpTwoFactor(staff.email, staff.password);
}

describe('governance pages in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('Maidstone’s DPO finds who holds the concern-log roles from the home page; axe-clean', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await signInWithTwoFactor(tab, maidstoneDpo);
    await Promise.all([
      tab.page.waitForURL(`${baseUrl}/governance/role-holders`),
      tab.page.getByTestId('role-holders-link').click(),
    ]);
    await tab.checkAccessibility();
    const limit = tab.page.getByTestId('role-holder-limit');
    await expect(limit.textContent()).resolves.toMatch(/Most who may hold it\s*3/);
    await tab.close();
  });

  it('information governance reads access monitoring and an access log in words; axe-clean', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await signInWithTwoFactor(tab, kentIg);
    expect(await tab.visit('/governance/access-monitoring')).toBe(200);
    expect(await tab.visit(`/records/${recordId}/access-log`)).toBe(200);
    const log = (await tab.page.getByTestId('access-log-table').textContent()) ?? '';
    expect(log).toContain('Created the record');
    expect(log).toMatch(/\d{1,2}:\d{2}(am|pm) on \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(log).not.toMatch(/\d{4}-\d{2}-\d{2}|record\.create/);
    await tab.close();
  });
});
