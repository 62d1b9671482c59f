/**
 * How often a child must be visited, and when the next visit is due
 * (issue 13 items 2 and 5; docs/decisions/0029-statutory-visits.md).
 *
 * - Child protection plan: every 10 working days. Under Working Together to
 *   Safeguard Children 2023 the plan says when the child will be seen, and
 *   local procedures set the minimum (Wirral: 15 working days; London: 4
 *   weeks); 10 working days is this organisation's policy (issue 13's
 *   figure), one constant to change (decision 0029 says what was checked).
 * - Looked after: the Care Planning, Placement and Case Review (England)
 *   Regulations 2010, reg 28: within 1 week of the start of a placement, then
 *   at intervals of not more than 6 weeks in the first year of it. After the
 *   first year the interval may be 3 months for a placement agreed as
 *   long-term; Safekeep does not record that agreement yet, so it keeps the
 *   6 weeks, which is never later than the law allows.
 * - Child in need: no statutory frequency. The worker may set the next visit;
 *   nothing is due until they do.
 *
 * Working days are Monday to Friday except England and Wales bank holidays
 * (the table the rights clock uses).
 */
import { Temporal } from 'temporal-polyfill';
import { addWorkingDays } from '../../practice-reviews/deadlines.js';
import { OutsideBankHolidayCalendarError } from '../../rights/clock.js';

/** Organisation policy for a child on a plan (Working Together 2023 leaves it to local procedures). */
export const PLAN_VISIT_WORKING_DAYS = 10;
/** Reg 28(2)(a): the first visit within 1 week of the start of a placement. */
export const PLACEMENT_FIRST_VISIT_DAYS = 7;
/** Reg 28(2)(b): then at intervals of not more than 6 weeks in the first year. */
export const LOOKED_AFTER_VISIT_WEEKS = 6;

export const visitCategories = ['child-protection-plan', 'looked-after', 'child-in-need'] as const;
export type VisitCategory = (typeof visitCategories)[number];

export function isVisitCategory(category: string): category is VisitCategory {
  return (visitCategories as readonly string[]).includes(category);
}

/** Whether the form asks if the child's bedroom was seen: where the child lives in care or on a plan. */
export function asksBedroom(category: VisitCategory): boolean {
  return category !== 'child-in-need';
}

/**
 * Working days after `from`. Outside the years the bank holiday table
 * covers (a visit typed in from long ago, a date far ahead) bank holidays are
 * not known, so only weekends are skipped: that gives a date no later than the
 * true one, so a visit is never shown due later than the policy allows.
 */
export function workingDaysAfter(from: string, count: number): string {
  try {
    return addWorkingDays(from, count);
  } catch (error) {
    if (!(error instanceof OutsideBankHolidayCalendarError)) throw error;
    let day = Temporal.PlainDate.from(from);
    for (let left = count; left > 0;) {
      day = day.add({ days: 1 });
      if (day.dayOfWeek <= 5) left -= 1;
    }
    return day.toString();
  }
}

/** The latest the next visit may be due after a visit on `visitedOn`; null where no frequency applies. */
export function latestNextVisit(category: VisitCategory, visitedOn: string): string | null {
  if (category === 'child-protection-plan') {
    return workingDaysAfter(visitedOn, PLAN_VISIT_WORKING_DAYS);
  }
  if (category === 'looked-after') {
    return Temporal.PlainDate.from(visitedOn).add({ weeks: LOOKED_AFTER_VISIT_WEEKS }).toString();
  }
  return null;
}

/** In words, for the form's hint and the due item: "within 10 working days". */
export function frequencyWords(category: VisitCategory): string | null {
  if (category === 'child-protection-plan') {
    return `at least every ${PLAN_VISIT_WORKING_DAYS} working days while the child is on a plan (organisation policy)`;
  }
  if (category === 'looked-after') {
    return `within ${PLACEMENT_FIRST_VISIT_DAYS} days of a placement starting, then at least every ${LOOKED_AFTER_VISIT_WEEKS} weeks (Care Planning, Placement and Case Review Regulations 2010, regulation 28)`;
  }
  return null;
}

/** What the next visit is derived from: a record's facts that the visit clock reads. */
export interface VisitClockFacts {
  category: VisitCategory;
  openedOn: string;
  /** The record's detail (jsonb): planStartedOn, placements and episodes are read. */
  detail: unknown;
  lastVisit: { visitedOn: string; nextDueOn: string | null } | null;
}

export interface VisitDue {
  due: string;
  /** Why it is due then, in words. */
  basis: string;
}

function dates(list: unknown, field: 'startedOn'): { startedOn: string; ended: boolean }[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const value = (item as Record<string, unknown>)[field];
    const ended = typeof (item as Record<string, unknown>).endedOn === 'string';
    return typeof value === 'string' ? [{ startedOn: value, ended }] : [];
  });
}

/**
 * When the current placement started: the latest placement not ended, or
 * else the latest episode of care, or else the day the record was opened.
 */
export function placementStart(detail: unknown, openedOn: string): string {
  const d = (typeof detail === 'object' && detail !== null ? detail : {}) as Record<
    string,
    unknown
  >;
  const latest = (items: { startedOn: string }[]) =>
    items.map((i) => i.startedOn).sort((a, b) => b.localeCompare(a))[0];
  return (
    latest(dates(d.placements, 'startedOn').filter((p) => !p.ended)) ??
    latest(dates(d.episodes, 'startedOn')) ??
    openedOn
  );
}

function planStart(detail: unknown, openedOn: string): string {
  const started =
    typeof detail === 'object' && detail !== null
      ? (detail as Record<string, unknown>).planStartedOn
      : undefined;
  return typeof started === 'string' ? started : openedOn;
}

/**
 * The next visit due on a record, or null where nothing is due (a child in
 * need with no next visit set). Derived, never typed by hand: from the last
 * visit's next date (which the form keeps within the policy's interval), or
 * from the plan's or placement's start when there has been no visit. A
 * placement that started after the last visit brings the 1-week visit in.
 */
export function nextVisitDue(facts: VisitClockFacts): VisitDue | null {
  const { category, openedOn, detail, lastVisit } = facts;
  if (category === 'child-protection-plan') {
    if (lastVisit?.nextDueOn) {
      return { due: lastVisit.nextDueOn, basis: 'Next visit set at the last visit' };
    }
    const from = lastVisit?.visitedOn ?? planStart(detail, openedOn);
    return {
      due: workingDaysAfter(from, PLAN_VISIT_WORKING_DAYS),
      basis: lastVisit
        ? `${PLAN_VISIT_WORKING_DAYS} working days after the last visit`
        : `${PLAN_VISIT_WORKING_DAYS} working days after the plan started`,
    };
  }
  if (category === 'looked-after') {
    const placed = placementStart(detail, openedOn);
    const firstVisit = Temporal.PlainDate.from(placed)
      .add({ days: PLACEMENT_FIRST_VISIT_DAYS })
      .toString();
    if (!lastVisit || lastVisit.visitedOn < placed) {
      return { due: firstVisit, basis: 'First visit within a week of the placement starting' };
    }
    const due =
      lastVisit.nextDueOn ?? latestNextVisit('looked-after', lastVisit.visitedOn) ?? firstVisit;
    return {
      due,
      basis: lastVisit.nextDueOn
        ? 'Next visit set at the last visit'
        : `${LOOKED_AFTER_VISIT_WEEKS} weeks after the last visit`,
    };
  }
  if (lastVisit?.nextDueOn) {
    return { due: lastVisit.nextDueOn, basis: 'Next visit set at the last visit' };
  }
  return null;
}
