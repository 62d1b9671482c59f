/**
 * The notices' disposals other than destruction (issue 12 item 15; decision
 * 0020; what each means is policy: src/policy/retention-actions.ts):
 * - archive (Kent SCS): kept read-only, out of lists and search, visible to
 *   information governance — and kept so, as an archive;
 * - make inaccessible (Kent LADO): nobody but information governance may
 *   open it, and only with a reason; destroyed by the sweep when the policy's
 *   years have passed;
 * - return to the partnership (KSCMP's MeLearning data): re-filed as the
 *   partnership's own category, whose schedule then applies.
 * Each is done by a reviewer's decision or by the sweep on the due date, in
 * the caller's transaction, with its audit event. The access decision
 * (platform/access/access.ts) and the database (migration 0026) enforce what
 * each state allows.
 */
import type { Transaction } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import { refileRecord } from '../casework/refile.js';
import type { Database } from '../db/schema.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import {
  keptStateOf,
  retentionActionsFor,
  type KeepingAction,
} from '../policy/retention-actions.js';
import { findCategory, isOrganisationSlug, type CategorySlug } from '../policy/index.js';
import { formatLongDate } from './calendar.js';

/** The scheduled actions the sweep applies rather than destroys. */
export const appliedActions = ['archive', 'make-inaccessible', 'return-to-partnership'] as const;
export type AppliedAction = (typeof appliedActions)[number];

export interface RecordToKeep {
  id: string;
  organisation_id: string;
  category: string;
  retention_rule_id: string | null;
}

export interface Actor {
  accountId: string | null;
  /** 'schedule' for the sweep, 'review-decision' for a reviewer. */
  approval: 'schedule' | 'review-decision';
}

/** Whether the organisation's policy lets a reviewer choose this for the category. */
export function mayChoose(organisation: string, category: string, action: KeepingAction): boolean {
  return retentionActionsFor(organisation, category).reviewChoices.includes(action);
}

/**
 * Archives the record or makes it inaccessible, today. An inaccessible
 * record whose policy gives it years is then scheduled for destruction that
 * many years on; otherwise it is kept in its state, and the explanation
 * says so.
 */
export async function keepRecord(
  trx: Transaction<Database>,
  record: RecordToKeep,
  organisation: string,
  action: KeepingAction,
  actor: Actor,
  today: string,
): Promise<void> {
  const policy = retentionActionsFor(organisation, record.category);
  const state = keptStateOf[action];
  const on = Temporal.PlainDate.from(today);
  const years = action === 'make-inaccessible' ? policy.inaccessibleYears : undefined;
  const destroyOn = years ? on.add({ years }) : null;
  const how =
    actor.approval === 'schedule' ? 'by the retention schedule' : 'by a reviewer’s decision';
  const explanation =
    state === 'archived'
      ? `Archived on ${formatLongDate(on)} ${how}: kept read-only, out of lists and search, for information governance only.`
      : `Made inaccessible to system users on ${formatLongDate(on)} ${how}: only information governance may open it, with a reason.` +
        (destroyOn
          ? ` It is due for destruction on ${formatLongDate(destroyOn)}, ${years} years later.`
          : '');
  await trx
    .updateTable('case_record')
    .set({
      record_state: state,
      state_changed_on: today,
      retention_status: 'scheduled',
      retention_due: destroyOn ? destroyOn.toString() : today,
      retention_action: destroyOn ? 'destroy' : action,
      retention_needs_review: false,
      retention_explanation: explanation,
      retention_assessed_at: new Date(),
    })
    .where('id', '=', record.id)
    .execute();
  await recordAudit(trx, {
    action: `record.${action}`,
    actorAccountId: actor.accountId,
    organisationId: record.organisation_id,
    objectType: 'case-record',
    objectIds: [record.id],
    purpose: 'retention',
  });
}

/**
 * Returns the record to the partnership: re-filed into the category the
 * policy names, whose schedule then applies (a missing date sends it to
 * review). Without a category in policy nothing is guessed: it goes to review.
 */
export async function returnRecord(
  trx: Transaction<Database>,
  record: RecordToKeep,
  organisation: string,
  actor: Actor,
  today: string,
): Promise<void> {
  const into = retentionActionsFor(organisation, record.category).returnInto;
  if (!into || !isOrganisationSlug(organisation) || !findCategory(organisation, into)) {
    await trx
      .updateTable('case_record')
      .set({
        retention_status: 'needs-review',
        retention_action: 'review',
        retention_needs_review: true,
        retention_explanation:
          'Due for return to the partnership, but the policy names no category to return it into: a person must decide.',
      })
      .where('id', '=', record.id)
      .execute();
    return;
  }
  const from = findCategory(organisation, record.category as CategorySlug)?.name ?? 'its category';
  await refileRecord(
    trx,
    {
      recordId: record.id,
      organisationId: record.organisation_id,
      organisationSlug: organisation,
      fromCategory: record.category,
      toCategory: into,
      reason: `Returned to the partnership on ${formatLongDate(Temporal.PlainDate.from(today))} at the end of the contract (${from}): ${retentionActionsFor(organisation, record.category).source}`,
      actorAccountId: actor.accountId,
      purpose: 'retention',
    },
    today,
  );
}

/** Applies one record's due scheduled action (the sweep, in its batch's transaction). */
export async function applyDueAction(
  trx: Transaction<Database>,
  record: RecordToKeep & { retention_action: string | null },
  organisation: string,
  actor: Actor,
  today: string,
): Promise<void> {
  switch (record.retention_action) {
    case 'archive':
    case 'make-inaccessible':
      return keepRecord(trx, record, organisation, record.retention_action, actor, today);
    case 'return-to-partnership':
      return returnRecord(trx, record, organisation, actor, today);
    default:
      throw new Error(`not an applied action: ${String(record.retention_action)}`);
  }
}
