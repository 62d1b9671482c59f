import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, demoStaff, loadDemoData } from '../../src/demo/demo-data.js';
import { createPerson } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 3: "Browser tests cover a practitioner creating a child, a plan and
 * a note; axe-core finds no violations on any of these pages." Everything
 * goes through the pages, as a demo practitioner of a kent-scs team; Tab
 * checks every page it lands on with axe.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;

// A demo practitioner allocated to a kent-scs team (not the sealed adoption team).
const practitioner = demoStaff.find((s) =>
  s.memberships.some(
    (m) =>
      m.organisation === 'kent-scs' &&
      m.role === 'practitioner' &&
      m.team !== undefined &&
      m.team !== 'adoption',
  ),
);

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 6 });
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function fillDate(page: Page, name: string, iso: string): Promise<void> {
  const [year, month, day] = iso.split('-');
  await page.fill(`[name="${name}-day"]`, String(Number(day)));
  await page.fill(`[name="${name}-month"]`, String(Number(month)));
  await page.fill(`[name="${name}-year"]`, year!);
}

/** Clicks a link or button and waits for the page it leads to, then checks it with axe. */
async function follow(tab: Tab, testId: string, url: string | RegExp): Promise<void> {
  await Promise.all([tab.page.waitForURL(url), tab.page.getByTestId(testId).click()]);
  await tab.checkAccessibility();
}

describe('a practitioner’s journey through the pages', { timeout: JOURNEY_TIMEOUT }, () => {
  it('creates a child (past the likely duplicates), a child protection plan and a note', async () => {
    expect(practitioner, 'a demo practitioner in a kent-scs team').toBeDefined();
    // Someone already held whose name is close to the child's: the form must
    // offer them as a possible duplicate before adding a new entry.
    await createPerson(database.db, 'kent-scs', {
      givenName: 'Journie',
      familyName: 'Childsworth',
      dateOfBirth: '2018-03-14',
    });

    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await tab.signIn(practitioner!.email, DEMO_PASSWORD);
    expect(tab.path()).toBe('/');

    // The child, through the people pages.
    expect(await tab.visit('/people')).toBe(200);
    await follow(tab, 'add-person', '**/people/new');
    await page.getByTestId('given-name').fill('Journey');
    await page.getByTestId('family-name').fill('Childsworth');
    await fillDate(page, 'dateOfBirth', '2018-03-14');
    await page.selectOption('[name="gender"]', 'female');
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('save-person').click()]);
    await tab.checkAccessibility();
    expect(tab.path()).toBe('/people/new');
    await expect(page.getByTestId('likely-matches').textContent()).resolves.toContain(
      'Childsworth, Journie',
    );
    // What was typed is kept; the practitioner says this is someone else.
    await expect(page.getByTestId('given-name').inputValue()).resolves.toBe('Journey');
    await page.getByTestId('confirm-not-duplicate').check();
    await follow(tab, 'save-person', /\/people\/[0-9a-f-]{36}\?saved=created$/);
    await expect(page.getByTestId('saved-banner').textContent()).resolves.toContain('Person added');
    await expect(page.getByTestId('identity-name').textContent()).resolves.toContain(
      'Journey Childsworth',
    );
    const childId = /\/people\/([0-9a-f-]{36})/.exec(page.url())![1]!;

    // A plan for the child, from the person page through the records pages.
    await follow(tab, 'add-record', `**/records/new?person=${childId}`);
    await expect(page.getByTestId('record-for').textContent()).resolves.toContain(
      'Journey Childsworth, born 14 March 2018',
    );
    await page.getByLabel('Child protection plan').check();
    await follow(tab, 'continue', /\/records\/new\?.*category=child-protection-plan/);
    await expect(page.getByTestId('subject-summary').textContent()).resolves.toContain(
      'Journey Childsworth',
    );
    await fillDate(page, 'openedOn', '2026-01-12');
    // Missing category of abuse: the error summary, and nothing saved.
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('save-record').click()]);
    await tab.checkAccessibility();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'There is a problem',
    );
    await expect(page.getByTestId('subject-summary').textContent()).resolves.toContain(
      'Journey Childsworth',
    );
    await page.selectOption('[name="detail.categoryOfAbuse"]', 'emotional-abuse');
    await follow(tab, 'save-record', /\/records\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId('record-heading').textContent()).resolves.toContain(
      'Child protection plan',
    );
    await expect(page.getByTestId('record-subject').textContent()).resolves.toContain(
      'Journey Childsworth, born 14 March 2018',
    );
    const recordPath = tab.path();

    // A note on the plan.
    await page.selectOption('[name="kind"]', 'visit');
    await page.getByTestId('note-text').fill('Home visit: Journey seen alone; synthetic note');
    await Promise.all([page.waitForLoadState('load'), page.getByTestId('add-note').click()]);
    await tab.checkAccessibility();
    expect(tab.path()).toBe(recordPath);
    await expect(page.getByTestId('notes-timeline').textContent()).resolves.toContain(
      'Journey seen alone',
    );

    // The person page leads to the child's chronology, which has the plan and the note.
    expect(await tab.visit(`/people/${childId}`)).toBe(200);
    await follow(tab, 'chronology', `**/chronologies/${childId}`);
    const chronology = await page.getByTestId('chronology-table').textContent();
    expect(chronology).toContain('Child protection plan opened');
    expect(chronology).toContain('Journey seen alone');
    await tab.close();
  });

  it('relates the child to someone and records criminal offence data, through the forms', async () => {
    const carer = await createPerson(database.db, 'kent-scs', {
      givenName: 'Marigold',
      familyName: 'Kinsperson',
      dateOfBirth: '1979-11-02',
    });
    const child = await createPerson(database.db, 'kent-scs', {
      givenName: 'Rowan',
      familyName: 'Kinsperson',
      dateOfBirth: '2016-06-20',
    });
    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await tab.signIn(practitioner!.email, DEMO_PASSWORD);

    expect(await tab.visit(`/people/${child}`)).toBe(200);
    await follow(tab, 'add-relationship', `**/people/${child}/relationships/new`);
    await tab.submit(
      { 'relationship-search-name': 'Marigold Kinsperson' },
      'relationship-search-button',
    );
    // Nothing chosen: the error summary, with the choices still there.
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByTestId('save-relationship').click(),
    ]);
    await tab.checkAccessibility();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Select the kind of relationship',
    );
    await page.locator(`input[name="relatedPersonId"][value="${carer}"]`).check();
    await page.getByLabel('Extended family').check();
    await page.getByTestId('relationship-description').fill('Aunt');
    await follow(tab, 'save-relationship', `**/people/${child}?saved=relationship`);
    await expect(page.getByTestId('relationships').textContent()).resolves.toContain(
      'Marigold Kinsperson',
    );

    expect(await tab.visit(`/people/${carer}/sensitive`)).toBe(200);
    await follow(tab, 'add-offence-data', `**/people/${carer}/offence-data/new`);
    await page.getByLabel('Conviction').check();
    await page.getByTestId('offence-description').fill('Synthetic conviction for a browser test');
    await fillDate(page, 'occurredOn', '2019-05-07');
    await follow(tab, 'save-offence-data', `**/people/${carer}/sensitive?saved=offence`);
    await expect(page.getByTestId('offence-data').textContent()).resolves.toContain(
      'Synthetic conviction for a browser test',
    );
    await tab.close();
  });
});
