import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { CaseworkService } from '../service.js';
import { ReviewService } from './review-service.js';
import { reviewSchema } from './review-schema.js';
import { reviewsDue } from './reviews-due.js';
import { timescalesDue } from './timescales.js';

/*
 * Issue 13 item 2 (conferences and reviews; decision 0031): what is due is
 * derived from the record's facts under the statutory timescales, moves when
 * the meeting is recorded, and is listed only for those whose work it is.
 */

let database: DatabaseHandle;
let casework: CaseworkService;
let reviews: ReviewService;
let worker: CaseworkStaff;
let otherTeam: CaseworkStaff;
let governance: CaseworkStaff;
const TODAY = '2026-11-25';

beforeAll(async () => {
  database = await testDatabase();
  casework = new CaseworkService(database.db, { today: () => TODAY });
  reviews = new ReviewService(casework);
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  otherTeam = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['children-in-care']);
  governance = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
});
afterAll(async () => {
  await database.close();
});

const due = (facts: Parameters<typeof timescalesDue>[0]) =>
  timescalesDue(facts).map((d) => ({ what: d.what, due: d.due }));

describe('the statutory timescales (pure)', () => {
  it('asks for an initial conference 15 working days after the strategy discussion', () => {
    // From Friday 18 December 2026: Christmas, Boxing Day (on Monday 28th) and New Year skipped.
    expect(
      due({
        category: 'child-protection-plan',
        openedOn: '2026-12-01',
        detail: { section47Enquiries: [{ startedOn: '2026-12-18' }] },
        meetings: [],
      }),
    ).toEqual([{ what: 'Initial child protection conference', due: '2027-01-13' }]);
  });

  it('then a review conference within 3 months, then at most every 6 months, until the plan ends', () => {
    const base = { category: 'child-protection-plan', openedOn: '2026-01-01', detail: {} };
    const initial = {
      kind: 'initial-conference' as const,
      heldOn: '2026-05-31',
      decision: 'plan-made',
    };
    // 31 May + 3 months: 31 August exists.
    expect(due({ ...base, meetings: [initial] })).toEqual([
      { what: 'First child protection review conference', due: '2026-08-31' },
    ]);
    const review = {
      kind: 'review-conference' as const,
      heldOn: '2026-08-31',
      decision: 'plan-continued',
    };
    // 31 August + 6 months: no 31 February, so the last day of February.
    expect(due({ ...base, meetings: [initial, review] })).toEqual([
      { what: 'Child protection review conference', due: '2027-02-28' },
    ]);
    const ended = {
      kind: 'review-conference' as const,
      heldOn: '2026-10-01',
      decision: 'plan-ended',
    };
    expect(due({ ...base, meetings: [initial, review, ended] })).toEqual([]);
  });

  it('reads conferences recorded in the plan’s own list too, and the plan’s start as the initial one', () => {
    expect(
      due({
        category: 'child-protection-plan',
        openedOn: '2026-01-01',
        detail: { planStartedOn: '2026-03-10' },
        meetings: [],
      }),
    ).toEqual([{ what: 'First child protection review conference', due: '2026-06-10' }]);
    expect(
      due({
        category: 'child-protection-plan',
        openedOn: '2026-01-01',
        detail: {
          conferences: [
            { kind: 'initial', heldOn: '2026-03-10', decision: 'plan-made' },
            { kind: 'review', heldOn: '2026-06-01', decision: 'plan-continued' },
          ],
        },
        meetings: [],
      }),
    ).toEqual([{ what: 'Child protection review conference', due: '2026-12-01' }]);
  });

  it('reviews a looked-after child within 20 working days, then 3 months, then 6 months (reg 33)', () => {
    const base = {
      category: 'looked-after',
      openedOn: '2026-01-01',
      detail: { episodes: [{ startedOn: '2026-03-02' }] },
    };
    // 20 working days from Monday 2 March 2026: four working weeks, Monday 30 March.
    expect(due({ ...base, meetings: [] })).toEqual([
      { what: 'First looked after review', due: '2026-03-30' },
    ]);
    const first = { kind: 'looked-after-review' as const, heldOn: '2026-03-27' };
    expect(due({ ...base, meetings: [first] })).toEqual([
      { what: 'Second looked after review', due: '2026-06-27' },
    ]);
    const second = { kind: 'looked-after-review' as const, heldOn: '2026-06-20' };
    expect(due({ ...base, meetings: [first, second] })).toEqual([
      { what: 'Looked after review', due: '2026-12-20' },
    ]);
    // A new episode of care starts the clock again; the old episode's reviews do not count.
    const again = {
      ...base,
      detail: {
        episodes: [{ startedOn: '2026-03-02', endedOn: '2026-07-01' }, { startedOn: '2026-09-01' }],
      },
    };
    expect(due({ ...again, meetings: [first, second] })).toEqual([
      { what: 'First looked after review', due: '2026-09-29' },
    ]);
  });

  it('asks for a child in need assessment within 45 working days of the referral until it is completed', () => {
    expect(
      due({ category: 'child-in-need', openedOn: '2026-09-01', detail: {}, meetings: [] }),
    ).toEqual([{ what: 'Assessment completed', due: '2026-11-03' }]);
    expect(
      due({
        category: 'child-in-need',
        openedOn: '2026-09-01',
        detail: { assessmentCompletedOn: '2026-10-01' },
        meetings: [],
      }),
    ).toEqual([]);
  });

  it('has nothing due for other categories', () => {
    expect(due({ category: 'adoption', openedOn: '2026-09-01', detail: {}, meetings: [] })).toEqual(
      [],
    );
  });
});

describe('how the child took part in a looked after review (pure)', () => {
  const review = { kind: 'looked-after-review', heldOn: '2026-10-01', summary: 'x' };
  const messages = (input: object, category = 'looked-after') => {
    const parsed = reviewSchema(category).safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
  };

  it('asks how, in the DfE’s terms, and sets took part from it', () => {
    expect(messages(review)).toEqual(['Select how the child took part']);
    expect(messages({ ...review, participation: 'PN2' })).toEqual([
      'Select how the child took part',
    ]);
    const advocate = reviewSchema('looked-after').parse({
      ...review,
      participation: 'absent-advocate',
    });
    expect(advocate).toMatchObject({ participation: 'absent-advocate', childParticipated: 'yes' });
    const silent = reviewSchema('looked-after').parse({
      ...review,
      participation: 'attended-no-contribution',
    });
    expect(silent).toMatchObject({ childParticipated: 'no' });
  });

  it('still takes a yes or no alone, and refuses a participation on a conference', () => {
    expect(messages({ ...review, childParticipated: 'yes' })).toEqual([]);
    expect(
      messages(
        {
          kind: 'initial-conference',
          heldOn: '2026-10-01',
          decision: 'plan-made',
          childParticipated: 'yes',
          participation: 'attended-spoke',
          summary: 'x',
        },
        'child-protection-plan',
      ),
    ).toEqual(['Leave how the child took part empty for a conference']);
  });
});

describe('recording a conference', () => {
  it('refuses a form with nothing in it, in plain words, and saves nothing', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2016-04-02' });
    const id = await casework.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2026-09-01',
      detail: { categoryOfAbuse: 'neglect' },
    });
    const error = await reviews.record(worker.context, id, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const messages = (error as ValidationError).fieldErrors.map((e) => e.message);
    expect(messages).toEqual([
      'Select which meeting was held',
      'Enter the date it was held',
      'Select yes if the child took part',
      'Enter what was decided',
    ]);
    const wrongDecision = await reviews
      .record(worker.context, id, {
        kind: 'initial-conference',
        heldOn: '2026-10-01',
        decision: 'plan-ended',
        childParticipated: 'no',
        summary: 'x',
      })
      .catch((e: unknown) => e);
    expect((wrongDecision as ValidationError).fieldErrors).toEqual([
      { field: 'decision', message: 'Select what the conference decided' },
    ]);
    const future = await reviews
      .record(worker.context, id, {
        kind: 'initial-conference',
        heldOn: '2099-10-01',
        decision: 'plan-made',
        childParticipated: 'no',
        summary: 'x',
      })
      .catch((e: unknown) => e);
    expect((future as ValidationError).fieldErrors[0]?.field).toBe('heldOn');
    const saved = await database.db
      .selectFrom('statutory_review')
      .select('id')
      .where('record_id', '=', id)
      .execute();
    expect(saved).toEqual([]);
  });

  it('moves what is due on My work, and lists it only for the record’s team', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2016-04-02' });
    const id = await casework.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2026-09-01',
      detail: { categoryOfAbuse: 'neglect', section47Enquiries: [{ startedOn: '2026-09-01' }] },
    });
    const before = (await reviewsDue(database.db, worker.context, TODAY)).find(
      (r) => r.recordId === id,
    );
    expect(before).toMatchObject({
      due: '2026-09-22',
      detail:
        'Initial child protection conference overdue: within 15 working days of the strategy discussion that started section 47 enquiries',
      href: `/records/${id}#reviews`,
    });
    await reviews.record(worker.context, id, {
      kind: 'initial-conference',
      heldOn: '2026-09-20',
      decision: 'plan-made',
      childParticipated: 'yes',
      chair: 'A. Chair',
      summary: 'Plan made under neglect.',
    });
    const after = (await reviewsDue(database.db, worker.context, TODAY)).find(
      (r) => r.recordId === id,
    );
    expect(after).toMatchObject({
      due: '2026-12-20',
      detail:
        'First child protection review conference due: within 3 months of the initial conference',
    });
    for (const staff of [otherTeam, governance]) {
      const theirs = await reviewsDue(database.db, staff.context, TODAY);
      expect(theirs.some((r) => r.recordId === id)).toBe(false);
    }
    // Shown in the child's chronology, under the reader's access.
    const chronology = await casework.chronology(worker.context, child);
    expect(chronology.entries.map((e) => e.text)).toContain(
      'Initial child protection conference — child protection plan made',
    );
    const audit = await database.db
      .selectFrom('audit_event')
      .select('object_ids')
      .where('action', '=', 'statutory-review.create')
      .execute();
    expect(audit.some((a) => a.object_ids.includes(id))).toBe(true);
  });

  it('answers not found for another team’s record and for a category with no meetings', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2016-04-02' });
    const plan = await casework.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2026-09-01',
      detail: { categoryOfAbuse: 'neglect' },
    });
    const inNeed = await casework.create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2026-09-01',
    });
    await expect(reviews.form(otherTeam.context, plan)).rejects.toBeInstanceOf(NotFoundError);
    await expect(reviews.form(worker.context, inNeed)).rejects.toBeInstanceOf(NotFoundError);
    await expect(reviews.form(worker.context, 'not-an-id')).rejects.toBeInstanceOf(NotFoundError);
  });
});
