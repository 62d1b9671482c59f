import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { caseworkStaff, organisationId } from '../../test/support/casework.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { StaffContext } from '../platform/auth/service.js';
import { chainAndVerify } from '../../test/support/audit.js';
import { NotFoundError } from '../platform/errors/errors.js';
import { createRetentionService } from '../services.js';
import { partnershipItemKind } from './partnership-items.js';
import { RecordHeldError } from './service.js';

/**
 * The partnerships' own rows — bookings, surveys with their responses,
 * meetings with their attendees — are swept by their stored due dates too.
 */
let database: DatabaseHandle;
let kscmp: string;
let staff: StaffContext;

const retention = (due: string) =>
  sql`'scheduled', ${due}, 'destroy', 'kscmp/test-rule', false, 'synthetic'`;

beforeAll(async () => {
  database = await testDatabase();
  kscmp = await organisationId(database.db, 'kscmp');
  staff = (await caseworkStaff(database.db, 'kscmp', ['information-governance'])).context;
});
afterAll(() => database.close());

async function count(table: string) {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(
    database.db,
  );
  return Number(rows[0]?.n);
}

describe('sweeping the partnerships’ own records', () => {
  it('destroys due bookings, surveys with their answers and meetings with attendees; a category hold stops them', async () => {
    const { rows: course } = await sql<{ id: string }>`
      insert into training_course (organisation_id, title, kind, delivery, start_date, end_date)
      values (${kscmp}, 'Synthetic course', 'course', 'online', '2015-03-01', '2015-03-01') returning id`.execute(
      database.db,
    );
    for (const due of ['2022-01-01', '2090-01-01']) {
      await sql`
        insert into training_booking (organisation_id, course_id, full_name, job_role, employer, sector, email,
          retention_status, retention_due, retention_action, retention_rule_id, retention_needs_review, retention_explanation)
        values (${kscmp}, ${course[0]!.id}, 'Synthetic Trainee', 'Teacher', 'Synthetic School', 'education',
          'trainee@example.org', ${retention(due)})`.execute(database.db);
    }
    const { rows: survey } = await sql<{ id: string }>`
      insert into survey (organisation_id, title, purpose, status,
        retention_status, retention_due, retention_action, retention_rule_id, retention_needs_review, retention_explanation)
      values (${kscmp}, 'Synthetic survey', 'Testing', 'closed', ${retention('2023-01-01')}) returning id`.execute(
      database.db,
    );
    const { rows: question } = await sql<{ id: string }>`
      insert into survey_question (survey_id, position, kind, prompt)
      values (${survey[0]!.id}, 1, 'free-text', 'Anything else?') returning id`.execute(
      database.db,
    );
    const { rows: response } = await sql<{ id: string }>`
      insert into survey_response (survey_id, received_on) values (${survey[0]!.id}, '2016-01-01') returning id`.execute(
      database.db,
    );
    await sql`insert into survey_answer (response_id, question_id, free_text)
      values (${response[0]!.id}, ${question[0]!.id}, 'Synthetic answer')`.execute(database.db);
    const { rows: meeting } = await sql<{ id: string }>`
      insert into partnership_meeting (organisation_id, body, title, meeting_date,
        retention_status, retention_due, retention_action, retention_rule_id, retention_needs_review, retention_explanation)
      values (${kscmp}, 'Board', 'Synthetic meeting', '2015-05-05', ${retention('2023-01-01')}) returning id`.execute(
      database.db,
    );
    await sql`insert into partnership_meeting_attendee (meeting_id, full_name, role_or_agency, attendance)
      values (${meeting[0]!.id}, 'Synthetic Attendee', 'Police', 'present')`.execute(database.db);

    const service = createRetentionService(database.db);
    const hold = await service.placeHold(staff, {
      scope: 'category',
      targetId: 'survey',
      holdType: 'inquiry',
      reason: 'Review of survey practice',
      reviewOn: '2027-01-01',
    });
    const dry = await service.sweep({ asOf: '2026-11-25', dryRun: true });
    expect(dry.groups.map((g) => [g.category, g.records])).toEqual([
      ['training', 1],
      ['meeting-admin', 1],
    ]);

    const report = await service.sweep({ asOf: '2026-11-25', dryRun: false });
    expect(report.disposed).toBe(2);
    expect(await count('training_booking')).toBe(1);
    expect(await count('partnership_meeting')).toBe(0);
    expect(await count('partnership_meeting_attendee')).toBe(0);
    expect(await count('survey')).toBe(1);

    await service.releaseHold(staff, hold);
    expect((await service.sweep({ asOf: '2026-11-25', dryRun: false })).disposed).toBe(1);
    for (const table of ['survey', 'survey_question', 'survey_response', 'survey_answer']) {
      expect(await count(table), table).toBe(0);
    }
    const certificates = await database.db
      .selectFrom('disposal_certificate')
      .select(['item_kind', 'category', 'counts'])
      .orderBy('disposed_at')
      .execute();
    expect(certificates.map((c) => [c.item_kind, c.category, c.counts.records])).toEqual([
      ['training-booking', 'training', 1],
      ['partnership-meeting', 'meeting-admin', 1],
      ['survey', 'survey', 1],
    ]);
  });
});

describe('reviewing the partnerships’ own records', () => {
  const needsReview = sql`'needs-review', null, 'review', null, true,
    'Needs review: the date of the course is not known.'`;
  let sscp: string;
  let sscpStaff: StaffContext;

  beforeAll(async () => {
    sscp = await organisationId(database.db, 'sscp');
    sscpStaff = (await caseworkStaff(database.db, 'sscp', ['information-governance'])).context;
  });

  async function booking(retention: ReturnType<typeof sql>) {
    const { rows: course } = await sql<{ id: string }>`
      insert into training_course (organisation_id, title, kind, delivery, start_date, end_date)
      values (${sscp}, 'Synthetic course', 'course', 'online', '2019-03-01', '2019-03-01') returning id`.execute(
      database.db,
    );
    const { rows } = await sql<{ id: string }>`
      insert into training_booking (organisation_id, course_id, full_name, job_role, employer, sector, email,
        retention_status, retention_due, retention_action, retention_rule_id, retention_needs_review, retention_explanation)
      values (${sscp}, ${course[0]!.id}, 'Synthetic Trainee', 'Teacher', 'Synthetic School', 'education',
        'trainee@example.org', ${retention}) returning id`.execute(database.db);
    return rows[0]!.id;
  }

  async function meeting(retention: ReturnType<typeof sql>) {
    const { rows } = await sql<{ id: string }>`
      insert into partnership_meeting (organisation_id, body, title, meeting_date,
        retention_status, retention_due, retention_action, retention_rule_id, retention_needs_review, retention_explanation)
      values (${sscp}, 'Board', 'Synthetic meeting', '2016-05-05', ${retention}) returning id`.execute(
      database.db,
    );
    return rows[0]!.id;
  }

  it('queues rows whose retention needs a person beside case records, and counts them on the dashboard', async () => {
    const service = createRetentionService(database.db);
    const before = await service.dashboard(sscpStaff, '2026-11-25');
    const review = await booking(needsReview);
    // A scheduled review (not destruction) that has come due goes to the queue too.
    const scheduledReview = await meeting(
      sql`'scheduled', '2025-01-01', 'review', 'sscp/test-rule', false, 'Review after a year.'`,
    );
    const scheduledDestroy = await booking(retention('2022-01-01'));
    const queue = await service.reviewQueue(sscpStaff, '2026-11-25');
    expect(queue.map((q) => [q.kind, q.id])).toEqual([
      ['training-booking', review],
      ['partnership-meeting', scheduledReview],
    ]);
    expect(queue[0]).toMatchObject({ category: 'training', status: 'needs-review', due: null });
    expect(queue.map((q) => q.id)).not.toContain(scheduledDestroy);
    // Another partnership's queue does not show them.
    expect((await service.reviewQueue(staff, '2026-11-25')).map((q) => q.id)).not.toContain(review);
    const after = await service.dashboard(sscpStaff, '2026-11-25');
    expect(after.needsReview - before.needsReview).toBe(2);
  });

  it('takes the same decisions: keep until, hold and destroy, each audited; another partnership’s row is not found', async () => {
    const service = createRetentionService(database.db);
    const kept = await booking(needsReview);
    const held = await booking(needsReview);
    const destroyed = await meeting(needsReview);
    await sql`insert into partnership_meeting_attendee (meeting_id, full_name, role_or_agency, attendance)
      values (${destroyed}, 'Synthetic Attendee', 'Police', 'present')`.execute(database.db);
    const booking_ = partnershipItemKind('training-booking')!;
    const meeting_ = partnershipItemKind('partnership-meeting')!;

    await expect(
      service.decideItem(staff, booking_, kept, {
        decision: 'destroy',
        rationale: 'Not ours to destroy at all',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);

    await service.decideItem(sscpStaff, booking_, kept, {
      decision: 'keep-until',
      keepUntil: '2028-01-01',
      rationale: 'The course is being re-run; attendance is still needed',
    });
    await service.decideItem(sscpStaff, booking_, held, {
      decision: 'hold',
      rationale: 'A complaint about the course is open',
      holdType: 'litigation',
      reviewOn: '2027-06-01',
    });
    const queue = (await service.reviewQueue(sscpStaff, '2026-11-25')).map((q) => q.id);
    expect(queue).not.toContain(kept);
    expect(queue).not.toContain(held);
    expect(queue).toContain(destroyed);
    // Back when the keep-until date has passed; the hold keeps the other out.
    const later = (await service.reviewQueue(sscpStaff, '2028-01-02')).map((q) => q.id);
    expect(later).toContain(kept);
    expect(later).not.toContain(held);
    // A held row cannot be destroyed by a decision either.
    await expect(
      service.decideItem(sscpStaff, booking_, held, {
        decision: 'destroy',
        rationale: 'Destroy it after all',
      }),
    ).rejects.toBeInstanceOf(RecordHeldError);

    await service.decideItem(sscpStaff, meeting_, destroyed, {
      decision: 'destroy',
      rationale: 'No rule applies; the minutes are published elsewhere',
    });
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from partnership_meeting_attendee where meeting_id = ${destroyed}`.execute(
      database.db,
    );
    expect(Number(rows[0]?.n)).toBe(0);
    const certificate = await database.db
      .selectFrom('disposal_certificate')
      .selectAll()
      .where(sql<boolean>`${destroyed}::uuid = any(record_ids)`)
      .executeTakeFirstOrThrow();
    expect(certificate).toMatchObject({
      item_kind: 'partnership-meeting',
      approval: 'review-decision',
      approved_by: sscpStaff.accountId,
    });
    const audited = await database.db
      .selectFrom('audit_event')
      .select(['action', 'object_type'])
      .where(sql<boolean>`${destroyed} = any(object_ids)`)
      .orderBy('seq')
      .execute();
    expect(audited.map((a) => [a.action, a.object_type])).toEqual([
      ['retention.decision.destroy', 'partnership-meeting'],
      ['retention.destroy', 'partnership-meeting'],
    ]);
    expect(await count('retention_decision')).toBe(3);
    expect((await chainAndVerify(database.db)).ok).toBe(true);
  });
});
