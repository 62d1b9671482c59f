import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { governedPerson, governedRecord } from '../platform/access/resolve.js';
import { ConflictError, NotFoundError } from '../platform/errors/errors.js';
import { Temporal } from 'temporal-polyfill';
import { CertifiedDisposal } from './certified-disposal.js';
import type { DisposalJournalEntry } from './disposal-journal.js';
import { replayDisposals } from './replay.js';
import type { RecordDisposal } from './disposal.js';
import {
  itemCounts,
  itemsForReview,
  lockOwnItem,
  type PartnershipItemKind,
} from './partnership-items.js';
import type { HoldType } from './tables.js';
import { keepRecord, mayChoose } from './record-states.js';
import { dueForDestruction, dueForReview, notHeld } from './due.js';
import { runSweep, type SweepOptions, type SweepReport } from './sweep.js';

/**
 * Retention in practice: the dashboard, legal holds, review decisions and
 * the sweep that disposes of what is due. The due dates themselves are
 * computed by the pure engine and stored on each record by casework.
 */

// The sweep lives in sweep.ts; these are re-exported for its callers.
export { SweepAlreadyRunningError, type SweepProgress, type SweepReport } from './sweep.js';

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
   * destroys it in batches, each one transaction (sweep.ts).
   */
  sweep(options: SweepOptions): Promise<SweepReport> {
    return runSweep(this.db, this.certified, this.now, options);
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
