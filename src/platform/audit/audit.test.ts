import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainAndVerify, tamper } from '../../../test/support/audit.js';
import { testDatabase } from '../../../test/support/database.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import {
  GENESIS_HASH,
  hashLink,
  selectStoredEvents,
  storedEvent,
  type StoredEvent,
  type StoredEventRow,
} from './audit-chain.js';
import { recordAudit, sealAuditEventsWith } from './audit-log.js';
import { sealHolds } from './seals.js';
import { chainAuditEvents } from './chainer.js';
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

describe('the audit log', () => {
  it('chains events and verifies an untouched chain', async () => {
    for (let i = 0; i < 5; i += 1) await append('test.event', [`object-${i}`]);
    const result = await chainAndVerify(database.db);
    expect(result).toEqual({ ok: true, events: 5 });
  });

  // Even the tables' owner, who may be granted anything, meets the guard triggers.
  it('refuses UPDATE, DELETE and TRUNCATE on events, chain links and checkpoints', async () => {
    await expect(sql`update audit_event set action = 'x'`.execute(database.owner)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_event`.execute(database.owner)).rejects.toThrow(
      /append-only/,
    );
    // Refused by the guard, or before it by the chain links' foreign key.
    await expect(sql`truncate audit_event`.execute(database.owner)).rejects.toThrow(
      /append-only|referenced in a foreign key/,
    );
    await expect(
      sql`update audit_chain_link set hash = hash`.execute(database.owner),
    ).rejects.toThrow(/audit_chain_link is append-only/);
    await expect(sql`delete from audit_chain_link`.execute(database.owner)).rejects.toThrow(
      /audit_chain_link is append-only/,
    );
    await expect(sql`truncate audit_chain_link`.execute(database.owner)).rejects.toThrow(
      /append-only/,
    );
    await sql`insert into audit_checkpoint (link_seq, head_hash, signed_at, key_id, signature)
      values (0, ${GENESIS_HASH}, now(), '0123456789abcdef', 'x')`.execute(database.owner);
    await expect(
      sql`update audit_checkpoint set signature = 'y'`.execute(database.owner),
    ).rejects.toThrow(/audit_checkpoint is append-only/);
    await expect(sql`delete from audit_checkpoint`.execute(database.owner)).rejects.toThrow(
      /audit_checkpoint is append-only/,
    );
    await expect(sql`truncate audit_checkpoint`.execute(database.owner)).rejects.toThrow(
      /append-only/,
    );
    // The unsigned row above would mean sealing began, and a chainer without
    // the key (these tests') links nothing from then on (decision 0052).
    await tamper(database.owner, sql`delete from audit_checkpoint`);
  });

  it('rolls the event back with the action it records, and fails the action when the event fails', async () => {
    const before = await chainAndVerify(database.db);
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
    expect(await chainAndVerify(database.db)).toEqual(before);
  });

  it('stores the time of an event to the microsecond, and hashes all of it', async () => {
    // Nothing is rounded to the millisecond on the way in: a time set in the
    // database keeps its microseconds and the chain hashes them. (This
    // month's: the log has months from last month on, migration 0070.)
    const month = new Date().toISOString().slice(0, 7);
    await database.db
      .insertInto('audit_event')
      .values({
        id: '00000000-0000-4000-8000-000000000001',
        occurred_at: `${month}-02T03:04:05.123456Z`,
        actor_account_id: null,
        organisation_id: null,
        action: 'test.micro',
        object_ids: [],
        outcome: 'success',
      })
      .execute();
    await chainAuditEvents(database.db, { wait: true });
    const stored = await database.db
      .selectFrom('audit_event')
      .select(sql<string>`to_char(occurred_at at time zone 'UTC', 'US')`.as('us'))
      .where('action', '=', 'test.micro')
      .executeTakeFirstOrThrow();
    expect(stored.us).toBe('123456');
    expect((await chainAndVerify(database.db)).ok).toBe(true);
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
      database.owner,
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
      await chainAuditEvents(fresh.db, { wait: true });
      const rows = await fresh.db.selectFrom('audit_event').select('seq').orderBy('seq').execute();
      const second = rows[1]!.seq;
      await tamper(fresh.owner, sql`delete from audit_event where seq = ${second}`);
      const result = await verifyAuditChain(fresh.db);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.brokenAt.seq).toBe(second);
        expect(result.brokenAt.reason).toMatch(/missing/);
      }
    } finally {
      await fresh.close();
    }
  });
});

describe('the hash over each event (issue 10 item 14)', () => {
  const known: StoredEvent = {
    seq: 42,
    id: '6f1c3a52-8d4e-4b1a-9c3e-2a7b5d9e0f11',
    occurredAt: '2026-03-04T05:06:07.123456Z',
    actorAccountId: '0b6f2d8e-3c1a-4e5b-8a9d-7c6e5f4a3b21',
    organisationId: '9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4',
    action: 'record.read',
    objectType: 'case-record',
    objectIds: ['11111111-2222-4333-8444-555555555555'],
    purpose: 'safeguarding-assessment',
    outcome: 'success',
    requestId: 'req-1',
    legacyPrevHash: null,
    legacyHash: null,
    xactId: '1234',
    seal: 'c2VhbGVkIGJ5IHRoZSBhcHA=',
  };

  it('is pinned: a change to what is hashed, or how, is a deliberate one', () => {
    // If this fails, the hashing changed: every existing chain would stop
    // verifying. Bump HASH_VERSION and migrate old links, then update this.
    expect(hashLink(known, { seq: 7, prevHash: GENESIS_HASH, horizon: '1200' })).toBe(
      '39e27a7f987d65a1c1e2eee406103a2e242cd4f8c492e6048f60a970eafd0724',
    );
  });

  it('changes with every field it covers', () => {
    const base = hashLink(known, { seq: 7, prevHash: GENESIS_HASH, horizon: '1200' });
    const variants: [string, StoredEvent][] = [
      ['seq', { ...known, seq: 43 }],
      ['id', { ...known, id: '6f1c3a52-8d4e-4b1a-9c3e-2a7b5d9e0f12' }],
      ['occurredAt', { ...known, occurredAt: '2026-03-04T05:06:07.123457Z' }],
      ['actorAccountId', { ...known, actorAccountId: null }],
      ['organisationId', { ...known, organisationId: null }],
      ['action', { ...known, action: 'record.update' }],
      ['objectType', { ...known, objectType: null }],
      ['objectIds', { ...known, objectIds: [] }],
      ['purpose', { ...known, purpose: null }],
      ['outcome', { ...known, outcome: 'denied' }],
      ['requestId', { ...known, requestId: null }],
      ['legacyPrevHash', { ...known, legacyPrevHash: GENESIS_HASH }],
      ['legacyHash', { ...known, legacyHash: GENESIS_HASH }],
      ['xactId', { ...known, xactId: '1235' }],
      ['seal', { ...known, seal: null }],
    ];
    const place = { seq: 7, prevHash: GENESIS_HASH, horizon: '1200' };
    for (const [field, variant] of variants) {
      expect(hashLink(variant, place), field).not.toBe(base);
    }
    expect(hashLink(known, { ...place, seq: 8 })).not.toBe(base);
    expect(hashLink(known, { ...place, prevHash: '1'.repeat(64) })).not.toBe(base);
    expect(hashLink(known, { ...place, horizon: '1201' })).not.toBe(base);
  });

  it('catches a stored event with any one of its columns tampered with', async () => {
    const fresh = await testDatabase();
    try {
      const [account] = await fresh.db
        .insertInto('account')
        .values({ email: 'audit.test@example.org', display_name: 'Synthetic', password_hash: 'x' })
        .returning('id')
        .execute();
      const org = await fresh.db.selectFrom('organisation').select('id').executeTakeFirstOrThrow();
      await fresh.db.transaction().execute((trx) =>
        recordAudit(trx, {
          action: 'record.read',
          actorAccountId: account!.id,
          organisationId: org.id,
          objectType: 'case-record',
          objectIds: ['a', 'b'],
          purpose: 'safeguarding-assessment',
          outcome: 'success',
          requestId: 'req-1',
        }),
      );
      expect((await chainAndVerify(fresh.db)).ok).toBe(true);
      const event = await fresh.db
        .selectFrom('audit_event')
        .select('seq')
        .executeTakeFirstOrThrow();
      // A copy exact to the microsecond, to put the row back from.
      await sql`create table audit_event_copy as select * from audit_event`.execute(fresh.owner);
      // Each column the hash covers, changed to another value the table accepts.
      const changes: [string, ReturnType<typeof sql>][] = [
        ['id', sql`id = gen_random_uuid()`],
        ['occurred_at', sql`occurred_at = occurred_at + interval '1 microsecond'`],
        ['actor_account_id', sql`actor_account_id = gen_random_uuid()`],
        ['organisation_id', sql`organisation_id = gen_random_uuid()`],
        ['action', sql`action = 'record.update'`],
        ['object_type', sql`object_type = 'person'`],
        ['object_ids', sql`object_ids = '{b,a}'`],
        ['purpose', sql`purpose = 'other-purpose'`],
        ['outcome', sql`outcome = 'denied'`],
        ['request_id', sql`request_id = 'req-2'`],
        ['prev_hash', sql`prev_hash = ${GENESIS_HASH}`],
        ['hash', sql`hash = ${GENESIS_HASH}`],
        ['xact_id', sql`xact_id = '1'::xid8`],
        ['seal', sql`seal = 'forged'`],
      ];
      for (const [column, change] of changes) {
        await tamper(fresh.owner, sql`update audit_event set ${change} where seq = ${event.seq}`);
        const result = await verifyAuditChain(fresh.db);
        expect(result.ok, column).toBe(false);
        // Put it back as it was, so the next column is tested alone.
        await tamper(
          fresh.owner,
          sql`delete from audit_event where seq = ${event.seq}`,
          sql`insert into audit_event overriding system value select * from audit_event_copy`,
        );
        expect((await verifyAuditChain(fresh.db)).ok, `${column} restored`).toBe(true);
      }
    } finally {
      await fresh.close();
    }
  });
});

describe('seals on events (the app signs what it records)', () => {
  it('seals each event with the configured key, over every field the app decides', async () => {
    const fresh = await testDatabase();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    try {
      sealAuditEventsWith(privateKey);
      await fresh.db.transaction().execute((trx) =>
        recordAudit(trx, {
          action: 'record.read',
          actorAccountId: '0B6F2D8E-3C1A-4E5B-8A9D-7C6E5F4A3B21',
          organisationId: null,
          objectType: 'case-record',
          objectIds: ['a', 'b'],
          purpose: 'safeguarding-assessment',
          requestId: 'req-1',
        }),
      );
      sealAuditEventsWith(null);
      await fresh.db
        .transaction()
        .execute((trx) =>
          recordAudit(trx, { action: 'test.unsealed', actorAccountId: null, organisationId: null }),
        );
      const rows = (await selectStoredEvents(fresh.db).orderBy('e.seq').execute()).map((r) =>
        storedEvent(r as StoredEventRow),
      );
      const [sealed, unsealed] = rows as [StoredEvent, StoredEvent];
      expect(unsealed.seal).toBeNull();
      expect(sealed.seal).not.toBeNull();
      // As read back (the uuid in lower case), it verifies.
      expect(sealHolds(sealed, sealed.seal!, publicKey)).toBe(true);
      const changed: Partial<StoredEvent>[] = [
        { id: randomUUID() },
        { actorAccountId: null },
        { organisationId: randomUUID() },
        { action: 'record.update' },
        { objectType: null },
        { objectIds: ['b', 'a'] },
        { purpose: null },
        { outcome: 'denied' },
        { requestId: 'req-2' },
      ];
      for (const change of changed) {
        expect(
          sealHolds({ ...sealed, ...change }, sealed.seal!, publicKey),
          Object.keys(change)[0],
        ).toBe(false);
      }
      const other = generateKeyPairSync('ed25519').publicKey;
      expect(sealHolds(sealed, sealed.seal!, other)).toBe(false);
    } finally {
      sealAuditEventsWith(null);
      await fresh.close();
    }
  });
});

describe('verification of a chain longer than a page', () => {
  it('reads every page, and finds a fault on the last one', async () => {
    const fresh = await testDatabase();
    try {
      for (let i = 0; i < 23; i += 1) {
        await fresh.db
          .transaction()
          .execute((trx) =>
            recordAudit(trx, { action: 'test.paged', actorAccountId: null, organisationId: null }),
          );
      }
      await chainAuditEvents(fresh.db, { wait: true, batchSize: 4 });
      expect(await verifyAuditChain(fresh.db, { pageSize: 5 })).toEqual({ ok: true, events: 23 });
      const last = await fresh.db
        .selectFrom('audit_event')
        .select('seq')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      await tamper(
        fresh.owner,
        sql`update audit_event set outcome = 'denied' where seq = ${last.seq}`,
      );
      const result = await verifyAuditChain(fresh.db, { pageSize: 5 });
      expect(result).toMatchObject({ ok: false, events: 23, brokenAt: { seq: last.seq } });
    } finally {
      await fresh.close();
    }
  });
});
