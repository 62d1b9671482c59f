import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import { caseworkStaff, signInFully } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { IntakeService } from '../../intake/service.js';
import { organisationId } from '../../../test/support/casework.js';

let database: DatabaseHandle;
let app: FastifyInstance;
let ig: Agent;
let dpo: Agent;
let practitioner: Agent;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  const db = database.db;
  ig = new Agent(app);
  await signInFully(ig, await caseworkStaff(db, 'kent-scs', ['information-governance']));
  dpo = new Agent(app);
  await signInFully(dpo, await caseworkStaff(db, 'maidstone-bc', ['data-protection-officer']));
  practitioner = new Agent(app);
  await signInFully(practitioner, await caseworkStaff(db, 'kent-scs', ['practitioner']));
});

afterAll(async () => {
  await app.close();
  await database.close();
});

const pages = [
  '/governance/record-of-processing',
  '/governance/record-of-processing.csv',
  '/governance/appropriate-policy-document',
  '/governance/notice/differences',
];

describe('record of processing and appropriate policy document pages', () => {
  it('show the signed-in organisation’s record to its information governance officer', async () => {
    const page = await ig.get('/governance/record-of-processing');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Record of processing activities');
    expect(page.body).toContain('Child protection plan');
    expect(page.body).toContain('dpo@kent.gov.uk');
  });

  it('list a partner’s imported files as a source of the activity they feed, without their contents', async () => {
    const kent = await organisationId(database.db, 'kent-scs');
    const actor = { accountId: null, organisationId: kent, organisationSlug: 'kent-scs' };
    const intake = new IntakeService(database.db);
    const jobId = await intake.upload(actor, {
      kind: 'police-missing',
      partner: 'Kent Police',
      fileName: 'missing.csv',
      content: Buffer.from(
        'Occurrence number,Forename,Surname,DOB,Missing date\n' +
          'KP-1,Elowen,Tregarthen,04/05/2013,2026-11-02\n' +
          'KP-2,Jasper,Penhallow,19/09/2012,2026-11-03\n',
      ),
    });
    const before = await ig.get('/governance/record-of-processing');
    expect(before.body).not.toContain('Imported from partners’ files');
    await intake.applyMapping(actor, jobId, (await intake.proposedMapping(actor, jobId)).mapping);
    await intake.run(actor, jobId);
    const page = await ig.get('/governance/record-of-processing');
    expect(page.body).toContain(
      'Imported from partners’ files: Police missing-from-home notifications from Kent Police: 1 file, 2 rows, the last on',
    );
    expect(page.body).not.toContain('Tregarthen');
    expect(page.body).not.toContain('KP-1');
  });

  it('download the record as CSV with the ICO template’s columns and absolute notice links', async () => {
    const csv = await dpo.get('/governance/record-of-processing.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    expect(csv.body.split('\r\n')[0]).toMatch(
      /^Controller,Data protection officer,Processing activity,Purpose of processing/,
    );
    expect(csv.body).toMatch(/http:\/\/[^,]+\/privacy\/maidstone-bc/);
    expect(csv.body).toContain('Safeguarding concern log');
  });

  it('render the appropriate policy document for the DPO', async () => {
    const page = await dpo.get('/governance/appropriate-policy-document');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Safeguarding of children and of individuals at risk');
    expect(page.body).toContain('Kept for 7 years after the date the concern was recorded');
  });

  it('list the differences between the published notice and the policy for the DPO', async () => {
    const page = await dpo.get('/governance/notice/differences');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Safeguarding concern log: the right to data portability');
  });

  it('are not found for anyone else', async () => {
    for (const url of pages) {
      expect((await practitioner.get(url)).statusCode, url).toBe(404);
    }
  });
});
