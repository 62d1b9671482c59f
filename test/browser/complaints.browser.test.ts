import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { BreachService } from '../../src/governance/breaches/service.js';
import { ComplaintsService } from '../../src/governance/complaints/service.js';
import { caseworkStaff, type CaseworkStaff } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * A data protection complaint end to end (issue 11; DPA 2018 s.164A): a
 * member of the public complains through the public form, then an
 * information governance officer acknowledges it, adds a note, sends a
 * progress update, links the breach the complaint is about (whose page then
 * lists the complaint), records the outcome and prints the letter. Every page
 * passes axe.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let officer: CaseworkStaff;
const breachSummary = 'A letter about a child went to an old address';

beforeAll(async () => {
  database = await testDatabase();
  officer = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
  // A caller’s complaint received 25 days ago: 4 days left to acknowledge it, so
  // the officer's home page reminds them.
  const complaints = new ComplaintsService(database.db);
  await complaints.record(officer.context, {
    fullName: 'Synthetic Caller',
    email: null,
    postalAddress: null,
    phone: '01632 960 001',
    about: 'My details were read out in a meeting.',
    theirReference: null,
    onBehalf: 'no',
    onBehalfName: null,
    onBehalfRelationship: null,
    channel: 'phone',
    receivedOn: Temporal.PlainDate.from(complaints.today()).subtract({ days: 25 }).toString(),
  });
  await new BreachService(database.db).report(officer.context, {
    summary: breachSummary,
    occurredAt: new Date(Date.now() - 26 * 3_600_000),
    awareAt: new Date(Date.now() - 25 * 3_600_000),
    reportedBy: 'Synthetic Neighbour',
    discovery: 'The neighbour phoned the team',
    dataCategories: ['safeguarding'],
    approxPeople: 2,
    approxRecords: 1,
  });
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

describe('a data protection complaint in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('from the public form to the printed outcome letter; axe-clean throughout', async () => {
    const visitor = await Tab.open(browser, baseUrl);
    expect(await visitor.visit('/privacy/kent-scs/complain')).toBe(200);
    // A mistake first: the error summary must be accessible too.
    await visitor.submit({ fullName: 'Synthetic Complainant' }, 'send-complaint');
    const summary = (await visitor.page.locator('.govuk-error-summary').textContent()) ?? '';
    expect(summary).toContain('Enter at least one way to contact you');
    expect(summary).toContain('Enter what your complaint is about');
    expect(summary).toContain('Select whether you are complaining for someone else');
    await expect(visitor.page.getByTestId('fullName').inputValue()).resolves.toBe(
      'Synthetic Complainant',
    );
    await visitor.page.getByTestId('onBehalf-yes').check();
    await visitor.submit(
      {
        email: 'complainant@synthetic.example',
        about: 'You sent a letter about my daughter to my old address.',
        onBehalfName: 'Synthetic Daughter',
        onBehalfRelationship: 'Her mother',
      },
      'send-complaint',
    );
    expect(visitor.path()).toBe('/privacy/kent-scs/complain/sent');
    const reference = (await visitor.page.getByTestId('complaint-reference').textContent()) ?? '';
    expect(reference).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{2}$/);
    await visitor.close();

    const tab = await Tab.open(browser, baseUrl);
    await tab.signInSettingUpTwoFactor(officer.email, officer.password);
    await tab.checkAccessibility();
    await expect(tab.page.getByTestId('complaint-reminders').textContent()).resolves.toContain(
      '1 to acknowledge within 7 days',
    );
    await Promise.all([
      tab.page.waitForURL(`${baseUrl}/governance/complaints`),
      tab.page.getByTestId('complaints-link').click(),
    ]);
    await tab.checkAccessibility();
    const open = (await tab.page.getByTestId('open-complaints').textContent()) ?? '';
    expect(open).toContain('Synthetic Complainant');
    expect(open).toMatch(/Acknowledge by \d{1,2} [A-Z][a-z]+ \d{4} \(29 days left\)/);
    await Promise.all([
      tab.page.waitForURL(/\/governance\/complaints\/[0-9a-f-]{36}$/),
      tab.page.getByRole('link', { name: reference }).click(),
    ]);
    await tab.checkAccessibility();
    await expect(tab.page.getByTestId('complaint-heading').textContent()).resolves.toBe(reference);
    const details = (await tab.page.getByTestId('complaint-details').textContent()) ?? '';
    expect(details).toContain('Synthetic Complainant for Synthetic Daughter (Her mother)');

    // Acknowledge today (the date is filled in), by email.
    await tab.page.locator('#ackVia').check();
    await tab.submit({}, 'acknowledge');
    await expect(tab.page.getByTestId('complaint-clock').textContent()).resolves.toMatch(
      /Acknowledged on \d{1,2} [A-Z][a-z]+ \d{4}/,
    );
    await tab.submit({ noteBody: 'The address was changed on the file in January.' }, 'add-note');
    await tab.page.locator('#updateVia').check();
    await tab.submit(
      { updateBody: 'We have found the cause and are checking the rest of the file.' },
      'record-update',
    );
    const history = (await tab.page.getByTestId('complaint-history').textContent()) ?? '';
    expect(history).toContain('Investigation note');

    // The letter it is about was a breach in the register: linked, and the
    // breach's page lists the complaint.
    const complaintUrl = tab.page.url();
    await tab.page.getByTestId('breachId').selectOption({ label: `Breach 1: ${breachSummary}` });
    await tab.submit({}, 'link-breach');
    await Promise.all([
      tab.page.waitForURL(/\/governance\/breaches\/[0-9a-f-]{36}$/),
      tab.page.getByTestId('complaint-breach-links').getByRole('link').click(),
    ]);
    await tab.checkAccessibility();
    await expect(tab.page.getByTestId('breach-complaints').textContent()).resolves.toContain(
      `Complaint ${reference}`,
    );
    await tab.page.goto(complaintUrl);
    expect(history).toMatch(/Update sent by email on \d{1,2} [A-Z][a-z]+ \d{4}/);

    // The outcome, with a mistake first.
    await tab.page.locator('#outcome').check();
    await tab.submit({ findings: '' }, 'record-outcome');
    await expect(tab.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Enter what you found',
    );
    await tab.page.locator('#outcome').check();
    await tab.submit(
      {
        findings: 'We used an old address after you told us of the new one.',
        actions: 'We have corrected the address and reminded the team to check it.',
      },
      'record-outcome',
    );
    await expect(tab.page.getByTestId('complaint-state').textContent()).resolves.toContain(
      'Closed',
    );

    await Promise.all([
      tab.page.waitForURL(/\/letter$/),
      tab.page.getByTestId('letter-link').click(),
    ]);
    await tab.checkAccessibility();
    const letter = (await tab.page.getByTestId('letter').textContent()) ?? '';
    expect(letter).toContain(`Your complaint reference: ${reference}`);
    expect(letter).toContain('We agree with your complaint.');
    expect(letter).toContain('Synthetic Daughter’s personal information');
    expect(letter).toContain('Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF');
    expect(letter).toContain('0303 123 1113');
    expect(letter).toContain('ico.org.uk/make-a-complaint');
    expect(letter).not.toMatch(/\d{4}-\d{2}-\d{2}|[0-9a-f]{8}-[0-9a-f]{4}/);
    // Printing: the button is there with JavaScript, and on paper only the letter shows.
    await expect(tab.page.getByTestId('print-letter').isVisible()).resolves.toBe(true);
    await tab.page.emulateMedia({ media: 'print' });
    await expect(tab.page.locator('.govuk-service-navigation').isVisible()).resolves.toBe(false);
    await expect(tab.page.getByTestId('letter').isVisible()).resolves.toBe(true);
    const pdf = await tab.page.pdf();
    expect(pdf.length).toBeGreaterThan(1000);
    await tab.page.emulateMedia({ media: 'screen' });

    expect(await tab.visit('/governance/complaints/counts')).toBe(200);
    const counts = (await tab.page.getByTestId('complaint-counts').textContent()) ?? '';
    expect(counts).toMatch(/Received\s*[12]/);
    expect(counts).toMatch(/Closed: upheld\s*1/);
    await tab.close();
  }, 180_000);
});
