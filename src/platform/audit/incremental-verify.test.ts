import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tamper } from '../../../test/support/audit.js';
import { testDatabase } from '../../../test/support/database.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { recordAudit, sealAuditEventsWith } from './audit-log.js';
import { chainAuditEvents } from './chainer.js';
import { writeCheckpoint } from './checkpoints.js';
import { verifyAuditLog } from './verify-log.js';

/**
 * Issue 16: `audit verify --incremental` walks from the newest signed
 * checkpoint that holds, not from the first event, so its cost follows what
 * was recorded since, not the year behind it. Ten events, a checkpoint
 * shipped out of the database, then five more.
 */
let database: ScratchDatabase;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
let shipped = '';
const db = () => database.db;

async function record(count: number, from: number): Promise<void> {
  for (let i = from; i < from + count; i += 1) {
    await db()
      .transaction()
      .execute((trx) =>
        recordAudit(trx, {
          action: 'record.read',
          actorAccountId: null,
          organisationId: null,
          objectType: 'case-record',
          objectIds: [`record-${i}`],
        }),
      );
  }
  await chainAuditEvents(db(), { wait: true });
}

beforeAll(async () => {
  sealAuditEventsWith(privateKey);
  database = await testDatabase();
  await record(10, 1);
  await writeCheckpoint(db(), privateKey, {
    log: {
      info: (obj) =>
        (shipped += `${JSON.stringify((obj as { auditCheckpoint: unknown }).auditCheckpoint)}\n`),
    },
  });
  await record(5, 11);
});
afterAll(async () => {
  sealAuditEventsWith(null);
  await database.close();
});

const incremental = () =>
  verifyAuditLog(db(), {
    graceSeconds: 3600,
    publicKey,
    checkpointText: shipped,
    incremental: true,
  });
const full = () => verifyAuditLog(db(), { graceSeconds: 3600, publicKey, checkpointText: shipped });

async function eventAt(n: number): Promise<number> {
  const rows = await db().selectFrom('audit_event').select('seq').orderBy('seq').execute();
  return rows[n - 1]!.seq;
}

describe('audit verify from the last signed checkpoint', () => {
  it('walks only the events linked since the checkpoint, and finds the log intact', async () => {
    const report = await incremental();
    expect(report.findings).toEqual([]);
    expect(report.events).toBe(5);
    expect(report.summary).toMatch(
      /^Audit chain intact since the checkpoint signed .* \(link 10\)/,
    );
    expect((await full()).events).toBe(15);
  });

  it('finds an event altered after the checkpoint', async () => {
    const seq = await eventAt(13);
    await tamper(
      database.owner,
      sql`update audit_event set action = 'record.list' where seq = ${seq}`,
    );
    try {
      const report = await incremental();
      expect(report.findings.join('\n')).toContain(`Audit chain BROKEN at event ${seq}`);
    } finally {
      await tamper(
        database.owner,
        sql`update audit_event set action = 'record.read' where seq = ${seq}`,
      );
    }
    expect((await incremental()).findings).toEqual([]);
  });

  it('finds the chain rewritten at the checkpoint’s own link, through the shipped checkpoint', async () => {
    const link = await db()
      .selectFrom('audit_chain_link')
      .select('hash')
      .where('seq', '=', 10)
      .executeTakeFirstOrThrow();
    await tamper(
      database.owner,
      sql`update audit_chain_link set hash = ${'0'.repeat(64)} where seq = 10`,
    );
    try {
      const report = await incremental();
      expect(report.findings.join('\n')).toContain(
        'the chain was rewritten: link 10 no longer has the hash signed',
      );
    } finally {
      await tamper(
        database.owner,
        sql`update audit_chain_link set hash = ${link.hash} where seq = 10`,
      );
    }
  });

  it('leaves what lies before the checkpoint to the full walk, which still finds it', async () => {
    const seq = await eventAt(3);
    await tamper(database.owner, sql`update audit_event set purpose = 'forged' where seq = ${seq}`);
    try {
      expect((await incremental()).findings).toEqual([]);
      expect((await full()).findings.join('\n')).toContain(`Audit chain BROKEN at event ${seq}`);
    } finally {
      await tamper(database.owner, sql`update audit_event set purpose = null where seq = ${seq}`);
    }
  });

  it('finds an event written since the checkpoint that was never linked', async () => {
    await tamper(
      database.owner,
      sql`insert into audit_event (id, occurred_at, action, object_ids, outcome)
          values (gen_random_uuid(), clock_timestamp() - interval '2 hours', 'record.read', '{}', 'success')`,
    );
    const report = await verifyAuditLog(db(), {
      graceSeconds: 60,
      publicKey,
      checkpointText: shipped,
      incremental: true,
    });
    // The chainer refused it (no seal once checkpoints began) and verify names why.
    expect(report.findings.join('\n')).toMatch(
      /refused at linking and left unlinked: it has no seal although it was recorded after checkpoints began/,
    );
  });
});
