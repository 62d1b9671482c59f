import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainAndVerify } from '../../../test/support/audit.js';
import { testDatabase } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { recordAudit } from './audit-log.js';
import { chainAuditEvents, lockChain } from './chainer.js';
import { writeCheckpoint } from './checkpoints.js';

/**
 * Audited actions run side by side (issue 10 item 13): recording an event
 * takes no lock, and the chainer links events in the order they commit,
 * never skipping one whose transaction commits after a later one's.
 *
 * Concurrency needs two connections: PGlite is one connection, where
 * transactions cannot overlap at all, so these run on PostgreSQL only.
 */
const onPostgres = Boolean(process.env.DATABASE_URL);

let database: DatabaseHandle;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

const entry = (action: string) => ({ action, actorAccountId: null, organisationId: null });

/** Opens a transaction that stays open until `finish` is called. */
function openTransaction(action: string) {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let recorded!: () => void;
  const hasRecorded = new Promise<void>((resolve) => (recorded = resolve));
  const done = database.db.transaction().execute(async (trx) => {
    await recordAudit(trx, entry(action));
    recorded();
    await finished;
  });
  return { hasRecorded, finish, done };
}

describe.skipIf(!onPostgres)('the chainer under concurrent audited actions', () => {
  it('lets a second audited action commit while the first is still open', async () => {
    const first = openTransaction('test.first');
    await first.hasRecorded;
    // Before: the first transaction held the chain's lock to its end, and
    // this one waited for it (and gave up at the lock timeout).
    await database.db.transaction().execute(async (trx) => {
      await sql`set local lock_timeout = '2s'`.execute(trx);
      await recordAudit(trx, entry('test.second'));
    });
    // The chainer links what has committed, and leaves the open one for later.
    expect(await chainAuditEvents(database.db, { wait: true })).toBe(1);
    first.finish();
    await first.done;
    expect(await chainAuditEvents(database.db, { wait: true })).toBe(1);
    const order = await database.db
      .selectFrom('audit_chain_link as l')
      .innerJoin('audit_event as e', 'e.seq', 'l.event_seq')
      .select(['e.action', 'e.seq'])
      .orderBy('l.seq')
      .execute();
    // Linked in commit order, although the first has the lower seq.
    expect(order.map((o) => o.action)).toEqual(['test.second', 'test.first']);
    expect(order[0]!.seq).toBeGreaterThan(order[1]!.seq);
    expect(await chainAndVerify(database.db)).toEqual({ ok: true, events: 2 });
  });

  it('never skips an event whose transaction outlives several chainer runs', async () => {
    const slow = openTransaction('test.slow');
    await slow.hasRecorded;
    for (let i = 0; i < 3; i += 1) {
      await database.db.transaction().execute((trx) => recordAudit(trx, entry('test.quick')));
      await chainAuditEvents(database.db, { wait: true, batchSize: 2 });
    }
    slow.finish();
    await slow.done;
    expect(await chainAuditEvents(database.db, { wait: true })).toBe(1);
    expect(await chainAndVerify(database.db, { graceSeconds: 0 })).toEqual({
      ok: true,
      events: 6,
    });
  });

  it('leaves the work to a chainer already running, unless told to wait', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = database.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(7261001, hashtext(current_schema()))`.execute(trx);
      locked();
      await held;
    });
    await isLocked;
    await database.db.transaction().execute((trx) => recordAudit(trx, entry('test.waiting')));
    expect(await chainAuditEvents(database.db)).toBeNull();
    const waiting = chainAuditEvents(database.db, { wait: true });
    release();
    await holder;
    expect(await waiting).toBe(1);
  });

  it('signs a checkpoint only between a chainer’s batches, never in the middle of one (decision 0052)', async () => {
    // A chainer decides at the start of its batch whether sealing has begun;
    // a first checkpoint committed mid-batch would vouch for links it never
    // saw checked.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const batch = database.db.transaction().execute(async (trx) => {
      await lockChain(trx);
      locked();
      await held;
    });
    await isLocked;
    const { privateKey } = generateKeyPairSync('ed25519');
    let signed = false;
    const checkpoint = writeCheckpoint(database.db, privateKey).then((c) => {
      signed = true;
      return c;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(signed).toBe(false);
    release();
    await batch;
    expect((await checkpoint).signature).toBeTruthy();
  });
});
