import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { createPerson } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { kentCaseload } from '../support/kent-caseload.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 13 items 1, 3 and 4 in a browser: a practitioner's My work, a
 * person's records, alerts and family picture, and choosing people by
 * searching; a team manager's unallocated work; information governance's
 * due work and a legal hold chosen by search. axe on every page opened.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let child: string;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 4 });
  const db = database.db;
  const kent = await kentCaseload(db);
  child = await createPerson(db, 'kent-scs', {
    givenName: 'Juniper',
    familyName: 'Daybrook',
    dateOfBirth: '2017-03-14',
  });
  const mother = await createPerson(db, 'kent-scs', {
    givenName: 'Hazel',
    familyName: 'Daybrook',
    dateOfBirth: '1990-07-01',
  });
  await createPerson(db, 'kent-scs', {
    givenName: 'Rowan',
    familyName: 'Daybrook',
    dateOfBirth: '1962-11-20',
  });
  await kent.record('child-protection-plan', { personIds: [child, mother] });
  await kent.record(
    'child-in-need',
    { givenName: 'Unal', familyName: 'Located' },
    { unallocated: true },
  );
  await db
    .insertInto('person_relationship')
    .values({
      organisation_id: kent.organisationId,
      person_id: child,
      related_person_id: mother,
      type: 'family',
      description: 'Mother',
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

describe('a practitioner’s day', { timeout: JOURNEY_TIMEOUT }, () => {
  it('starts from My work, opens the person, and chooses people by searching', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    await expect(page.getByTestId('my-work')).toBeDefined();
    await expect(page.getByTestId('caseload-mine').textContent()).resolves.toContain(
      'Juniper Daybrook',
    );

    // One click to the record, then to the person: records, alerts, family picture.
    await Promise.all([
      page.waitForURL('**/records/*'),
      page.getByTestId('caseload-link').filter({ hasText: 'Juniper Daybrook' }).click(),
    ]);
    await tab.checkAccessibility();
    expect(await tab.visit(`/people/${child}`)).toBe(200);
    await expect(page.getByTestId('person-alerts').textContent()).resolves.toContain(
      'On a child protection plan',
    );
    await expect(page.getByTestId('person-records').textContent()).resolves.toContain(
      'Child protection plan',
    );
    await expect(page.getByTestId('family-picture').textContent()).resolves.toContain(
      'Hazel Daybrook',
    );

    // Add a person to the record by searching for them.
    await Promise.all([
      page.waitForURL('**/records/*'),
      page.getByTestId('person-record-link').first().click(),
    ]);
    await tab.submit({ 'party-find': 'Rowan Daybrook' }, 'party-find-button');
    expect(tab.path()).toMatch(/\/parties\/new$/);
    await page.getByLabel('Rowan Daybrook').check();
    await page.getByLabel('Their role in the record').selectOption({ label: 'Family member' });
    await tab.submit({}, 'choose-submit');
    await expect(page.getByTestId('parties-table').textContent()).resolves.toContain(
      'Rowan Daybrook',
    );

    // A new record starts by finding the person, by date of birth here.
    expect(await tab.visit('/records/new')).toBe(200);
    await tab.submit({ 'find-field': '14/3/2017' }, 'find-button');
    await Promise.all([
      page.waitForURL('**/records/new?person=*'),
      page.getByTestId('choose-person').filter({ hasText: 'Juniper Daybrook' }).click(),
    ]);
    await tab.checkAccessibility();
    await expect(page.locator('main').textContent()).resolves.toContain('Juniper Daybrook');
    await tab.close();
  }, 180_000);

  it('shows a team manager the team’s unallocated records', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('team.manager@kent-scs.example', DEMO_PASSWORD);
    await expect(tab.page.getByTestId('caseload-unallocated').textContent()).resolves.toContain(
      'Unal Located',
    );
    await tab.close();
  }, 120_000);

  it('shows information governance its due work, and a hold chosen by search', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signInSettingUpTwoFactor('ig.officer@kent-scs.example', DEMO_PASSWORD);
    await tab.checkAccessibility();
    await expect(tab.page.getByTestId('my-work-summary').textContent()).resolves.toContain(
      'overdue',
    );
    expect(await tab.visit('/retention/holds')).toBe(200);
    await tab.submit({ 'find-field': 'Juniper Daybrook' }, 'find-button');
    await tab.page.getByLabel('Every record of Juniper Daybrook').check();
    await tab.page.getByLabel('Type of hold').selectOption('litigation');
    await tab.page.locator('#reason').fill('Synthetic proceedings about the family');
    await tab.page.locator('#reviewOn-day').fill('1');
    await tab.page.locator('#reviewOn-month').fill('6');
    await tab.page.locator('#reviewOn-year').fill('2030');
    await tab.submit({}, 'place-hold');
    await expect(tab.page.getByTestId('holds').textContent()).resolves.toContain(
      'Juniper Daybrook',
    );
    await tab.close();
  }, 120_000);
});
