import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
} from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { governedPerson, governedRecord } from '../platform/access/resolve.js';
import { ConflictError, NotFoundError } from '../platform/errors/errors.js';
import { Temporal } from 'temporal-polyfill';
import { CertifiedDisposal, type Approval } from './certified-disposal.js';
import type { DisposalJournalEntry } from './disposal-journal.js';
import { replayDisposals } from './replay.js';
import type { RecordDisposal } from './disposal.js';
import {
  dueItemGroups,
  itemCounts,
  itemsForReview,
  lockOwnItem,
  nextDueItems,
  partnershipItemKinds,
  type PartnershipItemKind,
} from './partnership-items.js';
import type { HoldType } from './tables.js';
import { markInterruptedRuns, SWEEP_LOCK } from './sweep-runs.js';
import { applyDueAction, appliedActions, keepRecord, mayChoose } from './record-states.js';
import { duePeopleGroups, nextDuePeople } from './people-without-records.js';
import { dueRequestGroups, nextDueRequests } from './rights-requests.js';
import { dueReturnFileGroups, nextDueReturnFiles } from './return-files.js';

/**
 * Retention in practice: the dashboard, legal holds, review decisions and
 * the sweep that disposes of what is due. The due dates themselves are
 * computed by the pure engine and stored on each record by casework.
 */

type RecordRow = ExpressionBuilder<Database, 'case_record'>;

/**
 * No active hold covers the record: by record, by a person in it, or by its
 * category — and no restriction of processing (UK GDPR Art 18) is in force
 * on it or a person in it. Restricted data may only be stored, and Art
 * 18(1)(c) keeps it for the person's legal claims, so it is kept and
 * reported with the held records until the restriction is lifted.
 */
export function notHeld(eb: RecordRow): Expression<SqlBool> {
  return eb.and([notLegallyHeld(eb), notRestricted(eb)]);
}

function notRestricted(eb: RecordRow): Expression<SqlBool> {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('restriction as rs')
        .select(sql`1`.as('one'))
        .where('rs.lifted_at', 'is', null)
        .where((r) =>
          r.or([
            r('rs.record_id', '=', r.ref('case_record.id')),
            r.exists(
              r
                .selectFrom('record_party as rsp')
                .select(sql`1`.as('one'))
                .whereRef('rsp.record_id', '=', 'case_record.id')
                .whereRef('rsp.person_id', '=', 'rs.person_id'),
            ),
          ]),
        ),
    ),
  );
}

function notLegallyHeld(eb: RecordRow): Expression<SqlBool> {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('retention_hold as h')
        .select(sql`1`.as('one'))
        .where('h.released_at', 'is', null)
        .whereRef('h.organisation_id', '=', 'case_record.organisation_id')
        .where((hold) =>
          hold.or([
            hold.and([
              hold('h.scope', '=', 'record'),
              hold('h.record_id', '=', hold.ref('case_record.id')),
            ]),
            hold.and([
              hold('h.scope', '=', 'category'),
              hold('h.category', '=', hold.ref('case_record.category')),
            ]),
            hold.and([
              hold('h.scope', '=', 'person'),
              hold.exists(
                hold
                  .selectFrom('record_party as p')
                  .select(sql`1`.as('one'))
                  .whereRef('p.record_id', '=', 'case_record.id')
                  .whereRef('p.person_id', '=', 'h.person_id'),
              ),
            ]),
          ]),
        ),
    ),
  );
}

/** No reviewer has decided to keep the record beyond `asOf`. */
function notKeptBeyond(eb: RecordRow, asOf: string): Expression<SqlBool> {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('retention_decision as d')
        .select(sql`1`.as('one'))
        .whereRef('d.record_id', '=', 'case_record.id')
        .where('d.decision', '=', 'keep-until')
        .where('d.keep_until', '>', asOf),
    ),
  );
}

/** Records the schedule says to destroy by `asOf`, not held and not kept by a decision. */
function dueForDestruction(eb: RecordRow, asOf: string): Expression<SqlBool> {
  return eb.and([
    eb('case_record.retention_status', '=', 'scheduled'),
    eb('case_record.retention_action', '=', 'destroy'),
    eb('case_record.retention_needs_review', '=', false),
    eb('case_record.retention_due', '<=', asOf),
    notHeld(eb),
    notKeptBeyond(eb, asOf),
  ]);
}

/** Records a person must look at by `asOf`: reviews due, unknown dates, no rule. */
function dueForReview(eb: RecordRow, asOf: string): Expression<SqlBool> {
  return eb.and([
    eb.or([
      eb('case_record.retention_needs_review', '=', true),
      eb.and([
        eb('case_record.retention_status', '=', 'scheduled'),
        eb('case_record.retention_action', 'not in', ['destroy', ...appliedActions]),
        eb('case_record.retention_due', '<=', asOf),
      ]),
    ]),
    // A kept record's retention was decided when it was kept.
    eb('case_record.record_state', '=', 'active'),
    notHeld(eb),
    notKeptBeyond(eb, asOf),
  ]);
}

/**
 * Records whose schedule says to archive, make inaccessible or return by
 * `asOf` (record-states.ts): the sweep applies these, as it destroys what is
 * due for destruction — holds and keep decisions respected alike.
 */
function dueForAction(eb: RecordRow, asOf: string): Expression<SqlBool> {
  return eb.and([
    eb('case_record.retention_status', '=', 'scheduled'),
    eb('case_record.retention_action', 'in', [...appliedActions]),
    eb('case_record.retention_needs_review', '=', false),
    eb('case_record.retention_due', '<=', asOf),
    eb('case_record.record_state', '=', 'active'),
    notHeld(eb),
    notKeptBeyond(eb, asOf),
  ]);
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

export class RetentionService {
  private readonly certified: CertifiedDisposal;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly disposal: RecordDisposal,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.certified = new CertifiedDisposal(disposal, now);
  }

  /** Re-applies the journal's disposals a restored database does not know (replay.ts). */
  replayDisposals(entries: readonly DisposalJournalEntry[], actorAccountId: string | null = null) {
    return replayDisposals(this.db, this.disposal, entries, { actorAccountId, now: this.now });
  }

  // --- dashboard -----------------------------------------------------------

  async dashboard(staff: StaffContext, asOf: string) {
    const organisationId = requireOrganisation(staff);
    const in90 = addDays(asOf, 90);
    const base = this.db.selectFrom('case_record').where('organisation_id', '=', organisationId);
    const count = (q: typeof base) =>
      q
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    const [overdue, dueSoon, needsReview, noRule, held, items] = await Promise.all([
      count(base.where((eb) => dueForDestruction(eb, addDays(asOf, -1)))),
      count(
        base.where((eb) =>
          eb.and([
            eb('retention_status', '=', 'scheduled'),
            eb('retention_due', '>=', asOf),
            eb('retention_due', '<=', in90),
          ]),
        ),
      ),
      count(base.where((eb) => dueForReview(eb, asOf))),
      count(base.where('retention_status', '=', 'no-rule')),
      count(base.where((eb) => eb.not(notHeld(eb)))),
      // The partnerships' own rows: reviewed and held the same way.
      itemCounts(this.db, organisationId, asOf),
    ]);
    return {
      asOf,
      overdue,
      dueSoon,
      needsReview: needsReview + items.needsReview,
      noRule,
      held: held + items.held,
    };
  }

  /**
   * Case records and the partnerships' own rows (bookings, surveys,
   * meetings) that need a person, in one queue: undated first, then the
   * soonest due. `kind` says which, and so which decision page.
   */
  async reviewQueue(staff: StaffContext, asOf: string, limit = 50) {
    const organisationId = requireOrganisation(staff);
    const [records, items] = await Promise.all([
      this.recordsForReview(organisationId, asOf, limit),
      itemsForReview(this.db, organisationId, asOf, limit),
    ]);
    return [...records.map((r) => ({ ...r, kind: 'case-record' as const })), ...items]
      .sort((a, b) =>
        a.due === b.due
          ? a.id.localeCompare(b.id)
          : a.due === null
            ? -1
            : b.due === null
              ? 1
              : a.due.localeCompare(b.due),
      )
      .slice(0, limit);
  }

  private recordsForReview(organisationId: string, asOf: string, limit: number) {
    return this.db
      .selectFrom('case_record')
      .select([
        'id',
        'category',
        'retention_status as status',
        'retention_due as due',
        'retention_action as action',
        'retention_explanation as explanation',
      ])
      .where('organisation_id', '=', organisationId)
      .where((eb) => dueForReview(eb, asOf))
      .orderBy('retention_due', (o) => o.asc().nullsFirst())
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  // --- holds -----------------------------------------------------------------

  async placeHold(
    staff: StaffContext,
    input: {
      scope: 'record' | 'person' | 'category';
      targetId: string;
      holdType: HoldType;
      reason: string;
      reviewOn: string;
    },
  ): Promise<string> {
    const organisationId = requireOrganisation(staff);
    return this.db.transaction().execute(async (trx) => {
      // The target must be this organisation's own.
      // Through the access decision: another organisation's (or a merged
      // away) person or record answers as one that does not exist.
      if (input.scope === 'record') await governedRecord(trx, staff, input.targetId);
      if (input.scope === 'person') await governedPerson(trx, staff, input.targetId);
      const { id } = await trx
        .insertInto('retention_hold')
        .values({
          organisation_id: organisationId,
          scope: input.scope,
          record_id: input.scope === 'record' ? input.targetId : null,
          person_id: input.scope === 'person' ? input.targetId : null,
          category: input.scope === 'category' ? input.targetId : null,
          hold_type: input.holdType,
          reason: input.reason,
          placed_by: staff.accountId,
          review_on: input.reviewOn,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        action: 'retention.hold.place',
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'retention-hold',
        objectIds: [id, ...(input.scope === 'category' ? [] : [input.targetId])],
        purpose: 'retention',
      });
      return id;
    });
  }

  async releaseHold(staff: StaffContext, holdId: string): Promise<void> {
    const organisationId = requireOrganisation(staff);
    await this.db.transaction().execute(async (trx) => {
      const released = await trx
        .updateTable('retention_hold')
        .set({ released_at: this.now(), released_by: staff.accountId })
        .where('id', '=', holdId)
        .where('organisation_id', '=', organisationId)
        .where('released_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (!released) throw new NotFoundError('No such active hold');
      await recordAudit(trx, {
        action: 'retention.hold.release',
        actorAccountId: staff.accountId,
        organisationId,
        objectType: 'retention-hold',
        objectIds: [holdId],
        purpose: 'retention',
      });
    });
  }

  async activeHolds(staff: StaffContext) {
    const organisationId = requireOrganisation(staff);
    // What each hold covers, for the page to name in words.
    return this.db
      .selectFrom('retention_hold as h')
      .leftJoin('person as p', 'p.id', 'h.person_id')
      .leftJoin('case_record as c', 'c.id', 'h.record_id')
      .selectAll('h')
      .select([
        'p.given_name as person_given_name',
        'p.family_name as person_family_name',
        'c.category as record_category',
        'c.opened_on as record_opened_on',
      ])
      .where('h.organisation_id', '=', organisationId)
      .where('h.released_at', 'is', null)
      .orderBy('h.review_on')
      .execute();
  }

  // --- review decisions ------------------------------------------------------

  /**
   * A reviewer's decision on a record that came up for review: destroy now
   * (disposed of in this transaction, with its certificate), keep until a
   * date with a rationale (e.g. the LADO's "pattern of concern"), or hold.
   */
  async decide(staff: StaffContext, recordId: string, input: DecisionInput): Promise<void> {
    const organisationId = requireOrganisation(staff);
    await this.db.transaction().execute(async (trx) => {
      const record = await this.ownRecord(trx, organisationId, recordId);
      const organisation = staff.organisation?.slug ?? '';
      if (input.decision === 'archive' || input.decision === 'make-inaccessible') {
        // Only where the organisation's notice allows it (policy/retention-actions.ts).
        if (!mayChoose(organisation, record.category, input.decision)) {
          throw new ConflictError(NOT_ALLOWED_FOR_CATEGORY);
        }
        if (record.record_state !== 'active') throw new ConflictError(ALREADY_KEPT);
      }
      await keepDecision(trx, staff, organisationId, { type: 'record', id: recordId }, input);
      if (input.decision === 'archive' || input.decision === 'make-inaccessible') {
        // A hold keeps the record as it is, where the holder can use it.
        const stillFree = await trx
          .selectFrom('case_record')
          .select('id')
          .where('id', '=', recordId)
          .where((eb) => notHeld(eb))
          .executeTakeFirst();
        if (!stillFree) throw new RecordHeldError();
        await keepRecord(
          trx,
          record,
          organisation,
          input.decision,
          { accountId: staff.accountId, approval: 'review-decision' },
          this.today(),
        );
      }
      if (input.decision === 'destroy') {
        // Holds are checked again here, inside the destroying transaction.
        const stillFree = await trx
          .selectFrom('case_record')
          .select('id')
          .where('id', '=', recordId)
          .where((eb) => notHeld(eb))
          .forUpdate()
          .executeTakeFirst();
        if (!stillFree) throw new RecordHeldError();
        await this.certified.disposeRecords(trx, [record], {
          approval: 'review-decision',
          approvedBy: staff.accountId,
        });
      }
    });
  }

  /**
   * The same decisions on one of the partnerships' own rows (a training
   * booking, a survey, a meeting) that came up for review. The decision is
   * kept against the row's id, as for a record; a hold is a hold on that row
   * alone; "destroy" disposes of it here, with its certificate.
   */
  async decideItem(
    staff: StaffContext,
    item: PartnershipItemKind,
    itemId: string,
    input: DecisionInput,
  ): Promise<void> {
    const organisationId = requireOrganisation(staff);
    // The partnerships' own rows are destroyed or kept, never archived or hidden.
    if (input.decision === 'archive' || input.decision === 'make-inaccessible') {
      throw new ConflictError(NOT_ALLOWED_FOR_CATEGORY);
    }
    await this.db.transaction().execute(async (trx) => {
      const row = await lockOwnItem(trx, item, organisationId, itemId);
      if (!row) throw new NotFoundError('No such item');
      await keepDecision(trx, staff, organisationId, { type: item.kind, id: itemId }, input);
      if (input.decision === 'destroy') {
        // Checked on the locked row, inside the destroying transaction.
        if (row.held) throw new RecordHeldError();
        await this.certified.disposeItems(trx, item, [row], {
          approval: 'review-decision',
          approvedBy: staff.accountId,
        });
      }
    });
  }

  // --- the sweep ---------------------------------------------------------------

  /**
   * Finds what the schedules say to destroy by `asOf` and, unless a dry run,
   * destroys it in batches. Each batch is one transaction: the records, their
   * certificates and audit events commit together or not at all, so a sweep
   * killed at any point leaves nothing half-destroyed, and running it again
   * carries on where it stopped without destroying anything twice.
   */
  async sweep(options: {
    asOf: string;
    dryRun: boolean;
    actorAccountId?: string | null;
    batchSize?: number;
    onProgress?: (progress: SweepProgress) => void;
  }): Promise<SweepReport> {
    const batchSize = options.batchSize ?? 200;
    return this.db.connection().execute(async (connection) => {
      const { rows } = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_lock(${SWEEP_LOCK}) as locked`.execute(connection);
      if (!rows[0]?.locked) throw new SweepAlreadyRunningError();
      let runId: string | null = null;
      try {
        const interruptedEarlier = await markInterruptedRuns(connection, this.now());
        const groups = await connection
          .selectFrom('case_record')
          .innerJoin('organisation', 'organisation.id', 'case_record.organisation_id')
          .select((eb) => [
            'organisation.slug as organisation',
            'case_record.category',
            'case_record.retention_rule_id as rule',
            eb.fn.countAll<number>().as('records'),
          ])
          .where((eb) =>
            eb.or([dueForDestruction(eb, options.asOf), dueForAction(eb, options.asOf)]),
          )
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
          // Each source picks its next batch (locked inside the transaction
          // that destroys it, so a hold placed a moment ago is respected),
          // disposes of it and certifies it; null when it has nothing left.
          type Batch = { disposed: number; certificates: number; applied?: number } | null;
          const sources: ((trx: Transaction<Database>) => Promise<Batch>)[] = [
            async (trx) => {
              const records = await trx
                .selectFrom('case_record')
                .select([
                  'id',
                  'organisation_id',
                  'category',
                  'retention_rule_id',
                  'retention_action',
                  'retention_due',
                ])
                .where((eb) => dueForDestruction(eb, options.asOf))
                // Oldest first, along case_record_due_for_destruction.
                .orderBy('retention_due')
                .orderBy('id')
                .limit(batchSize)
                .forUpdate()
                .skipLocked()
                .execute();
              if (records.length === 0) return null;
              const certificates = await this.certified.disposeRecords(trx, records, approval);
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
              const certificates = await this.certified.disposeItems(trx, item, rows, approval);
              return { disposed: rows.length, certificates };
            }),
            // Finished rights requests first: one may name a person about to go.
            async (trx) => {
              const requests = await nextDueRequests(trx, options.asOf, batchSize);
              if (requests.length === 0) return null;
              const certificates = await this.certified.disposeRightsRequests(
                trx,
                requests,
                approval,
              );
              return { disposed: requests.length, certificates };
            },
            // Statutory returns' kept files (issue 17); the returns stay.
            async (trx) => {
              const files = await nextDueReturnFiles(trx, options.asOf, batchSize);
              if (files.length === 0) return null;
              const certificates = await this.certified.disposeReturnFiles(trx, files, approval);
              return { disposed: files.length, certificates };
            },
            // Last: people left in no record, including by the batches above.
            async (trx) => {
              const people = await nextDuePeople(trx, options.asOf, batchSize);
              if (people.length === 0) return null;
              const certificates = await this.certified.disposePeople(trx, people, approval);
              return { disposed: people.length, certificates };
            },
          ];
          for (const nextBatch of sources) {
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
            }
          }
        }
        await connection
          .updateTable('retention_sweep_run')
          .set({ finished_at: this.now() })
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
            .set({ interrupted_at: this.now() })
            .where('id', '=', runId)
            .where('finished_at', 'is', null)
            .execute()
            .catch(() => undefined);
        }
        throw error;
      } finally {
        await sql`select pg_advisory_unlock(${SWEEP_LOCK})`.execute(connection);
      }
    });
  }

  async certificates(staff: StaffContext, limit = 100) {
    const organisationId = requireOrganisation(staff);
    return this.db
      .selectFrom('disposal_certificate')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('disposed_at', 'desc')
      .limit(limit)
      .execute();
  }

  private today(): string {
    return Temporal.PlainDate.from(
      this.now().toLocaleDateString('en-CA', { timeZone: 'Europe/London' }),
    ).toString();
  }

  private async ownRecord(trx: Transaction<Database>, organisationId: string, recordId: string) {
    const record = await trx
      .selectFrom('case_record')
      .select([
        'id',
        'organisation_id',
        'category',
        'retention_rule_id',
        'retention_action',
        'retention_due',
        'record_state',
      ])
      .where('id', '=', recordId)
      .where('organisation_id', '=', organisationId)
      .forUpdate()
      .executeTakeFirst();
    if (!record) throw new NotFoundError('No such record');
    return record;
  }
}

/**
 * A reviewer's decision: destroy now, keep until a date, or hold — or, where
 * the organisation's notice allows it, archive or make inaccessible now.
 */
export type DecisionInput =
  | { decision: 'destroy'; rationale: string }
  | { decision: 'archive' | 'make-inaccessible'; rationale: string }
  | { decision: 'keep-until'; keepUntil: string; rationale: string }
  | { decision: 'hold'; rationale: string; holdType: HoldType; reviewOn: string };

const NOT_ALLOWED_FOR_CATEGORY =
  'Your organisation’s privacy notice does not allow that for records of this category.';
const ALREADY_KEPT = 'The record has already been archived or made inaccessible.';

export class RecordHeldError extends ConflictError {
  constructor() {
    super('The record is under a legal hold and cannot be destroyed until the hold is released.');
  }
}

/**
 * What every review decision keeps, on a record or a partnership row alike:
 * the decision against the object's id, its audit event, and for "hold" a
 * hold on that object alone. Destroying is the caller's, as each disposes
 * of its own kind.
 */
async function keepDecision(
  trx: Transaction<Database>,
  staff: StaffContext,
  organisationId: string,
  object: { type: string; id: string },
  input: DecisionInput,
): Promise<void> {
  await trx
    .insertInto('retention_decision')
    .values({
      record_id: object.id,
      organisation_id: organisationId,
      decision: input.decision,
      keep_until: input.decision === 'keep-until' ? input.keepUntil : null,
      rationale: input.rationale,
      decided_by: staff.accountId,
    })
    .execute();
  await recordAudit(trx, {
    action: `retention.decision.${input.decision}`,
    actorAccountId: staff.accountId,
    organisationId,
    objectType: object.type,
    objectIds: [object.id],
    purpose: 'retention',
  });
  if (input.decision === 'hold') {
    await trx
      .insertInto('retention_hold')
      .values({
        organisation_id: organisationId,
        scope: 'record',
        record_id: object.id,
        hold_type: input.holdType,
        reason: input.rationale,
        placed_by: staff.accountId,
        review_on: input.reviewOn,
      })
      .execute();
  }
}

function requireOrganisation(staff: StaffContext): string {
  if (!staff.organisation || staff.stage !== 'complete') throw new NotFoundError();
  return staff.organisation.id;
}

function addDays(isoDate: string, days: number): string {
  return Temporal.PlainDate.from(isoDate).add({ days }).toString();
}
