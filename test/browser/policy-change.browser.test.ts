import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { ukDate } from '../../src/governance/policy/versions.js';
import { policyFor, registerPolicy } from '../../src/policy/index.js';
import { shippedPolicyDocuments } from '../../src/policy/registry.js';
import { caseworkStaff, type CaseworkStaff } from '../support/casework.js';
import { testDatabase } from '../support/database.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * A policy change in a browser (issue 11; decision 0025): information
 * governance proposes a new version of Maidstone's policy — a mistake
 * first, refused with its line — the DPO approves it in a browser without
 * JavaScript, governance applies it, and the public notice's version page
 * shows what changed. Every page with JavaScript passes axe.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let ig: CaseworkStaff;
let dpo: CaseworkStaff;
const original = policyFor('maidstone-bc');
const source = shippedPolicyDocuments().find((d) => d.slug === 'maidstone-bc')!.source;

beforeAll(async () => {
  database = await testDatabase();
  ig = await caseworkStaff(database.db, 'maidstone-bc', ['information-governance']);
  dpo = await caseworkStaff(database.db, 'maidstone-bc', ['data-protection-officer']);
  ({ app, baseUrl } = await serveApp(database));
  browser = await launchBrowser();
});
afterAll(async () => {
  registerPolicy(original);
  await browser?.close();
  await app?.close();
  await database?.close();
});

async function proposeDocument(tab: Tab, document: string): Promise<void> {
  const [year, month, day] = ukDate(new Date()).split('-');
  await tab.page.locator('#effectiveFrom-day').fill(String(Number(day)));
  await tab.page.locator('#effectiveFrom-month').fill(String(Number(month)));
  await tab.page.locator('#effectiveFrom-year').fill(year!);
  await tab.page.getByTestId('policy-document').fill(document);
  await Promise.all([
    tab.page.waitForLoadState('load'),
    tab.page.getByTestId('propose-submit').click(),
  ]);
  await tab.page.waitForLoadState('load');
  await tab.checkAccessibility();
}

describe('a policy change in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('is proposed, approved without JavaScript, applied, and shown on the notice’s version page', async () => {
    const governance = await Tab.open(browser, baseUrl);
    await governance.signInSettingUpTwoFactor(ig.email, ig.password);
    expect(await governance.visit('/')).toBe(200);
    await Promise.all([
      governance.page.waitForURL(`${baseUrl}/governance/policy`),
      governance.page.getByTestId('policy-link').click(),
    ]);
    await governance.checkAccessibility();
    await Promise.all([
      governance.page.waitForURL(`${baseUrl}/governance/policy/propose`),
      governance.page.getByTestId('propose-change').click(),
    ]);
    await governance.checkAccessibility();
    // The form starts from the document in force.
    expect(await governance.page.getByTestId('policy-document').inputValue()).toBe(source);

    // A mistake: refused whole, the line named, what was typed kept.
    const broken = source.replace('years: 7', 'years: 0');
    await proposeDocument(governance, broken);
    const line = broken.split('\n').findIndex((l) => l.includes('years: 0')) + 1;
    expect(await governance.page.getByTestId('policy-problem').first().textContent()).toContain(
      `Line ${line}`,
    );
    expect(await governance.page.locator('.govuk-error-summary').textContent()).toContain(
      'The document has 1 problem',
    );
    expect(await governance.page.getByTestId('policy-document').inputValue()).toContain('years: 0');

    await proposeDocument(governance, source.replace('years: 7', 'years: 5'));
    expect(governance.path()).toMatch(/^\/governance\/policy\/changes\//);
    const changePath = governance.path();
    expect(await governance.page.getByTestId('change-state').textContent()).toContain(
      'Waiting for the data protection officer',
    );
    expect(
      (await governance.page.getByTestId('notice-change-added').allTextContents()).join(' '),
    ).toContain('5 years');
    expect(await governance.page.getByTestId('approve-change').count()).toBe(0);

    // The DPO approves, in a browser without JavaScript: forms alone.
    const officer = await Tab.open(browser, baseUrl, { javaScript: false });
    await officer.signInSettingUpTwoFactor(dpo.email, dpo.password);
    await officer.visit(changePath);
    await Promise.all([
      officer.page.waitForLoadState('load'),
      officer.page.getByTestId('approve-change').click(),
    ]);
    expect(officer.path()).toBe(changePath);
    expect(await officer.page.getByTestId('change-state').textContent()).toContain(
      'Approved; not applied yet',
    );
    await officer.close();

    expect(await governance.visit(changePath)).toBe(200);
    await Promise.all([
      governance.page.waitForLoadState('load'),
      governance.page.getByTestId('apply-change').click(),
    ]);
    await governance.checkAccessibility();
    expect(await governance.page.getByTestId('change-state').textContent()).toContain(
      'Applied as version 2',
    );
    await governance.close();

    const visitor = await Tab.open(browser, baseUrl);
    expect(await visitor.visit('/privacy/maidstone-bc')).toBe(200);
    await Promise.all([
      visitor.page.waitForURL(`${baseUrl}/privacy/maidstone-bc/versions`),
      visitor.page.getByTestId('notice-versions-link').click(),
    ]);
    await visitor.checkAccessibility();
    expect(await visitor.page.getByTestId('notice-version').count()).toBe(2);
    expect(await visitor.visit('/privacy/maidstone-bc/versions/2')).toBe(200);
    expect(await visitor.page.locator('#what-changed').textContent()).toBe(
      'What changed from version 1',
    );
    expect(
      (await visitor.page.getByTestId('notice-change-added').allTextContents()).join(' '),
    ).toContain('5 years');
    expect(
      (await visitor.page.getByTestId('notice-change-removed').allTextContents()).join(' '),
    ).toContain('7 years');
    await visitor.close();
  });
});
