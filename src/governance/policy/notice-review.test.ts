import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import { caseworkStaff, signInFully } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import { codesOnPage, visibleText } from '../../../test/support/human-words.js';
import type { DatabaseHandle } from '../../db/connection.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { formatDate } from '../../platform/http/views.js';
import { policyFor, registerPolicy } from '../../policy/index.js';
import { shippedPolicyDocuments } from '../../policy/registry.js';
import { noticeReviewReminder, reviewDue } from '../notice/review.js';
import { ukDate } from './versions.js';

/**
 * Issue 11 "Notice review": each shipped notice has a real review date, the
 * DPO is reminded only when a review is due, and marking the notice
 * reviewed records it as a new policy version with who and when.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
const original = policyFor('kscmp');
const today = ukDate(new Date());

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
}, 60_000);
afterAll(async () => {
  registerPolicy(original);
  await app?.close();
  await database?.close();
});

function dpoOf(slug: string): StaffContext {
  return {
    accountId: '00000000-0000-4000-8000-000000000001',
    sessionId: 'synthetic',
    displayName: 'Synthetic DPO',
    organisation: { id: slug, slug, shortName: slug },
    roles: ['data-protection-officer'],
    teams: [],
    organisationCount: 1,
    stage: 'complete',
  };
}

describe('the shipped notices’ review dates', () => {
  it('are the notices’ own dates, or the day they were loaded when they state none', () => {
    expect(policyFor('kscmp').noticeReview.reviewed).toBe('2025-04-07');
    // "October 2021", no day: the earliest day it can be.
    expect(policyFor('kent-lado').noticeReview.reviewed).toBe('2021-10-01');
    for (const slug of ['kent-scs', 'sscp', 'maidstone-bc']) {
      expect(policyFor(slug).noticeReview.reviewed, slug).toBe('2026-11-25');
      expect(policyFor(slug).noticeReview.note, slug).toContain('loaded into Safekeep');
    }
    expect(reviewDue(policyFor('kscmp').noticeReview)).toBe('2026-04-07');
    expect(reviewDue({ ...policyFor('kscmp').noticeReview, intervalMonths: 6 })).toBe('2025-10-07');
  });

  it('remind the DPO only when a review is due', () => {
    expect(noticeReviewReminder(dpoOf('maidstone-bc'), '2027-11-24')).toBeNull();
    expect(noticeReviewReminder(dpoOf('maidstone-bc'), '2027-11-25')).toMatchObject({
      dueOn: '25 November 2027',
      overdue: false,
    });
    expect(noticeReviewReminder(dpoOf('kscmp'), '2026-12-06')).toMatchObject({
      dueOn: '7 April 2026',
      overdue: true,
      lastReviewed: '7 April 2025',
    });
    const ig = { ...dpoOf('kscmp'), roles: ['information-governance' as const] };
    expect(noticeReviewReminder(ig, '2026-12-06')).toBeNull();
  });
});

describe('marking the notice reviewed', () => {
  it('is the DPO’s, records a new version with who and when, and ends the reminder', async () => {
    const dpoStaff = await caseworkStaff(database.db, 'kscmp', ['data-protection-officer']);
    const dpo = new Agent(app);
    await signInFully(dpo, dpoStaff);
    const ig = new Agent(app);
    await signInFully(ig, await caseworkStaff(database.db, 'kscmp', ['information-governance']));

    expect((await dpo.get('/')).body).toContain('data-testid="notice-review"');
    const page = await dpo.get('/governance/policy');
    expect(visibleText(page.body)).toContain(
      'The notice was last reviewed on 7 April 2025. Its next review was due on 7 April 2026.',
    );
    expect(codesOnPage(page.body)).toEqual([]);
    await ig.get('/governance/policy');
    expect((await ig.post('/governance/policy/review', {})).statusCode).toBe(404);

    const done = await dpo.post('/governance/policy/review', {});
    expect(done.statusCode).toBe(303);
    const version = await database.db
      .selectFrom('policy_version as v')
      .innerJoin('organisation as o', 'o.id', 'v.organisation_id')
      .select(['v.version', 'v.review_by', 'v.effective_from', 'v.document_text'])
      .where('o.slug', '=', 'kscmp')
      .orderBy('v.version', 'desc')
      .executeTakeFirstOrThrow();
    expect(version).toMatchObject({
      version: 2,
      review_by: dpoStaff.accountId,
      effective_from: today,
    });
    expect(version.document_text).toContain(`reviewed: ${today}`);
    // Only the review date changed: the rest of the document is as written.
    const shipped = shippedPolicyDocuments()
      .find((d) => d.slug === 'kscmp')!
      .source.split('\n');
    const changed = version.document_text.split('\n').filter((line, i) => line !== shipped[i]);
    expect(changed).toEqual([`  reviewed: ${today}`]);
    const audit = await database.db
      .selectFrom('audit_event')
      .select('actor_account_id')
      .where('action', '=', 'notice.review')
      .executeTakeFirstOrThrow();
    expect(audit.actor_account_id).toBe(dpoStaff.accountId);

    expect((await dpo.get('/')).body).not.toContain('data-testid="notice-review"');
    const after = visibleText((await dpo.get('/governance/policy')).body);
    expect(after).toContain(`last reviewed on ${formatDate(today)} by`);
    const notice = visibleText((await new Agent(app).get('/privacy/kscmp')).body);
    expect(notice).toContain(`Last reviewed on ${formatDate(today)}.`);
    const versions = visibleText((await new Agent(app).get('/privacy/kscmp/versions')).body);
    expect(versions).toContain('Version 2 (a review)');
  });
});
