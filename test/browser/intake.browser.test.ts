import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { createPersonFromPartner } from '../../src/people/from-partner.js';
import { syntheticNhsNumber, syntheticUpn } from '../../src/people/identifiers.js';
import { organisationId } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { codesOnPage } from '../support/human-words.js';
import { xlsxOf } from '../support/xlsx.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 15 in a browser: a social worker uploads a school's attendance
 * return as an Excel workbook, checks the columns, sees one row attached
 * to the child held, one new child, one row held for correction and one
 * left for review; corrects the row (the message in plain words first),
 * reviews the match side by side with the waterfall of why, and sees the
 * attendance on the child's record. A Police missing-from-home report,
 * imported, is in the child's chronology as from the Police, in words.
 * axe on every page.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let held: string;
let cousin: string;
let missing: string;

const upnHeld = syntheticUpn(21);
const nhsMissing = syntheticNhsNumber(8201);

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  await loadDemoData(db);
  const kent = await organisationId(db, 'kent-scs');
  await db.transaction().execute(async (trx) => {
    held = await createPersonFromPartner(trx, kent, {
      givenName: 'Kayleigh',
      familyName: 'Ashdown',
      dateOfBirth: '2014-03-14',
      gender: 'female',
      addressLine1: '3 Orchard Row',
      postcode: 'CT1 2AB',
      nhsNumber: null,
      upn: upnHeld,
    });
    cousin = await createPersonFromPartner(trx, kent, {
      givenName: 'Jayden',
      familyName: 'Marchbank',
      dateOfBirth: '2012-07-21',
      gender: 'male',
      addressLine1: '8 Mill Lane',
      postcode: 'TN23 4QP',
      nhsNumber: null,
      upn: null,
    });
    missing = await createPersonFromPartner(trx, kent, {
      givenName: 'Tegen',
      familyName: 'Carlyon',
      dateOfBirth: '2011-10-08',
      gender: 'female',
      addressLine1: '2 Harbour Steps',
      postcode: 'CT11 9JA',
      nhsNumber: nhsMissing,
      upn: null,
    });
  });
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

const day = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

describe('importing a partner’s file', { timeout: JOURNEY_TIMEOUT }, () => {
  it('uploads, maps, corrects, reviews and shows the result on the child’s record', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    expect(await tab.visit('/imports')).toBe(200);
    await Promise.all([page.waitForURL('**/imports/new'), page.getByTestId('import-file').click()]);
    await tab.checkAccessibility();

    // Nothing chosen: each problem in plain words; what was typed is kept.
    await tab.submit({ partner: 'Oakwood Primary School' }, 'upload');
    const summary = (await page.locator('.govuk-error-summary').textContent()) ?? '';
    expect(summary).toContain('Select what kind of file it is');
    expect(summary).toContain('Select a CSV or Excel file');
    expect(await page.getByTestId('partner').inputValue()).toBe('Oakwood Primary School');

    await page.getByLabel('School attendance and exclusion returns').check();
    await page.getByTestId('file').setInputFiles({
      name: 'oakwood-spring.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await xlsxOf([
        ['UPN', 'Forename', 'Surname', 'DOB', 'Gender', 'Week ending', 'Possible', 'Attended'],
        [upnHeld, 'Kayleigh', 'Ashdown', day(2014, 3, 14), 'F', day(2026, 3, 6), 10, 7],
        [
          syntheticUpn(22),
          'Bartholomew',
          'Quennell',
          day(2013, 11, 2),
          'M',
          day(2026, 3, 6),
          10,
          10,
        ],
        ['X801200005001', 'Mia', 'Fenwick', day(2015, 1, 1), 'F', day(2026, 3, 6), 10, 9],
        [syntheticUpn(23), 'Jaydon', 'Marsh', day(2012, 7, 21), 'M', day(2026, 3, 6), 10, 9],
      ]),
    });
    await tab.submit({}, 'upload');
    expect(tab.path()).toMatch(/^\/imports\/[0-9a-f-]{36}\/columns$/);
    await expect(page.locator('#column-upn').inputValue()).resolves.toBe('UPN');
    await expect(page.locator('#column-periodEnd').inputValue()).resolves.toBe('Week ending');
    await tab.submit({}, 'apply-columns');
    expect(tab.path()).toMatch(/^\/imports\/[0-9a-f-]{36}$/);
    const jobPath = tab.path();

    const jobSummary = (await page.getByTestId('job-summary').textContent()) ?? '';
    expect(jobSummary).toContain('unique pupil number, from your child’s school');
    expect(jobSummary).toContain('Public task');
    const done = (await page.getByTestId('done').textContent()) ?? '';
    expect(done).toContain('Kayleigh Ashdown');
    expect(done).toContain('Attached to a person held');
    expect(done).toContain('Bartholomew Quennell');
    expect(done).toContain('New person added');
    await expect(page.getByTestId('corrections').textContent()).resolves.toContain(
      'The unique pupil number check letter (the first character) should be',
    );

    // The held row: the message first, then the corrected value saved and matched.
    await Promise.all([
      page.waitForURL('**/correct'),
      page.getByRole('link', { name: 'Correct row 3' }).click(),
    ]);
    await tab.checkAccessibility();
    expect((await page.locator('.govuk-error-summary').textContent()) ?? '').toContain(
      'check letter',
    );
    await tab.submit({ 'correct-upn': 'not a upn' }, 'save-correction');
    expect((await page.locator('.govuk-error-summary').textContent()) ?? '').toContain(
      'A unique pupil number has 13 characters',
    );
    expect(await page.getByTestId('correct-upn').inputValue()).toBe('not a upn');
    await tab.submit({ 'correct-upn': syntheticUpn(24) }, 'save-correction');
    expect(tab.path()).toBe(jobPath);
    await expect(page.getByTestId('done').textContent()).resolves.toContain('Mia Fenwick');

    // The uncertain match: side by side, with why.
    await Promise.all([
      page.waitForURL('**/review'),
      page.getByRole('link', { name: 'Review row 4' }).click(),
    ]);
    await tab.checkAccessibility();
    const side = (await page.getByTestId('side-by-side').textContent()) ?? '';
    expect(side).toContain('Marsh');
    expect(side).toContain('Marchbank');
    expect(side).toContain('21 July 2012');
    const why = (await page.getByTestId('waterfall').textContent()) ?? '';
    expect(why).toContain('Date of birth: the same');
    expect(why).toMatch(/times as likely if they are/);
    await tab.submit({}, 'save-decision');
    expect((await page.locator('.govuk-error-summary').textContent()) ?? '').toContain(
      'Select whether this is the person we hold',
    );
    await page.getByLabel('Yes: attach this row to Jayden Marchbank').check();
    await tab.submit({}, 'save-decision');
    expect(tab.path()).toBe(jobPath);
    expect(await page.getByTestId('reviews').count()).toBe(0);

    // On the child's record, from the partner.
    expect(await tab.visit(`/people/${cousin}/from-partners`)).toBe(200);
    const facts = (await page.getByTestId('partner-facts').textContent()) ?? '';
    expect(facts).toContain('6 March 2026');
    expect(facts).toContain('Attended 9 of 10 sessions (90%), 1 missed (Oakwood Primary School)');
    expect(await tab.visit(`/people/${held}/from-partners`)).toBe(200);
    await expect(page.getByTestId('partner-facts').textContent()).resolves.toContain(
      'Attended 7 of 10 sessions',
    );
    expect(await tab.visit('/imports')).toBe(200);
    await expect(page.getByTestId('jobs-table').textContent()).resolves.toContain(
      'oakwood-spring.xlsx',
    );
    await tab.close();
  });

  it('shows a Police missing-from-home report in the child’s chronology, from the Police', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    expect(await tab.visit('/imports/new')).toBe(200);
    await page.getByLabel('Police missing-from-home notifications').check();
    await page.getByTestId('file').setInputFiles({
      name: 'kent-police-february.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        [
          'Occurrence number,Forename,Surname,DOB,Gender,Post Code,NHS number,Missing date,Found date',
          `KP-4471,Tegen,Carlyon,08/10/2011,F,CT11 9JA,${nhsMissing},03/02/2026,04/02/2026`,
        ].join('\n'),
      ),
    });
    await tab.submit({ partner: 'Kent Police' }, 'upload');
    expect(tab.path()).toMatch(/^\/imports\/[0-9a-f-]{36}\/columns$/);
    await tab.submit({}, 'apply-columns');
    expect(tab.path()).toMatch(/^\/imports\/[0-9a-f-]{36}$/);
    const done = (await page.getByTestId('done').textContent()) ?? '';
    expect(done).toContain('Tegen Carlyon');
    expect(done).toContain('Attached to a person held');

    // The child's record, then their chronology from it, as a practitioner goes.
    expect(await tab.visit(`/people/${missing}`)).toBe(200);
    await Promise.all([
      page.waitForURL(`**/chronologies/${missing}`),
      page.getByTestId('chronology').click(),
    ]);
    await tab.checkAccessibility();
    const table = page.getByTestId('chronology-table');
    const entry = table.locator('tbody tr', { hasText: 'reported missing from home' });
    expect(await entry.count()).toBe(1);
    const cells = (await entry.locator('td, th').allTextContents()).map((t) => t.trim());
    expect(cells).toEqual([
      '3 February 2026',
      'Kent Police notified us that the child was reported missing from home',
      'Kent Police: Police missing-from-home notifications',
    ]);
    // Words, not codes: no ISO date, no slug of the kind.
    const text = (await table.textContent()) ?? '';
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toContain('police-missing');
    // The source leads to what the partner's files said.
    await Promise.all([
      page.waitForURL(`**/people/${missing}/from-partners`),
      entry
        .getByRole('link', { name: 'Kent Police: Police missing-from-home notifications' })
        .click(),
    ]);
    await tab.checkAccessibility();
    await expect(page.getByTestId('partner-facts').textContent()).resolves.toContain('Kent Police');
    await tab.close();
  });

  it('imports a court order and a partner’s referral onto the child, and a LADO referral onto a new person', async () => {
    // Kent SCS: the two other kinds its notice names, each attached to the
    // child held and shown among what partners sent, in words.
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    const upload = async (kind: string, name: string, lines: string[], partner: string) => {
      expect(await tab.visit('/imports/new')).toBe(200);
      await page.getByLabel(kind).check();
      await page.getByTestId('file').setInputFiles({
        name,
        mimeType: 'text/csv',
        buffer: Buffer.from(lines.join('\n')),
      });
      await tab.submit(partner ? { partner } : {}, 'upload');
      expect(tab.path()).toMatch(/^\/imports\/[0-9a-f-]{36}\/columns$/);
      await tab.checkAccessibility();
      await tab.submit({}, 'apply-columns');
      expect(tab.path()).toMatch(/^\/imports\/[0-9a-f-]{36}$/);
      await tab.checkAccessibility();
      return (await page.getByTestId('done').textContent()) ?? '';
    };
    const orders = await upload(
      'Court orders',
      'family-court-orders.csv',
      [
        'Case number,Forename,Surname,DOB,Gender,Post Code,NHS number,Order,Order date,Expires,Court',
        `ME26C00412,Tegen,Carlyon,08/10/2011,F,CT11 9JA,${nhsMissing},Interim care order,12/02/2026,12/03/2026,Medway Family Court`,
      ],
      'Medway Family Court',
    );
    expect(orders).toContain('Tegen Carlyon');
    expect(orders).toContain('Attached to a person held');
    const referrals = await upload(
      'Referrals from partner agencies',
      'health-referrals.csv',
      [
        'Referral reference,Forename,Surname,DOB,Gender,Post Code,NHS number,Referral date,Reason for referral',
        `HV-2026-118,Tegen,Carlyon,08/10/2011,F,CT11 9JA,${nhsMissing},16/02/2026,Not attending health appointments since going missing`,
      ],
      'East Kent Health Visiting',
    );
    expect(referrals).toContain('Attached to a person held');

    expect(await tab.visit(`/people/${missing}/from-partners`)).toBe(200);
    await tab.checkAccessibility();
    const facts = (await page.getByTestId('partner-facts').textContent()) ?? '';
    expect(facts).toContain('Interim care order made by Medway Family Court, ending 12 March 2026');
    expect(facts).toContain('12 February 2026');
    expect(facts).toContain(
      'Referred by East Kent Health Visiting: Not attending health appointments since going missing',
    );
    expect(codesOnPage(await page.content())).toEqual([]);
    await tab.close();

    // The LADO: an allegation referred by one of the ten agencies its notice
    // names, about an adult it does not yet hold: a new person, with the
    // referral among what partners sent about them.
    const lado = await Tab.open(browser, baseUrl);
    await lado.signInSettingUpTwoFactor('lado@kent-lado.example', DEMO_PASSWORD);
    expect(await lado.visit('/imports/new')).toBe(200);
    await lado.page.getByLabel('Referrals of allegations to the LADO').check();
    await lado.page.getByLabel('Which agency sent it?').selectOption('NSPCC');
    await lado.page.getByTestId('file').setInputFiles({
      name: 'nspcc-referrals.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        [
          'Referral reference,Forename,Surname,DOB,Gender,Post Code,Role,Referral date,Allegation',
          'NSPCC-77310,Corwen,Tallack,19/06/1984,M,ME14 1XX,Youth football coach,20/02/2026,Messages to a player of 12 asking to meet alone',
        ].join('\n'),
      ),
    });
    await lado.submit({}, 'upload');
    await lado.checkAccessibility();
    await lado.submit({}, 'apply-columns');
    const done = (await lado.page.getByTestId('done').textContent()) ?? '';
    expect(done).toContain('Corwen Tallack');
    await Promise.all([
      lado.page.waitForURL('**/people/*/from-partners'),
      lado.page.getByTestId('done').getByRole('link', { name: 'Corwen Tallack' }).click(),
    ]);
    await lado.checkAccessibility();
    const ladoFacts = (await lado.page.getByTestId('partner-facts').textContent()) ?? '';
    expect(ladoFacts).toContain(
      'Allegation referred by NSPCC about them as Youth football coach: Messages to a player of 12 asking to meet alone',
    );
    expect(ladoFacts).toContain('20 February 2026');
    expect(codesOnPage(await lado.page.content())).toEqual([]);
    await lado.close();
  });

  it('lists likely duplicates with why, merges one pair and sets another aside', async () => {
    const kent = await organisationId(database.db, 'kent-scs');
    const plant = (givenName: string, familyName: string, dateOfBirth: string, postcode: string) =>
      database.db.transaction().execute((trx) =>
        createPersonFromPartner(trx, kent, {
          givenName,
          familyName,
          dateOfBirth,
          gender: 'female',
          addressLine1: '14 Rope Walk',
          postcode,
          nhsNumber: null,
          upn: null,
        }),
      );
    const first = await plant('Philippa', 'Szczepanska', '2016-05-09', 'ME4 4TE');
    const second = await plant('Pippa', 'Szczepanska', '2016-09-05', 'ME4 4TE');
    const third = await plant('Oonagh', 'Featherstonehaugh', '2010-01-30', 'DA11 0BU');
    const fourth = await plant('Oonagh', 'Featherstonhaugh', '2010-01-30', 'DA11 0BU');

    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('social.worker@kent-scs.example', DEMO_PASSWORD);
    const { page } = tab;
    expect(await tab.visit('/people')).toBe(200);
    await Promise.all([
      page.waitForURL('**/people/duplicates'),
      page.getByRole('link', { name: 'People who may be recorded twice' }).click(),
    ]);
    await tab.checkAccessibility();
    const listed = (await page.getByTestId('duplicate-pairs').textContent()) ?? '';
    expect(listed).toContain('Philippa Szczepanska, born 9 May 2016');
    expect(listed).toContain('Pippa Szczepanska, born 5 September 2016');
    expect(listed).toContain('Oonagh Featherstonehaugh');

    expect(await tab.visit(`/people/duplicates/${first}/${second}`)).toBe(200);
    const why = (await page.getByTestId('pair-waterfall').textContent()) ?? '';
    expect(why).toContain('Date of birth: day and month swapped');
    expect(why).toContain('Given name: a known short form of the other');
    await tab.submit({}, 'not-same');
    expect(tab.path()).toBe('/people/duplicates');
    await expect(page.getByTestId('saved-banner').textContent()).resolves.toContain(
      'they will not be listed again',
    );
    const after = (await page.getByTestId('duplicate-pairs').textContent()) ?? '';
    expect(after).not.toContain('Pippa Szczepanska');

    expect(await tab.visit(`/people/duplicates/${third}/${fourth}`)).toBe(200);
    await tab.submit({}, 'merge-pair');
    expect(tab.path()).toBe(`/people/${third}`);
    expect(await tab.visit('/people/duplicates')).toBe(200);
    expect(await page.content()).not.toContain('Featherstonhaugh');
    await tab.close();
  });
});
