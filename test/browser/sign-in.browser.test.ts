import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { DEMO_PASSWORD, loadDemoData } from '../../src/demo/demo-data.js';
import { testDatabase } from '../support/database.js';
import { createStaff } from '../support/staff.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 9 });
  ({ app, baseUrl } = await serveApp(database, (instance) => {
    instance.get('/test-only/explode', async () => {
      throw new Error('boom');
    });
  }));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.close();
});

const socialWorker = 'social.worker@kent-scs.example';

describe('in a browser', { timeout: JOURNEY_TIMEOUT }, () => {
  it('signs in as a demo user, sees the home page, signs out, and the session is gone', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn(socialWorker, DEMO_PASSWORD);
    expect(tab.path()).toBe('/');
    await expect(tab.page.getByTestId('home-heading').textContent()).resolves.toContain(
      'Sam Social-Worker',
    );
    await expect(tab.page.getByTestId('signed-in-as').textContent()).resolves.toBe(
      'Sam Social-Worker',
    );

    await tab.visit('/people');
    // Kent's 9 demo people less one: the demo's private fostering record due
    // for destruction is the only record of its adult, and it belongs to the
    // children in care team, so the assessment team's worker does not see them.
    expect(await tab.page.getByTestId('people-table').locator('tbody tr').count()).toBe(8);

    const cookies = await tab.page.context().cookies();
    const session = cookies.find((c) => c.name === 'safekeep_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });

    await Promise.all([
      tab.page.waitForURL('**/signed-out'),
      tab.page.getByTestId('sign-out').click(),
    ]);
    await tab.checkAccessibility();
    expect(await tab.page.getByTestId('signed-out').isVisible()).toBe(true);

    // Back to the home page: sent to sign in; and the old cookie is dead on the server.
    await tab.visit('/');
    expect(tab.path()).toBe('/sign-in');
    const replay = await fetch(`${baseUrl}/`, {
      headers: { cookie: `safekeep_session=${session?.value}` },
      redirect: 'manual',
    });
    expect(replay.status).toBe(302);
    expect(replay.headers.get('location')).toBe('/sign-in');
    await tab.close();
  });

  it('asks an address to wait after repeated failures, the same as for an unknown account', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.visit('/sign-in');
    await tab.submit({ email: '', password: '' }, 'sign-in');
    await expect(tab.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Enter your email address',
    );
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await tab.submit(
        { email: 'team.manager@kent-scs.example', password: `wrong-${attempt}` },
        'sign-in',
      );
    }
    await expect(tab.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Enter a correct email address and password, or wait 1 minute',
    );
    await tab.submit(
      { email: 'team.manager@kent-scs.example', password: DEMO_PASSWORD },
      'sign-in',
    );
    expect(tab.path()).toBe('/sign-in');
    await expect(tab.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'or wait 1 minute',
    );
    await tab.close();
  });

  it('shows accessible not-found and problem pages', async () => {
    const tab = await Tab.open(browser, baseUrl);
    expect(await tab.visit('/no-such-page')).toBe(404);
    await tab.signIn('ig.officer@kent-scs.example', DEMO_PASSWORD);
    // A privileged role meets two-factor set-up first; that page is checked too.
    expect(tab.path()).toBe('/sign-in/two-factor/set-up');
    await tab.close();

    const worker = await Tab.open(browser, baseUrl);
    await worker.signIn('officer@maidstone-bc.example', DEMO_PASSWORD);
    expect(await worker.visit('/no-such-page')).toBe(404);
    expect(await worker.visit('/test-only/explode')).toBe(500);
    await expect(worker.page.getByTestId('error-reference').textContent()).resolves.toMatch(
      /^[0-9a-f-]{36}$/,
    );
    await worker.close();
  });

  it('works without JavaScript', async () => {
    const tab = await Tab.open(browser, baseUrl, { javaScript: false });
    await tab.signIn(socialWorker, DEMO_PASSWORD);
    expect(tab.path()).toBe('/');
    await Promise.all([
      tab.page.waitForURL('**/signed-out'),
      tab.page.getByTestId('sign-out').click(),
    ]);
    await tab.close();
  });

  it('lets staff in two organisations choose one', async () => {
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn('practitioner@two-bodies.example', DEMO_PASSWORD);
    expect(tab.path()).toBe('/choose-organisation');
    await tab.page.getByLabel('Kent Safeguarding Children Multi-agency Partnership').check();
    await Promise.all([
      tab.page.waitForURL(`${baseUrl}/`),
      tab.page.getByTestId('continue').click(),
    ]);
    await tab.checkAccessibility();
    await expect(tab.page.getByTestId('signed-in-as').textContent()).resolves.toBe('Jordan Joint');
    await expect(tab.page.locator('.moj-organisation-nav').textContent()).resolves.toContain(
      'KSCMP',
    );
    await tab.close();
  });

  it('asks a new member of staff to acknowledge the duty of confidentiality before anything else', async () => {
    const newcomer = await createStaff(
      database.db,
      [{ organisation: 'kent-scs', role: 'practitioner' }],
      { confidentiality: 'not yet' },
    );
    const tab = await Tab.open(browser, baseUrl);
    await tab.signIn(newcomer.email, newcomer.password);
    expect(tab.path()).toBe('/confidentiality');
    await tab.submit({}, 'continue');
    await expect(tab.page.locator('.govuk-error-summary').textContent()).resolves.toContain(
      'Confirm that you have read the statement and will keep to it',
    );
    await tab.page.getByTestId('acknowledge').check();
    await Promise.all([
      tab.page.waitForURL(`${baseUrl}/`),
      tab.page.getByTestId('continue').click(),
    ]);
    await tab.checkAccessibility();
    await tab.visit('/confidentiality');
    await expect(tab.page.getByTestId('acknowledged-on').textContent()).resolves.toContain(
      'You last acknowledged this statement on',
    );
    await tab.close();
  });
});
