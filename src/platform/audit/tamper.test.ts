import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tamper } from '../../../test/support/audit.js';
import { testDatabase } from '../../../test/support/database.js';
import type { ScratchDatabase } from '../../db/scratch.js';
import {
  GENESIS_HASH,
  hashLink,
  selectStoredEvents,
  storedEvent,
  type StoredEventRow,
} from './audit-chain.js';
import { recordAudit, sealAuditEventsWith } from './audit-log.js';
import { chainAuditEvents } from './chainer.js';
import { writeCheckpoint } from './checkpoints.js';
import { verifyAuditLog } from './verify-log.js';
import { splitRange, verifyAuditChain } from './verify.js';

/**
 * The twelve ways an insider with the database's owner login was found to
 * rewrite the audit log (issue 10 item 12), each tried against the chain
 * alone and against the chain held to signed checkpoints shipped out of the
 * database. Every test starts from the same ten events, linked and covered
 * by one checkpoint; the insider disables every trigger and, where it helps
 * them, also deletes the database's own copy of the checkpoints. The JSON
 * Lines they cannot reach.
 */
let database: ScratchDatabase;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
let shipped = '';
let seqs: number[] = [];

const db = () => database.db;
/** Tampering needs the tables' owner: the app's own role may not (db/roles.test.ts). */
const owner = () => database.owner;

beforeAll(async () => {
  // The app seals each event it records with the checkpoint key (seals.ts).
  sealAuditEventsWith(privateKey);
  database = await testDatabase();
  for (let i = 1; i <= 10; i += 1) {
    await db()
      .transaction()
      .execute((trx) =>
        recordAudit(trx, {
          action: 'record.read',
          actorAccountId: null,
          organisationId: null,
          objectType: 'case-record',
          objectIds: [`record-${i}`, `attachment-${i}`],
          purpose: 'safeguarding-assessment',
        }),
      );
  }
  await chainAuditEvents(db(), { wait: true });
  await writeCheckpoint(db(), privateKey, {
    log: {
      info: (obj) =>
        (shipped += `${JSON.stringify((obj as { auditCheckpoint: unknown }).auditCheckpoint)}\n`),
    },
  });
  for (const table of [
    'audit_event',
    'audit_chain_link',
    'audit_checkpoint',
    'audit_chain_refusal',
    'audit_seal_attestation',
  ]) {
    await sql`create table ${sql.table(`pristine_${table}`)} as select * from ${sql.table(table)}`.execute(
      owner(),
    );
  }
  seqs = (await db().selectFrom('audit_event').select('seq').orderBy('seq').execute()).map(
    (r) => r.seq,
  );
});
afterAll(() => database.close());

// Every test starts from the untouched log.
beforeEach(async () => {
  await tamper(
    owner(),
    sql`delete from audit_chain_link`,
    sql`delete from audit_checkpoint`,
    sql`delete from audit_chain_refusal`,
    sql`delete from audit_seal_attestation`,
    sql`delete from audit_event`,
    sql`insert into audit_event overriding system value select * from pristine_audit_event`,
    sql`insert into audit_chain_link select * from pristine_audit_chain_link`,
    sql`insert into audit_checkpoint overriding system value select * from pristine_audit_checkpoint`,
    sql`insert into audit_chain_refusal select * from pristine_audit_chain_refusal`,
    sql`insert into audit_seal_attestation overriding system value select * from pristine_audit_seal_attestation`,
  );
});

const chainAlone = () => verifyAuditLog(db(), { graceSeconds: 3600 });
const withCheckpoints = () =>
  verifyAuditLog(db(), { graceSeconds: 3600, publicKey, checkpointText: shipped });

const nth = (n: number) => seqs[n - 1]!;
const dropDatabaseCheckpoints = sql`delete from audit_checkpoint`;

/** What an insider who knows the hashing does: relinks the chain from link `from` on. */
async function rehashFrom(from: number) {
  await tamper(owner(), sql`delete from audit_chain_link where seq >= ${from}`);
  const before = await db()
    .selectFrom('audit_chain_link')
    .select(['seq', 'hash', sql<string>`horizon::text`.as('horizon')])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const events = (await selectStoredEvents(db())
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('audit_chain_link as l').select('l.seq').whereRef('l.event_seq', '=', 'e.seq'),
        ),
      ),
    )
    .orderBy('e.seq')
    .execute()) as StoredEventRow[];
  let seq = before?.seq ?? 0;
  let prevHash = before?.hash ?? GENESIS_HASH;
  const horizon = before?.horizon ?? '0';
  for (const row of events) {
    seq += 1;
    const hash = hashLink(storedEvent(row), { seq, prevHash, horizon });
    await tamper(
      owner(),
      sql`insert into audit_chain_link (seq, event_seq, event_occurred_at, event_id, prev_hash, hash, horizon)
        values (${seq}, ${row.seq}, ${row.occurred_at}::timestamptz, ${row.id}::uuid, ${prevHash}, ${hash}, ${horizon}::xid8)`,
    );
    prevHash = hash;
  }
}

describe('tampering with the audit log (issue 10 item 12)', () => {
  it('an untouched log verifies, with and without its checkpoints', async () => {
    expect((await chainAlone()).findings).toEqual([]);
    const report = await withCheckpoints();
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatch(/10 events verified, 2 signed checkpoints match it/);
  });

  it('1. editing a middle row: caught by the chain alone', async () => {
    await tamper(owner(), sql`update audit_event set purpose = 'other' where seq = ${nth(5)}`);
    expect((await chainAlone()).findings.join('\n')).toMatch(
      new RegExp(`event ${nth(5)} .*altered`),
    );
  });

  it('2. editing the last row: caught by the chain alone', async () => {
    await tamper(owner(), sql`update audit_event set outcome = 'denied' where seq = ${nth(10)}`);
    expect((await chainAlone()).findings.join('\n')).toMatch(
      new RegExp(`event ${nth(10)} .*altered`),
    );
  });

  it('3. deleting a middle row, and its link: caught by the chain alone', async () => {
    await tamper(
      owner(),
      sql`delete from audit_chain_link where event_seq = ${nth(5)}`,
      sql`delete from audit_event where seq = ${nth(5)}`,
    );
    expect((await chainAlone()).findings.join('\n')).toMatch(/links 5 to 5 are missing/);
  });

  it('3b. deleting a middle row and leaving its link: caught by the chain alone', async () => {
    await tamper(owner(), sql`delete from audit_event where seq = ${nth(5)}`);
    expect((await chainAlone()).findings.join('\n')).toMatch(/its event is missing/);
  });

  it('4. deleting the first row, and its link: caught by the chain alone', async () => {
    await tamper(
      owner(),
      sql`delete from audit_chain_link where seq = 1`,
      sql`delete from audit_event where seq = ${nth(1)}`,
    );
    const findings = (await chainAlone()).findings.join('\n');
    expect(findings).toMatch(/links 1 to 1 are missing/);
    expect(findings).toMatch(/link to the previous event is broken/);
  });

  it('5. deleting the newest rows and their links: NOT caught by the chain alone, caught with checkpoints', async () => {
    await tamper(
      owner(),
      sql`delete from audit_chain_link where seq > 7`,
      sql`delete from audit_event where seq > ${nth(7)}`,
      dropDatabaseCheckpoints,
    );
    expect((await chainAlone()).findings).toEqual([]);
    expect((await withCheckpoints()).findings.join('\n')).toMatch(
      /newest events were removed: .* covers 10 linked events, the chain now has 7/,
    );
  });

  it('6. swapping two rows: caught by the chain alone', async () => {
    await tamper(
      owner(),
      sql`create temporary table swapped on commit drop as
        select * from audit_event where seq in (${nth(3)}, ${nth(4)})`,
      sql`update swapped set seq = case seq when ${nth(3)} then ${nth(4)}::bigint else ${nth(3)}::bigint end`,
      sql`delete from audit_event where seq in (${nth(3)}, ${nth(4)})`,
      sql`insert into audit_event overriding system value select * from swapped`,
    );
    expect((await chainAlone()).findings.join('\n')).toMatch(
      new RegExp(`event ${nth(3)} .*different event stands in its place`),
    );
  });

  it('7. moving a timestamp by an hour: caught by the chain alone', async () => {
    await tamper(
      owner(),
      sql`update audit_event set occurred_at = occurred_at - interval '1 hour' where seq = ${nth(6)}`,
    );
    expect((await chainAlone()).findings.join('\n')).toMatch(
      new RegExp(`event ${nth(6)} .*altered`),
    );
  });

  it('8. moving a timestamp by 400 microseconds: caught by the chain alone (hashed as stored)', async () => {
    await tamper(
      owner(),
      sql`update audit_event set occurred_at = occurred_at + interval '400 microseconds' where seq = ${nth(6)}`,
    );
    expect((await chainAlone()).findings.join('\n')).toMatch(
      new RegExp(`event ${nth(6)} .*altered`),
    );
  });

  it('9. reordering the object ids: caught by the chain alone', async () => {
    await tamper(
      owner(),
      sql`update audit_event set object_ids = array[object_ids[2], object_ids[1]] where seq = ${nth(2)}`,
    );
    expect((await chainAlone()).findings.join('\n')).toMatch(
      new RegExp(`event ${nth(2)} .*altered`),
    );
  });

  it('10. editing a row and recomputing the chain: NOT caught by the chain alone, caught with checkpoints', async () => {
    await tamper(
      owner(),
      sql`update audit_event set actor_account_id = gen_random_uuid() where seq = ${nth(5)}`,
      dropDatabaseCheckpoints,
    );
    await rehashFrom(5);
    expect((await chainAlone()).findings).toEqual([]);
    expect((await withCheckpoints()).findings.join('\n')).toMatch(
      /the chain was rewritten: link 10 no longer has the hash signed/,
    );
  });

  it('11. deleting a row and recomputing the chain: NOT caught by the chain alone, caught with checkpoints', async () => {
    await tamper(
      owner(),
      sql`delete from audit_chain_link where seq >= 5`,
      sql`delete from audit_event where seq = ${nth(5)}`,
      dropDatabaseCheckpoints,
    );
    await rehashFrom(5);
    expect((await chainAlone()).findings).toEqual([]);
    expect((await withCheckpoints()).findings.join('\n')).toMatch(
      /newest events were removed: .* covers 10 linked events, the chain now has 9/,
    );
  });

  it('12. appending a forged event dated before the last checkpoint: NOT caught by the chain alone, caught with checkpoints (and its missing seal)', async () => {
    // Someone "read" record-1 yesterday, to frame them.
    await tamper(
      owner(),
      sql`insert into audit_event (id, occurred_at, action, object_type, object_ids, purpose, outcome)
        values (gen_random_uuid(), now() - interval '1 day', 'record.read', 'case-record',
          '{record-1}', 'safeguarding-assessment', 'success')`,
    );
    await rehashFrom(11);
    expect((await chainAlone()).findings).toEqual([]);
    expect((await withCheckpoints()).findings.join('\n')).toMatch(
      /linked after the checkpoint signed .* but claims to be older than it/,
    );
  });

  it('12b. appending a forged event with the current time: refused at linking for its missing seal, so named by the chain alone, and why with the key', async () => {
    // As anyone with only the app's database login could: an insert.
    await tamper(
      owner(),
      sql`insert into audit_event (id, action, object_ids, outcome)
        values (gen_random_uuid(), 'record.read', '{record-1}', 'success')`,
    );
    // The chainer (the app's, with the key) would not link it (decision 0052).
    expect((await chainAlone()).findings).toEqual([
      expect.stringMatching(
        /^Audit chain BROKEN at event \d+ .*: it was refused at linking and left unlinked: its seal is missing or does not verify/,
      ),
    ]);
    expect((await withCheckpoints()).findings).toEqual([
      expect.stringMatching(
        /event \d+ .*refused at linking and left unlinked: it has no seal although it was recorded after checkpoints began \(written into the database other than by the app\)/,
      ),
    ]);
  });

  it('12c. appending a forged event with a seal copied from a real one: refused at linking for its seal, so named by the chain alone, and why with the key', async () => {
    await tamper(
      owner(),
      sql`insert into audit_event (id, action, object_type, object_ids, purpose, outcome, seal)
        select gen_random_uuid(), action, object_type, '{record-9}', purpose, outcome, seal
        from audit_event where seq = ${nth(1)}`,
    );
    expect((await chainAlone()).findings).toEqual([
      expect.stringMatching(/: it was refused at linking and left unlinked: its seal is missing/),
    ]);
    expect((await withCheckpoints()).findings).toEqual([
      expect.stringMatching(
        /event \d+ .*refused at linking and left unlinked: its seal does not verify \(written into the database other than by the app\)/,
      ),
    ]);
  });

  it('a forged or altered checkpoint line is itself a finding', async () => {
    const [line] = shipped.trim().split('\n');
    const forged = JSON.stringify({ ...JSON.parse(line!), seq: 3 });
    const report = await verifyAuditLog(db(), {
      graceSeconds: 3600,
      publicKey,
      checkpointText: `${forged}\nnot json\n`,
    });
    expect(report.findings.join('\n')).toMatch(/line 1 .* is not signed by the checkpoint key/);
    expect(report.findings.join('\n')).toMatch(/line 2 of the checkpoints file is not JSON/);
  });
});

/**
 * The full walk split into ranges of links walked at once (issue 16), each
 * starting from the stored link before it. A break exactly where one range
 * ends and the next begins must be found, and named, as the walk in one
 * piece names it: links 1–4, 5–8 and 9–10 here.
 */
describe('a walk split into ranges', () => {
  const split = { graceSeconds: 3600, pageSize: 2, ranges: 3 };
  const whole = { graceSeconds: 3600, pageSize: 2, ranges: 1 };
  const found = async (options: typeof whole) => {
    await chainAuditEvents(db(), { wait: true });
    const result = await verifyAuditChain(db(), options);
    return result.ok ? [] : result.findings;
  };

  it('cuts the links where the tests below break them', () => {
    expect(splitRange(1, 10, 3, 2)).toEqual([
      { from: 1, to: 4 },
      { from: 5, to: 8 },
      { from: 9, to: 10 },
    ]);
  });

  it('an untouched log verifies in ranges, every event counted once', async () => {
    expect(await verifyAuditChain(db(), split)).toEqual({ ok: true, events: 10 });
  });

  it('the last link of a range removed with its event: the next range finds the gap', async () => {
    await tamper(
      owner(),
      sql`delete from audit_chain_link where seq = 4`,
      sql`delete from audit_event where seq = ${nth(4)}`,
    );
    const findings = await found(split);
    expect(findings.map((f) => [f.linkSeq, f.reason])).toEqual([
      [5, 'links 4 to 4 are missing before it (removed)'],
      [
        5,
        'its link to the previous event is broken (an event before it was removed, altered or reordered)',
      ],
    ]);
    expect(findings).toEqual(await found(whole));
  });

  it("the last link of a range rewritten: its own hash fails, and the next range's first link no longer joins it", async () => {
    await tamper(owner(), sql`update audit_chain_link set hash = ${'f'.repeat(64)} where seq = 4`);
    const findings = await found(split);
    expect(findings.map((f) => [f.linkSeq, f.reason])).toEqual([
      [4, 'its content does not match its hash (it was altered)'],
      [
        5,
        'its link to the previous event is broken (an event before it was removed, altered or reordered)',
      ],
    ]);
    expect(findings).toEqual(await found(whole));
  });

  it('the first event of a range altered: found in that range', async () => {
    await tamper(owner(), sql`update audit_event set purpose = 'other' where seq = ${nth(5)}`);
    const findings = await found(split);
    expect(findings.map((f) => [f.seq, f.linkSeq])).toEqual([[nth(5), 5]]);
    expect(findings).toEqual(await found(whole));
  });
});
