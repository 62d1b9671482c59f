import type { FastifyInstance } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, testApp } from '../../test/support/app.js';
import { caseworkStaff, signInFully, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { formatDate } from '../platform/http/views.js';
import { statutoryReturnFileRetentionFor } from '../policy/retention-actions.js';
import { createRetentionService } from '../services.js';
import { ReturnsService } from './service.js';

/**
 * A produced return keeps its file (migration 0072): the performance and
 * information governance roles download the very bytes that were made,
 * audited; the retention sweep destroys the file once the policy's years
 * have passed since the date the return is for, certified, and the page
 * then says when. The return's row (the disclosure) stays.
 */
let database: DatabaseHandle;
let app: FastifyInstance;
let performance: CaseworkStaff;
let governance: CaseworkStaff;
let service: ReturnsService;

/** One signed-in agent per account: a second sign-in would ask for the second factor it set up. */
const agents = new Map<string, Agent>();
async function signedIn(staff: CaseworkStaff) {
  const known = agents.get(staff.accountId);
  if (known) return known;
  const agent = new Agent(app);
  await signInFully(agent, staff);
  agents.set(staff.accountId, agent);
  return agent;
}

beforeAll(async () => {
  database = await testDatabase();
  app = await testApp(database);
  service = new ReturnsService(database.db);
  performance = await caseworkStaff(database.db, 'kent-scs', ['performance']);
  governance = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
});

afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('the file of a return made', () => {
  it('downloads as the same bytes that were made, for performance and information governance, audited', async () => {
    const census = await service.cinCensus(performance.context, { year: 2024, produce: true });
    const ssda = await service.ssda903(performance.context, { year: 2024, produce: true });
    expect(census.returnId && census.xml).toBeTruthy();
    expect(ssda.returnId && ssda.zip).toBeTruthy();
    for (const staff of [performance, governance]) {
      const agent = await signedIn(staff);
      const xml = await agent.get(`/returns/files/${census.returnId}`);
      expect(xml.statusCode).toBe(200);
      expect(xml.headers['content-disposition']).toBe(
        'attachment; filename="cin-census-886-2024.xml"',
      );
      expect(xml.rawPayload.equals(Buffer.from(census.xml ?? '', 'utf8'))).toBe(true);
      const zip = await agent.get(`/returns/files/${ssda.returnId}`);
      expect(zip.statusCode).toBe(200);
      expect(zip.headers['content-type']).toBe('application/zip');
      expect(zip.rawPayload.equals(ssda.zip ?? Buffer.alloc(0))).toBe(true);
    }
    const audited = await database.db
      .selectFrom('audit_event')
      .select(['actor_account_id', 'object_ids'])
      .where('action', '=', 'returns.file.download')
      .execute();
    expect(audited).toHaveLength(4);
    expect(audited.map((a) => a.actor_account_id).sort()).toEqual(
      [
        performance.accountId,
        performance.accountId,
        governance.accountId,
        governance.accountId,
      ].sort(),
    );
    expect(audited.every((a) => a.object_ids.length === 1)).toBe(true);
    const page = await (await signedIn(performance)).get('/returns');
    expect(page.body).toContain(`href="/returns/files/${census.returnId}"`);
    const keptUntil = Temporal.PlainDate.from('2024-03-31')
      .add({ years: statutoryReturnFileRetentionFor('kent-scs').years })
      .toString();
    expect(page.body).toContain(`Kept until ${formatDate(keptUntil)}`);
  });

  it('is not there for staff without a returns role, nor for another organisation’s return', async () => {
    const practitioner = await caseworkStaff(database.db, 'kent-scs', ['practitioner']);
    const made = await service.cinCensus(performance.context, { year: 2023, produce: true });
    const worker = await signedIn(practitioner);
    expect((await worker.get(`/returns/files/${made.returnId}`)).statusCode).toBe(404);
    const agent = await signedIn(performance);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await agent.get(`/returns/files/${unknown}`)).statusCode).toBe(404);
    expect((await agent.get('/returns/files/not-an-id')).statusCode).toBe(404);
  });

  it('is destroyed by the sweep once its period has passed, certified, and the page says when', async () => {
    const made = await service.cinCensus(performance.context, { year: 2022, produce: true });
    const returnId = made.returnId ?? '';
    const years = statutoryReturnFileRetentionFor('kent-scs').years;
    const due = Temporal.PlainDate.from('2022-03-31').add({ years }).toString();
    const dayBefore = Temporal.PlainDate.from(due).subtract({ days: 1 }).toString();
    const retention = createRetentionService(database.db);
    await retention.sweep({ asOf: dayBefore, dryRun: false });
    const kept = await database.db
      .selectFrom('statutory_return_file')
      .select('return_id')
      .where('return_id', '=', returnId)
      .execute();
    expect(kept).toHaveLength(1);
    const report = await retention.sweep({ asOf: due, dryRun: false });
    expect(report.groups).toContainEqual(
      expect.objectContaining({ category: 'statutory-return-file', organisation: 'kent-scs' }),
    );
    const gone = await database.db
      .selectFrom('statutory_return_file')
      .select('return_id')
      .where('return_id', '=', returnId)
      .execute();
    expect(gone).toHaveLength(0);
    // The disclosure stays, saying when its file went.
    const row = await database.db
      .selectFrom('statutory_return')
      .select(['file_destroyed_at', 'file_sha256'])
      .where('id', '=', returnId)
      .executeTakeFirstOrThrow();
    expect(row.file_destroyed_at).toBeInstanceOf(Date);
    expect(row.file_sha256).toMatch(/^[0-9a-f]{64}$/);
    const certificate = await database.db
      .selectFrom('disposal_certificate')
      .select(['item_kind', 'rule_id', 'record_ids', 'latest_due'])
      .where('item_kind', '=', 'statutory-return-file')
      .executeTakeFirstOrThrow();
    expect(certificate.rule_id).toBe(statutoryReturnFileRetentionFor('kent-scs').ruleId);
    expect(certificate.record_ids).toContain(returnId);
    expect(String(certificate.latest_due)).toBe(due);
    const agent = await signedIn(governance);
    const page = await agent.get('/returns');
    const on = formatDate(row.file_destroyed_at);
    expect(page.body).toContain(`Destroyed on ${on} at the end of its retention period`);
    expect(page.body).not.toContain(`href="/returns/files/${returnId}"`);
    const asked = await agent.get(`/returns/files/${returnId}`);
    expect(asked.statusCode).toBe(410);
    expect(asked.body).toContain(`destroyed on ${on}`);
    // The files made later are kept still.
    expect(
      await database.db
        .selectFrom('statutory_return_file')
        .select('return_id')
        .execute()
        .then((r) => r.length),
    ).toBeGreaterThan(0);
  });
});
