import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { NotFoundError, ValidationError } from '../../platform/errors/errors.js';
import { CaseworkService } from '../service.js';
import { OutcomeService } from './outcome-service.js';

/*
 * Issue 12 item 8: a looked-after child's health assessments, dental checks,
 * SDQ scores and education plan reviews are typed, dated facts on the
 * record, recorded by those who may change it and seen by those who may see it.
 */

let database: DatabaseHandle;
let casework: CaseworkService;
let outcomes: OutcomeService;
let worker: CaseworkStaff;
let otherTeam: CaseworkStaff;
let otherOrganisation: CaseworkStaff;

beforeAll(async () => {
  database = await testDatabase();
  casework = new CaseworkService(database.db);
  outcomes = new OutcomeService(casework);
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['children-in-care']);
  otherTeam = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
  otherOrganisation = await caseworkStaff(database.db, 'sscp', ['partnership-business']);
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

async function lookedAfter() {
  const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2013-05-05' });
  return casework.create(worker.context, {
    category: 'looked-after',
    subjectPersonId: child,
    openedOn: '2026-01-05',
  });
}

describe('looked-after outcomes', () => {
  it('records an SDQ with its score and a dental check, audited, shown on the record in words', async () => {
    const id = await lookedAfter();
    const sdq = await outcomes.record(worker.context, id, {
      kind: 'sdq',
      occurredOn: '2026-03-02',
      sdqScore: '17',
    });
    await outcomes.record(worker.context, id, {
      kind: 'dental-check',
      occurredOn: '2026-04-10',
      note: 'No treatment needed.',
    });
    const view = await casework.open(worker.context, id);
    expect(view.outcomes).toEqual([
      expect.objectContaining({
        kindName: 'Dental check',
        occurredOn: '2026-04-10',
        sdqScore: null,
      }),
      expect.objectContaining({
        id: sdq,
        kindName: 'Strengths and difficulties questionnaire (SDQ)',
        sdqScore: 17,
      }),
    ]);
    const events = await database.db
      .selectFrom('audit_event')
      .select('object_ids')
      .where('action', '=', 'looked-after-outcome.create')
      .execute();
    expect(events.map((e) => e.object_ids)).toContainEqual([id, sdq]);
  });

  it('refuses, in plain words, a missing kind and date and an SDQ score outside 0–40', async () => {
    const id = await lookedAfter();
    const empty = (await rejection(outcomes.record(worker.context, id, {}))) as ValidationError;
    expect(empty.fieldErrors).toEqual([
      { field: 'kind', message: 'Select what happened' },
      { field: 'occurredOn', message: 'Enter the date it happened' },
    ]);
    for (const sdqScore of ['41', '-1', '3.5', 'many']) {
      const bad = (await rejection(
        outcomes.record(worker.context, id, { kind: 'sdq', occurredOn: '2026-03-02', sdqScore }),
      )) as ValidationError;
      expect(bad.fieldErrors).toEqual([
        { field: 'sdqScore', message: 'Enter the SDQ score as a whole number from 0 to 40' },
      ]);
    }
    const stray = (await rejection(
      outcomes.record(worker.context, id, {
        kind: 'pep-review',
        occurredOn: '2026-03-02',
        sdqScore: '4',
      }),
    )) as ValidationError;
    expect(stray.fieldErrors[0]?.field).toBe('sdqScore');
  });

  it('answers not found to another team, another organisation, and a record that is not looked after', async () => {
    const id = await lookedAfter();
    for (const staff of [otherTeam, otherOrganisation]) {
      expect(
        await rejection(
          outcomes.record(staff.context, id, { kind: 'dental-check', occurredOn: '2026-03-02' }),
        ),
      ).toBeInstanceOf(NotFoundError);
    }
    const child = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2013-05-05' });
    const inNeed = await casework.create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: child,
      openedOn: '2026-01-05',
    });
    expect(await rejection(outcomes.form(worker.context, inNeed))).toBeInstanceOf(NotFoundError);
  });
});
