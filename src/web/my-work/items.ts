import { Temporal } from 'temporal-polyfill';

/**
 * One thing on a person's "My work" page (issue 13 item 1): something due,
 * overdue or waiting for them, one click from the page where it is done.
 * Words only: `due` is a calendar date the page shows as "5 December 2026".
 */
export type Urgency = 'overdue' | 'due-soon' | 'later' | 'no-date';

export interface WorkItem {
  /** Which clock it comes from, for the tag and for tests. */
  source:
    | 'rights'
    | 'rights-approval'
    | 'disclosure-approval'
    | 'disclosure-expiry'
    | 'retention'
    | 'practice-review'
    | 'complaint'
    | 'breach'
    | 'visit'
    | 'review'
    | 'oversight';
  title: string;
  /** What is due, in words ("Acknowledge the complaint"). */
  detail: string;
  href: string;
  /** The last day, or null where there is no date (a review with no date yet). */
  due: string | null;
  urgency: Urgency;
}

/** "Due soon" looks a working week and a bit ahead: the rights reminders' 5 working days, rounded. */
export const DUE_SOON_DAYS = 7;

export function urgencyOf(due: string | null, today: string): Urgency {
  if (due === null) return 'no-date';
  if (due < today) return 'overdue';
  const horizon = Temporal.PlainDate.from(today).add({ days: DUE_SOON_DAYS }).toString();
  return due <= horizon ? 'due-soon' : 'later';
}

const rank: Record<Urgency, number> = { overdue: 0, 'due-soon': 1, 'no-date': 2, later: 3 };

/**
 * Most urgent first: overdue (longest overdue first), due soon (soonest
 * first), things with no date (they need a person to decide one), then
 * later. Ties by title, so the order is stable.
 */
export function byUrgency(a: WorkItem, b: WorkItem): number {
  if (rank[a.urgency] !== rank[b.urgency]) return rank[a.urgency] - rank[b.urgency];
  if (a.due !== b.due) return (a.due ?? '').localeCompare(b.due ?? '');
  return a.title.localeCompare(b.title) || a.href.localeCompare(b.href);
}
