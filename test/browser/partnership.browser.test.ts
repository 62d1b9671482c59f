import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { PartnershipService } from '../../src/partnership/service.js';
import { testConfig } from '../support/app.js';
import { caseworkStaff, type CaseworkStaff } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let business: CaseworkStaff;

beforeAll(async () => {
  database = await testDatabase();
  business = await caseworkStaff(database.db, 'kscmp', ['partnership-business']);
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function fillDate(tab: Tab, name: string, day: string, month: string, year: string) {
  await tab.page.locator(`#${name}-day`).fill(day);
  await tab.page.locator(`#${name}-month`).fill(month);
  await tab.page.locator(`#${name}-year`).fill(year);
}

describe('partnership services in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('books a place on a face-to-face course', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn(business.email, business.password);
    await tab.visit('/partnership/training');
    await tab.page.getByLabel('Face-to-face').check();
    await tab.page.getByLabel('Course', { exact: true }).check();
    await fillDate(tab, 'startDate', '14', '5', '2026');
    await fillDate(tab, 'endDate', '15', '5', '2026');
    await tab.submit({ 'course-title': 'Neglect: recognising the signs' }, 'add-course');
    await expect(tab.page.getByTestId('course-heading').textContent()).resolves.toContain(
      'Neglect',
    );

    await Promise.all([tab.page.waitForURL('**/book'), tab.page.getByTestId('book-place').click()]);
    await tab.checkAccessibility();
    // A mistake first: the error summary must be accessible too.
    await tab.submit({ fullName: 'Synthetic Trainee' }, 'save-booking');
    await expect(tab.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Enter the job role',
    );
    await tab.page.getByTestId('sector').selectOption('education');
    await tab.submit(
      {
        jobRole: 'Designated safeguarding lead',
        employer: 'Synthetic Primary School',
        email: 'trainee@synthetic.example',
        requirements: 'Vegetarian',
      },
      'save-booking',
    );
    await expect(tab.page.getByTestId('saved').textContent()).resolves.toContain('Booking saved');
    await expect(tab.page.getByTestId('bookings').textContent()).resolves.toContain(
      'Synthetic Trainee',
    );
    await tab.visit('/partnership/training/report');
    await tab.close();
  });

  it('shows the annual report for a year chosen from a list, and its figures as a download', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn(business.email, business.password);
    expect(await tab.visit('/partnership/annual-report')).toBe(200);
    await expect(tab.page.locator('h2').first().textContent()).resolves.toMatch(
      /^1 April \d{4} to 31 March \d{4}$/,
    );
    await expect(tab.page.getByTestId('annual-reviews').textContent()).resolves.toContain(
      'Rapid reviews sent to the national panel',
    );
    const link = tab.page.getByRole('link', { name: 'Download these figures (CSV)' });
    const response = await tab.page.request.get(baseUrl + (await link.getAttribute('href')));
    expect(response.headers()['content-type']).toMatch(/text\/csv/);
    // A year that is not offered (typed into the address) gets the list back with an error.
    expect(await tab.visit('/partnership/annual-report?year=2099')).toBe(400);
    await expect(tab.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Select a reporting year from the list',
    );
    // The statistics the report's reviews come from: charts and tables, checked by axe too.
    expect(await tab.visit('/statistics')).toBe(200);
    expect(
      await tab.page.getByRole('img', { name: /Reviews of serious incidents, by step/ }).count(),
    ).toBe(1);
    await expect(tab.page.getByTestId('table-practice-reviews').textContent()).resolves.toContain(
      'Whole year',
    );
    expect(await tab.visit('/statistics?year=2099')).toBe(400);
    await tab.close();
  });

  it('signs up to the newsletter without signing in, and unsubscribes from the email’s link', async () => {
    const visitor = await Tab.open(browser, baseUrl);
    expect(await visitor.visit('/partnerships/kscmp/newsletter')).toBe(200);
    await visitor.submit({ email: 'not an address' }, 'sign-up');
    await expect(visitor.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Enter your name',
    );
    await visitor.page.getByTestId('consent').check();
    await visitor.submit(
      {
        fullName: 'Synthetic Reader',
        employer: 'Synthetic Nursery',
        email: 'reader@synthetic.example',
      },
      'sign-up',
    );
    expect(await visitor.page.getByTestId('signed-up').isVisible()).toBe(true);

    const staff = await Tab.open(browser, baseUrl);
    await staff.signIn(business.email, business.password);
    await staff.visit('/partnership/newsletter');
    await expect(staff.page.getByTestId('subscribers').textContent()).resolves.toContain(
      'reader@synthetic.example',
    );
    await Promise.all([
      staff.page.waitForURL('**/email'),
      staff.page.getByRole('link', { name: /Email text/ }).click(),
    ]);
    await staff.checkAccessibility();
    const link = await staff.page.getByTestId('unsubscribe-link').getAttribute('href');
    expect(link).toMatch(/\/partnerships\/kscmp\/newsletter\/unsubscribe\//);

    await visitor.visit(new URL(link!).pathname);
    await visitor.submit({}, 'unsubscribe');
    expect(await visitor.page.getByTestId('unsubscribed').isVisible()).toBe(true);

    await staff.visit('/partnership/newsletter');
    expect(await staff.page.getByTestId('no-subscribers').isVisible()).toBe(true);
    await staff.close();
    await visitor.close();
  });

  it('answers a survey anonymously', async () => {
    const service = new PartnershipService(database.db, {
      sessionSecret: testConfig().sessionSecret,
    });
    const id = await service.createSurvey(business.context, {
      title: 'Training feedback',
      purpose: 'To improve our courses. Results are shared only in aggregate.',
    });
    await service.addQuestion(business.context, id, {
      kind: 'single-choice',
      prompt: 'Was the course useful?',
      options: ['Yes', 'No'],
    });
    await service.addQuestion(business.context, id, {
      kind: 'multiple-choice',
      prompt: 'Which sessions did you attend?',
      options: ['Morning', 'Afternoon'],
    });
    await service.addQuestion(business.context, id, {
      kind: 'free-text',
      prompt: 'Anything else?',
      options: [],
    });
    await service.openSurvey(business.context, id);

    const visitor = await Tab.open(browser, baseUrl);
    await visitor.visit(`/surveys/${id}`);
    await expect(visitor.page.getByTestId('survey-title').textContent()).resolves.toBe(
      'Training feedback',
    );
    await visitor.page.getByTestId('answer-1-1').check();
    await visitor.page.getByTestId('answer-2-1').check();
    await visitor.page.getByTestId('answer-2-2').check();
    await visitor.submit({ 'question-3': 'Very practical.' }, 'send-answers');
    expect(await visitor.page.getByTestId('survey-thanks').isVisible()).toBe(true);
    await visitor.close();

    const staff = await Tab.open(browser, baseUrl);
    await staff.signIn(business.email, business.password);
    await staff.visit(`/partnership/surveys/${id}`);
    // One response: every count is hidden.
    await expect(staff.page.getByTestId('respondents').textContent()).resolves.toContain('c');
    await staff.close();
  });
});
