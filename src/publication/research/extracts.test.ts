import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, createPerson, organisationId } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { ValidationError } from '../../platform/errors/errors.js';
import { EXTRACT_FIELDS } from './extracts.js';
import { ResearchExtracts } from './extracts.js';
import { smallestGroupIn } from './k-anonymity.js';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

/** Children with records at Maidstone: 24 alike, and one who stands out. */
async function children() {
  const db = database.db;
  const maidstone = await organisationId(db, 'maidstone-bc');
  const add = async (given: string, born: string, postcode: string, gender: 'female' | 'male') => {
    const person = await createPerson(db, 'maidstone-bc', {
      givenName: given,
      familyName: 'Synthetic',
      dateOfBirth: born,
    });
    await db.updateTable('person').set({ gender }).where('id', '=', person).execute();
    await db
      .insertInto('person_address')
      .values({ person_id: person, line1: '1 Synthetic Street', postcode })
      .execute();
    const record = await db
      .insertInto('case_record')
      .values({
        organisation_id: maidstone,
        category: 'safeguarding-concern',
        opened_on: '2026-03-14',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('record_party')
      .values({ record_id: record.id, person_id: person, role: 'subject' })
      .execute();
  };
  for (let i = 0; i < 24; i++) {
    await add(`Child${i}`, `201${i % 3}-0${(i % 9) + 1}-10`, 'ME14 2AB', 'female');
  }
  await add('Standout', '2009-01-01', 'TN27 0AA', 'male');
}

describe('a research extract', () => {
  it('is approved by a second person, pseudonymised with its own key, k-anonymous and audited', async () => {
    const db = database.db;
    await children();
    const requester = await caseworkStaff(db, 'maidstone-bc', ['information-governance']);
    const approver = await caseworkStaff(db, 'maidstone-bc', ['information-governance']);
    const practitioner = await caseworkStaff(db, 'maidstone-bc', [
      'designated-safeguarding-officer',
    ]);
    const extracts = new ResearchExtracts(db);
    const form = {
      purpose: 'research',
      question: 'Synthetic: ages and places of children with concerns',
      fields: EXTRACT_FIELDS.map((f) => f.field),
    };
    // Only governance; anyone else is told there is nothing there.
    await expect(extracts.request(practitioner.context, form)).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      extracts.request(requester.context, { purpose: 'research', question: '', fields: ['notes'] }),
    ).rejects.toBeInstanceOf(ValidationError);
    const id = await extracts.request(requester.context, form);
    await expect(extracts.csv(requester.context, id)).rejects.toMatchObject({ status: 404 });
    const own = await extracts.approve(requester.context, id).catch((e: unknown) => e);
    expect((own as ValidationError).fieldErrors[0]?.message).toContain('second person');
    await extracts.approve(approver.context, id);

    const csv = await extracts.csv(requester.context, id);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'pseudonym',
      'category',
      'opened',
      'closed',
      'age',
      'gender',
      'postcode',
    ]);
    const quasi = EXTRACT_FIELDS.map((f) => ({ ...f }));
    expect(smallestGroupIn(rows, quasi, 'pseudonym')).toBeGreaterThanOrEqual(5);
    expect(csv).not.toMatch(/Synthetic|Standout|Child\d|2AB|TN27|-10\b/);
    for (const row of rows) expect(row.opened).toMatch(/^(\d{4}(-\d{2})?|\*)$/);
    const [listed] = await extracts.list(requester.context);
    expect(listed?.report?.actions.join('; ')).toMatch(/generalised|suppressed/);

    // A second extract of the same people cannot be joined to the first.
    const second = await extracts.request(requester.context, form);
    await extracts.approve(approver.context, second);
    const again = parse(await extracts.csv(requester.context, second), {
      columns: true,
    }) as Record<string, string>[];
    const first = new Set(rows.map((r) => r.pseudonym));
    expect(again.some((r) => first.has(r.pseudonym ?? ''))).toBe(false);

    const events = await db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'like', 'research-extract.%')
      .execute();
    expect(events.map((e) => e.action).sort()).toEqual([
      'research-extract.approve',
      'research-extract.approve',
      'research-extract.download',
      'research-extract.download',
      'research-extract.request',
      'research-extract.request',
    ]);
    expect(await extracts.approved(await organisationId(db, 'maidstone-bc'))).toHaveLength(2);
  });
});
