/**
 * Plain-English words for the engine's explanations. Explanations are read by
 * governance officers and may be shown to data subjects, so they name facts
 * the way the notices do and never include personal data other than the
 * dates the rule used.
 */
import type {
  CategoryRetention,
  FactName,
  RetentionAction,
  RetentionPeriod,
  RetentionRule,
  RuleCondition,
} from '../policy/types.js';
import { formatLongDate } from './calendar.js';
import type { PlainDate } from './calendar.js';

export const factLabels: Readonly<Record<FactName, string>> = {
  dateOfBirth: 'the date of birth',
  dateOfDeath: 'the date of death',
  incidentDate: 'the date of the incident',
  closureDate: 'the date of closure',
  adoptionOrderDate: 'the date of the adoption order',
  lastContactDate: 'the date of last contact',
  cautionOrConvictionDate: 'the date of the caution or conviction',
  trainingDate: 'the date of the training',
  completedDate: 'the date the work was completed',
  meetingDate: 'the date of the meeting',
  reportDate: 'the date of the report',
  surveyDate: 'the date of the survey',
  unsubscribedDate: 'the date of the request to unsubscribe',
  emailInvalidDate: 'the date the email address was found to no longer exist',
  recordedDate: 'the date the concern was recorded',
  contractEndDate: 'the end of the contract',
  childDied: 'whether the child died',
  outcome: 'the outcome of the allegation',
};

const actionNouns: Readonly<Record<RetentionAction, string>> = {
  destroy: 'destruction',
  'make-inaccessible': 'being made inaccessible to system users',
  'return-to-partnership': 'return to the partnership',
  review: 'review',
  archive: 'archiving',
};

export function actionNoun(action: RetentionAction): string {
  return actionNouns[action];
}

export function listFacts(facts: readonly FactName[]): string {
  const labels = facts.map((fact) => factLabels[fact]);
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1] ?? ''}`;
}

/** "40 years after the date of birth (17 May 2012)". */
export function describeKeptUntil(
  period: RetentionPeriod,
  trigger: FactName,
  triggerDate: PlainDate,
): string {
  const fact = `${factLabels[trigger]} (${formatLongDate(triggerDate)})`;
  switch (period.kind) {
    case 'calendar-years':
      return `${period.years} ${period.years === 1 ? 'year' : 'years'} after ${fact}`;
    case 'end-of-year-plus':
      return `the end of ${triggerDate.year}, the year of ${fact}, plus ${period.years} more ${period.years === 1 ? 'year' : 'years'}`;
    case 'on-trigger':
      return fact;
  }
}

export function describeCondition(condition: RuleCondition): string {
  switch (condition.kind) {
    case 'outcome-in':
      return `the allegation's outcome is ${orList(condition.outcomes)}`;
    case 'child-died':
      return condition.died ? 'the child died' : 'the child did not die';
    case 'died-before-age':
      return `the death came before the ${ordinal(condition.age)} birthday`;
    case 'fact-recorded':
      return condition.recorded
        ? `${factLabels[condition.fact]} is recorded`
        : `${factLabels[condition.fact]} is not recorded`;
  }
}

/** "a, b or c". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`;
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st, 100th. */
export function ordinal(n: number): string {
  const lastTwo = n % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

const actionsDone: Readonly<Record<RetentionAction, string>> = {
  destroy: 'destroyed',
  'make-inaccessible': 'made inaccessible to system users',
  'return-to-partnership': 'returned to the partnership',
  review: 'reviewed',
  archive: 'archived',
};

function years(n: number): string {
  return `${n} ${n === 1 ? 'year' : 'years'}`;
}

/** "kept for 40 years after the date of birth", with the date in brackets when known. */
function keptFor(period: RetentionPeriod, trigger: FactName, triggerDate?: PlainDate): string {
  const fact = triggerDate
    ? `${factLabels[trigger]} (${formatLongDate(triggerDate)})`
    : factLabels[trigger];
  switch (period.kind) {
    case 'calendar-years':
      return `kept for ${years(period.years)} after ${fact}`;
    case 'end-of-year-plus':
      return `kept until the end of the year of ${fact}, plus ${years(period.years)} more`;
    case 'on-trigger':
      return `kept until ${fact}`;
  }
}

/**
 * One retention rule in plain English, as a sentence: "Kept for 40 years
 * after the date of birth, then destroyed." This is the one wording of a
 * rule: the engine explains each assessment with it (given the record's
 * trigger date, which it adds in brackets) and the privacy notice
 * (src/governance/notice) states each rule with it (no date), so what the
 * notice promises and what the engine does cannot be worded apart.
 */
export function describeRule(rule: RetentionRule, triggerDate?: PlainDate): string {
  const where =
    rule.conditions.length === 0
      ? ''
      : `Where ${rule.conditions.map(describeCondition).join(' and ')}, `;
  let sentence = `${where}${keptFor(rule.period, rule.trigger, triggerDate)}, then ${actionsDone[rule.action]}`;
  if (rule.action === 'review' && rule.afterReview) {
    sentence += `, and ${actionsDone[rule.afterReview]} unless a decision to keep it, with reasons, is recorded`;
  }
  if (rule.statutoryMinimum) {
    const minimum = rule.statutoryMinimum;
    sentence += `; but never before the law allows: at least ${keptFor(minimum.period, minimum.trigger).replace(/^kept (for|until) /, '')} (${minimum.authority})`;
  }
  return `${capitaliseFirst(sentence)}.`;
}

/** What the engine does for a category whose notice publishes no period. */
export const noRuleSentence =
  'No period is set: each record is reviewed by a person, who decides whether it is still needed. It is neither kept for ever nor destroyed without that decision.';

/** What the engine does while a record is still open (openWhileNoneRecorded). */
export function openSentence(facts: readonly FactName[]): string {
  return `While the matter is open (until ${orList(facts.map((f) => factLabels[f]))} is recorded), the period has not started.`;
}

/** How a category's retention reads: the rules, in the order the engine tries them. */
export interface RetentionDescription {
  /** One sentence per rule, each exactly `describeRule(rule)`. */
  rules: readonly { ruleId: string; sentence: string }[];
  /** How the rules combine, when there is more than one; else null. */
  combine: string | null;
  /** When the record is still open, the period waits; else null. */
  open: string | null;
  /** `noRuleSentence` for a category with no published period; else null. */
  noRule: string | null;
}

export function describeRetention(retention: CategoryRetention): RetentionDescription {
  if (retention.kind === 'no-rule') {
    return { rules: [], combine: null, open: null, noRule: noRuleSentence };
  }
  const rules = retention.rules.map((rule) => ({ ruleId: rule.id, sentence: describeRule(rule) }));
  const combine =
    rules.length < 2
      ? null
      : retention.combine === 'earliest'
        ? 'Whichever of these comes first applies.'
        : 'The first of these that fits the record applies.';
  return {
    rules,
    combine,
    open: retention.openWhileNoneRecorded ? openSentence(retention.openWhileNoneRecorded) : null,
    noRule: null,
  };
}

function capitaliseFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
