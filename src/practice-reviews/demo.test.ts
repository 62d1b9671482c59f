import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { loadDemoData } from '../demo/demo-data.js';
import { chainAndVerify } from '../../test/support/audit.js';
import { PracticeReviewService } from './service.js';

let database: DatabaseHandle;

beforeAll(async () => {
  database = await testDatabase();
  await loadDemoData(database.db);
});
afterAll(async () => {
  await database?.close();
});

/** The demo business user's view of a review, through the service (as the page reads it). */
async function overview(organisation: 'kscmp' | 'sscp', recordId: string) {
  const email = organisation === 'kscmp' ? 'business@kscmp.example' : 'business@sscp.example';
  const row = await database.db
    .selectFrom('account')
    .innerJoin('membership', 'membership.account_id', 'account.id')
    .innerJoin('organisation', 'organisation.id', 'membership.organisation_id')
    .select(['account.id', 'organisation.id as orgId', 'organisation.short_name'])
    .where('account.email', '=', email)
    .executeTakeFirstOrThrow();
  return new PracticeReviewService(database.db).overview(
    {
      accountId: row.id,
      sessionId: '00000000-0000-4000-8000-000000000001',
      displayName: 'Demo',
      organisation: { id: row.orgId, slug: organisation, shortName: row.short_name },
      roles: ['partnership-business'],
      teams: [],
      organisationCount: 1,
      stage: 'complete',
    },
    recordId,
  );
}

describe('demo practice reviews', { timeout: 120_000 }, () => {
  it('puts each partnership’s reviews at different stages, through the audited workflow', async () => {
    const rows = await database.db
      .selectFrom('practice_review')
      .innerJoin('organisation', 'organisation.id', 'practice_review.organisation_id')
      .select(['organisation.slug', 'practice_review.record_id', 'practice_review.stage'])
      .orderBy('organisation.slug')
      .execute();
    for (const organisation of ['kscmp', 'sscp'] as const) {
      const stages = rows.filter((r) => r.slug === organisation).map((r) => r.stage);
      expect(stages.sort()).toEqual(['lcspr', 'published', 'referred']);
      const views = await Promise.all(
        rows
          .filter((r) => r.slug === organisation)
          .map((r) => overview(organisation, r.record_id).then((v) => v.review)),
      );
      const referred = views.find((v) => v?.stage === 'referred');
      expect(referred?.notification.decidedOn).toBeNull();
      expect(referred?.steps).toContain('decide-notification');
      const underway = views.find((v) => v?.stage === 'lcspr');
      expect(underway?.chronologies.map((c) => c.status).sort()).toEqual([
        'requested',
        'requested',
        'returned',
      ]);
      expect(underway?.overdueChronologies).toHaveLength(1);
      expect(underway?.leadReviewer?.name).toBe('Synthetic Lead Reviewer');
      const published = views.find((v) => v?.stage === 'published');
      expect(published?.publication.publishedOn).not.toBeNull();
      // Up for at least a year from publication.
      const { publishedOn, withdrawNotBefore } = published?.publication ?? {};
      expect(withdrawNotBefore && publishedOn && withdrawNotBefore > publishedOn).toBe(true);
      expect(published?.practitioners[0]?.acknowledgedOn).not.toBeNull();
    }
    // Each step was audited as the business user and shared through sharing.
    const audited = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'like', 'practice-review.%')
      .execute();
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'practice-review.start',
        'practice-review.notification',
        'practice-review.chronology.request',
        'practice-review.publish',
      ]),
    );
    const disclosures = await database.db
      .selectFrom('disclosure')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('purpose', '=', 'practice-review')
      .executeTakeFirstOrThrow();
    expect(Number(disclosures.n)).toBeGreaterThan(0);
    expect((await chainAndVerify(database.db)).ok).toBe(true);
  });
});
