import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.js';
import { testDatabase } from '../support/database.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { createStaff } from '../support/staff.js';
import { JOURNEY_TIMEOUT, Tab, launchBrowser, serveApp } from './browser.js';

/**
 * Issue 16, single sign-on: staff of Kent SCS sign in through a real
 * OpenID Connect provider (oidc-provider on loopback, started here), in
 * chromium, with PKCE, and their roles follow the provider's groups as the
 * organisation's mappings say.
 */

let database: DatabaseHandle;
let app: FastifyInstance;
let baseUrl: string;
let browser: Browser;
let provider: TestProvider;
let kentScs: string;

const SECRET_VARIABLE = 'SAFEKEEP_TEST_SSO_CLIENT_SECRET' as const;

beforeAll(async () => {
  database = await testDatabase();
  ({ app, baseUrl } = await serveApp(database));
  provider = await startTestProvider(`${baseUrl}/sign-in/single-sign-on/callback`);
  process.env[SECRET_VARIABLE] = provider.clientSecret;
  const db = database.db;
  ({ id: kentScs } = await db
    .selectFrom('organisation')
    .select('id')
    .where('slug', '=', 'kent-scs')
    .executeTakeFirstOrThrow());
  const { id: providerId } = await db
    .insertInto('sso_provider')
    .values({
      organisation_id: kentScs,
      issuer: provider.issuer,
      client_id: provider.clientId,
      client_secret_env: SECRET_VARIABLE,
      redirect_uri: `${baseUrl}/sign-in/single-sign-on/callback`,
      scopes: 'openid profile email groups',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('sso_role_mapping')
    .values([
      {
        provider_id: providerId,
        group_value: 'SG-Safekeep-Practitioners',
        role_slug: 'practitioner',
      },
      {
        provider_id: providerId,
        group_value: 'SG-Safekeep-Governance',
        role_slug: 'information-governance',
      },
    ])
    .execute();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await provider?.close();
  await app?.close();
  await database?.close();
  delete process.env.SAFEKEEP_TEST_SSO_CLIENT_SECRET;
});

/** From Safekeep's sign-in page, through the provider's, back to Safekeep. */
async function signInThroughProvider(tab: Tab, subject: string, mfa: boolean): Promise<void> {
  await tab.visit('/sign-in');
  await Promise.all([
    tab.page.waitForURL(`${provider.issuer}/**`),
    tab.page.getByTestId('sign-in-with-kent-scs').click(),
  ]);
  await tab.checkAccessibility();
  await tab.page.getByTestId('provider-subject').fill(subject);
  if (mfa) await tab.page.getByTestId('provider-mfa').check();
  await Promise.all([
    tab.page.waitForURL(`${baseUrl}/**`),
    tab.page.getByTestId('provider-sign-in').click(),
  ]);
  await tab.page.waitForLoadState('load');
  await tab.checkAccessibility();
}

async function acknowledgeConfidentiality(tab: Tab): Promise<void> {
  expect(tab.path()).toBe('/confidentiality');
  await tab.page.getByTestId('acknowledge').check();
  await Promise.all([tab.page.waitForURL(`${baseUrl}/`), tab.page.getByTestId('continue').click()]);
  await tab.checkAccessibility();
}

function accountOf(subject: string) {
  return database.db
    .selectFrom('account_identity')
    .innerJoin('account', 'account.id', 'account_identity.account_id')
    .select(['account.id', 'account.disabled_at', 'account.display_name'])
    .where('account_identity.subject', '=', subject)
    .executeTakeFirst();
}

function rolesOf(accountId: string) {
  return database.db
    .selectFrom('membership')
    .select(['role_slug', 'source'])
    .where('account_id', '=', accountId)
    .orderBy('role_slug')
    .execute();
}

describe(
  'single sign-on through the organisation’s provider, in a browser',
  { timeout: JOURNEY_TIMEOUT },
  () => {
    it('provisions a new starter whose group grants a role, and signs them in', async () => {
      provider.people.set('entra-oid-0001', {
        subject: 'entra-oid-0001',
        email: 'avery.synthetic@kent-scs.example',
        name: 'Avery Synthetic',
        groups: ['SG-All-Staff', 'SG-Safekeep-Practitioners'],
      });
      const tab = await Tab.open(browser, baseUrl);
      await signInThroughProvider(tab, 'entra-oid-0001', false);
      // A practitioner's role is not privileged: no second factor asked for.
      await acknowledgeConfidentiality(tab);
      await expect(tab.page.getByTestId('signed-in-as').textContent()).resolves.toBe(
        'Avery Synthetic',
      );
      const account = await accountOf('entra-oid-0001');
      expect(account?.disabled_at).toBeNull();
      expect(await rolesOf(account!.id)).toEqual([{ role_slug: 'practitioner', source: 'sso' }]);
      const events = await database.db
        .selectFrom('audit_event')
        .select('action')
        .where('actor_account_id', '=', account!.id)
        .execute();
      expect(events.map((e) => e.action)).toContain('sign-in.sso-success');
      await tab.close();
    });

    it('signs in the same person again by subject, even when their email address changes', async () => {
      const person = provider.people.get('entra-oid-0001')!;
      person.email = 'avery.renamed@kent-scs.example';
      const before = await accountOf('entra-oid-0001');
      const tab = await Tab.open(browser, baseUrl);
      await signInThroughProvider(tab, 'entra-oid-0001', false);
      // Acknowledged at the first sign-in: straight to the home page.
      expect(tab.path()).toBe('/');
      expect((await accountOf('entra-oid-0001'))?.id).toBe(before?.id);
      const accounts = await database.db
        .selectFrom('account')
        .select('id')
        .where('email', '=', 'avery.renamed@kent-scs.example')
        .execute();
      expect(accounts).toEqual([]);
      await tab.close();
    });

    it('refuses someone in no mapped group, and creates no account for them', async () => {
      provider.people.set('entra-oid-0002', {
        subject: 'entra-oid-0002',
        email: 'blake.synthetic@kent-scs.example',
        name: 'Blake Synthetic',
        groups: ['SG-All-Staff', 'SG-Safekeep-Practitioners-Old'],
      });
      const tab = await Tab.open(browser, baseUrl);
      await signInThroughProvider(tab, 'entra-oid-0002', false);
      await expect(tab.page.getByTestId('sso-outcome').textContent()).resolves.toBe(
        'Your account does not give you access to Safekeep',
      );
      expect(await accountOf('entra-oid-0002')).toBeUndefined();
      await tab.visit('/');
      expect(tab.path()).toBe('/sign-in');
      await tab.close();
    });

    it('asks a privileged role for Safekeep’s own second factor unless the provider vouches for one', async () => {
      provider.people.set('entra-oid-0003', {
        subject: 'entra-oid-0003',
        email: 'casey.synthetic@kent-scs.example',
        name: 'Casey Synthetic',
        groups: ['SG-Safekeep-Governance'],
      });
      const withoutMfa = await Tab.open(browser, baseUrl);
      await signInThroughProvider(withoutMfa, 'entra-oid-0003', false);
      expect(withoutMfa.path()).toBe('/sign-in/two-factor/set-up');
      await withoutMfa.visit('/');
      expect(withoutMfa.path()).toBe('/sign-in/two-factor/set-up');
      await withoutMfa.close();

      const withMfa = await Tab.open(browser, baseUrl);
      await signInThroughProvider(withMfa, 'entra-oid-0003', true);
      await acknowledgeConfidentiality(withMfa);
      const account = await accountOf('entra-oid-0003');
      expect(await rolesOf(account!.id)).toEqual([
        { role_slug: 'information-governance', source: 'sso' },
      ]);
      await withMfa.close();
    });

    it('follows a move between groups: the old role goes, the new one comes', async () => {
      provider.people.get('entra-oid-0001')!.groups = ['SG-Safekeep-Governance'];
      const tab = await Tab.open(browser, baseUrl);
      await signInThroughProvider(tab, 'entra-oid-0001', true);
      const account = await accountOf('entra-oid-0001');
      expect(await rolesOf(account!.id)).toEqual([
        { role_slug: 'information-governance', source: 'sso' },
      ]);
      await tab.close();
    });

    it('disables a leaver when the provider sends no role claims: their open session ends too', async () => {
      provider.people.set('entra-oid-0004', {
        subject: 'entra-oid-0004',
        email: 'drew.synthetic@kent-scs.example',
        name: 'Drew Synthetic',
        groups: ['SG-Safekeep-Practitioners'],
      });
      const working = await Tab.open(browser, baseUrl);
      await signInThroughProvider(working, 'entra-oid-0004', false);
      await acknowledgeConfidentiality(working);

      provider.people.get('entra-oid-0004')!.groups = ['SG-All-Staff'];
      const leaving = await Tab.open(browser, baseUrl);
      await signInThroughProvider(leaving, 'entra-oid-0004', false);
      await expect(leaving.page.getByTestId('sso-outcome').textContent()).resolves.toBe(
        'Your account does not give you access to Safekeep',
      );
      const account = await accountOf('entra-oid-0004');
      expect(account?.disabled_at).toBeInstanceOf(Date);
      expect(await rolesOf(account!.id)).toEqual([]);
      // The session opened before leaving no longer works.
      await working.visit('/');
      expect(working.path()).toBe('/sign-in');
      await working.close();
      await leaving.close();
    });

    it('keeps local accounts signing in with a password beside single sign-on', async () => {
      const local = await createStaff(database.db, [
        { organisation: 'kent-scs', role: 'practitioner' },
      ]);
      const tab = await Tab.open(browser, baseUrl);
      await tab.signIn(local.email, local.password);
      expect(tab.path()).toBe('/');
      await tab.close();
    });

    it('refuses a callback that is not this browser’s own sign-in, changing nothing', async () => {
      const tab = await Tab.open(browser, baseUrl);
      const status = await tab.visit('/sign-in/single-sign-on/callback?code=forged&state=forged');
      expect(status).toBe(400);
      await expect(tab.page.getByTestId('sso-outcome').textContent()).resolves.toBe(
        'Sign-in did not work',
      );
      expect(await tab.visit('/sign-in/organisation/no-such-organisation')).toBe(404);
      await tab.close();
    });
  },
);
