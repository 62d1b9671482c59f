/**
 * Statutory timescales for assessments, child protection conferences and
 * looked after reviews, as data with their source (issue 13 item 2;
 * docs/decisions/0031-conference-and-review-timescales.md says what was
 * read and where). What is due is derived from a record's facts — the day it
 * was opened, its section 47 enquiries, the conferences and reviews held,
 * its episodes of care, the assessment's completion — never typed as a
 * task; recording the meeting (or the assessment's date) is what moves it.
 *
 * Pure functions: My work, the record page and the tests call the same code.
 */
import { Temporal } from 'temporal-polyfill';
import { workingDaysAfter } from './visit-policy.js';

/** Each timescale once, with the words a page shows and the source it cites. */
export interface Timescale {
  /** What must happen, in words: "Initial child protection conference". */
  what: string;
  /** How long, in words: "within 15 working days of the strategy discussion". */
  rule: string;
  /** Where the rule comes from, as a person would cite it. */
  source: string;
  add: { workingDays: number } | { months: number };
}

const WORKING_TOGETHER = 'Working Together to Safeguard Children 2023, chapter 2';
const REG_33 = 'Care Planning, Placement and Case Review (England) Regulations 2010, regulation 33';

export const timescales = {
  assessment: {
    what: 'Assessment completed',
    rule: 'within 45 working days of the referral',
    source: WORKING_TOGETHER,
    add: { workingDays: 45 },
  },
  initialConference: {
    what: 'Initial child protection conference',
    rule: 'within 15 working days of the strategy discussion that started section 47 enquiries',
    source: WORKING_TOGETHER,
    add: { workingDays: 15 },
  },
  firstReviewConference: {
    what: 'First child protection review conference',
    rule: 'within 3 months of the initial conference',
    source: WORKING_TOGETHER,
    add: { months: 3 },
  },
  reviewConference: {
    what: 'Child protection review conference',
    rule: 'at most 6 months after the last review conference',
    source: WORKING_TOGETHER,
    add: { months: 6 },
  },
  firstLookedAfterReview: {
    what: 'First looked after review',
    rule: 'within 20 working days of becoming looked after',
    source: `${REG_33}(1)`,
    add: { workingDays: 20 },
  },
  secondLookedAfterReview: {
    what: 'Second looked after review',
    rule: 'at most 3 months after the first review',
    source: `${REG_33}(2)`,
    add: { months: 3 },
  },
  lookedAfterReview: {
    what: 'Looked after review',
    rule: 'at most 6 months after the last review',
    source: `${REG_33}(2)`,
    add: { months: 6 },
  },
} as const satisfies Record<string, Timescale>;

export type TimescaleName = keyof typeof timescales;

/**
 * The last day allowed: working days skip weekends and England and Wales
 * bank holidays; months are calendar months, a missing day (31 May + 3
 * months) falling back to the month's last day — never later than the rule.
 */
export function dueFrom(from: string, timescale: Timescale): string {
  if ('workingDays' in timescale.add) return workingDaysAfter(from, timescale.add.workingDays);
  return Temporal.PlainDate.from(from).add({ months: timescale.add.months }).toString();
}

/** A meeting held, from the review entries or the plan's conference list. */
export interface HeldMeeting {
  kind: 'initial-conference' | 'review-conference' | 'looked-after-review';
  heldOn: string;
  /** A conference's decision: a plan ended, or none made, stops the conference clock. */
  decision?: string | null | undefined;
}

export interface TimescaleFacts {
  category: string;
  openedOn: string;
  /** The record's detail (jsonb): section 47 enquiries, conferences, episodes, assessment date. */
  detail: unknown;
  /** Conferences and reviews recorded as entries on the record. */
  meetings: readonly HeldMeeting[];
}

export interface TimescaleDue {
  name: TimescaleName;
  what: string;
  due: string;
  /** "Within 15 working days of the strategy discussion (section 47 enquiry started 3 June 2026)". */
  rule: string;
  source: string;
  /** The form that completes it. */
  complete: 'review' | 'assessment';
}

type Detail = Record<string, unknown>;

function detailOf(detail: unknown): Detail {
  return typeof detail === 'object' && detail !== null ? (detail as Detail) : {};
}

function listOf(detail: Detail, key: string): Detail[] {
  const value = detail[key];
  return Array.isArray(value)
    ? value.filter((v): v is Detail => typeof v === 'object' && v !== null)
    : [];
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : null);

/** Conferences from both places a worker may have recorded them: entries and the plan's list. */
export function conferencesHeld(facts: TimescaleFacts): HeldMeeting[] {
  const fromDetail = listOf(detailOf(facts.detail), 'conferences').flatMap((c): HeldMeeting[] => {
    const heldOn = text(c.heldOn);
    if (!heldOn) return [];
    // A conference transferred in from another area counts as the initial one here.
    const kind = c.kind === 'review' ? 'review-conference' : 'initial-conference';
    return [{ kind, heldOn, decision: text(c.decision) }];
  });
  return [...facts.meetings.filter((m) => m.kind !== 'looked-after-review'), ...fromDetail].sort(
    (a, b) => a.heldOn.localeCompare(b.heldOn),
  );
}

function due(name: TimescaleName, from: string, complete: TimescaleDue['complete']): TimescaleDue {
  const t: Timescale = timescales[name];
  return { name, what: t.what, due: dueFrom(from, t), rule: t.rule, source: t.source, complete };
}

function childProtection(facts: TimescaleFacts): TimescaleDue[] {
  const detail = detailOf(facts.detail);
  const conferences = conferencesHeld(facts);
  const last = conferences[conferences.length - 1];
  // A plan ended (or never made) at the latest conference: nothing more is due.
  if (last && (last.decision === 'plan-ended' || last.decision === 'no-plan')) return [];
  const initial = [...conferences].reverse().find((c) => c.kind === 'initial-conference');
  // The plan is made at the initial conference: its start date stands in for one not recorded.
  const initialOn = initial?.heldOn ?? text(detail.planStartedOn);
  if (!initialOn) {
    const started = listOf(detail, 'section47Enquiries')
      .map((e) => text(e.startedOn))
      .filter((d): d is string => d !== null)
      .sort();
    const strategy = started[started.length - 1];
    return strategy ? [due('initialConference', strategy, 'review')] : [];
  }
  const reviews = conferences.filter((c) => c.kind === 'review-conference' && c.heldOn > initialOn);
  const lastReview = reviews[reviews.length - 1];
  return lastReview
    ? [due('reviewConference', lastReview.heldOn, 'review')]
    : [due('firstReviewConference', initialOn, 'review')];
}

/** The day the child became looked after this time: the latest episode (not ended first), else the record's opening. */
export function lookedAfterSince(detail: unknown, openedOn: string): string {
  const episodes = listOf(detailOf(detail), 'episodes').flatMap((e) => {
    const started = text(e.startedOn);
    return started ? [{ started, ended: text(e.endedOn) !== null }] : [];
  });
  const latest = (list: { started: string }[]) =>
    list.map((e) => e.started).sort((a, b) => b.localeCompare(a))[0];
  return latest(episodes.filter((e) => !e.ended)) ?? latest(episodes) ?? openedOn;
}

function lookedAfter(facts: TimescaleFacts): TimescaleDue[] {
  const since = lookedAfterSince(facts.detail, facts.openedOn);
  // Reviews of this episode only: a new episode of care starts the reg 33 clock again.
  const reviews = facts.meetings
    .filter((m) => m.kind === 'looked-after-review' && m.heldOn >= since)
    .map((m) => m.heldOn)
    .sort();
  const lastReview = reviews[reviews.length - 1];
  if (!lastReview) return [due('firstLookedAfterReview', since, 'review')];
  if (reviews.length === 1) return [due('secondLookedAfterReview', lastReview, 'review')];
  return [due('lookedAfterReview', lastReview, 'review')];
}

/**
 * A child in need's assessment, from the referral: the record is opened
 * when the referral is received, so its opening day is the referral's.
 * Completed by recording the day the assessment was completed.
 */
function childInNeed(facts: TimescaleFacts): TimescaleDue[] {
  if (text(detailOf(facts.detail).assessmentCompletedOn)) return [];
  return [due('assessment', facts.openedOn, 'assessment')];
}

/** What is due on an open record, soonest first; nothing for categories with no timescale. */
export function timescalesDue(facts: TimescaleFacts): TimescaleDue[] {
  const list =
    facts.category === 'child-protection-plan'
      ? childProtection(facts)
      : facts.category === 'looked-after'
        ? lookedAfter(facts)
        : facts.category === 'child-in-need'
          ? childInNeed(facts)
          : [];
  return list.sort((a, b) => a.due.localeCompare(b.due));
}

export const timescaleCategories = ['child-protection-plan', 'looked-after', 'child-in-need'];
