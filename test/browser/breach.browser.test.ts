import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseworkService } from '../../src/casework/service.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { caseworkStaff, createPerson } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import type { TestStaff } from '../support/staff.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * A personal data breach from report to closure (issue 11): information
 * governance reports it; the DPO finds who is affected from the staff
 * account involved, assesses the risk, decides to tell the ICO and the
 * people, prints the letters, records an action and signs it off. Closing
 * needs a different person from whoever recorded the breach (four eyes),
 * so the officer reports and the DPO does the rest. axe on every page.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let officer: TestStaff;
let dpo: TestStaff;
let workerAccountId: string;

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  const worker = await caseworkStaff(
    db,
    'kent-scs',
    ['practitioner'],
    ['assessment'],
    'Wanda Worker',
  );
  workerAccountId = worker.accountId;
  const casework = new CaseworkService(db);
  const child = await createPerson(db, 'kent-scs', {
    givenName: 'Tamsin',
    familyName: 'Breachley',
  });
  const parent = await createPerson(db, 'kent-scs', { givenName: 'Hugo', familyName: 'Breachley' });
  await db
    .insertInto('person_address')
    .values({ person_id: child, line1: '1 Synthetic Row', town: 'Maidstone', postcode: 'ME14 1XX' })
    .execute();
  const recordId = await casework.create(worker.context, {
    category: 'child-in-need',
    subjectPersonId: child,
    openedOn: '2025-02-03',
  });
  await db
    .insertInto('record_party')
    .values({ record_id: recordId, person_id: parent, role: 'parent' })
    .execute();
  // The worker's account opened the record today: the audit log knows.
  await casework.open(worker.context, recordId);
  officer = (await caseworkStaff(db, 'kent-scs', ['information-governance'])) as TestStaff;
  dpo = (await caseworkStaff(db, 'kent-scs', ['data-protection-officer'])) as TestStaff;
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

const today = Temporal.Now.plainDateISO('Europe/London');
const yesterday = today.subtract({ days: 1 });

async function fillDateTime(tab: Tab, name: string, day: Temporal.PlainDate, time: string) {
  await tab.page.fill(`#${name}-day`, String(day.day));
  await tab.page.fill(`#${name}-month`, String(day.month));
  await tab.page.fill(`#${name}-year`, String(day.year));
  await tab.page.getByTestId(`${name}-time`).fill(time);
}

async function follow(tab: Tab, testId: string) {
  await Promise.all([
    tab.page.waitForLoadState('load'),
    tab.page.getByTestId(testId).first().click(),
  ]);
  await tab.page.waitForLoadState('load');
  await tab.checkAccessibility();
}

describe('a breach in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  // A whole breach, from report to sign-off, is some thirty pages, each checked with axe.
  it(
    'goes from report to closure: find affected from a staff account, assess, decide, letters, sign off',
    { timeout: 120_000 },
    async () => {
      // Information governance reports it, with one mistake first.
      const reporting = await Tab.open(browser, baseUrl);
      await reporting.signInSettingUpTwoFactor(officer.email, officer.password);
      await follow(reporting, 'breaches-link');
      expect(reporting.path()).toBe('/governance/breaches');
      await follow(reporting, 'report-breach');
      await reporting.page.getByTestId('summary').fill('A staff laptop was stolen from a car');
      await fillDateTime(reporting, 'occurredAt', yesterday, '8:00am');
      await fillDateTime(reporting, 'awareAt', yesterday, 'teatime');
      await reporting.page
        .getByLabel('Safeguarding or social care records about children and families')
        .check();
      await reporting.submit(
        {
          reportedBy: 'Wanda Worker, social worker',
          discovery: 'She reported it to her manager',
          approxPeopleCount: '2',
          approxRecordsCount: '1',
        },
        'record-breach',
      );
      await expect(reporting.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
        'Enter the time the organisation became aware as, for example, 9:30am or 14:30',
      );
      // What was typed is still there.
      expect(await reporting.page.getByTestId('summary').inputValue()).toBe(
        'A staff laptop was stolen from a car',
      );
      await reporting.submit({ 'awareAt-time': '9:30am' }, 'record-breach');
      expect(reporting.path()).toMatch(/^\/governance\/breaches\/[0-9a-f-]{36}$/);
      const breachPath = reporting.path();
      await expect(reporting.page.getByTestId('breach-heading').textContent()).resolves.toBe(
        'Breach 1',
      );
      await expect(reporting.page.getByTestId('breach-clock').textContent()).resolves.toMatch(
        /\d+ hours? \d+ minutes? left to decide whether to tell the ICO/,
      );
      await reporting.close();

      // The DPO sees the clock on the home page.
      const tab = await Tab.open(browser, baseUrl);
      await tab.signInSettingUpTwoFactor(dpo.email, dpo.password);
      await tab.checkAccessibility();
      await expect(tab.page.getByTestId('breach-clocks').textContent()).resolves.toContain(
        'Breach 1',
      );
      await follow(tab, 'breach-clock');
      expect(tab.path()).toBe(breachPath);

      // Who is affected: everyone Wanda Worker's account saw today.
      await follow(tab, 'find-affected-link');
      await tab.page.selectOption('#accountId', workerAccountId);
      await fillDateTime(tab, 'from', today, '0:00');
      await fillDateTime(tab, 'to', today, '11:59pm');
      await tab.submit({}, 'add-from-account');
      await expect(tab.page.getByTestId('added').textContent()).resolves.toContain(
        '2 people added',
      );
      await tab.visit(breachPath);
      const subjects = (await tab.page.getByTestId('breach-subjects').textContent()) ?? '';
      expect(subjects).toContain('Tamsin Breachley');
      expect(subjects).toContain('Hugo Breachley');
      expect(subjects).toContain('Viewed by a staff account');

      // Assess.
      await follow(tab, 'assess-link');
      await tab.page.getByTestId('likelihood-likely').check();
      await tab.page.getByTestId('severity-severe').check();
      await tab.submit(
        {
          consequences: 'Someone could learn where the family lives and about the child’s needs',
          measures: 'The laptop was encrypted and has been wiped remotely; the police were told',
        },
        'save-assessment',
      );
      await expect(tab.page.getByTestId('breach-assessment').textContent()).resolves.toContain(
        'A high risk to people’s rights and freedoms',
      );

      // Decide: tell the ICO; the report is ready to copy.
      await follow(tab, 'ico-decision-link');
      await tab.page.getByTestId('decision-notify').check();
      await tab.submit(
        {
          reasons: 'A high risk to a child and family',
          dpoContact: 'Synthetic DPO, dpo@synthetic.example, 03000 000000',
        },
        'save-ico-decision',
      );
      await follow(tab, 'ico-report-link');
      const report = (await tab.page.getByTestId('ico-report').textContent()) ?? '';
      expect(report).toContain('Kent County Council');
      expect(report).toContain('A staff laptop was stolen from a car');
      expect(report).toMatch(/9:30am on \d{1,2} [A-Z][a-z]+ \d{4}/);
      expect(report).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      await tab.visit(breachPath);

      // Decide: tell the people, and print their letters.
      await follow(tab, 'people-decision-link');
      await tab.page.getByTestId('decision-tell').check();
      await tab.submit(
        { notice: 'A laptop holding information about your family was stolen from a car.' },
        'save-people-decision',
      );
      await follow(tab, 'letters-link');
      const letters = tab.page.getByTestId('letter');
      await expect(letters.count()).resolves.toBe(2);
      const all = (await tab.page.locator('main').textContent()) ?? '';
      expect(all).toContain('Dear Tamsin Breachley');
      expect(all).toContain('1 Synthetic Row');
      expect(all).toContain('Synthetic DPO, dpo@synthetic.example');
      expect(all).toContain('The laptop was encrypted and has been wiped remotely');
      await tab.visit(breachPath);

      // An action, done; then the DPO signs off.
      await tab.submit(
        {
          'action-description': 'Remind staff never to leave laptops in cars',
          'action-owner': 'Team manager',
        },
        'add-action',
      );
      await follow(tab, 'action-done');
      await tab.submit({ lessons: 'Laptops go home with staff, never in a car' }, 'close-breach');
      await expect(tab.page.getByTestId('breach-closed').textContent()).resolves.toContain(
        'Closed by',
      );
      await tab.visit('/governance/breaches');
      const register = (await tab.page.getByTestId('breach-register').textContent()) ?? '';
      expect(register).toContain('Closed');
      expect(register).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      await tab.close();
    },
  );
});
