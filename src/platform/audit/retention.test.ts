import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabase } from '../../../test/support/database.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { auditLogRetention } from '../../policy/audit-log.js';
import { insertDueRecords } from '../../retention/synthetic-due-records.js';
import { createRetentionService } from '../../services.js';
import { recordAudit, sealAuditEventsWith } from './audit-log.js';
import { chainAuditEvents } from './chainer.js';
import { writeCheckpoint } from './checkpoints.js';
import { auditPartitions, dropExpiredAuditMonths } from './partitions.js';
import { verifyAuditLog } from './verify-log.js';

/**
 * Retention for the audit log itself (issue 16, decision record 0050): the
 * months that ended longer ago than the policy's period are dropped whole,
 * once a signed checkpoint covers them, and the log still verifies — from
 * that checkpoint, with the chain alone and against the shipped lines.
 */
vi.setConfig({ testTimeout: 120_000 });

let database: ScratchDatabase;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
let shipped = '';
const db = () => database.db;
const owner = () => database.owner;
const keep = auditLogRetention.months;

/** Events as an older log holds them: written by the tables' owner with the time they had. */
async function oldEvent(monthsAgo: number, objectId: string): Promise<void> {
  await sql`
    insert into audit_event (id, occurred_at, action, object_type, object_ids, purpose, outcome)
    values (gen_random_uuid(), now() - make_interval(months => ${monthsAgo}), 'record.read',
      'case-record', array[${objectId}]::text[], 'safeguarding-assessment', 'success')`.execute(
    owner(),
  );
}

async function recordNow(objectId: string): Promise<void> {
  await db()
    .transaction()
    .execute((trx) =>
      recordAudit(trx, {
        action: 'record.read',
        actorAccountId: null,
        organisationId: null,
        objectType: 'case-record',
        objectIds: [objectId],
        purpose: 'safeguarding-assessment',
      }),
    );
  await chainAuditEvents(db(), { wait: true });
}

const checkpoint = () =>
  writeCheckpoint(db(), privateKey, {
    log: {
      info: (obj) =>
        (shipped += `${JSON.stringify((obj as { auditCheckpoint: unknown }).auditCheckpoint)}\n`),
    },
  });

/** The months, as partition names, whose last day is more than `keep` months ago. */
async function expiredMonths(): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'audit_event'::regclass
      and (to_date(substr(c.relname, 14, 4) || substr(c.relname, 19, 2), 'YYYYMM')::timestamp
             at time zone 'UTC' + interval '1 month') <= now() - make_interval(months => ${keep})
    order by 1`.execute(owner());
  return rows.map((r) => r.name);
}

const olderThanPolicy = async () =>
  (
    await sql<{ n: number }>`
      select count(*)::int as n from audit_event
      where occurred_at < now() - make_interval(months => ${keep})`.execute(owner())
  ).rows[0]?.n;

beforeAll(async () => {
  sealAuditEventsWith(privateKey);
  database = await testDatabase();
  // Three years of months behind, as a log kept that long has.
  await sql`select audit_event_make_partitions(12, now() - interval '36 months')`.execute(owner());
  await oldEvent(keep + 8, 'record-old-1');
  await oldEvent(keep + 3, 'record-old-2');
  await oldEvent(keep - 4, 'record-kept-1');
  await oldEvent(2, 'record-kept-2');
  await chainAuditEvents(db(), { wait: true });
  await recordNow('record-now-1');
});
afterAll(async () => {
  sealAuditEventsWith(null);
  await database?.close();
});

describe('retention for the audit log', () => {
  it('drops nothing while no signed checkpoint covers the months past the period', async () => {
    expect(await expiredMonths()).not.toEqual([]);
    expect(await dropExpiredAuditMonths(db())).toBe(0);
    expect(await olderThanPolicy()).toBe(2);
  });

  it('refuses a period under a year, whoever asks', async () => {
    await expect(dropExpiredAuditMonths(db(), 6)).rejects.toThrow(/at least 12 months/);
  });

  it('drops the months past the period once a checkpoint covers them, and verify still passes', async () => {
    await checkpoint();
    await recordNow('record-now-2');
    await checkpoint();
    const expired = await expiredMonths();
    const monthsBefore = (await auditPartitions(owner())).length;

    // The daily job's step, as the app's own database role.
    expect(await dropExpiredAuditMonths(db())).toBe(expired.length);

    expect(await expiredMonths()).toEqual([]);
    expect((await auditPartitions(owner())).length).toBe(monthsBefore - expired.length);
    expect(await olderThanPolicy()).toBe(0);
    const kept = await db().selectFrom('audit_event').select('object_ids').execute();
    expect(kept.flatMap((e) => e.object_ids).sort()).toEqual([
      'record-kept-1',
      'record-kept-2',
      'record-now-1',
      'record-now-2',
    ]);
    const cut = await owner()
      .selectFrom('audit_retention_cut')
      .select(['months', 'links_removed'])
      .execute();
    expect(cut).toEqual([{ months: expired, links_removed: 2 }]);

    const chainAlone = await verifyAuditLog(db(), { graceSeconds: 3600 });
    expect(chainAlone.findings).toEqual([]);
    const withCheckpoints = await verifyAuditLog(db(), {
      graceSeconds: 3600,
      publicKey,
      checkpointText: shipped,
    });
    expect(withCheckpoints.findings).toEqual([]);
    // Walked from the checkpoint the cut names: the event linked after it.
    expect(withCheckpoints.events).toBe(1);
    const incremental = await verifyAuditLog(db(), {
      graceSeconds: 3600,
      publicKey,
      checkpointText: shipped,
      incremental: true,
    });
    expect(incremental.findings).toEqual([]);
    // A second run finds nothing more to drop.
    expect(await dropExpiredAuditMonths(db())).toBe(0);
  });

  it('a cut no signed checkpoint has is a finding: it could hide the chain before it', async () => {
    // An event since the last checkpoint, for the forged cut to start after.
    await recordNow('record-now-3');
    const { rows } = await sql<{ hash: string }>`
      select hash from audit_chain_link order by seq desc limit 1`.execute(owner());
    const head = await owner()
      .selectFrom('audit_chain_link')
      .select('seq')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    await owner()
      .insertInto('audit_retention_cut')
      .values({
        dropped_before: new Date(),
        months: [],
        through_link: head.seq,
        head_hash: rows[0]!.hash,
        links_removed: 0,
      })
      .execute();
    const report = await verifyAuditLog(db(), {
      graceSeconds: 3600,
      publicKey,
      checkpointText: shipped,
    });
    expect(report.findings.join('\n')).toMatch(
      /no signed checkpoint has that link and hash \(a cut forged/,
    );
  });
});

describe('events about destroyed records', () => {
  it('keep ids and codes, never what the records said', async () => {
    const fresh = await testDatabase();
    try {
      await insertDueRecords(fresh.db, 3);
      const records = (await fresh.db.selectFrom('case_record').select('id').execute()).map(
        (r) => r.id,
      );
      const parties = await fresh.db
        .selectFrom('record_party')
        .innerJoin('person', 'person.id', 'record_party.person_id')
        .select(['person.id', 'person.given_name', 'person.family_name'])
        .where('record_party.record_id', 'in', records)
        .execute();
      const notes = await fresh.db
        .selectFrom('case_note')
        .select('text')
        .where('record_id', 'in', records)
        .execute();
      const said = [
        ...parties.flatMap((p) => [p.given_name, p.family_name]),
        ...notes.map((n) => n.text),
      ].filter((s) => s.length > 2);
      expect(said.length).toBeGreaterThan(0);

      const sweep = await createRetentionService(fresh.db).sweep({
        asOf: '2026-11-25',
        dryRun: false,
      });
      expect(sweep.disposed).toBe(3);

      const ids = [...records, ...parties.map((p) => p.id)];
      const { rows } = await sql<{ event: string }>`
        select row_to_json(e)::text as event from audit_event e
        where e.object_ids && ${ids}::text[]`.execute(fresh.owner);
      expect(rows.length).toBeGreaterThan(0);
      for (const { event } of rows) {
        for (const text of said) expect(event).not.toContain(text);
      }
    } finally {
      await fresh.close();
    }
  });
});
