import { Temporal } from 'temporal-polyfill';
import { findCategory, type CategorySlug } from '../policy/index.js';
import {
  assessRetention,
  compareDates,
  formatLongDate,
  parseRetentionFacts,
} from '../retention/index.js';
import type { PartnershipSlug } from './service.js';
import type { RetentionStatus } from './tables.js';

/** Today in England, as a calendar date: retention never runs on a timestamp. */
export function londonToday(): string {
  return Temporal.Now.plainDateISO('Europe/London').toString();
}

export interface StoredRetention {
  retention_status: RetentionStatus;
  retention_due: string | null;
  retention_action: string | null;
  retention_rule_id: string | null;
  retention_needs_review: boolean;
  retention_explanation: string;
}

/**
 * Asks the pure engine (src/retention) and shapes its answer as the columns
 * every partnership record stores, in the same transaction as the facts it
 * read (design.md principle 4). A date already reached sends the record to
 * review, never to disposal on the day it was entered.
 */
export function assessFor(
  organisation: PartnershipSlug,
  category: CategorySlug,
  facts: Record<string, string>,
  today: string,
): StoredRetention {
  if (!findCategory(organisation, category)) {
    throw new Error(`${organisation} holds no ${category} records in policy`);
  }
  const parsed = parseRetentionFacts(facts);
  if (!parsed.ok) {
    return {
      retention_status: 'needs-review',
      retention_due: null,
      retention_action: 'review',
      retention_rule_id: null,
      retention_needs_review: true,
      retention_explanation: `Needs review: the recorded dates are not valid (${parsed.error}).`,
    };
  }
  const assessment = assessRetention({ organisation, category, facts: parsed.value });
  const stored: StoredRetention = {
    retention_status: assessment.status,
    retention_due: assessment.due?.toString() ?? null,
    retention_action: assessment.action,
    retention_rule_id: assessment.rule?.id ?? null,
    retention_needs_review: assessment.needsReview,
    retention_explanation: assessment.explanation,
  };
  if (
    assessment.status === 'scheduled' &&
    compareDates(assessment.due, Temporal.PlainDate.from(today)) <= 0
  ) {
    return {
      ...stored,
      retention_status: 'needs-review',
      retention_action: 'review',
      retention_needs_review: true,
      retention_explanation: `${assessment.explanation} That date (${formatLongDate(assessment.due)}) has already been reached, so the record goes to review.`,
    };
  }
  return stored;
}
