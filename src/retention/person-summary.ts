/**
 * What is kept about a person whose file spans several records and
 * categories (issue 4, "The engine"): the latest due date and the most
 * protective action govern, whatever order the records come in, and the
 * explanation says which rule won. A person's identity (name, identifiers,
 * relationships) is needed as long as any record about them is kept.
 */
import { retentionActions } from '../policy/types.js';
import type { RetentionAction } from '../policy/types.js';
import { compareDates, formatLongDate } from './calendar.js';
import type { PlainDate } from './calendar.js';
import type {
  NeedsReviewAssessment,
  NoRuleAssessment,
  PendingAssessment,
  RetentionAssessment,
  ScheduledAssessment,
} from './engine.js';
import { actionNoun } from './wording.js';

/**
 * How protective an action is of what is kept: `retentionActions` runs from
 * destroy (nothing survives) through make-inaccessible, return to the
 * partnership and review (a person decides) to archive (kept permanently).
 */
export function protectiveness(action: RetentionAction): number {
  return retentionActions.indexOf(action);
}

export function moreProtective(a: RetentionAction, b: RetentionAction): RetentionAction {
  return protectiveness(a) >= protectiveness(b) ? a : b;
}

export interface PersonRetentionSummary {
  /**
   * `scheduled`: every record has a due date; `pending`: some record's clock
   * has not started (e.g. a live subscription); `needs-review`: some record
   * lacks a fact or a rule, so no final date can be given; `no-records`.
   */
  status: 'scheduled' | 'pending' | 'needs-review' | 'no-records';
  /** When status is `scheduled`: the first day the person's data may go. */
  due: PlainDate | null;
  /** The latest due date among the records that have one, whatever the status. */
  latestKnownDue: PlainDate | null;
  /** The most protective action among the records that have a due date. */
  action: RetentionAction | null;
  /** The record whose rule set the date, and the one whose rule set the action. */
  dateSetBy: ScheduledAssessment | null;
  actionSetBy: ScheduledAssessment | null;
  /** Records that stop a final date: needing review, with no rule, or pending. */
  blockedBy: readonly (NeedsReviewAssessment | NoRuleAssessment | PendingAssessment)[];
  explanation: string;
}

/** A total order so that ties are settled the same way whatever the input order. */
function tieBreak(a: ScheduledAssessment, b: ScheduledAssessment): number {
  return (
    a.organisation.localeCompare(b.organisation) ||
    a.category.localeCompare(b.category) ||
    a.rule.id.localeCompare(b.rule.id) ||
    compareDates(a.trigger.date, b.trigger.date)
  );
}

/** Latest date first; on the same date the more protective action first. */
function byDateThenProtection(a: ScheduledAssessment, b: ScheduledAssessment): number {
  return (
    compareDates(b.due, a.due) ||
    protectiveness(b.action) - protectiveness(a.action) ||
    tieBreak(a, b)
  );
}

/** Most protective action first; for the same action the later date first. */
function byProtectionThenDate(a: ScheduledAssessment, b: ScheduledAssessment): number {
  return (
    protectiveness(b.action) - protectiveness(a.action) ||
    compareDates(b.due, a.due) ||
    tieBreak(a, b)
  );
}

function describeWinner(assessment: ScheduledAssessment): string {
  return `${assessment.organisation} ${assessment.category} (rule ${assessment.rule.id})`;
}

export function summarisePersonRetention(
  assessments: readonly RetentionAssessment[],
): PersonRetentionSummary {
  if (assessments.length === 0) {
    return {
      status: 'no-records',
      due: null,
      latestKnownDue: null,
      action: null,
      dateSetBy: null,
      actionSetBy: null,
      blockedBy: [],
      explanation:
        'No record refers to this person, so nothing justifies keeping their details any longer.',
    };
  }

  const scheduled = assessments.filter((a): a is ScheduledAssessment => a.status === 'scheduled');
  const blockedBy = assessments.filter(
    (a): a is NeedsReviewAssessment | NoRuleAssessment | PendingAssessment =>
      a.status !== 'scheduled',
  );
  const dateSetBy = [...scheduled].sort(byDateThenProtection)[0] ?? null;
  const actionSetBy = [...scheduled].sort(byProtectionThenDate)[0] ?? null;
  const needsReview = blockedBy.some((a) => a.needsReview);
  const status = needsReview ? 'needs-review' : blockedBy.length > 0 ? 'pending' : 'scheduled';

  const sentences: string[] = [];
  if (dateSetBy && actionSetBy) {
    sentences.push(
      `The latest date among this person's ${assessments.length} record${assessments.length === 1 ? '' : 's'} is ${formatLongDate(dateSetBy.due)}, set by ${describeWinner(dateSetBy)}.`,
    );
    sentences.push(
      actionSetBy === dateSetBy
        ? `Its action, ${actionNoun(actionSetBy.action)}, is also the most protective.`
        : `The most protective action is ${actionNoun(actionSetBy.action)}, set by ${describeWinner(actionSetBy)}.`,
    );
  }
  if (status === 'needs-review') {
    sentences.push(
      `No final date can be given: ${blockedBy.filter((a) => a.needsReview).length} record(s) need review or have no rule (${blockedBy
        .filter((a) => a.needsReview)
        .map((a) => `${a.organisation} ${a.category}`)
        .join(', ')}).`,
    );
  } else if (status === 'pending') {
    sentences.push(
      `Nothing about the person is due yet: ${blockedBy
        .map((a) => `${a.organisation} ${a.category}`)
        .join(', ')} ${blockedBy.length === 1 ? 'has' : 'have'} no date until an event happens.`,
    );
  }

  return {
    status,
    due: status === 'scheduled' ? (dateSetBy?.due ?? null) : null,
    latestKnownDue: dateSetBy?.due ?? null,
    action: actionSetBy?.action ?? null,
    dateSetBy,
    actionSetBy,
    blockedBy,
    explanation: sentences.join(' '),
  };
}
