import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import { caseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import { codesOnPage, visibleText } from '../../../test/support/human-words.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { formatDate } from '../../platform/http/views.js';
import { policyFor, registerPolicy } from '../../policy/index.js';
import { shippedPolicyDocuments } from '../../policy/registry.js';
import { PolicyChanges } from '../policy/changes.js';
import { ukDate } from '../policy/versions.js';
import { noticeChanges } from './version-changes.js';

/**
 * Issue 11: "Earlier versions at /privacy/{organisation}/versions/{n} with
 * what changed between versions" — public, each rendered from the policy
 * version it was, and nothing shown that was never in force.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
const visitor = () => new Agent(app);
const original = policyFor('maidstone-bc');
const maidstoneSource = shippedPolicyDocuments().find((d) => d.slug === 'maidstone-bc')!.source;
const today = formatDate(ukDate(new Date()));

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  await app.ready();
});
afterAll(async () => {
  registerPolicy(original);
  await app?.close();
  await database?.close();
});

/** A change of Maidstone's policy through the service the CLI and the pages use: IG proposes, the DPO approves. */
async function approvedChange(source: string): Promise<string> {
  const ig = await caseworkStaff(database.db, 'maidstone-bc', ['information-governance']);
  const dpo = await caseworkStaff(database.db, 'maidstone-bc', ['data-protection-officer']);
  const changes = new PolicyChanges(database.db);
  const proposed = await changes.propose({
    organisation: 'maidstone-bc',
    source,
    file: 'maidstone-bc.yaml',
    effectiveFrom: ukDate(new Date()),
    by: { email: ig.email },
  });
  if (!proposed.ok) throw new Error(JSON.stringify(proposed.problems));
  await changes.approve(proposed.changeId, { email: dpo.email });
  return proposed.changeId;
}

describe('the versions of a privacy notice', () => {
  it('lists version 1 with its dates in words, linked from the notice', async () => {
    const notice = await visitor().get('/privacy/maidstone-bc');
    expect(notice.body).toContain('href="/privacy/maidstone-bc/versions"');
    const page = await visitor().get('/privacy/maidstone-bc/versions');
    expect(page.statusCode).toBe(200);
    expect(visibleText(page.body)).toContain(`Version 1 In force from ${today}; in force now`);
    expect(codesOnPage(page.body)).toEqual([]);
    const first = await visitor().get('/privacy/maidstone-bc/versions/1');
    expect(first.statusCode).toBe(200);
    expect(visibleText(first.body)).toContain('This is the first version of the notice.');
  });

  it('shows a version only once it is applied, with what changed from the one before', async () => {
    const changeId = await approvedChange(maidstoneSource.replace('years: 7', 'years: 5'));
    // Approved but not applied: in force nowhere, so not published.
    expect((await visitor().get('/privacy/maidstone-bc/versions/2')).statusCode).toBe(404);
    await new PolicyChanges(database.db).apply(changeId);

    const list = visibleText((await visitor().get('/privacy/maidstone-bc/versions')).body);
    expect(list).toContain(`Version 2 In force from ${today}; in force now`);
    expect(list).toContain(`Version 1 In force from ${today} until ${today}`);

    const second = await visitor().get('/privacy/maidstone-bc/versions/2');
    expect(second.statusCode).toBe(200);
    const text = visibleText(second.body);
    expect(text).toContain('What changed from version 1');
    expect(text).toContain('How long we keep it');
    expect(second.body).toMatch(/data-testid="notice-change-added">[^<]*5 years/);
    expect(second.body).toMatch(/data-testid="notice-change-removed">[^<]*7 years/);
    expect(codesOnPage(second.body)).toEqual([]);
    // Version 1 still reads as it was.
    const first = visibleText((await visitor().get('/privacy/maidstone-bc/versions/1')).body);
    expect(first).toContain('7 years');
    expect(first).toContain('Read the notice in force now');
  });

  it('answers "Page not found" for an organisation or version that does not exist', async () => {
    for (const url of [
      '/privacy/nowhere-council/versions',
      '/privacy/nowhere-council/versions/1',
      '/privacy/maidstone-bc/versions/99',
      '/privacy/maidstone-bc/versions/0',
      '/privacy/maidstone-bc/versions/one',
      '/privacy/maidstone-bc/versions/1.5',
      '/privacy/maidstone-bc/versions/%20',
    ]) {
      const page = await visitor().get(url);
      expect(page.statusCode, url).toBe(404);
      expect(page.body, url).toContain('Page not found');
    }
  });
});

describe('what changed between two versions of a notice', () => {
  it('is nothing for the same policy, and each sentence that differs otherwise', () => {
    const policy = policyFor('kent-lado');
    expect(noticeChanges(policy, policy)).toEqual([]);
    const renamed = {
      ...policy,
      legislation: { ...policy.legislation, items: ['The Synthetic Act 2030'] },
    };
    const changes = noticeChanges(policy, renamed);
    expect(changes.map((c) => c.section)).toEqual(['Why we use it, and on what lawful basis']);
    expect(changes[0]?.added).toEqual([
      'The law behind this work includes The Synthetic Act 2030.',
    ]);
    expect(changes[0]?.removed.length).toBe(policy.legislation.items.length);
  });

  it('lists the differences from the published notice a change settles, when asked', () => {
    const policy = policyFor('maidstone-bc');
    const settled = { ...policy, sources: { ...policy.sources, note: null } };
    expect(noticeChanges(policy, settled).map((c) => c.section)).toEqual([
      'What we collect and where it comes from',
    ]);
    const withDifferences = noticeChanges(policy, settled, { publishedDifferences: true });
    const published = withDifferences.find(
      (c) => c.section === 'Differences from the published notice',
    );
    expect(published?.removed).toEqual([
      `Where the information comes from: ${policy.sources.note}`,
    ]);
  });
});
