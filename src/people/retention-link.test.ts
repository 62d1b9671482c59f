import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import { PeopleService } from './service.js';

/**
 * Retention facts about the subject live on the person; the due dates they
 * drive live on the records. A correction to the person moves those dates at
 * once, in the same transaction (issue 4: "a corrected date of birth moves
 * the due date at once").
 */
let database: DatabaseHandle;
let worker: CaseworkStaff;

beforeAll(async () => {
  database = await testDatabase();
  worker = await caseworkStaff(database.db, 'kent-scs', ['practitioner'], ['assessment']);
});
afterAll(() => database.close());

async function due(recordId: string) {
  return database.db
    .selectFrom('case_record')
    .select(['retention_due', 'retention_status', 'retention_needs_review'])
    .where('id', '=', recordId)
    .executeTakeFirstOrThrow();
}

describe('a corrected date of birth', () => {
  it('moves the due date of every record about the person at once', async () => {
    const childId = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2015-06-01' });
    const recordId = await new CaseworkService(database.db).create(worker.context, {
      category: 'child-protection-plan',
      subjectPersonId: childId,
      openedOn: '2024-01-10',
      allocatedAccountId: worker.accountId,
      detail: { categoryOfAbuse: 'neglect' },
    });
    expect((await due(recordId)).retention_due).toBe('2055-06-01');

    const people = new PeopleService(database.db);
    const person = await database.db
      .selectFrom('person')
      .select(['version', 'given_name', 'family_name'])
      .where('id', '=', childId)
      .executeTakeFirstOrThrow();
    await people.update(worker.context, childId, {
      version: person.version,
      givenName: person.given_name,
      familyName: person.family_name,
      dateOfBirth: '2016-02-29',
      dateOfBirthPrecision: 'exact',
      dateOfDeath: null,
      gender: null,
    });
    // 29 February + 40 years: 2056 is a leap year, so the day itself.
    expect((await due(recordId)).retention_due).toBe('2056-02-29');
    // The fact keeps its history: from, to, who, when.
    const history = await database.db
      .selectFrom('person_change')
      .select(['field', 'from_value', 'to_value', 'changed_by'])
      .where('person_id', '=', childId)
      .execute();
    expect(history).toEqual([
      {
        field: 'date_of_birth',
        from_value: '2015-06-01',
        to_value: '2016-02-29',
        changed_by: worker.accountId,
      },
    ]);
  });

  it('never makes a record destroyable the same day: an already-due date goes to review', async () => {
    const adultId = await createPerson(database.db, 'kent-scs', { dateOfBirth: '2015-06-01' });
    const recordId = await new CaseworkService(database.db).create(worker.context, {
      category: 'child-in-need',
      subjectPersonId: adultId,
      openedOn: '2024-01-10',
      allocatedAccountId: worker.accountId,
    });
    const person = await database.db
      .selectFrom('person')
      .select(['version', 'given_name', 'family_name'])
      .where('id', '=', adultId)
      .executeTakeFirstOrThrow();
    // Born 1990: birth + 25 years was due in 2015, long past.
    await new PeopleService(database.db).update(worker.context, adultId, {
      version: person.version,
      givenName: person.given_name,
      familyName: person.family_name,
      dateOfBirth: '1990-03-01',
      dateOfBirthPrecision: 'exact',
      dateOfDeath: null,
      gender: null,
    });
    expect(await due(recordId)).toMatchObject({
      retention_due: '2015-03-01',
      retention_needs_review: true,
    });
  });
});
