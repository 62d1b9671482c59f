import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import PDFDocument from 'pdfkit';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseworkService } from '../../src/casework/service.js';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import type { StaffContext } from '../../src/platform/auth/service.js';
import { PracticeReviewService } from '../../src/practice-reviews/service.js';
import { takeDownEnded } from '../../src/publication/publications.js';
import { extractReportText } from '../../src/publication/report-text.js';
import { londonDay } from '../../src/sharing/dates.js';
import { createPerson, organisationId } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { createStaff } from '../support/staff.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 14, done when: a report goes from upload to a published, redacted
 * PDF and comes down after its period, in a browser. The report is a PDF
 * naming the child (full name, nickname, date of birth, address, NHS
 * number), her mother and a neighbour; the reviewer renames a label, adds
 * what Safekeep missed, cannot approve her own work; a second person
 * approves; the published PDF holds none of it; the daily take-down removes
 * it after its year. Every page is checked with axe.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 2 });
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

const today = () => londonDay(new Date());
const NAMES = ['Jade', 'Kowalczyk', 'Jadey', 'Marta', 'Mill Lane', 'ME14', '999 123 4578'];

function reportPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56 });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
  });
  doc.fontSize(16).text('Learning from the experience of Jade Kowalczyk');
  doc.moveDown(2).fontSize(11);
  doc.text(
    'Jade Kowalczyk, known to her family as Jadey, was born on 3rd March 2015. She lived with her mother, Marta Kowalczyk, at 12 Mill Lane, Maidstone ME14 2AB. Her NHS number is 999 123 4578.',
  );
  doc.moveDown(2);
  doc.text(
    'The neighbour, Mrs Barker, told the police that the family dog Biscuit was often left outside. Agencies did not bring together what each of them knew.',
  );
  doc.end();
  return done;
}

async function submit(tab: Tab, testId: string) {
  await Promise.all([tab.page.waitForLoadState('load'), tab.page.getByTestId(testId).click()]);
  await tab.page.waitForLoadState('load');
  await tab.checkAccessibility();
}

describe('publishing a practice review in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('goes from an uploaded PDF to a published, redacted PDF approved by a second person, and comes down after its year', async () => {
    const db = database.db;
    const kscmp = await organisationId(db, 'kscmp');
    const business = await db
      .selectFrom('account')
      .select(['id', 'display_name'])
      .where('email', '=', 'business@kscmp.example')
      .executeTakeFirstOrThrow();
    const staff: StaffContext = {
      accountId: business.id,
      sessionId: randomUUID(),
      displayName: business.display_name,
      organisation: { id: kscmp, slug: 'kscmp', shortName: 'KSCMP' },
      roles: ['partnership-business'],
      teams: [],
      organisationCount: 1,
      stage: 'complete',
    };
    // The review's people, as Safekeep knows them.
    const jade = await createPerson(db, 'kscmp', {
      givenName: 'Jade',
      familyName: 'Kowalczyk',
      dateOfBirth: '2015-03-03',
    });
    await db
      .insertInto('person_name')
      .values({
        person_id: jade,
        organisation_id: kscmp,
        kind: 'alias',
        given_name: 'Jadey',
        family_name: 'Kowalczyk',
      })
      .execute();
    await db
      .insertInto('person_address')
      .values({ person_id: jade, line1: '12 Mill Lane', town: 'Maidstone', postcode: 'ME14 2AB' })
      .execute();
    await db
      .insertInto('person_identifier')
      .values({ person_id: jade, organisation_id: kscmp, type: 'nhs-number', value: '9991234578' })
      .execute();
    const marta = await createPerson(db, 'kscmp', {
      givenName: 'Marta',
      familyName: 'Kowalczyk',
      dateOfBirth: '1990-07-12',
    });
    await db.updateTable('person').set({ gender: 'female' }).where('id', '=', marta).execute();
    const recordId = await new CaseworkService(db).create(staff, {
      category: 'practice-review',
      subjectPersonId: jade,
      openedOn: today(),
      detail: { reviewType: 'rapid-review' },
    });
    await db
      .insertInto('record_party')
      .values({ record_id: recordId, person_id: marta, role: 'parent' })
      .execute();
    // The steps before the report, as the practice-review browser test walks them.
    const reviews = new PracticeReviewService(db);
    const sharing = {
      consent: 'not-sought',
      consentReason: 'not-reasonably-expected',
      justification: 'Synthetic: statutory practice review; the recipient needs this.',
    } as const;
    await reviews.start(staff, recordId, {
      referralReceivedOn: today(),
      referredBy: 'Synthetic duty team',
      awareOn: today(),
      summary: 'Synthetic referral.',
    });
    await reviews.decideNotification(staff, recordId, { notified: true, decidedOn: today() });
    await reviews.sendToRapidReview(staff, recordId, {
      sentOn: today(),
      recipientName: 'Synthetic Rapid Review Group',
      ...sharing,
    });
    await reviews.decideReview(staff, recordId, {
      lcspr: true,
      decidedOn: today(),
      reasons: 'Synthetic: learning about multi-agency practice.',
    });
    await reviews.appoint(staff, recordId, {
      role: 'lead-reviewer',
      name: 'Synthetic Lead Reviewer',
      agency: 'Independent reviewer',
      appointedOn: today(),
      ...sharing,
    });

    const tab = await Tab.open(browser, baseUrl);
    const { page } = tab;
    await tab.signIn('business@kscmp.example', DEMO_PASSWORD);
    const review = `/records/${recordId}/practice-review`;

    // Upload: the final report, a PDF.
    expect(await tab.visit(`${review}/report`)).toBe(200);
    await page.check('input[name="final"][value="yes"]');
    await page.setInputFiles('#document', {
      name: 'report.pdf',
      mimeType: 'application/pdf',
      buffer: await reportPdf(),
    });
    await submit(tab, 'submit');
    expect(tab.path()).toBe(review);

    // A PDF report cannot be published before it is anonymised.
    expect(await tab.visit(`${review}/publication`)).toBe(200);
    await page.fill('#publishedOn-day', String(Number(today().slice(8))));
    await page.fill('#publishedOn-month', String(Number(today().slice(5, 7))));
    await page.fill('#publishedOn-year', today().slice(0, 4));
    await page.check('input[name="anonymised"][value="yes"]');
    await submit(tab, 'submit');
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Anonymise the report',
    );

    // The review screen: detection with the case's people, each with its reason.
    expect(await tab.visit(review)).toBe(200);
    await Promise.all([
      page.waitForURL(`**${review}/anonymise`),
      page.getByRole('link', { name: 'Anonymise the report' }).click(),
    ]);
    await tab.checkAccessibility();
    await submit(tab, 'start');
    const spans = (await page.getByTestId('spans').textContent()) ?? '';
    expect(spans).toContain('known name: full name of Child A');
    expect(spans).toContain('Mother');
    expect(spans).toMatch(/date of birth of Child A/);
    expect(spans).toMatch(/NHS number|identifier/i);
    expect(spans).toContain('Barker');

    // Labels: the neighbour becomes "Neighbour"; a label naming the child is refused.
    const neighbourLabel = page.getByLabel(/Label for “Person 1”/);
    await neighbourLabel.fill('Jade');
    await submit(tab, 'save-decisions');
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'must not name or identify anyone',
    );
    await page.getByLabel(/Label for “Person 1”/).fill('Neighbour');
    await submit(tab, 'save-decisions');
    await expect(
      page.locator('.govuk-error-summary').count(),
      await page.locator('main').innerText(),
    ).resolves.toBe(0);

    // What Safekeep missed: the dog's name, every mention.
    await page.fill('#phrase', 'Biscuit');
    await page.fill('#label', 'the family’s dog');
    await page.selectOption('#kind', 'other');
    await submit(tab, 'add');
    await expect(page.getByTestId('spans').textContent()).resolves.toContain(
      'added by the reviewer',
    );
    const preview = (await page.getByTestId('preview').textContent()) ?? '';
    for (const name of [...NAMES, 'Barker', 'Biscuit']) expect(preview).not.toContain(name);
    expect(preview).toContain('Child A');
    expect(preview).toContain('Neighbour');

    // The same person cannot approve her own decisions.
    await page.fill('#title', 'Child A: a Local Child Safeguarding Practice Review');
    for (const box of await page.locator('input[name="checks"]').all()) await box.check();
    await submit(tab, 'approve');
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'A second person must approve',
    );

    // A second person, without every residual risk confirmed, then with.
    const colleague = await createStaff(db, [
      { organisation: 'kscmp', role: 'partnership-business' },
    ]);
    const second = await Tab.open(browser, baseUrl);
    await second.signIn(colleague.email, colleague.password);
    if (second.path() === '/sign-in/two-factor/set-up') {
      await second.close();
      throw new Error('the second approver needs two-factor set-up: use signInSettingUpTwoFactor');
    }
    expect(await second.visit(`${review}/anonymise`)).toBe(200);
    await second.page.fill('#title', 'Child A: a Local Child Safeguarding Practice Review');
    await submit(second, 'approve');
    await expect(second.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Confirm each of the residual risks',
    );
    for (const box of await second.page.locator('input[name="checks"]').all()) await box.check();
    await submit(second, 'approve');
    await expect(second.page.getByTestId('status').textContent()).resolves.toContain('Approved');
    await second.close();

    // Publication: a year at least, by default exactly a year.
    expect(await tab.visit(`${review}/publication`)).toBe(200);
    await page.fill('#publishedOn-day', String(Number(today().slice(8))));
    await page.fill('#publishedOn-month', String(Number(today().slice(5, 7))));
    await page.fill('#publishedOn-year', today().slice(0, 4));
    await page.check('input[name="anonymised"][value="yes"]');
    await submit(tab, 'submit');
    expect(tab.path(), await page.locator('main').innerText()).toBe(review);
    await expect(page.getByTestId('stage').textContent()).resolves.toContain('Report published');
    await tab.close();

    // The public page, signed out.
    const reader = await Tab.open(browser, baseUrl);
    expect(await reader.visit('/partnerships/kscmp/reviews')).toBe(200);
    await Promise.all([
      reader.page.waitForURL(/\/partnerships\/kscmp\/reviews\/[0-9a-f-]{36}$/),
      reader.page.getByRole('link', { name: /Child A: a Local Child Safeguarding/ }).click(),
    ]);
    await reader.checkAccessibility();
    const publicPath = reader.path();
    const pagetext = (await reader.page.locator('main').textContent()) ?? '';
    expect(pagetext).toContain('Available until');
    const pdfResponse = await reader.page.request.get(`${baseUrl}${publicPath}/report.pdf`);
    expect(pdfResponse.status()).toBe(200);
    const pdf = await pdfResponse.body();
    // Burnt in: none of it in the text, nor anywhere in the file's bytes.
    const published = await extractReportText('application/pdf', pdf);
    expect(published.text).toContain('Child A');
    expect(published.text).toContain('Neighbour');
    const raw = pdf.toString('latin1');
    for (const name of [...NAMES, 'Barker', 'Biscuit']) {
      expect(published.text).not.toContain(name);
      expect(raw).not.toContain(name);
    }
    // Metadata stripped: the title only.
    expect(raw).not.toMatch(/\/(CreationDate|ModDate|Producer|Creator|Author)\b/);

    // A day before the year is out it stays; when its period ends the daily job takes it down.
    const publishedRow = await db
      .selectFrom('report_publication')
      .selectAll()
      .where('review_id', 'is not', null)
      .where('organisation_id', '=', kscmp)
      .executeTakeFirstOrThrow();
    const dayBefore = new Date(`${publishedRow.take_down_on}T12:00:00Z`);
    dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
    expect(await takeDownEnded(db, dayBefore.toISOString().slice(0, 10))).toEqual([]);
    expect(await reader.visit(publicPath)).toBe(200);
    expect(await takeDownEnded(db, publishedRow.take_down_on)).toEqual([publishedRow.id]);
    expect(await reader.visit(publicPath)).toBe(404);
    expect((await reader.page.request.get(`${baseUrl}${publicPath}/report.pdf`)).status()).toBe(
      404,
    );
    expect(await reader.visit('/partnerships/kscmp/reviews')).toBe(200);
    await expect(reader.page.getByTestId('published-reviews').textContent()).resolves.not.toContain(
      'Child A',
    );
    // The review records where it was published.
    const reviewRow = await db
      .selectFrom('practice_review')
      .select('publication_url')
      .where('record_id', '=', recordId)
      .executeTakeFirstOrThrow();
    expect(reviewRow.publication_url).toBe(publicPath);
    // The record of publication is kept; the take-down is audited.
    const kept = await db
      .selectFrom('report_publication')
      .select(['title', 'taken_down_on', 'pdf'])
      .where('id', '=', publishedRow.id)
      .executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ taken_down_on: publishedRow.take_down_on, pdf: null });
    const events = await db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'in', ['publication.publish', 'publication.take-down'])
      .execute();
    expect(events.map((e) => e.action).sort()).toEqual([
      'publication.publish',
      'publication.take-down',
    ]);
    await reader.close();
  }, 300_000);
});
