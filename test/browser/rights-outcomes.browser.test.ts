import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { CaseworkService } from '../../src/casework/service.js';
import { PartnershipService } from '../../src/partnership/service.js';
import { seedAgreements } from '../../src/sharing/agreements.js';
import { SharingService } from '../../src/sharing/service.js';
import { caseworkStaff, createPerson } from '../support/casework.js';
import { testConfig } from '../support/app.js';
import { testDatabase } from '../support/database.js';
import { createStaff, type TestStaff } from '../support/staff.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let officer: TestStaff;
let kentOfficer: TestStaff;
let child: string;
let recordId: string;
let bookingId: string;
let otherBookingId: string;

const TRAINEE = { givenName: 'Ottoline', familyName: 'Erasewell' };
const EMAIL = 'ottoline@synthetic.example';

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  const partnership = new PartnershipService(db, { sessionSecret: testConfig().sessionSecret });
  const team = await caseworkStaff(db, 'kscmp', ['partnership-business']);
  const courseId = await partnership.createCourse(team.context, {
    title: 'Synthetic safeguarding basics',
    kind: 'course',
    delivery: 'online',
    startDate: '2030-04-01',
    endDate: '2030-04-01',
  });
  const book = (fullName: string, email: string) =>
    partnership.book(team.context, courseId, {
      fullName,
      jobRole: 'Teacher',
      employer: 'Synthetic Primary School',
      sector: 'education',
      email,
      telephone: null,
      postalAddress: null,
      budgetReference: null,
      requirements: null,
    });
  bookingId = await book(`${TRAINEE.givenName} ${TRAINEE.familyName}`, EMAIL);
  otherBookingId = await book('Peregrine Keepme', 'peregrine@synthetic.example');
  await partnership.signUp('kscmp', {
    fullName: `${TRAINEE.givenName} ${TRAINEE.familyName}`,
    employer: 'Synthetic Primary School',
    email: EMAIL,
    consent: 'yes',
  });
  officer = await createStaff(db, [{ organisation: 'kscmp', role: 'information-governance' }]);

  // A child whose plan was shared with the LADO service, for rectification and Art 19.
  await seedAgreements(db);
  const worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  const casework = new CaseworkService(db);
  child = await createPerson(db, 'kent-scs', {
    givenName: 'Rosalind',
    familyName: 'Amendment',
    dateOfBirth: '2014-03-05',
  });
  recordId = await casework.create(worker.context, {
    category: 'child-protection-plan',
    subjectPersonId: child,
    openedOn: '2025-01-10',
    detail: { categoryOfAbuse: 'neglect' },
  });
  await casework.addNote(worker.context, recordId, {
    occurredOn: '2025-02-01',
    kind: 'visit',
    text: 'The worker felt the parents were hostile.',
  });
  const kmisa = await db
    .selectFrom('sharing_agreement')
    .select('id')
    .where('slug', '=', 'kmisa')
    .executeTakeFirstOrThrow();
  await new SharingService(db).create(worker.context, {
    items: [{ recordId, kind: 'record', id: recordId }],
    recipientId: 'kcc-teams',
    recipientName: 'Kent LADO duty officer',
    recipientOrganisation: 'kent-lado',
    purpose: 'allegation-management',
    agreementId: kmisa.id,
    lawfulBasis: '6(1)(e)',
    specialCondition: '9(2)(g)',
    consent: 'not-sought',
    consentReason: 'risk-to-child',
  });
  kentOfficer = await createStaff(db, [
    { organisation: 'kent-scs', role: 'information-governance' },
  ]);
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function fillToday(tab: Tab, name: string) {
  const today = Temporal.Now.plainDateISO('Europe/London');
  await tab.page.locator(`#${name}-day`).fill(String(today.day));
  await tab.page.locator(`#${name}-month`).fill(String(today.month));
  await tab.page.locator(`#${name}-year`).fill(String(today.year));
}

async function signInGovernance(tab: Tab, staff: TestStaff = officer) {
  await tab.signInSettingUpTwoFactor(staff.email, staff.password);
}

describe('carrying out rights outcomes in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('erases the confirmed training booking and subscription; every page passes axe', async () => {
    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await signInGovernance(tab);

    expect(await tab.visit('/rights/new')).toBe(200);
    await page.getByLabel('Erasure', { exact: true }).check();
    const today = Temporal.Now.plainDateISO('Europe/London');
    await page.locator('#receivedOn-day').fill(String(today.day));
    await page.locator('#receivedOn-month').fill(String(today.month));
    await page.locator('#receivedOn-year').fill(String(today.year));
    await page.locator('#channel').selectOption('letter');
    await page.locator('#description').fill('Please delete my training booking and my details.');
    await page.getByLabel('The person themselves').check();
    await page.locator('#requesterName').fill(`${TRAINEE.givenName} ${TRAINEE.familyName}`);
    await page.locator('#requesterContact').fill('By letter to the address on file');
    await page.locator('#identityCheck').selectOption('known-to-us');
    await page.locator('#subjectGivenName').fill(TRAINEE.givenName);
    await page.locator('#subjectFamilyName').fill(TRAINEE.familyName);
    await tab.submit({}, 'record-request');
    const requestPath = tab.path();
    expect(requestPath).toMatch(/^\/rights\/[0-9a-f-]{36}$/);

    await page.getByTestId('transition-form').getByLabel('In progress', { exact: true }).check();
    await tab.submit({}, 'transition');

    // Before a decision and discovery there is nothing to carry out.
    await expect(page.locator('#outcomes + p').textContent()).resolves.toContain(
      'Record the decision',
    );
    await tab.submit({}, 'decide');
    await expect(page.getByTestId('decisions').textContent()).resolves.toContain(
      'Art 17(1)(b) UK GDPR',
    );
    await Promise.all([
      page.waitForURL('**/discovery'),
      page.getByTestId('erasure-discovery-link').click(),
    ]);
    await tab.checkAccessibility();
    await tab.submit({}, 'run-discovery');
    await expect(page.getByTestId('partnership-matches').textContent()).resolves.toContain(
      `${TRAINEE.givenName} ${TRAINEE.familyName}`,
    );

    // Back on the request: confirm both entries, then erase.
    expect(await tab.visit(requestPath)).toBe(200);
    const form = page.getByTestId('erasure-form');
    await form.getByLabel(`Training booking: ${TRAINEE.givenName} ${TRAINEE.familyName}`).check();
    await form
      .getByLabel(`Newsletter subscription: ${TRAINEE.givenName} ${TRAINEE.familyName}`)
      .check();
    await tab.submit({}, 'carry-out-erasure');
    const outcomes = (await page.getByTestId('outcomes').textContent()) ?? '';
    expect(outcomes).toContain('Erased');
    expect(outcomes).toContain('Unsubscribed and deleted');
    expect(outcomes).toContain('Cannot be linked to the person');
    expect(outcomes).not.toContain(EMAIL);
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain(
      'Erasure carried out',
    );
    await tab.close();

    const db = database.db;
    const booking = await db
      .selectFrom('training_booking')
      .select('id')
      .where('id', 'in', [bookingId, otherBookingId])
      .execute();
    expect(booking.map((b) => b.id)).toEqual([otherBookingId]);
    const subscribers = await db
      .selectFrom('newsletter_subscriber')
      .select('id')
      .where('email', '=', EMAIL)
      .execute();
    expect(subscribers).toEqual([]);
    const suppressed = await db.selectFrom('newsletter_suppression').select('reason').execute();
    expect(suppressed).toEqual([{ reason: 'unsubscribed' }]);
  }, 120_000);

  it('corrects a date of birth, records a dispute, and tells the recipient (Art 19); axe-clean', async () => {
    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await signInGovernance(tab, kentOfficer);
    expect(await tab.visit('/rights/new')).toBe(200);
    await page.getByLabel('Rectification', { exact: true }).check();
    await fillToday(tab, 'receivedOn');
    await page.locator('#channel').selectOption('letter');
    await page.locator('#description').fill('My date of birth is wrong and I dispute a note.');
    await page.getByLabel('The person themselves').check();
    await page.locator('#requesterName').fill('Rosalind Amendment');
    await page.locator('#requesterContact').fill('By letter');
    await page.locator('#identityCheck').selectOption('photo-id-seen');
    await page.locator('#subjectGivenName').fill('Rosalind');
    await page.locator('#subjectFamilyName').fill('Amendment');
    await tab.submit({}, 'record-request');
    const requestPath = tab.path();
    await page.getByTestId('transition-form').getByLabel('In progress', { exact: true }).check();
    await tab.submit({}, 'transition');

    // Find and confirm the person.
    await Promise.all([
      page.waitForURL('**/discovery'),
      page.getByTestId('rectification-discovery-link').click(),
    ]);
    await tab.submit({}, 'run-discovery');
    const candidate = page.getByTestId('candidate').filter({ hasText: 'Rosalind Amendment' });
    await Promise.all([
      page.waitForEvent('load'),
      candidate.getByTestId('confirm-subject').click(),
    ]);
    expect(await tab.visit(requestPath)).toBe(200);

    // Correct the date of birth: a bad date first, shown in the error summary.
    await page.locator('#dateOfBirth-day').fill('31');
    await page.locator('#dateOfBirth-month').fill('2');
    await tab.submit({}, 'rectify-person');
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'must be a real date',
    );
    await page.locator('#dateOfBirth-day').fill('6');
    await page.locator('#dateOfBirth-month').fill('3');
    await page.locator('#dateOfBirth-year').fill('2014');
    await tab.submit({}, 'rectify-person');
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain(
      'Corrected: date of birth',
    );

    // Correct a fact of the record itself: the date the plan closed.
    await Promise.all([
      page.waitForURL(`**/rectification/records/${recordId}`),
      page.getByTestId('rectify-record-link').first().click(),
    ]);
    await tab.checkAccessibility();
    await page.locator('[id="closedOn-day"]').fill('30');
    await page.locator('[id="closedOn-month"]').fill('2');
    await page.locator('[id="closedOn-year"]').fill('2025');
    await tab.submit({}, 'save-rectify-record');
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'real date',
    );
    await page.locator('[id="closedOn-day"]').fill('28');
    await Promise.all([
      page.waitForURL(`**${requestPath}#rectification`),
      page.getByTestId('save-rectify-record').click(),
    ]);
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain(
      'Record corrected: date closed',
    );
    await Promise.all([
      page.waitForURL('**/rectification/entries'),
      page.getByTestId('rectify-entries-link').click(),
    ]);
    await tab.checkAccessibility();
    expect(await tab.visit(requestPath)).toBe(200);

    // The disputed opinion, attached to the note.
    await page.locator('#target').selectOption({ index: 2 });
    await page.getByLabel('What the person disputes (an opinion they say is wrong)').check();
    await page.locator('#text').fill('We were upset, not hostile.');
    await tab.submit({}, 'annotate');
    await expect(page.getByTestId('annotations').textContent()).resolves.toContain(
      'We were upset, not hostile.',
    );

    // Art 19: the LADO service received the plan; still to be told, then told.
    await expect(page.getByTestId('still-to-tell').textContent()).resolves.toContain(
      '1 of 1 still to be told',
    );
    const recipient = page.getByTestId('recipient').filter({ hasText: 'Kent LADO duty officer' });
    await recipient.getByLabel('Told', { exact: true }).check();
    const today = Temporal.Now.plainDateISO('Europe/London');
    await recipient.getByLabel('Day').fill(String(today.day));
    await recipient.getByLabel('Month').fill(String(today.month));
    await recipient.getByLabel('Year').fill(String(today.year));
    await recipient.getByLabel('How were they told?').fill('Secure email to the duty officer');
    await Promise.all([page.waitForEvent('load'), recipient.getByTestId('record-notice').click()]);
    await tab.checkAccessibility();
    await expect(page.getByTestId('still-to-tell').textContent()).resolves.toContain(
      'Every recipient has been dealt with',
    );

    // The record page shows the dispute beside the note, which is unchanged.
    expect(await tab.visit(`/records/${recordId}`)).toBe(200);
    const record = await page.locator('main').textContent();
    expect(record).toContain('The worker felt the parents were hostile.');
    expect(record).toContain('We were upset, not hostile.');
    await tab.close();

    const person = await database.db
      .selectFrom('person')
      .select('date_of_birth')
      .where('id', '=', child)
      .executeTakeFirstOrThrow();
    expect(person.date_of_birth).toBe('2014-03-06');
    const corrected = await database.db
      .selectFrom('record_change')
      .select(['field', 'from_value', 'to_value', 'changed_by'])
      .where('record_id', '=', recordId)
      .where('field', '=', 'closedOn')
      .execute();
    expect(corrected).toEqual([
      {
        field: 'closedOn',
        from_value: null,
        to_value: '2025-02-28',
        changed_by: kentOfficer.accountId,
      },
    ]);
  }, 120_000);

  it('exports a trainee’s confirmed booking as JSON and CSV once a second person approves; axe-clean', async () => {
    const db = database.db;
    const partnership = new PartnershipService(db, { sessionSecret: testConfig().sessionSecret });
    const team = await caseworkStaff(db, 'kscmp', ['partnership-business']);
    const courseId = await partnership.createCourse(team.context, {
      title: 'Synthetic online safety',
      kind: 'course',
      delivery: 'online',
      startDate: '2030-05-01',
      endDate: '2030-05-01',
    });
    await partnership.book(team.context, courseId, {
      fullName: 'Philomena Portwell',
      jobRole: 'Teacher',
      employer: '=Synthetic, "Primary" School',
      sector: 'education',
      email: 'philomena@synthetic.example',
      telephone: null,
      postalAddress: null,
      budgetReference: null,
      requirements: null,
    });
    // Two officers new to this test (each sets up two-factor on first sign-in).
    const [preparer, approver] = [
      await createStaff(db, [{ organisation: 'kscmp', role: 'information-governance' }]),
      await createStaff(db, [{ organisation: 'kscmp', role: 'information-governance' }]),
    ];

    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await signInGovernance(tab, preparer);
    expect(await tab.visit('/rights/new')).toBe(200);
    await page.getByLabel('Data portability', { exact: true }).check();
    await fillToday(tab, 'receivedOn');
    await page.locator('#channel').selectOption('letter');
    await page.locator('#description').fill('My training records, for my new school.');
    await page.getByLabel('The person themselves').check();
    await page.locator('#requesterName').fill('Philomena Portwell');
    await page.locator('#requesterContact').fill('By letter');
    await page.locator('#identityCheck').selectOption('known-to-us');
    await page.locator('#subjectGivenName').fill('Philomena');
    await page.locator('#subjectFamilyName').fill('Portwell');
    await tab.submit({}, 'record-request');
    const requestPath = tab.path();
    await page.getByTestId('transition-form').getByLabel('In progress', { exact: true }).check();
    await tab.submit({}, 'transition');
    await tab.submit({}, 'decide');
    await Promise.all([
      page.waitForURL('**/discovery'),
      page.getByTestId('discovery-link').click(),
    ]);
    await tab.submit({}, 'run-discovery');

    expect(await tab.visit(`${requestPath}/portability`)).toBe(200);
    await page.getByLabel('Training booking: Philomena Portwell').check();
    await tab.submit({}, 'confirm-portability');
    expect(tab.path()).toBe(requestPath);
    await expect(page.getByTestId('portable-items').textContent()).resolves.toContain(
      'Philomena Portwell',
    );
    await expect(page.getByTestId('portability-not-yet').isVisible()).resolves.toBe(true);
    await page.getByTestId('transition-form').getByLabel('In review', { exact: true }).check();
    await tab.submit({}, 'transition');
    await tab.close();

    const second = await Tab.open(browser, baseUrl);
    await signInGovernance(second, approver);
    expect(await second.visit(requestPath)).toBe(200);
    await second.page
      .getByTestId('transition-form')
      .getByLabel('Approved', { exact: true })
      .check();
    await second.submit({}, 'transition');
    const json = await second.page.request.get(
      baseUrl + ((await second.page.getByTestId('portability-json').getAttribute('href')) ?? ''),
    );
    expect(json.status()).toBe(200);
    const doc = (await json.json()) as { datasets: { records: { fullName: string }[] }[] };
    expect(doc.datasets.flatMap((d) => d.records.map((r) => r.fullName))).toEqual([
      'Philomena Portwell',
    ]);
    const csvHref = await second.page
      .getByTestId('portability-csv-training-bookings')
      .getAttribute('href');
    const csv = await second.page.request.get(baseUrl + (csvHref ?? ''));
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain('"\'=Synthetic, ""Primary"" School"');
    await second.close();
  }, 120_000);
});
