import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backUp, restore } from '../../test/support/backup.js';
import { testDatabase } from '../../test/support/database.js';
import type { ScratchDatabase } from '../db/scratch.js';
import { verifyAuditLog } from '../platform/audit/verify-log.js';
import { createRetentionService } from '../services.js';
import { parseJournalLines, shipDisposalJournal } from './disposal-journal.js';
import { insertDueRecords } from './synthetic-due-records.js';

/**
 * Issue 16: a backup restored from before a sweep brings the destroyed
 * records back. Back up, sweep (the journal ships out of the database),
 * restore the backup, replay the journal: nothing destroyed comes back,
 * the replay is certified and audited, and `audit verify` passes.
 */
// A backup, a sweep, a restore into a new database and a replay: more than
// a unit test's thirty seconds on a loaded machine.
vi.setConfig({ testTimeout: 120_000 });

let database: ScratchDatabase;
let restored: ScratchDatabase | undefined;
let folder: string;
let journalFile: string;
let destroyedRecords: string[];
let destroyedPeople: string[];

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'safekeep-replay-'));
  journalFile = path.join(folder, 'audit-checkpoints.jsonl');
  database = await testDatabase();
  await insertDueRecords(database.db, 6);
  destroyedRecords = (await database.db.selectFrom('case_record').select('id').execute()).map(
    (r) => r.id,
  );
  destroyedPeople = (
    await database.db
      .selectFrom('record_party')
      .select('person_id')
      .where('record_id', 'in', destroyedRecords)
      .execute()
  ).map((r) => r.person_id);
});
afterAll(async () => {
  await restored?.close();
  await database?.close();
  await rm(folder, { recursive: true, force: true });
});

const present = async (db: ScratchDatabase) => ({
  records: (
    await db.db.selectFrom('case_record').select('id').where('id', 'in', destroyedRecords).execute()
  ).length,
  people: (
    await db.db.selectFrom('person').select('id').where('id', 'in', destroyedPeople).execute()
  ).length,
  notes: (
    await db.db
      .selectFrom('case_note')
      .select('id')
      .where('record_id', 'in', destroyedRecords)
      .execute()
  ).length,
});

describe('backups that do not bring the dead back', () => {
  it('re-applies, from the shipped journal, the disposals a restored backup does not know', async () => {
    const backup = await backUp(database);

    const sweep = await createRetentionService(database.db).sweep({
      asOf: '2026-11-25',
      dryRun: false,
    });
    expect(sweep.disposed).toBe(6);
    expect(await present(database)).toEqual({ records: 0, people: 0, notes: 0 });
    expect(await shipDisposalJournal(database.db, { file: journalFile })).toBeGreaterThan(0);
    const shipped = await readFile(journalFile, 'utf8');
    // Ids, hashes and times: nothing a destroyed record said.
    expect(shipped).not.toMatch(/Synthetic|note|bytes/i);
    const { entries, problems } = parseJournalLines(shipped);
    expect(problems).toEqual([]);
    expect(entries.flatMap((e) => e.itemIds)).toEqual(expect.arrayContaining(destroyedRecords));

    restored = await restore(backup);
    // The backup brought them back: the breach this replay closes.
    expect(await present(restored)).toEqual({ records: 6, people: 6, notes: 12 });

    const retention = createRetentionService(restored.db);
    const report = await retention.replayDisposals(entries);
    expect(report).toMatchObject({ known: 0, itemsDestroyed: 6, problems: [] });
    expect(await present(restored)).toEqual({ records: 0, people: 0, notes: 0 });

    // Certified: a certificate naming the one it re-applies; audited.
    const certificates = await restored.db
      .selectFrom('disposal_certificate')
      .select(['approval', 'replays_certificate_id', 'record_ids'])
      .execute();
    expect(certificates.every((c) => c.approval === 'replay')).toBe(true);
    expect(certificates.map((c) => c.replays_certificate_id)).toEqual(
      expect.arrayContaining([entries[0]!.certificateId]),
    );
    const events = await restored.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'in', ['retention.replay', 'retention.destroy'])
      .execute();
    expect(events.map((e) => e.action)).toContain('retention.replay');

    const verify = await verifyAuditLog(restored.db, { graceSeconds: 3600 });
    expect(verify.findings).toEqual([]);

    // A second replay finds every disposal known and changes nothing.
    const again = await retention.replayDisposals(entries);
    expect(again).toMatchObject({ known: entries.length, replayed: 0, itemsDestroyed: 0 });
  });

  it('passes over the checkpoints in the shared file and refuses a line that is neither', () => {
    const checkpoint = JSON.stringify({ type: 'safekeep.audit.checkpoint', seq: 1 });
    expect(parseJournalLines(`${checkpoint}\n`)).toEqual({ entries: [], problems: [] });
    expect(parseJournalLines('{"type":"something-else"}\nnot json\n').problems).toEqual([
      'line 1 is not a Safekeep disposal journal entry',
      'line 2 is not JSON',
    ]);
  });
});
