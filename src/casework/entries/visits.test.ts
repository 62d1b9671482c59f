import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { CaseworkService } from '../service.js';
import { visitsSection } from './visit-section.js';
import { VisitService } from './visit-service.js';

/*
 * Issue 13 item 5: a statutory visit is recorded on a child protection plan,
 * looked-after or child in need record, typed and audited with it, shown on
 * the record and its chronology, and only to those who may see the record.
 */

let database: DatabaseHandle;
let casework: CaseworkService;
let visits: VisitService;
let worker: CaseworkStaff;
let otherTeam: CaseworkStaff;
let otherOrganisation: CaseworkStaff;
let governance: CaseworkStaff;
const TODAY = '2026-11-25';

beforeAll(async () => {
  database = await testDatabase();
  casework = new CaseworkService(database.db, { today: () => TODAY });
  visits = new VisitService(casework, { today: () => TODAY });
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  otherTeam = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['children-in-care']);
  otherOrganisation = await caseworkStaff(database.db, 'kent-lado', ['lado-officer']);
  governance = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
});
afterAll(async () => {
  await database.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function planRecord() {
  const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2016-04-02' });
  const id = await casework.create(worker.context, {
    category: 'child-protection-plan',
    subjectPersonId: child,
    openedOn: '2026-10-01',
    detail: { categoryOfAbuse: 'neglect', planStartedOn: '2026-10-05' },
  });
  return { id, child };
}

const goodVisit = {
  visitedOn: '2026-11-20',
  childSeen: 'yes',
  seenAlone: 'yes',
  bedroomSeen: 'yes',
  present: 'Mother and younger brother',
  wishesAndFeelings: 'Wants to stay at the same school.',
  // 10 working days after Friday 20 November 2026.
  nextDueOn: '2026-12-04',
};

describe('recording a visit', () => {
  it('stores it typed, audits it in the same transaction and shows it on the record and chronology', async () => {
    const { id, child } = await planRecord();
    const visitId = await visits.record(worker.context, id, goodVisit);

    const stored = await database.db
      .selectFrom('statutory_visit')
      .selectAll()
      .where('id', '=', visitId)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({
      record_id: id,
      visited_on: '2026-11-20',
      child_seen: true,
      seen_alone: true,
      bedroom_seen: true,
      next_due_on: '2026-12-04',
      recorded_by: worker.accountId,
    });
    const event = await database.db
      .selectFrom('audit_event')
      .select(['action', 'object_ids', 'purpose', 'outcome'])
      .where('action', '=', 'statutory-visit.create')
      .where('actor_account_id', '=', worker.accountId)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ purpose: 'casework', outcome: 'success' });
    expect(event.object_ids).toEqual([id, visitId]);
    // What the child said never goes to the audit log.
    expect(JSON.stringify(event)).not.toContain('school');

    const view = await casework.open(worker.context, id);
    expect(view.visits?.map((v) => v.summary)).toEqual(['Statutory visit — seen alone']);
    const section = visitsSection(view, TODAY);
    expect(section?.next).toMatchObject({ due: '2026-12-04', overdue: false });
    expect(section?.canRecord).toBe(true);

    const chronology = await casework.chronology(worker.context, child);
    expect(chronology.entries).toContainEqual(
      expect.objectContaining({
        date: '2026-11-20',
        kind: 'visit',
        text: 'Statutory visit — seen alone',
      }),
    );
  });

  it('says in plain English what is missing or wrong, and saves nothing', async () => {
    const { id } = await planRecord();
    const empty = (await rejection(visits.record(worker.context, id, {}))) as ValidationError;
    expect(empty).toBeInstanceOf(ValidationError);
    const messages = empty.fieldErrors.map((e) => e.message).join(' | ');
    expect(messages).toContain('Enter the date of the visit');
    expect(messages).toContain('Select yes if the child was seen');
    expect(messages).not.toMatch(/invalid input|expected|received|too big/i);

    const seen = (await rejection(
      visits.record(worker.context, id, { visitedOn: '2026-11-20', childSeen: 'yes' }),
    )) as ValidationError;
    expect(seen.fieldErrors.map((e) => e.field).sort()).toEqual([
      'bedroomSeen',
      'nextDueOn',
      'seenAlone',
      'wishesAndFeelings',
    ]);

    const late = (await rejection(
      visits.record(worker.context, id, { ...goodVisit, nextDueOn: '2026-12-07' }),
    )) as ValidationError;
    expect(late.fieldErrors).toEqual([
      {
        field: 'nextDueOn',
        message: 'The next visit must be due by 4 December 2026 at the latest',
      },
    ]);
    const future = (await rejection(
      visits.record(worker.context, id, { ...goodVisit, visitedOn: '2099-01-01' }),
    )) as ValidationError;
    expect(future.fieldErrors[0]?.field).toBe('visitedOn');

    const count = await database.db
      .selectFrom('statutory_visit')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('record_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('records a child in need visit without the bedroom question or a set frequency', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2012-01-01' });
    const id = await casework.create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2026-09-01',
    });
    const form = await visits.form(worker.context, id);
    expect(form).toMatchObject({ asksBedroom: false, frequency: null, suggestedNextDue: null });
    await visits.record(worker.context, id, { visitedOn: '2026-11-02', childSeen: 'no' });
    const view = await casework.open(worker.context, id);
    expect(view.visits?.[0]).toMatchObject({
      summary: 'Statutory visit — child not seen',
      seenAlone: null,
      bedroomSeen: null,
      nextDueOn: null,
    });
    expect(visitsSection(view, TODAY)?.next).toBeNull();
  });
});

describe('who may record and see visits', () => {
  it('answers not found to another organisation, another team and an id that names nothing', async () => {
    const { id } = await planRecord();
    await visits.record(worker.context, id, goodVisit);
    for (const staff of [otherOrganisation, otherTeam]) {
      expect(await rejection(visits.form(staff.context, id))).toBeInstanceOf(NotFoundError);
      expect(await rejection(visits.record(staff.context, id, goodVisit))).toBeInstanceOf(
        NotFoundError,
      );
    }
    expect(await rejection(visits.record(worker.context, randomUUID(), goodVisit))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await rejection(visits.record(worker.context, 'not-an-id', goodVisit))).toBeInstanceOf(
      NotFoundError,
    );
    // Refusals of the record are audited as attempts, on the id as given.
    const denied = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('actor_account_id', '=', otherTeam.accountId)
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied.length).toBeGreaterThan(0);
    const stored = await database.db
      .selectFrom('statutory_visit')
      .select('recorded_by')
      .where('record_id', '=', id)
      .execute();
    expect(stored).toEqual([{ recorded_by: worker.accountId }]);
  });

  it('lets information governance read visits but not record them', async () => {
    const { id } = await planRecord();
    await visits.record(worker.context, id, goodVisit);
    expect(await rejection(visits.record(governance.context, id, goodVisit))).toBeInstanceOf(
      ForbiddenError,
    );
    const view = await casework.open(governance.context, id);
    expect(view.visits).toHaveLength(1);
    expect(visitsSection(view, TODAY)?.canRecord).toBe(false);
  });

  it('has no visit form on a record of a category without visits', async () => {
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2012-01-01' });
    const id = await casework.create(worker.context, {
      category: 'private-fostering',
      subjectPersonId: child,
      openedOn: '2026-09-01',
    });
    expect(await rejection(visits.form(worker.context, id))).toBeInstanceOf(NotFoundError);
  });
});
