import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../../test/support/app.js';
import { caseworkStaff, signInFully, type CaseworkStaff } from '../../../test/support/casework.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';

/**
 * Issue #12 item 17: the DPO sees who holds the roles a notice limits
 * (Maidstone: the DSO and two deputies) beside the limit, and who holds
 * every other role.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let dpo: CaseworkStaff;
let kentIg: CaseworkStaff;
let practitioner: CaseworkStaff;

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  dpo = await caseworkStaff(database.db, 'maidstone-bc', ['data-protection-officer']);
  await caseworkStaff(
    database.db,
    'maidstone-bc',
    ['designated-safeguarding-officer'],
    [],
    'Synthetic Officer Alderley',
  );
  kentIg = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
  practitioner = await caseworkStaff(database.db, 'kent-scs', ['practitioner']);
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

async function signedIn(staff: CaseworkStaff): Promise<Agent> {
  const agent = new Agent(app);
  await signInFully(agent, staff);
  return agent;
}

describe('who holds each role (governance)', () => {
  it('shows Maidstone’s DPO the concern-log holders beside the notice’s limit of three', async () => {
    const agent = await signedIn(dpo);
    expect((await agent.get('/')).body).toContain('href="/governance/role-holders"');
    const page = await agent.get('/governance/role-holders');
    expect(page.statusCode).toBe(200);
    const limit = page.body.slice(page.body.indexOf('data-testid="role-holder-limit"'));
    expect(limit).toContain('Designated safeguarding officer');
    expect(limit).toMatch(/Most who may hold it\s*<\/dt>\s*<dd[^>]*>\s*3\s*</);
    expect(limit).toContain('Synthetic Officer Alderley');
    expect(limit).toContain('Room for another');
    const viewed = await database.db
      .selectFrom('audit_event')
      .select('actor_account_id')
      .where('action', '=', 'governance.role-holders.view')
      .execute();
    expect(viewed.map((v) => v.actor_account_id)).toContain(dpo.accountId);
  });

  it('says when a notice sets no limit, and is not found for anyone outside governance', async () => {
    const page = await (await signedIn(kentIg)).get('/governance/role-holders');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('sets no limit');
    expect(page.body).toContain('data-testid="roles-table"');
    expect((await (await signedIn(practitioner)).get('/governance/role-holders')).statusCode).toBe(
      404,
    );
    expect((await (await signedIn(practitioner)).get('/')).body).not.toContain(
      '/governance/role-holders',
    );
  });
});
