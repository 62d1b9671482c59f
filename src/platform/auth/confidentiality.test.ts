import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, TestClock, testApp } from '../../../test/support/app.js';
import { testDatabase } from '../../../test/support/database.js';
import { signInFully } from '../../../test/support/casework.js';
import { createStaff, type TestStaff } from '../../../test/support/staff.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { acknowledgementDue, staffConfidentialityStatement } from './confidentiality.js';

let database: DatabaseHandle;
let app: FastifyInstance;
const clock = new TestClock();
let newcomer: TestStaff;
let briefed: TestStaff;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database, { clock });
  newcomer = await createStaff(database.db, [{ organisation: 'kent-scs', role: 'practitioner' }], {
    confidentiality: 'not yet',
  });
  briefed = await createStaff(database.db, [{ organisation: 'kent-scs', role: 'practitioner' }]);
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('the duty of confidentiality (issue 12 item 18)', () => {
  it('is acknowledged on first sign-in before anything else, and a missing tick says why in words', async () => {
    const agent = new Agent(app);
    await agent.signIn(newcomer.email, newcomer.password);
    for (const path of ['/', '/records', '/people']) {
      const page = await agent.get(path);
      expect(page.statusCode).toBe(302);
      expect(page.headers.location).toBe('/confidentiality');
    }
    const api = await agent.get('/api/v1/me');
    expect(api.statusCode).toBe(401);

    const statement = await agent.get('/confidentiality');
    expect(statement.statusCode).toBe(200);
    expect(statement.body).toContain('Your duty of confidentiality');
    // No navigation to pages the step would only bounce back from.
    expect(statement.body).not.toContain('href="/records"');

    const missing = await agent.post('/confidentiality', {});
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Confirm that you have read the statement and will keep to it');

    const done = await agent.post('/confidentiality', { acknowledge: 'yes' });
    expect(done.statusCode).toBe(303);
    expect((await agent.get('/')).statusCode).toBe(200);
    const rows = await database.db
      .selectFrom('staff_confidentiality_acknowledgement')
      .select(['statement_version'])
      .where('account_id', '=', newcomer.accountId)
      .execute();
    expect(rows).toEqual([{ statement_version: staffConfidentialityStatement.version }]);
    const audit = await database.db
      .selectFrom('audit_event')
      .select('action')
      .where('actor_account_id', '=', newcomer.accountId)
      .where('action', '=', 'staff.confidentiality-acknowledged')
      .execute();
    expect(audit).toHaveLength(1);

    const reread = await agent.get('/confidentiality');
    expect(reread.body).toContain('You last acknowledged this statement on');
  });

  it('is asked for again a year later, and when the wording changes', () => {
    const at = new Date('2026-03-01T10:00:00Z');
    const version = staffConfidentialityStatement.version;
    expect(acknowledgementDue(null, null, at)).toBe(true);
    expect(acknowledgementDue(at, version, new Date('2027-02-28T23:59:00Z'))).toBe(false);
    expect(acknowledgementDue(at, version, new Date('2027-03-01T10:00:00Z'))).toBe(true);
    expect(acknowledgementDue(at, 'an older wording', new Date('2026-03-02T10:00:00Z'))).toBe(true);
  });

  it('is shown to information governance, who is due first; to others "not found"', async () => {
    const governance = await createStaff(database.db, [
      { organisation: 'kent-scs', role: 'information-governance' },
    ]);
    const neverSigned = await createStaff(
      database.db,
      [{ organisation: 'kent-scs', role: 'practitioner' }],
      { confidentiality: 'not yet' },
    );
    const agent = new Agent(app);
    await signInFully(agent, governance);
    const report = await agent.get('/governance/confidentiality');
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('Not yet acknowledged');
    const table = report.body.slice(report.body.indexOf('confidentiality-table'));
    const names = await database.db
      .selectFrom('account')
      .select(['id', 'display_name'])
      .where('id', 'in', [neverSigned.accountId, newcomer.accountId])
      .execute();
    const name = (id: string) =>
      names.find((n) => n.id === id)!.display_name.replace(/'/g, '&#39;');
    expect(table.indexOf(name(neverSigned.accountId))).toBeGreaterThan(-1);
    expect(table.indexOf(name(neverSigned.accountId))).toBeLessThan(
      table.indexOf(name(newcomer.accountId)),
    );
    expect(report.body).not.toMatch(/\d{4}-\d{2}-\d{2}/);

    const practitioner = new Agent(app);
    await practitioner.signIn(newcomer.email, newcomer.password);
    await practitioner.get('/confidentiality');
    await practitioner.post('/confidentiality', { acknowledge: 'yes' });
    expect((await practitioner.get('/governance/confidentiality')).statusCode).toBe(404);
  });

  it('stops a signed-in session at the statement once a year has passed', async () => {
    const agent = new Agent(app);
    await agent.signIn(briefed.email, briefed.password);
    expect((await agent.get('/')).statusCode).toBe(200);
    clock.advanceMinutes(366 * 24 * 60);
    const again = new Agent(app);
    await again.signIn(briefed.email, briefed.password);
    const home = await again.get('/');
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/confidentiality');
    await again.get('/confidentiality');
    expect((await again.post('/confidentiality', { acknowledge: 'yes' })).statusCode).toBe(303);
    expect((await again.get('/')).statusCode).toBe(200);
  });
});
