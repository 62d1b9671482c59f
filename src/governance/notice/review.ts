import { Temporal } from 'temporal-polyfill';
import { canGovernRecords } from '../../platform/access/access.js';
import type { StaffContext } from '../../platform/auth/service.js';
import { formatDate } from '../../platform/http/views.js';
import { policyFor, type OrganisationSlug } from '../../policy/index.js';
import type { NoticeReview } from '../../policy/notice-facts.js';

/**
 * How often a notice is reviewed when its policy does not say: every 12
 * months. The notices promise only "regular review"; a year is the longest
 * gap that still reads as regular for a notice of this kind (decision 0025).
 */
export const DEFAULT_REVIEW_INTERVAL_MONTHS = 12;

/**
 * When the notice's next review falls due (YYYY-MM-DD): the date the policy
 * sets, else its last review plus its interval (or 12 months). Null when
 * the policy gives neither, which leaves the promise with no date to keep
 * it by: treated as due now.
 */
export function reviewDue(review: NoticeReview): string | null {
  if (review.nextReviewDue) return review.nextReviewDue;
  if (!review.reviewed) return null;
  return Temporal.PlainDate.from(review.reviewed)
    .add({ months: review.intervalMonths ?? DEFAULT_REVIEW_INTERVAL_MONTHS })
    .toString();
}

export interface NoticeReviewReminder {
  /** "5 December 2026", or null when the policy sets no review date. */
  dueOn: string | null;
  overdue: boolean;
  lastUpdated: string | null;
  lastReviewed: string | null;
}

/**
 * The notice review reminder for the DPO's home page (issue 11 "Notice
 * review"): the notices promise to "keep this privacy notice under regular
 * review", so when the review falls due (`reviewDue`) the DPO of the
 * organisation is reminded. Null for everyone else, and when not due.
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
  const due = reviewDue(review);
  if (due && due > today) return null;
  return {
    dueOn: due ? formatDate(due) : null,
    overdue: due !== null && due < today,
    lastUpdated: review.lastUpdated ? formatDate(review.lastUpdated) : null,
    lastReviewed: review.reviewed ? formatDate(review.reviewed) : null,
  };
}
