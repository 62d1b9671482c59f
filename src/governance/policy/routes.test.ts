import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import { caseworkStaff, signInFully } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import { codesOnPage, visibleText } from '../../../test/support/human-words.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { policyFor, registerPolicy } from '../../policy/index.js';
import { shippedPolicyDocuments } from '../../policy/registry.js';
import { ukDate } from './versions.js';

/**
 * The policy change pages (issue 11; decision 0025), through HTTP as staff
 * use them: who may do what, a bad document refused whole with its lines
 * and what was typed kept, and a change walked from proposal to applied.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let ig: Agent;
let dpo: Agent;
let both: Agent;
let practitioner: Agent;
let otherIg: Agent;
const original = policyFor('maidstone-bc');
const source = shippedPolicyDocuments().find((d) => d.slug === 'maidstone-bc')!.source;
const [year, month, day] = ukDate(new Date()).split('-');
const today = {
  'effectiveFrom-day': day!,
  'effectiveFrom-month': month!,
  'effectiveFrom-year': year!,
};

async function signedIn(staff: Awaited<ReturnType<typeof caseworkStaff>>) {
  const agent = new Agent(app);
  await signInFully(agent, staff);
  return agent;
}

const count = async (table: 'policy_change' | 'policy_version') =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Proposes `document` as `agent`; returns the change page's path. */
async function propose(agent: Agent, document: string): Promise<string> {
  await agent.get('/governance/policy/propose');
  const response = await agent.post('/governance/policy/propose', { ...today, document });
  expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
  return String(response.headers.location);
}

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  const db = database.db;
  ig = await signedIn(await caseworkStaff(db, 'maidstone-bc', ['information-governance']));
  dpo = await signedIn(await caseworkStaff(db, 'maidstone-bc', ['data-protection-officer']));
  both = await signedIn(
    await caseworkStaff(db, 'maidstone-bc', ['information-governance', 'data-protection-officer']),
  );
  practitioner = await signedIn(await caseworkStaff(db, 'maidstone-bc', ['practitioner']));
  otherIg = await signedIn(await caseworkStaff(db, 'kent-lado', ['information-governance']));
}, 60_000);
afterAll(async () => {
  registerPolicy(original);
  await app?.close();
  await database?.close();
});

describe('the policy change pages', () => {
  it('are not found for anyone but information governance and the DPO', async () => {
    for (const url of ['/governance/policy', '/governance/policy/propose']) {
      expect((await practitioner.get(url)).statusCode, url).toBe(404);
    }
    expect((await ig.get('/governance/policy')).statusCode).toBe(200);
    expect((await dpo.get('/governance/policy')).statusCode).toBe(200);
    // Only information governance proposes.
    expect((await dpo.get('/governance/policy/propose')).statusCode).toBe(404);
    expect((await ig.get('/')).body).toContain('href="/governance/policy"');
    expect((await practitioner.get('/')).body).not.toContain('href="/governance/policy"');
  });

  it('refuse a document with problems whole, naming each line, keeping what was typed', async () => {
    const before = await count('policy_change');
    const broken = source.replace('years: 7', 'years: 0');
    await ig.get('/governance/policy/propose');
    const page = await ig.post('/governance/policy/propose', { ...today, document: broken });
    expect(page.statusCode).toBe(400);
    const text = visibleText(page.body);
    expect(text).toContain('The document has 1 problem: nothing was saved');
    const line = broken.split('\n').findIndex((l) => l.includes('years: 0')) + 1;
    expect(text).toMatch(
      new RegExp(`Line ${line}, at categories\\[0\\][^:]*: must be at least 1 year`),
    );
    expect(page.body).toContain('years: 0');
    expect(await count('policy_change')).toBe(before);

    const notYaml = await ig.post('/governance/policy/propose', { ...today, document: 'a: [' });
    expect(notYaml.statusCode).toBe(400);
    expect(visibleText(notYaml.body)).toMatch(/Line \d+: is not valid YAML/);

    const past = await ig.post('/governance/policy/propose', {
      'effectiveFrom-day': '1',
      'effectiveFrom-month': '1',
      'effectiveFrom-year': '2020',
      document: '',
    });
    expect(past.statusCode).toBe(400);
    const pastText = visibleText(past.body);
    expect(pastText).toContain('The date it takes effect must be today or later');
    expect(pastText).toContain('Paste the policy document, or choose its file');
    expect(await count('policy_change')).toBe(before);
  });

  it('take a change from proposal to applied: previewed in words, approved by another person, applied', async () => {
    const changePath = await propose(ig, source.replace('years: 7', 'years: 5'));
    const preview = await ig.get(changePath);
    expect(preview.statusCode).toBe(200);
    const text = visibleText(preview.body);
    expect(text).toContain('Waiting for the data protection officer to approve it');
    expect(text).toContain('Categories of record: purposes, lawful bases, retention');
    expect(text).toContain('Safeguarding concern log');
    expect(preview.body).toMatch(/data-testid="notice-change-added">[^<]*5 years/);
    expect(codesOnPage(preview.body)).toEqual([]);
    // The proposer is offered no approval, and is refused one.
    expect(preview.body).not.toContain('data-testid="approve-change"');
    expect((await ig.post(`${changePath}/approve`, {})).statusCode).toBe(404);

    // Someone who is both IG and DPO may not approve their own proposal.
    const own = await propose(both, source.replace('years: 7', 'years: 6'));
    const ownPage = await both.get(own);
    expect(ownPage.body).toContain('data-testid="own-proposal"');
    const refused = await both.post(`${own}/approve`, {});
    expect(refused.statusCode).toBe(400);
    expect(visibleText(refused.body)).toContain(
      'The person who proposed a change cannot approve it',
    );

    // Another organisation's governance: not found.
    expect((await otherIg.get(changePath)).statusCode).toBe(404);
    expect((await otherIg.post(`${changePath}/approve`, {})).statusCode).toBe(404);

    const versionsBefore = await count('policy_version');
    await dpo.get(changePath);
    const approved = await dpo.post(`${changePath}/approve`, {});
    expect(approved.statusCode).toBe(303);
    expect(await count('policy_version')).toBe(versionsBefore + 1);
    const approvedPage = await ig.get(changePath);
    expect(visibleText(approvedPage.body)).toContain('Approved; not applied yet');
    expect(approvedPage.body).toContain('data-testid="apply-change"');

    const applied = await ig.post(`${changePath}/apply`, {});
    expect(applied.statusCode).toBe(303);
    const appliedPage = visibleText((await ig.get(changePath)).body);
    expect(appliedPage).toMatch(/Applied as version \d/);
    const rule = policyFor('maidstone-bc').categories[0]?.retention;
    expect(rule?.kind === 'schedule' && rule.rules[0]?.period).toMatchObject({ years: 5 });

    const actions = await database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_account_id'])
      .where('action', 'in', ['policy.propose', 'policy.approve', 'policy.apply'])
      .execute();
    expect(new Set(actions.map((a) => a.action))).toEqual(
      new Set(['policy.propose', 'policy.approve', 'policy.apply']),
    );
    expect(actions.every((a) => a.actor_account_id !== null)).toBe(true);

    const list = await ig.get('/governance/policy');
    expect(codesOnPage(list.body)).toEqual([]);
    expect(list.body).toContain(changePath);
  });

  it('accepts the document as an uploaded file', async () => {
    await ig.get('/governance/policy/propose');
    const boundary = 'synthetic-boundary';
    const part = (name: string, value: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: application/yaml` : ''}\r\n\r\n${value}\r\n`;
    const payload =
      part('_csrf', ig.csrfToken) +
      Object.entries(today)
        .map(([k, v]) => part(k, v))
        .join('') +
      part('document', '') +
      part('documentFile', source.replace('years: 7', 'years: 8'), 'maidstone-bc.yaml') +
      `--${boundary}--\r\n`;
    const cookie = ['safekeep_session', 'safekeep_csrf']
      .map((name) => `${name}=${ig.cookie(name)}`)
      .join('; ');
    const response = await app.inject({
      method: 'POST',
      url: '/governance/policy/propose',
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(303);
    const document = await ig.get(`${String(response.headers.location)}/document`);
    expect(document.statusCode).toBe(200);
    expect(document.headers['content-type']).toContain('application/yaml');
    expect(document.body).toContain('years: 8');
  });
});
