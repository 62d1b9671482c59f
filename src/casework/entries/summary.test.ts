import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { CaseworkService } from '../service.js';
import { SummaryService } from './summary-service.js';

/*
 * Issue 13 item 5 (decision 0032): a case summary (current plan, risks, key
 * people) kept as versions, and a team manager's oversight notes, each in
 * the chronology, each audited, each behind the record's access decision.
 */

let database: DatabaseHandle;
let casework: CaseworkService;
let summaries: SummaryService;
let worker: CaseworkStaff;
let manager: CaseworkStaff;
let otherTeam: CaseworkStaff;
let child: string;
let recordId: string;
const TODAY = '2026-11-25';

beforeAll(async () => {
  database = await testDatabase();
  casework = new CaseworkService(database.db, { today: () => TODAY });
  summaries = new SummaryService(casework);
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  manager = await caseworkStaff(database.db, 'kent-scs', ['team-manager'], ['assessment']);
  otherTeam = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['children-in-care']);
  child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2016-04-02' });
  recordId = await casework.create(worker.context, {
    category: 'child-in-need',
    subjectPersonId: child,
    openedOn: '2026-09-01',
  });
});
afterAll(async () => {
  await database.close();
});

describe('the case summary', () => {
  it('refuses an empty summary in plain words and saves nothing', async () => {
    const error = await summaries
      .recordSummary(worker.context, recordId, { keyPeople: 'Mother' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual([
      { field: 'currentPlan', message: 'Enter the current plan' },
      { field: 'risks', message: 'Enter the risks, or say that none are known' },
    ]);
    const tooLong = await summaries
      .recordSummary(worker.context, recordId, { currentPlan: 'x'.repeat(8001), risks: 'None' })
      .catch((e: unknown) => e);
    expect((tooLong as ValidationError).fieldErrors).toEqual([
      { field: 'currentPlan', message: 'The current plan must be 8,000 characters or fewer' },
    ]);
    expect((await summaries.summaryForm(worker.context, recordId)).current).toBeNull();
  });

  it('keeps each version, shows the latest, and puts each in the chronology', async () => {
    await summaries.recordSummary(worker.context, recordId, {
      currentPlan: 'Family support twice a week.',
      risks: 'Neglect when mother is unwell.',
    });
    await summaries.recordSummary(worker.context, recordId, {
      currentPlan: 'Family support weekly.',
      risks: 'Neglect when mother is unwell.',
      keyPeople: 'Mother – main carer',
    });
    const form = await summaries.summaryForm(worker.context, recordId);
    expect(form.current).toMatchObject({
      currentPlan: 'Family support weekly.',
      keyPeople: 'Mother – main carer',
    });
    const view = await casework.open(worker.context, recordId);
    expect(view.summaries?.map((s) => s.currentPlan)).toEqual([
      'Family support weekly.',
      'Family support twice a week.',
    ]);
    const chronology = await casework.chronology(worker.context, child);
    expect(chronology.entries.filter((e) => e.kind === 'summary').map((e) => e.text)).toEqual([
      'Case summary updated. Current plan: Family support twice a week.',
      'Case summary updated. Current plan: Family support weekly.',
    ]);
    const audit = await database.db
      .selectFrom('audit_event')
      .select(['action', 'object_ids'])
      .where('action', 'in', ['case-summary.create', 'case-summary.read'])
      .execute();
    expect(audit.filter((a) => a.action === 'case-summary.create')).toHaveLength(2);
    expect(audit.some((a) => a.action === 'case-summary.read')).toBe(true);
  });

  it('answers not found to another team', async () => {
    await expect(summaries.summaryForm(otherTeam.context, recordId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      summaries.recordSummary(otherTeam.context, recordId, { currentPlan: 'x', risks: 'y' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('management oversight', () => {
  it('is a team manager’s to record; a practitioner is told so', async () => {
    await expect(summaries.oversightForm(worker.context, recordId)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      summaries.recordOversight(worker.context, recordId, {
        givenOn: '2026-11-20',
        direction: 'Carry on.',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses a next review on or before the oversight, and records a good one in the chronology', async () => {
    const error = await summaries
      .recordOversight(manager.context, recordId, {
        givenOn: '2026-11-20',
        direction: 'Visit weekly.',
        nextReviewOn: '2026-11-20',
      })
      .catch((e: unknown) => e);
    expect((error as ValidationError).fieldErrors).toEqual([
      {
        field: 'nextReviewOn',
        message:
          'The next management review must be after 20 November 2026, the date of this oversight',
      },
    ]);
    await summaries.recordOversight(manager.context, recordId, {
      givenOn: '2026-11-20',
      direction: 'Visit weekly; review in a month.',
      nextReviewOn: '2026-12-20',
    });
    const view = await casework.open(worker.context, recordId);
    expect(view.oversight).toMatchObject([
      {
        givenOn: '2026-11-20',
        nextReviewOn: '2026-12-20',
        direction: 'Visit weekly; review in a month.',
      },
    ]);
    const chronology = await casework.chronology(worker.context, child);
    expect(chronology.entries).toContainEqual(
      expect.objectContaining({
        date: '2026-11-20',
        kind: 'oversight',
        text: 'Management oversight: Visit weekly; review in a month.',
      }),
    );
  });
});
