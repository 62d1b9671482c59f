import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/support/database.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { recordAudit } from './audit-log.js';
import { verifyAuditChain } from './verify.js';

let database: ScratchDatabase;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

async function append(action: string, objectIds: string[] = []) {
  await database.db
    .transaction()
    .execute((trx) =>
      recordAudit(trx, { action, actorAccountId: null, organisationId: null, objectIds }),
    );
}

/**
 * Tampering as an insider with the tables' owner's credentials would (the
 * app's own role may not: db/roles.test.ts): with the guard trigger off.
 */
async function tamper(statement: ReturnType<typeof sql>) {
  await database.owner.transaction().execute(async (trx) => {
    await sql`alter table audit_event disable trigger audit_event_append_only`.execute(trx);
    await statement.execute(trx);
    await sql`alter table audit_event enable trigger audit_event_append_only`.execute(trx);
  });
}

describe('the audit log', () => {
  it('chains events and verifies an untouched chain', async () => {
    for (let i = 0; i < 5; i += 1) await append('test.event', [`object-${i}`]);
    const result = await verifyAuditChain(database.db);
    expect(result).toEqual({ ok: true, events: 5 });
  });

  // Even the owner, who may be granted anything, meets the guard trigger.
  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(sql`update audit_event set action = 'x'`.execute(database.owner)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_event`.execute(database.owner)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`truncate audit_event`.execute(database.owner)).rejects.toThrow(/append-only/);
  });

  it('rolls the event back with the action it records, and fails the action when the event fails', async () => {
    const before = await verifyAuditChain(database.db);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await recordAudit(trx, {
          action: 'test.rolled-back',
          actorAccountId: null,
          organisationId: null,
        });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    // An event the table refuses (an action code with free text in it) fails the action.
    const org = await database.db.selectFrom('organisation').select('id').executeTakeFirstOrThrow();
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('person')
          .values({ organisation_id: org.id, given_name: 'Synthetic', family_name: 'Person' })
          .execute();
        await recordAudit(trx, {
          action: 'Not A Code',
          actorAccountId: null,
          organisationId: null,
        });
      }),
    ).rejects.toThrow();
    const people = await database.db.selectFrom('person').select('id').execute();
    expect(people).toHaveLength(0);
    expect(await verifyAuditChain(database.db)).toEqual(before);
  });

  it('names the first altered event', async () => {
    const third = await database.db
      .selectFrom('audit_event')
      .select(['seq', 'id'])
      .orderBy('seq')
      .offset(2)
      .limit(1)
      .executeTakeFirstOrThrow();
    await tamper(
      sql`update audit_event set object_ids = '{someone-else}' where seq = ${third.seq}`,
    );
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.brokenAt.seq).toBe(third.seq);
      expect(result.brokenAt.id).toBe(third.id);
      expect(result.brokenAt.reason).toMatch(/altered/);
    }
  });

  it('notices a removed event', async () => {
    const fresh = await testDatabase();
    try {
      for (let i = 0; i < 4; i += 1) {
        await fresh.db
          .transaction()
          .execute((trx) =>
            recordAudit(trx, { action: 'test.event', actorAccountId: null, organisationId: null }),
          );
      }
      const rows = await fresh.db.selectFrom('audit_event').select('seq').orderBy('seq').execute();
      const second = rows[1]!.seq;
      await fresh.owner.transaction().execute(async (trx) => {
        await sql`alter table audit_event disable trigger audit_event_append_only`.execute(trx);
        await sql`delete from audit_event where seq = ${second}`.execute(trx);
        await sql`alter table audit_event enable trigger audit_event_append_only`.execute(trx);
      });
      const result = await verifyAuditChain(fresh.db);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.brokenAt.seq).toBe(rows[2]!.seq);
        expect(result.brokenAt.reason).toMatch(/link/);
      }
    } finally {
      await fresh.close();
    }
  });
});
