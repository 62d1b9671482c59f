import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tamper } from '../../../test/support/audit.js';
import { testDatabase } from '../../../test/support/database.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { selectStoredEvents, storedEvent } from './audit-chain.js';
import { recordAudit, sealAuditEventsWith } from './audit-log.js';
import { fillSealedChain } from './chain-fill.js';
import { chainAuditEvents, makeLinks } from './chainer.js';
import { writeCheckpoint } from './checkpoints.js';
import { verifyAuditChain } from './verify.js';

/**
 * The bench's bulk chain fill (chain-fill.ts) must build exactly what the
 * app and the chainer build, or the 10-million-event walk it is timed on
 * proves nothing. Each test starts as a deployment does: events recorded by
 * the app and linked by the real chainer, then a signed checkpoint (sealing
 * begins), then the fill.
 */
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
let database: ScratchDatabase;
const db = () => database.db;
let sealsFrom = 0;

async function record(objectId: string) {
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
}

const fill = (events: number) =>
  fillSealedChain(db(), {
    events,
    privateKey,
    batchSize: 40,
    from: new Date(Date.now() - 20 * 86_400_000),
    to: new Date(Date.now() - 86_400_000),
  });

const walk = (everySeal = false) =>
  verifyAuditChain(db(), {
    graceSeconds: 0,
    pageSize: 30,
    seals: { publicKey, requiredAfterLink: sealsFrom, ...(everySeal ? { everySeal } : {}) },
  });

beforeEach(async () => {
  sealAuditEventsWith(privateKey);
  database = await testDatabase();
  for (let i = 1; i <= 3; i += 1) await record(`record-${i}`);
  await chainAuditEvents(db(), { wait: true });
  sealsFrom = (await writeCheckpoint(db(), privateKey)).seq;
});
afterEach(async () => {
  sealAuditEventsWith(null);
  await database.close();
});

describe('the bulk chain fill (bench)', () => {
  it('writes the links the chainer makes of the events as stored, one attestation a batch', async () => {
    expect(await fill(100)).toBe(100);
    // Read back as the chainer reads waiting events, and linked by its own code.
    const rows = await selectStoredEvents(db()).orderBy('e.seq').execute();
    const stored = await db()
      .selectFrom('audit_chain_link')
      .select([
        'seq',
        'event_seq',
        'event_id',
        'prev_hash',
        'hash',
        sql<string>`horizon::text`.as('horizon'),
      ])
      .orderBy('seq')
      .execute();
    expect(stored).toHaveLength(103);
    const events = rows.map(storedEvent);
    for (let at = 3; at < stored.length; at += 40) {
      const before = stored[at - 1];
      const batch = stored.slice(at, at + 40);
      const horizon = batch[0]?.horizon ?? '';
      const remade = makeLinks(
        events.slice(at, at + 40),
        before && { seq: Number(before.seq), hash: before.hash },
        horizon,
      );
      expect(
        batch.map((l) => [Number(l.seq), Number(l.event_seq), l.event_id, l.prev_hash, l.hash]),
      ).toEqual(remade.map((l) => [l.seq, l.event_seq, l.event_id, l.prev_hash, l.hash]));
      // The horizon of the head it follows, as a chainer's full batch keeps.
      expect(new Set(batch.map((l) => l.horizon))).toEqual(new Set([stored[2]?.horizon]));
    }
    const attestations = await db()
      .selectFrom('audit_seal_attestation')
      .select(['from_link', 'to_link'])
      .orderBy('id')
      .execute();
    expect(attestations.map((a) => [Number(a.from_link), Number(a.to_link)])).toEqual([
      [1, 3],
      [4, 43],
      [44, 83],
      [84, 103],
    ]);
  });

  it('verifies with the key, attestations and every seal, and the chainer links on after it', async () => {
    await fill(90);
    expect(await walk()).toEqual({ ok: true, events: 93 });
    expect(await walk(true)).toEqual({ ok: true, events: 93 });
    await record('record-after');
    expect(await chainAuditEvents(db(), { wait: true })).toBe(1);
    expect(await walk()).toEqual({ ok: true, events: 94 });
  });

  it('is found out when one of its events is altered', async () => {
    await fill(90);
    const { rows } = await sql<{ seq: string }>`
      select seq::text as seq from audit_event order by seq offset 50 limit 1`.execute(db());
    const seq = Number(rows[0]?.seq);
    await tamper(
      database.owner,
      sql`update audit_event set object_ids = '{record-elsewhere}' where seq = ${seq}`,
    );
    const result = await walk();
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.findings.map((f) => f.seq)).toContain(seq);
  });

  it('leaves an event that was waiting when it began for the chainer, which links it after', async () => {
    await record('record-waiting');
    await fill(50);
    expect(await chainAuditEvents(db(), { wait: true })).toBe(1);
    expect(await walk()).toEqual({ ok: true, events: 54 });
  });
});
