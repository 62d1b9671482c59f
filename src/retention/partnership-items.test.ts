import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { caseworkStaff, organisationId } from '../../test/support/casework.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { StaffContext } from '../platform/auth/service.js';
import { createRetentionService } from '../services.js';

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
