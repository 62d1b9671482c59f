import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationId } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { createPersonFromPartner } from '../people/from-partner.js';
import { syntheticNhsNumber } from '../people/identifiers.js';
import type { Actor } from './actor.js';
import { intakeKinds } from './kinds.js';
import { IntakeService } from './service.js';
import { newPersonId, writeAttachments, type Attachment } from './write-rows.js';

/**
 * A chunk written in bulk must come out as the rows written one after
 * another would: an identifier goes to a person only where no one in the
 * organisation holds it and the person has none of that type, counting
 * those given by earlier rows of the same chunk; each row's facts and
 * outcome are written; one audit event per outcome lists every row and person.
 */
let database: DatabaseHandle;
let actor: Actor;
let jobId: string;
let rowIds: string[];
let known: string;
let holder: string;
const nhs = (n: number) => syntheticNhsNumber(900 + n);

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  const kent = await organisationId(db, 'kent-scs');
  actor = { accountId: null, organisationId: kent, organisationSlug: 'kent-scs' };
  await db.transaction().execute(async (trx) => {
    const person = (givenName: string, nhsNumber: string | null) =>
      createPersonFromPartner(trx, kent, {
        givenName,
        familyName: 'Trevithick',
        dateOfBirth: '2013-04-05',
        gender: 'female',
        addressLine1: null,
        postcode: null,
        nhsNumber,
        upn: null,
      });
    known = await person('Morwenna', null);
    holder = await person('Tamsin', nhs(0));
  });
  const intake = new IntakeService(db);
  jobId = await intake.upload(actor, {
    kind: 'police-missing',
    partner: 'Kent Police',
    fileName: 'chunk.csv',
    content: Buffer.from(
      [
        'Occurrence number,Forename,Surname,DOB,Missing date,Found date',
        ...[1, 2, 3, 4, 5].map((i) => `KP-${i},Child,Number${i},01/02/2014,2026-10-0${i},`),
      ].join('\n'),
    ),
  });
  await intake.applyMapping(actor, jobId, (await intake.proposedMapping(actor, jobId)).mapping);
  const rows = await db
    .selectFrom('intake_row')
    .select('id')
    .where('job_id', '=', jobId)
    .orderBy('row_number')
    .execute();
  rowIds = rows.map((r) => r.id);
}, 120_000);
afterAll(async () => {
  await database?.close();
});

describe('writing a chunk of matched rows in bulk', () => {
  it('gives identifiers as row-at-a-time writing would, with facts, outcomes and one event per outcome', async () => {
    const db = database.db;
    const fresh = newPersonId();
    const other = newPersonId();
    const third = newPersonId();
    const values = (i: number, nhsNumber: string) => ({
      reference: `KP-${i}`,
      givenName: 'Child',
      familyName: `Number${i}`,
      dateOfBirth: '2014-02-01',
      missingFrom: `2026-10-0${i}`,
      nhsNumber,
    });
    const row = (i: number) => rowIds[i - 1] ?? '';
    const items: Attachment[] = [
      // A held person without an NHS number is given the row's.
      a(row(1), values(1, nhs(1)), known, false, 'linked'),
      // Someone new whose number another person holds: not given it.
      a(row(2), values(2, nhs(0)), fresh, true, 'created'),
      // Someone new with a number no one holds: given it...
      a(row(3), values(3, nhs(3)), other, true, 'created'),
      // ...so a later row of the same person brings no second one.
      a(row(4), values(4, nhs(4)), other, false, 'linked'),
      // Someone new with the number the first row just gave: not given it.
      a(row(5), values(5, nhs(1)), third, true, 'created'),
    ];
    await db
      .transaction()
      .execute((trx) =>
        writeAttachments(
          trx,
          actor,
          { id: jobId, partner: 'Kent Police' },
          intakeKinds['police-missing'],
          items,
        ),
      );

    const identifiers = await db
      .selectFrom('person_identifier')
      .select(['person_id', 'value'])
      .where('person_id', 'in', [known, holder, fresh, other, third])
      .execute();
    const of = (id: string) => identifiers.filter((i) => i.person_id === id).map((i) => i.value);
    expect(of(known)).toEqual([nhs(1)]);
    expect(of(holder)).toEqual([nhs(0)]);
    expect(of(fresh)).toEqual([]);
    expect(of(other)).toEqual([nhs(3)]);
    expect(of(third)).toEqual([]);

    const people = await db
      .selectFrom('person')
      .innerJoin('person_name', 'person_name.person_id', 'person.id')
      .select(['person.id', 'person.family_name', 'person.date_of_birth', 'person_name.kind'])
      .where('person.id', 'in', [fresh, other, third])
      .orderBy('person.family_name')
      .execute();
    expect(people.map((p) => [p.family_name, p.date_of_birth, p.kind])).toEqual([
      ['Number2', '2014-02-01', 'current'],
      ['Number3', '2014-02-01', 'current'],
      ['Number5', '2014-02-01', 'current'],
    ]);

    const rows = await db
      .selectFrom('intake_row')
      .select(['id', 'status', 'person_id'])
      .where('job_id', '=', jobId)
      .orderBy('row_number')
      .execute();
    expect(rows.map((r) => [r.status, r.person_id])).toEqual([
      ['linked', known],
      ['created', fresh],
      ['created', other],
      ['linked', other],
      ['created', third],
    ]);
    // Not back yet: a missing episode, a chronology entry and an alert each.
    const facts = await db
      .selectFrom('intake_fact')
      .select(['row_id', 'fact'])
      .where('row_id', 'in', rowIds)
      .execute();
    expect(facts).toHaveLength(15);

    const events = await db
      .selectFrom('audit_event')
      .select(['action', 'object_ids'])
      .where('action', 'in', ['intake.row.link', 'intake.row.new'])
      .where(sql<boolean>`object_ids @> array[${jobId}]::text[]`)
      .orderBy('action')
      .execute();
    expect(events).toEqual([
      { action: 'intake.row.link', object_ids: [jobId, row(1), known, row(4), other] },
      {
        action: 'intake.row.new',
        object_ids: [jobId, row(2), fresh, row(3), other, row(5), third],
      },
    ]);
  });
});

function a(
  rowId: string,
  values: Record<string, string>,
  personId: string,
  newPerson: boolean,
  status: 'linked' | 'created',
): Attachment {
  return { rowId, values, personId, newPerson, status, probability: null, waterfall: null };
}
