import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import { assessedRecord } from '../../test/support/retention-records.js';
import { caseworkStaff, type CaseworkStaff } from '../../test/support/casework.js';
import type { DatabaseHandle } from '../db/connection.js';
import { chainAndVerify } from '../../test/support/audit.js';
import type { StaffContext } from '../platform/auth/service.js';
import { createRetentionService, recordDisposal } from '../services.js';
import type { RecordDisposal } from './disposal.js';
import { RecordHeldError, RetentionService } from './service.js';

let database: DatabaseHandle;
let governance: CaseworkStaff;
let staff: StaffContext;

beforeAll(async () => {
  database = await testDatabase();
  governance = await caseworkStaff(database.db, 'kent-scs', ['information-governance']);
  staff = governance.context;
});
afterAll(() => database.close());

/** Each test starts from no records. */
beforeEach(async () => {
  await sql`delete from retention_hold`.execute(database.db);
  await sql`delete from retention_decision`.execute(database.db);
  await sql`delete from disposal_certificate`.execute(database.db);
  const ids = await database.db.selectFrom('case_record').select('id').execute();
  await database.db.transaction().execute(async (trx) => {
    if (ids.length)
      await recordDisposal().destroyRecords(
        trx,
        ids.map((r) => r.id),
      );
  });
});

const record = (due: string | null, extra: Partial<Parameters<typeof assessedRecord>[1]> = {}) =>
  assessedRecord(database.db, {
    organisation: 'kent-scs',
    category: 'child-in-need',
    authorAccountId: governance.accountId,
    due,
    ...extra,
  });

async function exists(recordId: string) {
  return (
    (await database.db
      .selectFrom('case_record')
      .select('id')
      .where('id', '=', recordId)
      .executeTakeFirst()) !== undefined
  );
}

describe('the retention sweep', () => {
  it('reports on a dry run and changes nothing', async () => {
    const due = await record('2020-01-01');
    await record('2090-01-01');
    const service = createRetentionService(database.db);
    const report = await service.sweep({ asOf: '2026-11-25', dryRun: true });
    expect(report.groups).toEqual([
      {
        organisation: 'kent-scs',
        category: 'child-in-need',
        rule: 'kent-scs/child-in-need/test-rule',
        records: 1,
      },
    ]);
    expect(report.disposed).toBe(0);
    expect(await exists(due.recordId)).toBe(true);
  });

  it('destroys what is due everywhere it lives, keeps the rest, and certifies without personal data', async () => {
    const sibling = await record('2020-01-01');
    // A parent in both a due record and a record kept for years: the parent stays.
    const parent = (await record('2090-01-01')).personIds[0]!;
    const due = await record('2021-06-30', {
      personIds: [parent],
      notes: 3,
    });
    const kept = await record('2030-01-01');
    const service = createRetentionService(database.db);
    const report = await service.sweep({
      asOf: '2026-11-25',
      dryRun: false,
      actorAccountId: governance.accountId,
    });
    expect(report.disposed).toBe(2);
    expect(await exists(sibling.recordId)).toBe(false);
    expect(await exists(due.recordId)).toBe(false);
    expect(await exists(kept.recordId)).toBe(true);
    for (const table of ['case_note', 'record_document', 'record_party'] as const) {
      const left = await database.db
        .selectFrom(table)
        .select('record_id')
        .where('record_id', 'in', [sibling.recordId, due.recordId])
        .execute();
      expect(left, table).toEqual([]);
    }
    const people = await database.db
      .selectFrom('person')
      .select('id')
      .where('id', 'in', [sibling.personIds[0]!, parent])
      .execute();
    expect(people.map((p) => p.id)).toEqual([parent]);

    const certificates = await database.db.selectFrom('disposal_certificate').selectAll().execute();
    expect(certificates).toHaveLength(1);
    expect(certificates[0]).toMatchObject({
      category: 'child-in-need',
      approval: 'schedule',
      earliest_due: '2020-01-01',
      latest_due: '2021-06-30',
      counts: { records: 2, notes: 5, documents: 2, parties: 2, people: 1 },
    });
    expect(JSON.stringify(certificates[0])).not.toContain('Synthetic');
    expect((await chainAndVerify(database.db)).ok).toBe(true);
  });

  it('respects holds on the record, on a person in it and on its category — checked again at destruction', async () => {
    const byRecord = await record('2020-01-01');
    const byPerson = await record('2020-01-01');
    const service = createRetentionService(database.db);
    await service.placeHold(staff, {
      scope: 'record',
      targetId: byRecord.recordId,
      holdType: 'litigation',
      reason: 'Civil claim pending',
      reviewOn: '2027-01-01',
    });
    await service.placeHold(staff, {
      scope: 'person',
      targetId: byPerson.personIds[0]!,
      holdType: 'inquiry',
      reason: 'Public inquiry request',
      reviewOn: '2027-01-01',
    });
    expect((await service.sweep({ asOf: '2026-11-25', dryRun: false })).disposed).toBe(0);

    const categoryHeld = await record('2020-01-01', { category: 'child-protection-plan' });
    const categoryHold = await service.placeHold(staff, {
      scope: 'category',
      targetId: 'child-protection-plan',
      holdType: 'inquiry',
      reason: 'Independent inquiry into plans',
      reviewOn: '2027-01-01',
    });
    expect((await service.sweep({ asOf: '2026-11-25', dryRun: false })).disposed).toBe(0);
    expect(await exists(categoryHeld.recordId)).toBe(true);
    expect((await service.dashboard(staff, '2026-11-25')).held).toBe(3);

    await service.releaseHold(staff, categoryHold);
    expect((await service.sweep({ asOf: '2026-11-25', dryRun: false })).disposed).toBe(1);
    expect(await exists(byRecord.recordId)).toBe(true);
  });

  it('finishes a sweep that failed half-way: nothing half-destroyed, nothing destroyed twice', async () => {
    const records = await Promise.all(Array.from({ length: 7 }, () => record('2020-01-01')));
    let calls = 0;
    const real = recordDisposal();
    const failing: RecordDisposal = {
      ...real,
      async destroyRecords(trx, ids) {
        calls += 1;
        // The second batch dies part-way through, after destroying some of it.
        if (calls === 2) {
          await real.destroyRecords(trx, ids.slice(0, 1));
          throw new Error('process killed');
        }
        return real.destroyRecords(trx, ids);
      },
    };
    const crashing = new RetentionService(database.db, failing);
    await expect(
      crashing.sweep({ asOf: '2026-11-25', dryRun: false, batchSize: 3 }),
    ).rejects.toThrow('process killed');
    // The first batch of 3 committed; the failed batch rolled back whole.
    const survivors = await database.db.selectFrom('case_record').select('id').execute();
    expect(survivors).toHaveLength(4);
    const notes = await database.db
      .selectFrom('case_note')
      .select('record_id')
      .where(
        'record_id',
        'in',
        survivors.map((s) => s.id),
      )
      .execute();
    expect(notes).toHaveLength(8);

    const rerun = await createRetentionService(database.db).sweep({
      asOf: '2026-11-25',
      dryRun: false,
      batchSize: 3,
    });
    expect(rerun.disposed).toBe(4);
    const certified = (
      await database.db.selectFrom('disposal_certificate').select('record_ids').execute()
    ).flatMap((c) => c.record_ids);
    expect(certified.sort()).toEqual(records.map((r) => r.recordId).sort());
    expect(
      (await createRetentionService(database.db).sweep({ asOf: '2026-11-25', dryRun: false }))
        .disposed,
    ).toBe(0);
  });
});

describe('review', () => {
  it('queues reviews, unknown dates and no-rule records; a decision to keep holds it back until then', async () => {
    const lado = await record('2020-01-01', { action: 'review' });
    const unknown = await record(null, {
      status: 'needs-review',
      needsReview: true,
      action: undefined,
    });
    await record('2020-01-01');
    const service = createRetentionService(database.db);
    const queue = await service.reviewQueue(staff, '2026-11-25');
    expect(queue.map((q) => q.id).sort()).toEqual([lado.recordId, unknown.recordId].sort());

    await service.decide(staff, lado.recordId, {
      decision: 'keep-until',
      keepUntil: '2030-01-01',
      rationale: 'A pattern of concern is emerging',
    });
    expect((await service.reviewQueue(staff, '2026-11-25')).map((q) => q.id)).toEqual([
      unknown.recordId,
    ]);
    expect((await service.reviewQueue(staff, '2030-01-01')).map((q) => q.id)).toContain(
      lado.recordId,
    );
    // A review action is never destroyed by the sweep: a person decides.
    expect(await exists(lado.recordId)).toBe(true);
  });

  it('destroys on a reviewer’s decision, with a certificate, unless a hold has since been placed', async () => {
    const first = await record('2020-01-01', { action: 'review' });
    const second = await record('2020-01-01', { action: 'review' });
    const service = createRetentionService(database.db);
    await service.decide(staff, first.recordId, {
      decision: 'destroy',
      rationale: 'No pattern; delete as the notice says',
    });
    expect(await exists(first.recordId)).toBe(false);
    const certificate = await database.db
      .selectFrom('disposal_certificate')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(certificate).toMatchObject({
      approval: 'review-decision',
      approved_by: governance.accountId,
    });

    await service.placeHold(staff, {
      scope: 'record',
      targetId: second.recordId,
      holdType: 'police-investigation',
      reason: 'Police asked us to keep it',
      reviewOn: '2027-06-01',
    });
    await expect(
      service.decide(staff, second.recordId, {
        decision: 'destroy',
        rationale: 'Destroy as scheduled now',
      }),
    ).rejects.toBeInstanceOf(RecordHeldError);
    expect(await exists(second.recordId)).toBe(true);
    // The refused decision left nothing behind.
    const decisions = await database.db
      .selectFrom('retention_decision')
      .select('id')
      .where('record_id', '=', second.recordId)
      .execute();
    expect(decisions).toEqual([]);
  });
});
