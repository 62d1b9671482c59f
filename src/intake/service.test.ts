import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connection.js';
import { loadDemoData } from '../demo/demo-data.js';
import { createPersonFromPartner } from '../people/from-partner.js';
import { syntheticUpn } from '../people/identifiers.js';
import { organisationId } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { IntakeService, type Actor } from './service.js';

/**
 * Issue 15, imports from partners end to end over a real database: a
 * school's attendance return is mapped, checked, matched (attached, left for
 * review, a new person, one person from two rows), corrected, decided, and
 * imported a second time without changing anything.
 */
let database: DatabaseHandle;
let intake: IntakeService;
let actor: Actor;
let held: string;
let cousin: string;

const upnHeld = syntheticUpn(11);
const upnNew = syntheticUpn(12);
const upnCousin = syntheticUpn(13);

const csv = [
  'Pupil UPN,Forename,Surname,DOB,Gender,Post Code,Week ending,Possible,Attended,Exclusion type,Exclusion start,Reason',
  // Held, with the same UPN: attached without asking.
  `${upnHeld},Kayleigh,Ashdown,14/03/2014,F,CT1 2AB,2026-03-06,10,6,,,`,
  // Someone new, in two rows (two weeks): one new person.
  `${upnNew},Bartholomew,Quennell,02/11/2013,M,ME14 1XQ,2026-03-06,10,10,,,`,
  `${upnNew},Bartholomew,Quennell,02/11/2013,M,ME14 1XQ,2026-03-13,10,4,suspension,2026-03-10,Fighting`,
  // A UPN with a wrong check letter: held for correction.
  `X801200005001,Mia,Fenwick,01/01/2015,F,,2026-03-06,10,12,,,`,
  // Like a held person with a changed surname, no UPN to agree: waits for review.
  `${upnCousin},Jaydon,Marsh,21/07/2012,M,,2026-03-06,10,9,,,`,
].join('\n');

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  // A realistic list to match against: with two people held, any likeness is likely.
  await loadDemoData(db);
  const kent = await organisationId(db, 'kent-scs');
  actor = { accountId: null, organisationId: kent, organisationSlug: 'kent-scs' };
  intake = new IntakeService(db);
  await db.transaction().execute(async (trx) => {
    held = await createPersonFromPartner(trx, kent, {
      givenName: 'Kayleigh',
      familyName: 'Ashdown',
      dateOfBirth: '2014-03-14',
      gender: 'female',
      addressLine1: '3 Orchard Row',
      postcode: 'CT1 2AB',
      nhsNumber: null,
      upn: upnHeld,
    });
    cousin = await createPersonFromPartner(trx, kent, {
      givenName: 'Jayden',
      familyName: 'Marchbank',
      dateOfBirth: '2012-07-21',
      gender: 'male',
      addressLine1: '8 Mill Lane',
      postcode: 'TN23 4QP',
      nhsNumber: null,
      upn: null,
    });
  });
}, 120_000);
afterAll(async () => {
  await database?.close();
});

describe('a school attendance return', () => {
  let jobId: string;

  it('maps the columns by their names and refuses a mapping without a required field', async () => {
    jobId = await intake.upload(actor, {
      kind: 'school-attendance',
      partner: 'Oakwood Primary School',
      fileName: 'attendance.csv',
      content: Buffer.from(csv),
    });
    const proposed = await intake.proposedMapping(actor, jobId);
    expect(proposed.mapping).toMatchObject({
      upn: 'Pupil UPN',
      givenName: 'Forename',
      familyName: 'Surname',
      dateOfBirth: 'DOB',
      periodEnd: 'Week ending',
      sessionsPossible: 'Possible',
      sessionsAttended: 'Attended',
      exclusion: 'Exclusion type',
    });
    const withoutPeriod = { ...proposed.mapping, periodEnd: '' };
    await expect(intake.applyMapping(actor, jobId, withoutPeriod)).rejects.toMatchObject({
      fieldErrors: [
        {
          field: 'periodEnd',
          message: 'Choose the column that holds the period ending: every row needs it',
        },
      ],
    });
    await intake.applyMapping(actor, jobId, proposed.mapping);
  });

  it('attaches, creates once, holds the bad row and leaves the uncertain one for review', async () => {
    await intake.run(actor, jobId);
    const { job, rows } = await intake.job(actor, jobId);
    const byNumber = new Map(rows.map((r) => [r.rowNumber, r]));
    expect(byNumber.get(1)).toMatchObject({ status: 'linked', personId: held });
    expect(byNumber.get(2)?.status).toBe('created');
    expect(byNumber.get(3)).toMatchObject({
      status: 'linked',
      personId: byNumber.get(2)?.personId,
    });
    expect(byNumber.get(4)?.status).toBe('invalid');
    expect(
      byNumber
        .get(4)
        ?.errors.map((e) => e.field)
        .sort(),
    ).toEqual(['sessionsAttended', 'upn']);
    expect(byNumber.get(4)?.errors.find((e) => e.field === 'upn')?.message).toMatch(/check letter/);
    expect(byNumber.get(5)).toMatchObject({ status: 'review', candidatePersonId: cousin });
    expect(job.status).toBe('finished');
    expect(job.source).toContain('unique pupil number, from your child’s school');
    expect(job.lawfulBases).toContain('Public task');

    const facts = await intake.factsFor(actor.organisationId, byNumber.get(2)!.personId!);
    expect(facts.map((f) => f.fact).sort()).toEqual(['attendance', 'attendance', 'exclusion']);
    expect(facts.find((f) => f.fact === 'exclusion')?.summary).toBe(
      'Suspension: Fighting (Oakwood Primary School)',
    );
  });

  it('takes a correction, and a review decision', async () => {
    const { rows } = await intake.job(actor, jobId);
    const bad = rows.find((r) => r.rowNumber === 4)!;
    await expect(
      intake.correct(actor, bad.id, { ...bad.values, sessionsAttended: '8' }),
    ).rejects.toMatchObject({ fieldErrors: [{ field: 'upn' }] });
    await intake.correct(actor, bad.id, {
      ...bad.values,
      upn: syntheticUpn(14),
      sessionsAttended: '8',
    });
    const uncertain = rows.find((r) => r.rowNumber === 5)!;
    const decided = await intake.decide(actor, uncertain.id, 'link');
    expect(decided.personId).toBe(cousin);
    const after = await intake.job(actor, jobId);
    expect(after.rows.map((r) => r.status)).toEqual([
      'linked',
      'created',
      'linked',
      'created',
      'linked',
    ]);
  });

  it('changes nothing when the same file comes again', async () => {
    const again = await intake.upload(actor, {
      kind: 'school-attendance',
      partner: 'Oakwood Primary School',
      fileName: 'attendance.csv',
      content: Buffer.from(csv),
    });
    const proposed = await intake.proposedMapping(actor, again);
    expect(proposed.savedForPartner).toBe(true);
    await intake.applyMapping(actor, again, proposed.mapping);
    await intake.run(actor, again);
    const { job, rows } = await intake.job(actor, again);
    // Row 4 as first sent is a new row (its UPN differs from the corrected one): held again.
    expect(job.rowsRepeated).toBe(4);
    expect(rows.map((r) => r.status)).toEqual(['invalid']);
  });

  it('shows a merged entry’s facts on the person it was merged into', async () => {
    const { rows } = await intake.job(actor, jobId);
    const fresh = rows.find((r) => r.rowNumber === 2)!.personId!;
    await database.db
      .updateTable('person')
      .set({ merged_into_id: held })
      .where('id', '=', fresh)
      .execute();
    const facts = await intake.factsFor(actor.organisationId, held);
    expect(facts.filter((f) => f.fact === 'exclusion')).toHaveLength(1);
    await database.db
      .updateTable('person')
      .set({ merged_into_id: null })
      .where('id', '=', fresh)
      .execute();
  });

  it('answers another organisation’s job and a malformed id as not found', async () => {
    const lado = await organisationId(database.db, 'kent-lado');
    const other: Actor = { accountId: null, organisationId: lado, organisationSlug: 'kent-lado' };
    await expect(intake.job(other, jobId)).rejects.toMatchObject({ status: 404 });
    await expect(intake.job(actor, 'not-an-id')).rejects.toMatchObject({ status: 404 });
  });
});
