/**
 * Structured entries for the demo's open records (issue 13 item 13), so a
 * newcomer sees each part of the working day: conferences and looked-after
 * reviews at every stage (none yet, one, several; due, overdue and later),
 * a case summary, and a team manager's oversight. Taken from the record's
 * position, not from the faker stream, so no other demo value moves.
 */
import type { Insertable } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { CategorySlug } from '../policy/index.js';
import { participationChoices, tookPart } from './entries/review-schema.js';
import { holdsSummary } from './entries/summary-schema.js';
import type { CaseworkTables } from './tables.js';

export interface DemoEntryRows {
  statutory_review: Insertable<CaseworkTables['statutory_review']>[];
  case_summary: Insertable<CaseworkTables['case_summary']>[];
  oversight_note: Insertable<CaseworkTables['oversight_note']>[];
}

const plans = [
  'Synthetic plan: weekly family support worker sessions; school to report attendance each Friday.',
  'Synthetic plan: parenting programme starts next month; health visitor to review weight monthly.',
  'Synthetic plan: stay with current carers; contact with mother twice a week, supervised.',
];
const risks = [
  'Synthetic risks: neglect when the parent’s mental health is poor; older sibling gives some care.',
  'Synthetic risks: domestic abuse by a former partner who knows the address.',
  'Synthetic risks: going missing at weekends; known to older adults in the town centre.',
];

export function structuredDemoEntries(
  rows: DemoEntryRows,
  record: {
    position: number;
    id: string;
    category: CategorySlug;
    opened: string;
    worker: string;
    manager: string | undefined;
    today: string;
  },
): void {
  const { position: i, id, category, opened, worker, today } = record;
  const daysAgo = (days: number) => Temporal.PlainDate.from(today).subtract({ days }).toString();
  const after = (on: string) => on > opened;
  if (category === 'looked-after') {
    // Stage by position: no review yet (the first is due from the episode's start),
    // one review (the second is due 3 months on), or two (6-monthly since).
    const held =
      i % 3 === 0
        ? []
        : i % 3 === 1
          ? [daysAgo(40 + (i % 80))]
          : [daysAgo(250), daysAgo(60 + (i % 150))];
    for (const on of held.filter(after)) {
      rows.statutory_review.push({
        record_id: id,
        kind: 'looked-after-review',
        held_on: on,
        decision: null,
        ...demoParticipation(rows.statutory_review.length, i % 2 === 0),
        chair: 'Synthetic Independent Reviewing Officer',
        summary: 'Synthetic review: placement stable; care plan continues.',
        recorded_by: worker,
      });
    }
  }
  if (category === 'child-protection-plan' && i % 2 === 0) {
    const on = daysAgo(20 + ((i * 13) % 200));
    if (after(on)) {
      rows.statutory_review.push({
        record_id: id,
        kind: 'review-conference',
        held_on: on,
        decision: 'plan-continued',
        child_participated: false,
        chair: 'Synthetic Conference Chair',
        summary: 'Synthetic review conference: some progress; plan continues.',
        recorded_by: worker,
      });
    }
  }
  if (holdsSummary(category) && i % 4 !== 3) {
    rows.case_summary.push({
      record_id: id,
      current_plan: plans[i % plans.length] ?? '',
      risks: risks[i % risks.length] ?? '',
      key_people: 'Synthetic mother – main carer; Synthetic school designated safeguarding lead',
      recorded_by: worker,
      recorded_at: new Date(`${daysAgo(5 + (i % 60))}T12:00:00Z`),
    });
  }
  if (record.manager && holdsSummary(category) && i % 3 === 0) {
    const on = daysAgo(7 + (i % 30));
    if (after(on)) {
      rows.oversight_note.push({
        record_id: id,
        given_on: on,
        direction:
          'Synthetic oversight: visits on time; update the case summary after the next conference.',
        next_review_on: Temporal.PlainDate.from(on).add({ days: 28 }).toString(),
        recorded_by: record.manager,
      });
    }
  }
}

/**
 * How the child took part in a demo looked after review: by position, every
 * one of the DfE's answers in turn, and every eighth review left with only
 * the yes-or-no answer reviews had before the form asked how (migration
 * 0071), so the return's reading of those is in the demo too.
 */
export function demoParticipation(
  n: number,
  tookPartBefore: boolean,
): { participation: string | null; child_participated: boolean } {
  const choice = participationChoices[n % 8];
  return choice
    ? { participation: choice, child_participated: tookPart(choice) }
    : { participation: null, child_participated: tookPartBefore };
}
