import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, organisationId, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import { CaseworkService } from '../casework/service.js';
import type { DatabaseHandle } from '../db/connection.js';
import { createPersonFromPartner } from '../people/from-partner.js';
import { syntheticUpn } from '../people/identifiers.js';
import type { Actor } from './actor.js';
import { IntakeService } from './service.js';

/**
 * Issue 15: a Police missing-from-home notification makes a missing
 * episode, a chronology entry and an alert. The chronology entry is read
 * into the child's chronology from the imported facts, as coming from the
 * partner; the episode (the same report) and the alert (a warning) are not
 * repeated there, nor is a school's weekly attendance.
 */
let database: DatabaseHandle;
let intake: IntakeService;
let casework: CaseworkService;
let actor: Actor;
let worker: CaseworkStaff;
let child: string;

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  const kent = await organisationId(db, 'kent-scs');
  actor = { accountId: null, organisationId: kent, organisationSlug: 'kent-scs' };
  intake = new IntakeService(db);
  casework = new CaseworkService(db);
  worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  child = await db.transaction().execute((trx) =>
    createPersonFromPartner(trx, kent, {
      givenName: 'Elowen',
      familyName: 'Penhaligon',
      dateOfBirth: '2012-05-17',
      gender: 'female',
      addressLine1: '4 Quay Street',
      postcode: 'CT5 1AB',
      nhsNumber: null,
      upn: null,
    }),
  );
}, 120_000);
afterAll(async () => {
  await database?.close();
});

async function importFile(kind: string, partner: string, lines: string[]) {
  const jobId = await intake.upload(actor, {
    kind,
    partner,
    fileName: `${kind}.csv`,
    content: Buffer.from(lines.join('\n')),
  });
  await intake.applyMapping(actor, jobId, (await intake.proposedMapping(actor, jobId)).mapping);
  await intake.run(actor, jobId);
  // With one person held the matcher asks rather than links: a person decides, as on the page.
  for (const row of (await intake.job(actor, jobId)).rows) {
    if (row.status !== 'review') continue;
    expect(row.candidatePersonId).toBe(child);
    await intake.decide(actor, row.id, 'link');
  }
  return (await intake.job(actor, jobId)).rows;
}

describe('information from partners in a child’s chronology', () => {
  it('shows a Police notification once, as from the Police, and not weekly attendance', async () => {
    const police = await importFile('police-missing', 'Kent Police', [
      'Occurrence number,Forename,Surname,DOB,Gender,Post Code,Missing date,Found date',
      'KP-0001,Elowen,Penhaligon,17/05/2012,F,CT5 1AB,03/11/2026,',
    ]);
    expect(police.map((r) => [r.status, r.personId])).toEqual([['linked', child]]);
    const school = await importFile('school-attendance', 'Seasalter Academy', [
      'Pupil UPN,Forename,Surname,DOB,Gender,Post Code,Week ending,Possible,Attended',
      `${syntheticUpn(31)},Elowen,Penhaligon,17/05/2012,F,CT5 1AB,2026-11-06,10,7`,
    ]);
    expect(school.map((r) => r.personId)).toEqual([child]);
    // All three facts are on the person; the chronology has the one that is its entry.
    const facts = await intake.factsFor(actor.organisationId, child);
    expect(facts.map((f) => f.fact).sort()).toEqual([
      'alert',
      'attendance',
      'chronology',
      'missing-episode',
    ]);

    const { entries } = await casework.chronology(worker.context, child);
    expect(entries).toEqual([
      {
        date: '2026-11-03',
        kind: 'partner',
        text: 'Kent Police notified us that the child was reported missing from home',
        recordId: null,
        category: null,
        categoryName: null,
        source: 'Kent Police: Police missing-from-home notifications',
      },
    ]);
  });
});
