import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, organisationId, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { ScratchDatabase } from '../db/scratch.js';
import { loadDemoData } from '../demo/demo-data.js';
import { createPersonFromPartner } from '../people/from-partner.js';
import { syntheticNhsNumber } from '../people/identifiers.js';
import { PeopleService } from '../people/service.js';
import type { Actor } from './actor.js';
import { runJob } from './run-job.js';
import { IntakeService } from './service.js';

/**
 * A job runs for as long as a large file takes, and people are added and
 * changed meanwhile by other means: a social worker on the person pages,
 * another import. The job must match its later rows against them too, or
 * it makes a second entry for a child just added: the duplicate imports
 * exist to prevent. Here a job runs in chunks of two rows; between the
 * first chunk and the next a practitioner adds a child through the people
 * pages, gives a child already held an NHS number and merges a child held
 * twice, and the later rows about them go to those people, as they are now.
 */
let database: ScratchDatabase;
let intake: IntakeService;
let people: PeopleService;
let worker: CaseworkStaff;
let actor: Actor;
let renamed: string;
let survivor: string;
let duplicate: string;

const nhsAdded = syntheticNhsNumber(8101);
const nhsRenamed = syntheticNhsNumber(8102);
const nhsDuplicate = syntheticNhsNumber(8103);
const nhsLate = syntheticNhsNumber(8104);

const csv = [
  'Occurrence number,Forename,Surname,DOB,Gender,NHS number,Missing date',
  // The first chunk: two children no one holds.
  'KP-9101,Peregrine,Attwater,11/06/2013,M,,2026-02-01',
  'KP-9102,Wilhelmina,Oxenbury,23/09/2011,F,,2026-02-01',
  // The second: the child added meanwhile, and the one given an NHS number
  // meanwhile, under the surname the Police know (a changed one).
  `KP-9103,Ottoline,Pennycuick,04/12/2012,F,${nhsAdded},2026-02-03`,
  `KP-9104,Leocadia,Brackenridge,17/08/2014,F,${nhsRenamed},2026-02-03`,
  // The third: a child held twice, the entry with this NHS number merged
  // meanwhile into the other.
  `KP-9105,Cosimo,Threlkeld,03/03/2013,M,${nhsDuplicate},2026-02-05`,
].join('\n');

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  await loadDemoData(db);
  const kent = await organisationId(db, 'kent-scs');
  actor = { accountId: null, organisationId: kent, organisationSlug: 'kent-scs' };
  intake = new IntakeService(db);
  people = new PeopleService(db);
  worker = await caseworkStaff(db, 'kent-scs', ['practitioner'], ['assessment']);
  const held = (givenName: string, familyName: string, dateOfBirth: string, nhs: string | null) =>
    db.transaction().execute((trx) =>
      createPersonFromPartner(trx, kent, {
        givenName,
        familyName,
        dateOfBirth,
        gender: null,
        addressLine1: null,
        postcode: null,
        nhsNumber: nhs,
        upn: null,
      }),
    );
  renamed = await held('Leocadia', 'Fairweather', '2014-08-17', null);
  survivor = await held('Cosimo', 'Threlkeld', '2013-03-03', null);
  duplicate = await held('Cosimo', 'Threlkeld', '2013-03-03', nhsDuplicate);
}, 180_000);
afterAll(async () => {
  await database?.close();
});

describe('a job running while people are added and changed by other means', () => {
  it('matches its later rows to the people added and changed since it began', async () => {
    const jobId = await intake.upload(actor, {
      kind: 'police-missing',
      partner: 'Kent Police',
      fileName: 'missing.csv',
      content: Buffer.from(csv),
    });
    await intake.applyMapping(actor, jobId, (await intake.proposedMapping(actor, jobId)).mapping);
    let added: string | undefined;
    let chunks = 0;
    await runJob(
      database.db,
      actor,
      jobId,
      async () => {
        chunks += 1;
        if (chunks !== 1) return;
        // Between the first chunk and the second, through the people pages' service.
        added = await people.create(worker.context, {
          givenName: 'Ottoline',
          familyName: 'Pennycuick',
          dateOfBirth: '2012-12-04',
          dateOfBirthPrecision: 'exact',
          dateOfDeath: null,
          gender: 'female',
          nhsNumber: nhsAdded,
          upn: undefined,
        });
        await people.addIdentifier(worker.context, renamed, {
          type: 'nhs-number',
          value: nhsRenamed,
        });
        await people.merge(worker.context, survivor, duplicate);
      },
      undefined,
      { chunkRows: 2 },
    );
    // Five rows in chunks of two: three chunks (and the last look finding none).
    expect(chunks).toBeGreaterThanOrEqual(3);
    const { job, rows } = await intake.job(actor, jobId);
    expect(job.status).toBe('finished');
    const byReference = new Map(rows.map((r) => [r.values.reference, r]));
    expect(byReference.get('KP-9101')?.status).toBe('created');
    expect(byReference.get('KP-9102')?.status).toBe('created');
    // Attached to the person added meanwhile: never a second entry for her.
    expect(byReference.get('KP-9103')).toMatchObject({ status: 'linked', personId: added });
    // The NHS number given meanwhile outweighs the changed surname (without
    // it, this row waits for review at about 0.7).
    expect(byReference.get('KP-9104')).toMatchObject({ status: 'linked', personId: renamed });
    // Never attached to the entry merged away; the number moved with the merge.
    expect(byReference.get('KP-9105')).toMatchObject({ status: 'linked', personId: survivor });
    const entries = await database.db
      .selectFrom('person')
      .select('id')
      .where('organisation_id', '=', actor.organisationId)
      .where('given_name', '=', 'Ottoline')
      .where('family_name', '=', 'Pennycuick')
      .execute();
    expect(entries.map((e) => e.id)).toEqual([added]);
  }, 180_000);

  // Another import's chunk (or any writer) that began before the job looked
  // and committed after: its rows carry its start time, earlier than the
  // look. Needs a second session as the app's role, so PostgreSQL only.
  it.runIf(process.env.DATABASE_URL)(
    'finds a person committed after a look by a transaction begun before it',
    async () => {
      const connection = database.appConnection;
      if (!connection) throw new Error('a PostgreSQL test database has an app connection');
      const jobId = await intake.upload(actor, {
        kind: 'police-missing',
        partner: 'Kent Police',
        fileName: 'late.csv',
        content: Buffer.from(
          [
            'Occurrence number,Forename,Surname,DOB,Gender,NHS number,Missing date',
            'KP-9201,Aurelian,Mossop,14/01/2013,M,,2026-02-07',
            'KP-9202,Bryony,Quilliam,30/05/2012,F,,2026-02-07',
            'KP-9203,Caspian,Nettleford,19/04/2011,M,,2026-02-08',
            'KP-9204,Delphine,Ravenscroft,02/02/2014,F,,2026-02-08',
            `KP-9205,Evander,Gillibrand,25/06/2012,M,${nhsLate},2026-02-09`,
          ].join('\n'),
        ),
      });
      await intake.applyMapping(actor, jobId, (await intake.proposedMapping(actor, jobId)).mapping);
      const other = new pg.Client({
        connectionString: connection.url,
        application_name: connection.applicationName,
      });
      await other.connect();
      await other.query(`set search_path = ${connection.schema}, public`);
      let late: string | undefined;
      let chunks = 0;
      try {
        await runJob(
          database.db,
          actor,
          jobId,
          async () => {
            chunks += 1;
            if (chunks === 1) {
              // Begun (and the person written) before the second chunk's look...
              await other.query('begin');
              const { rows } = await other.query<{ id: string }>(
                `insert into person (organisation_id, given_name, family_name, date_of_birth,
                   date_of_birth_precision, gender)
                 values ($1, 'Evander', 'Gillibrand', '2012-06-25', 'exact', 'male') returning id`,
                [actor.organisationId],
              );
              late = rows[0]?.id;
              await other.query(
                `insert into person_name (person_id, organisation_id, kind, given_name, family_name)
                 values ($1, $2, 'current', 'Evander', 'Gillibrand')`,
                [late, actor.organisationId],
              );
              await other.query(
                `insert into person_identifier (person_id, organisation_id, type, value)
                 values ($1, $2, 'nhs-number', $3)`,
                [late, actor.organisationId, nhsLate],
              );
            }
            // ...and committed after it.
            if (chunks === 2) await other.query('commit');
          },
          undefined,
          { chunkRows: 2 },
        );
      } finally {
        await other.end();
      }
      const { rows } = await intake.job(actor, jobId);
      expect(rows.find((r) => r.values.reference === 'KP-9205')).toMatchObject({
        status: 'linked',
        personId: late,
      });
    },
    180_000,
  );
});
