import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { DEMO_PASSWORD, demoStaff, loadDemoData } from '../src/demo/demo-data.js';
import type { DatabaseHandle } from '../src/db/connection.js';
import { recordRulesFor } from '../src/platform/access/record-rules.js';
import type { RoleSlug } from '../src/platform/access/roles.js';
import type { CategorySlug } from '../src/policy/index.js';
import { Agent, testApp } from './support/app.js';
import { codesOnPage } from './support/human-words.js';
import { testDatabase } from './support/database.js';

/**
 * Issue 13 item 12: "Every link on every role's pages leads somewhere that
 * role may go." For each demo account, in each organisation it works for,
 * every link on its home page (which carries the navigation) is followed:
 * none may answer "not found", "forbidden" or a server error. The pages it
 * reaches are then held to the same test one level down, so a dead end
 * behind the first click is found too. Every page reached is also read for
 * codes a person should never see (item 7): ids, machine dates, slugs.
 */

let database: DatabaseHandle;
let app: FastifyInstance;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db, { peoplePerOrganisation: 4 });
  app = await testApp(database);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

/** Signs in as a demo account, through two-factor set-up where the role needs it. */
async function signIn(email: string): Promise<Agent> {
  const agent = new Agent(app);
  const first = await agent.signIn(email, DEMO_PASSWORD);
  if (first.headers.location === '/sign-in/two-factor/set-up') {
    const setUp = await agent.get('/sign-in/two-factor/set-up');
    const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(setUp.body)?.[1] ?? '';
    const code = await generate({
      secret: secret.replace(/ /g, ''),
      epoch: Math.floor(Date.now() / 1000),
    });
    await agent.post('/sign-in/two-factor/set-up', { code });
  }
  return agent;
}

/** The organisation choices offered to an account that works for more than one. */
async function organisationChoices(agent: Agent): Promise<string[]> {
  const home = await agent.get('/');
  if (home.headers.location !== '/choose-organisation') return [''];
  const chooser = await agent.get('/choose-organisation');
  return [...chooser.body.matchAll(/name="organisationId"[^>]*value="([^"]+)"/g)].map(
    (m) => m[1] ?? '',
  );
}

/** Links a person can follow on a page: same-site pages, not assets, downloads or sign-out. */
function linksOn(html: string): string[] {
  const hrefs = [...html.matchAll(/<a\b[^>]*\bhref="([^"#]+)"/g)].map((m) =>
    (m[1] ?? '').replace(/&amp;/g, '&'),
  );
  return [
    ...new Set(
      hrefs.filter(
        (href) =>
          href.startsWith('/') &&
          !href.startsWith('//') &&
          !href.startsWith('/assets/') &&
          !href.startsWith('/sign-out') &&
          !href.startsWith('/documentation'),
      ),
    ),
  ];
}

const accounts = demoStaff.map((s) => s.email);

describe('every link on each role’s pages', () => {
  it.each(accounts)('leads somewhere %s may go', async (email) => {
    const agent = await signIn(email);
    const dead: string[] = [];
    const codes: string[] = [];
    for (const organisationId of await organisationChoices(agent)) {
      if (organisationId) {
        await agent.get('/choose-organisation');
        await agent.post('/choose-organisation', { organisationId });
      }
      const home = await agent.get('/');
      expect(home.statusCode, `${email} home`).toBe(200);
      const seen = new Set<string>(['/']);
      const first = linksOn(home.body);
      const second: string[] = [];
      for (const href of first) {
        if (seen.has(href)) continue;
        seen.add(href);
        const page = await agent.get(href);
        if (page.statusCode === 404 || page.statusCode === 403 || page.statusCode >= 500) {
          dead.push(`${href} → ${page.statusCode} (from home)`);
        } else if (
          page.statusCode === 200 &&
          String(page.headers['content-type'] ?? '').includes('html')
        ) {
          for (const next of linksOn(page.body)) second.push(`${href}\u0000${next}`);
          for (const code of codesOnPage(page.body)) codes.push(`${href}: ${code}`);
        }
      }
      for (const pair of second) {
        const [from, href = ''] = pair.split('\u0000');
        if (seen.has(href)) continue;
        seen.add(href);
        const page = await agent.get(href);
        if (page.statusCode === 404 || page.statusCode === 403 || page.statusCode >= 500) {
          dead.push(`${href} → ${page.statusCode} (from ${from})`);
        } else if (page.statusCode === 200) {
          for (const code of codesOnPage(page.body)) codes.push(`${href}: ${code}`);
        }
      }
    }
    expect(dead, `${email}: dead ends`).toEqual([]);
    // Issue 13 item 7: people read words, not codes.
    expect([...new Set(codes)], `${email}: codes on pages`).toEqual([]);
  });
});

describe('demo work', () => {
  it('is allocated only to someone whose role may work it', async () => {
    const rows = await database.db
      .selectFrom('case_record as r')
      .innerJoin('organisation as o', 'o.id', 'r.organisation_id')
      .innerJoin('membership as m', (join) =>
        join
          .onRef('m.account_id', '=', 'r.allocated_account_id')
          .onRef('m.organisation_id', '=', 'r.organisation_id'),
      )
      .select(['o.slug', 'r.category', 'm.role_slug'])
      .distinct()
      .execute();
    expect(rows.length).toBeGreaterThan(0);
    const misallocated = rows.filter(
      (r) =>
        (recordRulesFor(r.slug)[r.category as CategorySlug]?.roles[r.role_slug as RoleSlug]
          ?.write ?? 'none') === 'none',
    );
    expect(misallocated).toEqual([]);
  });
});
