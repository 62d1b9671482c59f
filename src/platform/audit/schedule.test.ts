import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/support/database.js';
import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { recordAudit, sealAuditEventsWith } from './audit-log.js';
import { chainAndCheckpoint, scheduleAuditChainer } from './schedule.js';
import { verifyAuditLog } from './verify-log.js';

let database: DatabaseHandle;
let dir: string;
let audit: Config['audit'];
const { privateKey } = generateKeyPairSync('ed25519');

beforeAll(async () => {
  // As `safekeep serve` does: events are sealed with the checkpoint key.
  sealAuditEventsWith(privateKey);
  database = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'safekeep-audit-schedule-'));
  audit = {
    chainIntervalSeconds: 3600,
    checkpointIntervalSeconds: 3600,
    checkpointKey: privateKey,
    checkpointPublicKey: createPublicKey(privateKey),
    checkpointFile: path.join(dir, 'checkpoints.jsonl'),
  };
});
afterAll(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});

const record = () =>
  database.db
    .transaction()
    .execute((trx) =>
      recordAudit(trx, { action: 'test.scheduled', actorAccountId: null, organisationId: null }),
    );

function memoryLog() {
  const lines: { obj: unknown; msg: string }[] = [];
  return {
    lines,
    info: (obj: unknown, msg: string) => void lines.push({ obj, msg }),
    error: (obj: unknown, msg: string) => void lines.push({ obj, msg }),
  };
}

describe("the server's audit rounds", () => {
  it('links events and signs a checkpoint when one is due, to the database, the file and the log', async () => {
    await record();
    const log = memoryLog();
    const first = await chainAndCheckpoint(database.db, audit, { log });
    expect(first).toMatchObject({ seq: 1 });
    expect(log.lines).toEqual([
      {
        obj: { auditCheckpoint: { type: 'safekeep.audit.checkpoint', ...first } },
        msg: 'audit checkpoint signed',
      },
    ]);
    const file = await readFile(audit.checkpointFile!, 'utf8');
    expect(
      file
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ type: 'safekeep.audit.checkpoint', ...first }]);
    // Nothing new: no checkpoint. Grown, but within the interval: none yet.
    expect(await chainAndCheckpoint(database.db, audit)).toBeNull();
    await record();
    expect(await chainAndCheckpoint(database.db, audit)).toBeNull();
    expect(await chainAndCheckpoint(database.db, audit, { force: true })).toMatchObject({ seq: 2 });
    const report = await verifyAuditLog(database.db, {
      publicKey: audit.checkpointPublicKey,
      checkpointText: await readFile(audit.checkpointFile!, 'utf8'),
    });
    expect(report.findings).toEqual([]);
    expect(report.checkpointsChecked).toBe(4);
  });

  it('links and signs without a key only the chain: no checkpoint', async () => {
    await record();
    expect(await chainAndCheckpoint(database.db, { ...audit, checkpointKey: null })).toBeNull();
    const linked = await database.db
      .selectFrom('audit_chain_link')
      .select('seq')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(linked.seq).toBe(3);
  });

  it('on stopping, links and signs what the last requests recorded', async () => {
    const log = memoryLog();
    const stop = scheduleAuditChainer(database.db, audit, log);
    await record();
    await stop();
    const head = await database.db
      .selectFrom('audit_checkpoint')
      .select('link_seq')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(head.link_seq).toBe(4);
    expect(log.lines.filter((l) => l.msg !== 'audit checkpoint signed')).toEqual([]);
  });
});
