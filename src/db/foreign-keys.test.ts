import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseworkStaff,
  createPerson,
  organisationId,
  type CaseworkStaff,
} from '../../test/support/casework.js';
import { RightsService } from '../rights/service.js';
import { emptyTestDatabase, testDatabase } from '../../test/support/database.js';
import { recordWith } from '../../test/support/people.js';
import type { DatabaseHandle } from './connection.js';
import * as platform from './migrations/0001-platform.js';
import * as people from './migrations/0002-people.js';
import * as casework from './migrations/0003-casework.js';
import * as serviceAccounts from './migrations/0004-service-accounts.js';
import * as retention from './migrations/0005-retention.js';
import * as partnership from './migrations/0006-partnership.js';
import * as rights from './migrations/0007-rights.js';
import * as rightsReview from './migrations/0008-rights-review.js';
import * as sharing from './migrations/0009-sharing.js';
import * as personHistory from './migrations/0010-person-history.js';
import * as rightsOutcomes from './migrations/0011-rights-outcomes.js';
import * as practiceReviews from './migrations/0012-practice-reviews.js';
import * as sharingAgreements from './migrations/0013-sharing-agreements.js';
import * as rightsReminders from './migrations/0014-rights-reminders.js';
import * as rightsPortability from './migrations/0015-rights-portability.js';
import * as rowsNameRealPeopleAndRecords from './migrations/0016-rows-name-real-people-and-records.js';
import type { Database } from './schema.js';

/**
 * Issue 10 item 1: a row that names a person or a record names a real one of
 * its own organisation — the database refuses anything else, whatever path
 * writes it — and destroying a person or record takes what names it along.
 * Columns that may name a record OR something else have no key (the
 * migration says which): a legal hold on a partnership row still works.
 */

let handle: DatabaseHandle;
let db: Kysely<Database>;
let staffId: string;
let ig: CaseworkStaff;
let kentScs: string;
let lado: string;

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  ig = await caseworkStaff(db, 'kent-scs', ['information-governance']);
  staffId = ig.accountId;
  kentScs = await organisationId(db, 'kent-scs');
  lado = await organisationId(db, 'kent-lado');
});
afterAll(async () => {
  await handle?.close();
});

const foreignKeyViolation = /foreign key/i;

function restriction(values: {
  organisationId: string;
  scope: 'person' | 'record';
  targetId: string;
  lifted?: boolean;
}) {
  return db.insertInto('restriction').values({
    organisation_id: values.organisationId,
    scope: values.scope,
    person_id: values.scope === 'person' ? values.targetId : null,
    record_id: values.scope === 'record' ? values.targetId : null,
    ground: 'accuracy-contested',
    placed_by: staffId,
    ...(values.lifted
      ? {
          person_told_on: '2025-10-01',
          person_told_by: staffId,
          lift_reason: 'Checked and found accurate',
          lifted_at: new Date(),
          lifted_by: staffId,
        }
      : {}),
  });
}

describe('rows that name a person or a record', () => {
  it('a restriction names a person or record of its own organisation, or is refused', async () => {
    const ladoPerson = await createPerson(db, 'kent-lado');
    const ladoRecord = await recordWith(db, {
      organisation: 'kent-lado',
      category: 'lado-allegation',
      personIds: [ladoPerson],
    });
    const attempts = [
      { scope: 'record' as const, targetId: randomUUID() },
      { scope: 'record' as const, targetId: ladoRecord },
      { scope: 'person' as const, targetId: randomUUID() },
      { scope: 'person' as const, targetId: ladoPerson },
    ];
    for (const attempt of attempts) {
      await expect(restriction({ organisationId: kentScs, ...attempt }).execute()).rejects.toThrow(
        foreignKeyViolation,
      );
    }
    // Its own organisation's are taken.
    await restriction({ organisationId: lado, scope: 'record', targetId: ladoRecord }).execute();
    await restriction({ organisationId: lado, scope: 'person', targetId: ladoPerson }).execute();
  });

  it('a legal hold on a person and a rights request’s subject name its own organisation’s', async () => {
    const ladoPerson = await createPerson(db, 'kent-lado');
    await expect(
      db
        .insertInto('retention_hold')
        .values({
          organisation_id: kentScs,
          scope: 'person',
          person_id: ladoPerson,
          hold_type: 'litigation',
          reason: 'Synthetic hold for the test',
          placed_by: staffId,
          review_on: '2030-01-01',
        })
        .execute(),
    ).rejects.toThrow(foreignKeyViolation);
    const requestId = await new RightsService(db).create(ig.context, {
      type: 'access',
      receivedOn: '2025-09-03',
      channel: 'letter',
      description: 'Everything about me',
      requesterRole: 'self',
      requesterName: 'Synthetic Requester',
      requesterContact: '1 Test Street',
      identityCheck: 'photo-id-seen',
      subject: { givenName: 'Synthetic', familyName: 'Requester', dateOfBirth: '2007-03-01' },
    });
    const subject = (value: string) =>
      db
        .updateTable('rights_request')
        .set({ subject_person_id: value })
        .where('id', '=', requestId)
        .execute();
    await expect(subject(ladoPerson)).rejects.toThrow(foreignKeyViolation);
    await expect(subject(randomUUID())).rejects.toThrow(foreignKeyViolation);
    // Its own person is taken; destroying the person forgets the link, the request stays.
    const own = await createPerson(db, 'kent-scs');
    await subject(own);
    await db.deleteFrom('person_name').where('person_id', '=', own).execute();
    await db.deleteFrom('person').where('id', '=', own).execute();
    const kept = await db
      .selectFrom('rights_request')
      .select('subject_person_id')
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(kept.subject_person_id).toBeNull();
  });

  it('a hold on a partnership row (polymorphic record_id) is still taken', async () => {
    // A reviewer's "hold" decision on a training booking names the booking in
    // record_id (src/retention/partnership-items.ts): no key on that column.
    await db
      .insertInto('retention_hold')
      .values({
        organisation_id: await organisationId(db, 'kscmp'),
        scope: 'record',
        record_id: randomUUID(),
        hold_type: 'other',
        reason: 'Synthetic hold on a partnership row',
        placed_by: staffId,
        review_on: '2030-01-01',
      })
      .execute();
  });

  it('destroying a record or a person takes the restrictions on it along', async () => {
    const person = await createPerson(db, 'kent-scs');
    const record = await recordWith(db, {
      organisation: 'kent-scs',
      category: 'child-in-need',
      personIds: [],
    });
    await restriction({
      organisationId: kentScs,
      scope: 'record',
      targetId: record,
      lifted: true,
    }).execute();
    await restriction({
      organisationId: kentScs,
      scope: 'person',
      targetId: person,
      lifted: true,
    }).execute();
    await db.deleteFrom('case_record').where('id', '=', record).execute();
    await db.deleteFrom('person_name').where('person_id', '=', person).execute();
    await db.deleteFrom('person').where('id', '=', person).execute();
    const left = await db
      .selectFrom('restriction')
      .select('id')
      .where((eb) => eb.or([eb('record_id', '=', record), eb('person_id', '=', person)]))
      .execute();
    expect(left).toEqual([]);
  });
});

describe('migration 0016 over data written before it', () => {
  let before: DatabaseHandle;
  let old: Kysely<unknown>;

  beforeAll(async () => {
    before = await emptyTestDatabase();
    old = before.db as unknown as Kysely<unknown>;
    for (const m of [
      platform,
      people,
      casework,
      serviceAccounts,
      retention,
      partnership,
      rights,
      rightsReview,
      sharing,
      personHistory,
      rightsOutcomes,
      practiceReviews,
      sharingAgreements,
      rightsReminders,
      rightsPortability,
    ]) {
      await m.up(old);
    }
  });
  afterAll(async () => {
    await before?.close();
  });

  it('drops restrictions that named nothing or another organisation’s, and keeps the rest', async () => {
    const { rows } = await sql<{ own: string; foreign: string }>`
      with orgs as (
        insert into organisation (slug, name, short_name) values
          ('kent-scs', 'Kent SCS', 'Kent SCS'), ('kent-lado', 'Kent LADO', 'LADO')
        returning id, slug
      ), staff as (
        insert into account (email, display_name, password_hash)
          values ('synthetic@example.test', 'Synthetic', 'x') returning id
      ), own as (
        insert into person (organisation_id, given_name, family_name)
          select id, 'Own', 'Person' from orgs where slug = 'kent-scs' returning id
      ), foreign_person as (
        insert into person (organisation_id, given_name, family_name)
          select id, 'Foreign', 'Person' from orgs where slug = 'kent-lado' returning id
      ), placed as (
        insert into restriction (organisation_id, scope, person_id, record_id, ground, placed_by)
          select o.id, 'person', p.id, null::uuid, 'accuracy-contested', s.id
            from orgs o, own p, staff s where o.slug = 'kent-scs'
          union all
          select o.id, 'person', f.id, null::uuid, 'accuracy-contested', s.id
            from orgs o, foreign_person f, staff s where o.slug = 'kent-scs'
          union all
          select o.id, 'record', null::uuid, gen_random_uuid(), 'accuracy-contested', s.id
            from orgs o, staff s where o.slug = 'kent-scs'
        returning id
      )
      select (select id from own) as own, (select id from foreign_person) as foreign
    `.execute(old);
    await rowsNameRealPeopleAndRecords.up(old);
    const left = await sql<{ person_id: string | null }>`
      select person_id from restriction`.execute(old);
    expect(left.rows).toEqual([{ person_id: rows[0]!.own }]);
  });
});
