import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseworkStaff,
  createPerson,
  organisationId,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { chainAndVerify } from '../../test/support/audit.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { OrganisationSlug } from '../policy/index.js';
import { createRetentionService } from '../services.js';
import type { RetentionService } from './service.js';

/*
 * Issue 12 item 13 (people held in no record; decision 0020) and item 6
 * (the retention of rights requests themselves; decision 0021).
 */

let database: DatabaseHandle;
let retention: RetentionService;
let sscpIg: CaseworkStaff;
let kentIg: CaseworkStaff;

beforeAll(async () => {
  database = await testDatabase();
  retention = createRetentionService(database.db);
  sscpIg = await caseworkStaff(database.db, 'sscp', ['information-governance']);
  kentIg = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
});
afterAll(() => database.close());

async function exists(table: 'person' | 'rights_request', id: string) {
  return (
    (await database.db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined
  );
}

describe('people held in no record (decision 0020)', () => {
  it('an SSCP person with a special category entry and no record is destroyed by a sweep far in the future', async () => {
    const person = await createPerson(database.db, 'sscp', { dateOfBirth: '2010-01-01' });
    const org = await organisationId(database.db, 'sscp');
    await database.db
      .insertInto('person_special_category')
      .values({ person_id: person, characteristic: 'ethnicity', value: 'Synthetic value' })
      .execute();
    // Held: kept whatever the date.
    const held = await createPerson(database.db, 'sscp');
    await retention.placeHold(sscpIg.context, {
      scope: 'person',
      targetId: held,
      holdType: 'litigation',
      reason: 'Synthetic litigation hold for the test',
      reviewOn: '2200-01-01',
    });

    const dryRun = await retention.sweep({ asOf: '2199-01-01', dryRun: true });
    expect(dryRun.groups).toContainEqual(
      expect.objectContaining({
        organisation: 'sscp',
        category: 'person-without-record',
        rule: 'sscp/people/no-record-3-months',
      }),
    );
    expect(await exists('person', person)).toBe(true);

    await retention.sweep({ asOf: '2199-01-01', dryRun: false });
    expect(await exists('person', person)).toBe(false);
    const left = await database.db
      .selectFrom('person_special_category')
      .select('id')
      .where('person_id', '=', person)
      .execute();
    expect(left).toEqual([]);
    expect(await exists('person', held)).toBe(true);
    const certificate = await database.db
      .selectFrom('disposal_certificate')
      .selectAll()
      .where('item_kind', '=', 'person')
      .where('organisation_id', '=', org)
      .executeTakeFirstOrThrow();
    expect(certificate.record_ids).toContain(person);
    expect(certificate.rule_id).toBe('sscp/people/no-record-3-months');
    expect(JSON.stringify(certificate)).not.toContain('Synthetic value');
    expect((await chainAndVerify(database.db)).ok).toBe(true);
  });

  it('counts the months from the day their last record went, kept by the database', async () => {
    const person = await createPerson(database.db, 'kent-scs');
    const org = await organisationId(database.db, 'kent-scs');
    const { id: recordId } = await database.db
      .insertInto('case_record')
      .values({ organisation_id: org, category: 'child-in-need', opened_on: '2020-01-01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('record_party')
      .values({ record_id: recordId, person_id: person, role: 'subject' })
      .execute();
    const linked = await database.db
      .selectFrom('person')
      .select('record_free_since')
      .where('id', '=', person)
      .executeTakeFirstOrThrow();
    expect(linked.record_free_since).toBeNull();
    // In a record: never due, however late the sweep.
    await retention.sweep({ asOf: '2199-01-01', dryRun: false });
    expect(await exists('person', person)).toBe(true);

    await database.db.deleteFrom('record_party').where('record_id', '=', recordId).execute();
    const { today } = (
      await sql<{ today: string }>`select current_date::text as today`.execute(database.db)
    ).rows[0]!;
    const freed = await database.db
      .selectFrom('person')
      .select('record_free_since')
      .where('id', '=', person)
      .executeTakeFirstOrThrow();
    expect(freed.record_free_since).toBe(today);
    const { twoMonths, threeMonths } = (
      await sql<{ twoMonths: string; threeMonths: string }>`select
        (current_date + interval '2 months')::date::text as "twoMonths",
        (current_date + interval '3 months')::date::text as "threeMonths"`.execute(database.db)
    ).rows[0]!;
    await retention.sweep({ asOf: twoMonths, dryRun: false });
    expect(await exists('person', person)).toBe(true);
    await retention.sweep({ asOf: threeMonths, dryRun: false });
    expect(await exists('person', person)).toBe(false);
  });
});

/** A finished rights request of the organisation, written as the rights service leaves one. */
async function finishedRequest(
  organisation: OrganisationSlug,
  staff: CaseworkStaff,
  closedAt: string,
) {
  const org = await organisationId(database.db, organisation);
  const { id } = await database.db
    .insertInto('rights_request')
    .values({
      organisation_id: org,
      type: 'access',
      state: 'closed',
      channel: 'email',
      received_on: '2020-01-02',
      description: 'Synthetic request',
      requester_role: 'self',
      requester_name: 'Synthetic Requester',
      requester_contact: 'synthetic@example.invalid',
      identity_check: 'Synthetic check',
      subject_given_name: 'Synthetic',
      subject_family_name: 'Subject',
      clock_status: 'running',
      created_by: staff.accountId,
      closed_at: new Date(closedAt),
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

describe('rights requests themselves (decision 0021)', () => {
  it('are destroyed two years after they finished, not before; a hold keeps them', async () => {
    const request = await finishedRequest('kent-scs', kentIg, '2030-06-15T12:00:00Z');
    const other = await finishedRequest('kent-scs', kentIg, '2030-06-15T12:00:00Z');
    await retention.placeHold(kentIg.context, {
      scope: 'category',
      targetId: 'rights-request',
      holdType: 'inquiry',
      reason: 'Synthetic inquiry hold for the test',
      reviewOn: '2040-01-01',
    });
    await retention.sweep({ asOf: '2032-06-15', dryRun: false });
    expect(await exists('rights_request', request)).toBe(true);
    const holds = await retention.activeHolds(kentIg.context);
    for (const hold of holds) await retention.releaseHold(kentIg.context, hold.id);

    await retention.sweep({ asOf: '2032-06-14', dryRun: false });
    expect(await exists('rights_request', request)).toBe(true);
    const report = await retention.sweep({ asOf: '2032-06-15', dryRun: false });
    expect(report.disposed).toBeGreaterThanOrEqual(2);
    expect(await exists('rights_request', request)).toBe(false);
    expect(await exists('rights_request', other)).toBe(false);
    const certificate = await database.db
      .selectFrom('disposal_certificate')
      .selectAll()
      .where('item_kind', '=', 'rights-request')
      .executeTakeFirstOrThrow();
    expect(certificate).toMatchObject({
      category: 'rights-request',
      rule_id: 'kent-scs/rights-request/finished-plus-2',
    });
    expect(certificate.record_ids).toEqual(expect.arrayContaining([request, other]));
  });

  it('are kept while unfinished, whatever the date', async () => {
    const request = await finishedRequest('kent-scs', kentIg, '2030-01-01T12:00:00Z');
    await database.db
      .updateTable('rights_request')
      .set({ state: 'in-progress', closed_at: null })
      .where('id', '=', request)
      .execute();
    await retention.sweep({ asOf: '2199-01-01', dryRun: false });
    expect(await exists('rights_request', request)).toBe(true);
  });
});
