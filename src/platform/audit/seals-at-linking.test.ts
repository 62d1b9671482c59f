import { generateKeyPairSync, sign } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tamper } from '../../../test/support/audit.js';
import { testDatabase } from '../../../test/support/database.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import { GENESIS_HASH, hashLink, selectStoredEvents, storedEvent } from './audit-chain.js';
import { recordAudit, sealAuditEventsWith } from './audit-log.js';
import { chainAuditEvents } from './chainer.js';
import { keyIdOf, writeCheckpoint } from './checkpoints.js';
import { verifyAuditLog } from './verify-log.js';
import { verifyAuditChain } from './verify.js';

/**
 * Seals checked when events are linked (decision record 0052): the chainer
 * refuses an event whose seal is missing or does not verify, and attests
 * each batch it links with the checkpoint key, so the full walk verifies
 * attestations instead of every seal. Each test has a log of its own: five
 * genuine events, linked by the app's chainer and covered by a checkpoint.
 * Forgeries are made as someone holding only the app's database login
 * could (`db`, the app's role on PostgreSQL), unless an owner is named.
 */
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
let database: ScratchDatabase;
const db = () => database.db;

async function record(action = 'record.read', objectIds: string[] = ['record-1']) {
  await db()
    .transaction()
    .execute((trx) =>
      recordAudit(trx, {
        action,
        actorAccountId: null,
        organisationId: null,
        objectType: 'case-record',
        objectIds,
        purpose: 'safeguarding-assessment',
      }),
    );
}

/** An event with a seal copied from a genuine one, inserted with the app's login. */
async function forge(occurredAt = sql`clock_timestamp()`) {
  const { rows } = await sql<{ seq: number }>`
    insert into audit_event (id, occurred_at, action, object_type, object_ids, purpose, outcome, seal)
    select gen_random_uuid(), ${occurredAt}, action, object_type, '{record-9}', purpose, outcome, seal
    from audit_event order by seq limit 1
    returning seq`.execute(db());
  return Number(rows[0]?.seq);
}

const verifyWithKey = () => verifyAuditLog(db(), { graceSeconds: 3600, publicKey });

beforeEach(async () => {
  sealAuditEventsWith(privateKey);
  database = await testDatabase();
  for (let i = 1; i <= 5; i += 1) await record('record.read', [`record-${i}`]);
  await chainAuditEvents(db(), { wait: true });
  await writeCheckpoint(db(), privateKey);
});
afterEach(async () => {
  sealAuditEventsWith(null);
  await database.close();
});

describe('seals checked at linking (decision 0052)', () => {
  it('links and attests genuine events: the full walk verifies the attestations, not each seal', async () => {
    await record();
    expect(await chainAuditEvents(db(), { wait: true })).toBe(1);
    const attestations = await db()
      .selectFrom('audit_seal_attestation')
      .select(['from_link', 'to_link'])
      .orderBy('id')
      .execute();
    expect(attestations.map((a) => [Number(a.from_link), Number(a.to_link)])).toEqual([
      [1, 5],
      [6, 6],
    ]);
    const report = await verifyWithKey();
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatch(/6 events verified/);
  });

  it('never links a forged event inserted with the app role’s login, whatever its date, and names it', async () => {
    // Dated tomorrow, so that it is not yet "waiting past the grace period".
    const forged = await forge(sql`clock_timestamp() + interval '1 day'`);
    await record();
    // The genuine event after it is linked; the forged one is not.
    expect(await chainAuditEvents(db(), { wait: true })).toBe(1);
    const linked = await db()
      .selectFrom('audit_chain_link')
      .select('event_seq')
      .where('event_seq', '=', forged)
      .execute();
    expect(linked).toEqual([]);
    expect((await verifyWithKey()).findings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Audit chain BROKEN at event ${forged} \\(id [0-9a-f-]+\\): it was refused at linking and left unlinked: its seal does not verify \\(written into the database other than by the app\\)\\.$`,
        ),
      ),
    ]);
  });

  it('looks at a refused event once, and refused events never hold back those after them', async () => {
    const forged = [await forge(), await forge(), await forge()];
    await record();
    await record();
    // Batches of two: the first is all refused, and the chainer carries on.
    expect(await chainAuditEvents(db(), { wait: true, batchSize: 2 })).toBe(2);
    const refused = await db()
      .selectFrom('audit_chain_refusal')
      .select(['event_seq', 'reason'])
      .orderBy('event_seq')
      .execute();
    expect(refused.map((r) => [Number(r.event_seq), r.reason])).toEqual(
      forged.map((seq) => [seq, 'seal-fails']),
    );
    // A second run finds nothing to look at (a second refusal of the same
    // event would break the refusals' primary key).
    expect(await chainAuditEvents(db(), { wait: true, batchSize: 2 })).toBe(0);
    await record();
    expect(await chainAuditEvents(db(), { wait: true, batchSize: 2 })).toBe(1);
    expect((await verifyWithKey()).findings).toHaveLength(3);
  });

  it('refuses an event with no seal once checkpoints began', async () => {
    await sql`insert into audit_event (id, action, object_ids, outcome)
      values (gen_random_uuid(), 'record.read', '{record-1}', 'success')`.execute(db());
    expect(await chainAuditEvents(db(), { wait: true })).toBe(0);
    expect((await verifyWithKey()).findings).toEqual([
      expect.stringMatching(
        /refused at linking and left unlinked: it has no seal although it was recorded after checkpoints began/,
      ),
    ]);
  });

  it('checks the seal of a link the app’s login made itself: only the chainer’s attestations spare a seal', async () => {
    // The app's login may insert links: it links its forged event itself,
    // hashing as the chainer does, and a genuine batch follows, attested.
    const forged = await forge();
    await db()
      .transaction()
      .execute(async (trx) => {
        const head = await trx
          .selectFrom('audit_chain_link')
          .select(['seq', 'hash', sql<string>`horizon::text`.as('horizon')])
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirstOrThrow();
        const row = await selectStoredEvents(trx)
          .where('e.seq', '=', forged)
          .executeTakeFirstOrThrow();
        const place = { seq: head.seq + 1, prevHash: head.hash, horizon: head.horizon };
        await trx
          .insertInto('audit_chain_link')
          .values({
            seq: place.seq,
            event_seq: row.seq,
            event_occurred_at: row.occurred_at,
            event_id: row.id,
            prev_hash: place.prevHash,
            hash: hashLink(storedEvent(row), place),
            horizon: place.horizon,
          })
          .execute();
        // And an attestation for it, signed with a key of its own.
        const forgedHash = hashLink(storedEvent(row), place);
        const keyId = keyIdOf(publicKey);
        await trx
          .insertInto('audit_seal_attestation')
          .values({
            from_link: place.seq,
            to_link: place.seq,
            head_hash: forgedHash,
            key_id: keyId,
            signature: sign(
              null,
              Buffer.from(
                JSON.stringify([
                  'safekeep-audit-seals-checked-v1',
                  place.seq,
                  place.seq,
                  forgedHash,
                  keyId,
                ]),
              ),
              other.privateKey,
            ).toString('base64'),
          })
          .execute();
      });
    await record();
    expect(await chainAuditEvents(db(), { wait: true })).toBe(1);
    await writeCheckpoint(db(), privateKey);
    // The chain holds, and a checkpoint covers the forged link; its seal does not.
    expect((await verifyAuditLog(db(), { graceSeconds: 3600 })).findings).toEqual([]);
    expect((await verifyWithKey()).findings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Audit chain BROKEN at event ${forged} .*: its seal does not verify \\(not recorded by the app, or altered before linking\\)\\.$`,
        ),
      ),
    ]);
  });

  it('removing the attestations (as the owner) hides nothing: every seal is then checked', async () => {
    // A forged event linked as before decision 0052 (by the owner, unattested),
    // then every attestation removed.
    const forged = await forge();
    await tamper(
      database.owner,
      sql`insert into audit_chain_link (seq, event_seq, event_occurred_at, event_id, prev_hash, hash, horizon)
        select 6, e.seq, e.occurred_at, e.id, l.hash, ${GENESIS_HASH}, l.horizon
        from audit_event e, audit_chain_link l where e.seq = ${forged} and l.seq = 5`,
      sql`delete from audit_seal_attestation`,
    );
    const findings = (await verifyWithKey()).findings.join('\n');
    expect(findings).toMatch(new RegExp(`event ${forged} .*its content does not match its hash`));
    expect(findings).toMatch(new RegExp(`event ${forged} .*its seal does not verify`));
    // The genuine events' seals, checked one by one, all hold.
    expect(findings.split('\n')).toHaveLength(2);
  });

  it('a chainer without the key links nothing once checkpoints began, and says so', async () => {
    await record();
    sealAuditEventsWith(null);
    expect(await chainAuditEvents(db(), { wait: true })).toBe(0);
    // Verify without the key can still walk what is linked; what waits, it names.
    const keyless = await verifyAuditLog(db(), { graceSeconds: 0 });
    expect(keyless.events).toBe(5);
    expect(keyless.findings).toEqual([
      expect.stringMatching(
        /it was never linked into the chain: once checkpoints began only a chainer with the checkpoint key links, none has run for 0 seconds, and this verify has no key/,
      ),
    ]);
    // Given only the public key, verify's chainer checks the seal and links it (unattested).
    const withPublicKey = await verifyAuditLog(db(), { graceSeconds: 0, publicKey });
    expect(withPublicKey.findings).toEqual([]);
    expect(withPublicKey.events).toBe(6);
  });

  it('walks an attested log in ranges, checking seals exactly where no attestation holds', async () => {
    for (let i = 0; i < 30; i += 1) await record('record.read', [`record-${i}`]);
    // Links 6–12, 13–19, 20–26, 27–33, 34–35, each batch attested.
    await chainAuditEvents(db(), { wait: true, batchSize: 7 });
    // As the owner: one attestation altered, so links 13–19 are no longer
    // vouched for; and the seals of the events at links 14 and 22 spoiled.
    const eventAt = async (link: number) =>
      Number(
        (
          await db()
            .selectFrom('audit_chain_link')
            .select('event_seq')
            .where('seq', '=', link)
            .executeTakeFirstOrThrow()
        ).event_seq,
      );
    const [unvouched, vouched] = [await eventAt(14), await eventAt(22)];
    await tamper(
      database.owner,
      sql`update audit_seal_attestation set head_hash = ${GENESIS_HASH} where from_link = 13`,
      sql`update audit_event set seal = 'AAAA' where seq in (${unvouched}, ${vouched})`,
    );
    const result = await verifyAuditChain(db(), {
      graceSeconds: 0,
      pageSize: 4,
      ranges: 3,
      seals: { publicKey, requiredAfterLink: 5 },
    });
    expect(result.ok).toBe(false);
    const reasons = result.ok ? [] : result.findings.map((f) => [f.seq, f.reason]);
    // The chain catches both edits; the seal is checked only where no
    // attestation holds (an attested link's seal was checked at linking).
    expect(reasons).toEqual([
      [unvouched, 'its content does not match its hash (it was altered)'],
      [unvouched, 'its seal does not verify (not recorded by the app, or altered before linking)'],
      [vouched, 'its content does not match its hash (it was altered)'],
    ]);
  });
});
