import { canGovernRecords } from '../../platform/access/access.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { formatDate } from '../../platform/http/views.js';
import { policyFor, type OrganisationSlug } from '../../policy/index.js';

export interface NoticeReviewReminder {
  /** "5 December 2026", or null when the policy sets no review date. */
  dueOn: string | null;
  overdue: boolean;
  lastUpdated: string | null;
}

/**
 * The notice review reminder for the DPO's home page (issue 11 "Notice
 * review"): the notices promise to "keep this privacy notice under regular
 * review", so when the policy's review date has come — or the policy sets
 * none, which leaves the promise with no date to keep it by — the DPO of
 * the organisation is reminded. Null for everyone else, and when not due.
 * `today` is an ISO calendar date in England.
 */
export function noticeReviewReminder(
  staff: StaffContext,
  today: string,
): NoticeReviewReminder | null {
  const organisation = staff.organisation;
  if (!organisation || !canGovernRecords(staff, organisation.id)) return null;
  if (!staff.roles.includes('data-protection-officer')) return null;
  const review = policyFor(organisation.slug as OrganisationSlug).noticeReview;
  if (review.nextReviewDue && review.nextReviewDue > today) return null;
  return {
    dueOn: review.nextReviewDue ? formatDate(review.nextReviewDue) : null,
    overdue: review.nextReviewDue !== null && review.nextReviewDue < today,
    lastUpdated: review.lastUpdated ? formatDate(review.lastUpdated) : null,
  };
}
