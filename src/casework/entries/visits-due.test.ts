import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { CaseworkService } from '../service.js';
import { nextVisitDue } from './visit-policy.js';
import { VisitService } from './visit-service.js';
import { visitsDue } from './visits-due.js';

/*
 * Issue 13 item 2 (visits): the next visit due on each record is derived
 * from its facts — the last visit, or the plan's or placement's start — and
 * listed for the people whose work it is, never for anyone else.
 */

let database: DatabaseHandle;
let casework: CaseworkService;
let visits: VisitService;
let worker: CaseworkStaff;
let otherTeam: CaseworkStaff;
let otherOrganisation: CaseworkStaff;
const TODAY = '2026-11-25';

beforeAll(async () => {
  database = await testDatabase();
  casework = new CaseworkService(database.db, { today: () => TODAY });
  visits = new VisitService(casework, { today: () => TODAY });
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  otherTeam = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['children-in-care']);
  otherOrganisation = await caseworkStaff(database.db, 'kent-lado', ['lado-officer']);
});
afterAll(async () => {
  await database.close();
});

describe('the visit clock (pure)', () => {
  it('counts 10 working days from the plan’s start, skipping weekends and bank holidays', () => {
    // From Friday 18 December 2026: Christmas Day, Boxing Day (moved to Monday 28th) and
    // New Year's Day are skipped, so the 10th working day is Wednesday 6 January 2027.
    expect(
      nextVisitDue({
        category: 'child-protection-plan',
        openedOn: '2026-12-01',
        detail: { planStartedOn: '2026-12-18' },
        lastVisit: null,
      }),
    ).toEqual({ due: '2027-01-06', basis: '10 working days after the plan started' });
  });

  it('asks for a visit within a week of a new placement, even after a recent visit', () => {
    const detail = {
      placements: [
        { type: 'foster-care', startedOn: '2026-03-01', endedOn: '2026-11-10' },
        { type: 'residential', startedOn: '2026-11-10' },
      ],
    };
    expect(
      nextVisitDue({
        category: 'looked-after',
        openedOn: '2026-03-01',
        detail,
        lastVisit: { visitedOn: '2026-11-01', nextDueOn: '2026-12-10' },
      }),
    ).toEqual({ due: '2026-11-17', basis: 'First visit within a week of the placement starting' });
    // Visited after the placement started: the next date set then.
    expect(
      nextVisitDue({
        category: 'looked-after',
        openedOn: '2026-03-01',
        detail,
        lastVisit: { visitedOn: '2026-11-12', nextDueOn: '2026-12-20' },
      })?.due,
    ).toBe('2026-12-20');
  });

  it('has nothing due for a child in need until a next visit is set', () => {
    expect(
      nextVisitDue({
        category: 'child-in-need',
        openedOn: '2026-01-01',
        detail: {},
        lastVisit: { visitedOn: '2026-02-01', nextDueOn: null },
      }),
    ).toBeNull();
  });

  it('never fails on dates outside the bank holiday table', () => {
    expect(
      nextVisitDue({
        category: 'child-protection-plan',
        openedOn: '1990-01-01',
        detail: { planStartedOn: '2199-01-01' },
        lastVisit: null,
      })?.due,
    ).toBe('2199-01-15');
  });
});

describe('visits due on My work', () => {
  it('lists a plan with no visit from its start, and moves it when a visit is recorded', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2016-04-02' });
    const id = await casework.create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: child,
      openedOn: '2026-11-02',
      detail: { categoryOfAbuse: 'neglect', planStartedOn: '2026-11-02' },
    });
    const before = (await visitsDue(database.db, worker.context, TODAY)).find(
      (v) => v.recordId === id,
    );
    // 10 working days after Monday 2 November 2026.
    expect(before).toMatchObject({ due: '2026-11-16' });
    expect(before?.detail).toBe('Statutory visit overdue: 10 working days after the plan started');
    expect(before?.title).toBe('Child protection plan record opened 2 November 2026');

    await visits.record(worker.context, id, {
      visitedOn: '2026-11-24',
      childSeen: 'yes',
      seenAlone: 'no',
      bedroomSeen: 'no',
      wishesAndFeelings: 'Happy at school.',
      nextDueOn: '2026-12-01',
    });
    const after = (await visitsDue(database.db, worker.context, TODAY)).find(
      (v) => v.recordId === id,
    );
    expect(after).toMatchObject({
      due: '2026-12-01',
      detail: 'Statutory visit due: next visit set at the last visit',
    });

    for (const staff of [otherTeam, otherOrganisation]) {
      const theirs = await visitsDue(database.db, staff.context, TODAY);
      expect(theirs.some((v) => v.recordId === id)).toBe(false);
    }
  });

  it('leaves out closed records', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2016-04-02' });
    const id = await casework.create(worker.context, {
      category: 'looked-after',
      subjectPersonId: child,
      openedOn: '2026-06-01',
      closedOn: '2026-10-01',
    });
    const due = await visitsDue(database.db, worker.context, TODAY);
    expect(due.some((v) => v.recordId === id)).toBe(false);
  });
});
