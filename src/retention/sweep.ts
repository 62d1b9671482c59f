import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError } from '../platform/errors/errors.js';
import {
  recordToDisposeColumns,
  type Approval,
  type CertifiedDisposal,
} from './certified-disposal.js';
import { dueForAction, dueForDestruction } from './due.js';
import { dueItemGroups, nextDueItems, partnershipItemKinds } from './partnership-items.js';
import { duePeopleGroups, nextDuePeople } from './people-without-records.js';
import { applyDueAction } from './record-states.js';
import { dueRequestGroups, nextDueRequests } from './rights-requests.js';
import { dueReturnFileGroups, nextDueReturnFiles } from './return-files.js';
import {
  markInterruptedRuns,
  releaseSweepLock,
  sessionIsShared,
  takeSweepLock,
} from './sweep-runs.js';

/**
 * The retention sweep: finds what the schedules say to dispose of by a date
 * and, unless a dry run, disposes of it in batches. Each batch is one
 * transaction: the records, their certificates, journal entries and audit
 * events commit together or not at all, so a sweep killed at any point
 * leaves nothing half-destroyed, and running it again carries on where it
 * stopped without destroying anything twice.
 *
 * Between batches the sweep lets the rest of the application in. On
 * PostgreSQL it holds one connection of the pool (its lock's session) and
 * the others serve requests. On PGlite (the laptop default) there is one
 * session for the whole process, so the sweep holds it only for a
 * statement or a batch's transaction at a time, and waits for the event
 * loop between batches: PGlite answers without I/O, so without that wait no
 * request would be read until the sweep had finished.
 */

export interface SweepOptions {
  asOf: string;
  dryRun: boolean;
  actorAccountId?: string | null;
  batchSize?: number;
  onProgress?: (progress: SweepProgress) => void;
}

export interface SweepProgress {
  disposed: number;
  remaining: number;
}

export interface SweepReport {
  runId: string | null;
  asOf: string;
  dryRun: boolean;
  /** What is (or was) due, grouped: the dry run's report. */
  groups: { organisation: string; category: string; rule: string | null; records: number }[];
  disposed: number;
  certificates: number;
  /** Records archived, made inaccessible or returned to the partnership (record-states.ts). */
  applied: number;
  /** Earlier sweeps found stopped part-way, now marked interrupted. */
  interruptedEarlier: number;
}

export class SweepAlreadyRunningError extends ConflictError {
  constructor() {
    super('Not started: a retention sweep is already running. Try again when it has finished.');
  }
}

export async function runSweep(
  db: Kysely<Database>,
  certified: CertifiedDisposal,
  now: () => Date,
  options: SweepOptions,
): Promise<SweepReport> {
  // One session for the whole process: borrowed a statement or a batch at a time.
  if (await sessionIsShared(db)) return sweepOn(db, certified, now, options);
  // Its own session: the lock lives as long as this connection does.
  return db.connection().execute((connection) => sweepOn(connection, certified, now, options));
}

/** Lets timers and I/O (requests waiting to be read) run before the next batch. */
function turnOfTheEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function sweepOn(
  connection: Kysely<Database>,
  certified: CertifiedDisposal,
  now: () => Date,
  options: SweepOptions,
): Promise<SweepReport> {
  const batchSize = options.batchSize ?? 200;
  if (!(await takeSweepLock(connection))) throw new SweepAlreadyRunningError();
  let runId: string | null = null;
  try {
    const interruptedEarlier = await markInterruptedRuns(connection, now());
    const groups = await connection
      .selectFrom('case_record')
      .innerJoin('organisation', 'organisation.id', 'case_record.organisation_id')
      .select((eb) => [
        'organisation.slug as organisation',
        'case_record.category',
        'case_record.retention_rule_id as rule',
        eb.fn.countAll<number>().as('records'),
      ])
      .where((eb) => eb.or([dueForDestruction(eb, options.asOf), dueForAction(eb, options.asOf)]))
      .groupBy(['organisation.slug', 'case_record.category', 'case_record.retention_rule_id'])
      .orderBy('organisation.slug')
      .orderBy('case_record.category')
      .execute();
    const itemGroups = [];
    for (const item of partnershipItemKinds) {
      itemGroups.push(...(await dueItemGroups(connection, item, options.asOf)));
    }
    // People in no record (decision 0020) and finished rights requests (0021).
    itemGroups.push(...(await duePeopleGroups(connection, options.asOf)));
    itemGroups.push(...(await dueRequestGroups(connection, options.asOf)));
    itemGroups.push(...(await dueReturnFileGroups(connection, options.asOf)));
    const report: SweepReport = {
      runId: null,
      asOf: options.asOf,
      dryRun: options.dryRun,
      groups: [...groups.map((g) => ({ ...g, records: Number(g.records) })), ...itemGroups],
      disposed: 0,
      certificates: 0,
      applied: 0,
      interruptedEarlier,
    };
    const total = report.groups.reduce((sum, g) => sum + g.records, 0);
    const run = await connection
      .insertInto('retention_sweep_run')
      .values({
        as_of: options.asOf,
        dry_run: options.dryRun,
        started_by: options.actorAccountId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    report.runId = runId = run.id;
    if (!options.dryRun) {
      const approval: Approval = {
        approval: 'schedule',
        approvedBy: options.actorAccountId ?? null,
        sweepRunId: run.id,
      };
      for (const nextBatch of batchSources(certified, options, batchSize, approval)) {
        for (;;) {
          const batch = await connection.transaction().execute(async (trx) => {
            const done = await nextBatch(trx);
            if (done && done.disposed > 0) {
              await trx
                .updateTable('retention_sweep_run')
                .set((eb) => ({ records_disposed: eb('records_disposed', '+', done.disposed) }))
                .where('id', '=', run.id)
                .execute();
            }
            return done;
          });
          if (!batch) break;
          report.disposed += batch.disposed;
          report.certificates += batch.certificates;
          report.applied += batch.applied ?? 0;
          options.onProgress?.({
            disposed: report.disposed,
            remaining: Math.max(0, total - report.disposed),
          });
          await turnOfTheEventLoop();
        }
      }
    }
    await connection
      .updateTable('retention_sweep_run')
      .set({ finished_at: now() })
      .where('id', '=', run.id)
      .execute();
    await connection.transaction().execute((trx) =>
      recordAudit(trx, {
        action: options.dryRun ? 'retention.sweep.dry-run' : 'retention.sweep',
        actorAccountId: options.actorAccountId ?? null,
        organisationId: null,
        objectType: 'retention-sweep-run',
        objectIds: [run.id],
        purpose: 'retention',
      }),
    );
    return report;
  } catch (error) {
    // Stopped by an error rather than a kill: say so now, if the
    // database still answers; otherwise the next sweep will.
    if (runId) {
      await connection
        .updateTable('retention_sweep_run')
        .set({ interrupted_at: now() })
        .where('id', '=', runId)
        .where('finished_at', 'is', null)
        .execute()
        .catch(() => undefined);
    }
    throw error;
  } finally {
    await releaseSweepLock(connection);
  }
}

type Batch = { disposed: number; certificates: number; applied?: number } | null;

/**
 * Each source picks its next batch (locked inside the transaction that
 * disposes of it, so a hold placed a moment ago is respected), disposes of
 * it and certifies it; null when it has nothing left. In this order.
 */
function batchSources(
  certified: CertifiedDisposal,
  options: SweepOptions,
  batchSize: number,
  approval: Approval,
): ((trx: Transaction<Database>) => Promise<Batch>)[] {
  return [
    async (trx) => {
      const records = await trx
        .selectFrom('case_record')
        .select(recordToDisposeColumns)
        .where((eb) => dueForDestruction(eb, options.asOf))
        // Oldest first, along case_record_due_for_destruction.
        .orderBy('retention_due')
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (records.length === 0) return null;
      const certificates = await certified.disposeRecords(trx, records, approval);
      return { disposed: records.length, certificates };
    },
    // Archive, make inaccessible, return: applied as of the sweep's date.
    async (trx) => {
      const records = await trx
        .selectFrom('case_record')
        .innerJoin('organisation', 'organisation.id', 'case_record.organisation_id')
        .select([
          'case_record.id',
          'case_record.organisation_id',
          'case_record.category',
          'case_record.retention_rule_id',
          'case_record.retention_action',
          'organisation.slug as organisation',
        ])
        .where((eb) => dueForAction(eb, options.asOf))
        .orderBy('case_record.retention_due')
        .orderBy('case_record.id')
        .limit(batchSize)
        .forUpdate('case_record')
        .skipLocked()
        .execute();
      if (records.length === 0) return null;
      for (const record of records) {
        await applyDueAction(
          trx,
          record,
          record.organisation,
          { accountId: options.actorAccountId ?? null, approval: 'schedule' },
          options.asOf,
        );
      }
      return { disposed: 0, certificates: 0, applied: records.length };
    },
    ...partnershipItemKinds.map((item) => async (trx: Transaction<Database>) => {
      const rows = await nextDueItems(trx, item, options.asOf, batchSize);
      if (rows.length === 0) return null;
      const certificates = await certified.disposeItems(trx, item, rows, approval);
      return { disposed: rows.length, certificates };
    }),
    // Finished rights requests first: one may name a person about to go.
    async (trx) => {
      const requests = await nextDueRequests(trx, options.asOf, batchSize);
      if (requests.length === 0) return null;
      const certificates = await certified.disposeRightsRequests(trx, requests, approval);
      return { disposed: requests.length, certificates };
    },
    // Statutory returns' kept files (issue 17); the returns stay.
    async (trx) => {
      const files = await nextDueReturnFiles(trx, options.asOf, batchSize);
      if (files.length === 0) return null;
      const certificates = await certified.disposeReturnFiles(trx, files, approval);
      return { disposed: files.length, certificates };
    },
    // Last: people left in no record, including by the batches above.
    async (trx) => {
      const people = await nextDuePeople(trx, options.asOf, batchSize);
      if (people.length === 0) return null;
      const certificates = await certified.disposePeople(trx, people, approval);
      return { disposed: people.length, certificates };
    },
  ];
}
