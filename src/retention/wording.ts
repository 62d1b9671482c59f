/**
 * Plain-English words for the engine's explanations. Explanations are read by
 * governance officers and may be shown to data subjects, so they name facts
 * the way the notices do and never include personal data other than the
 * dates the rule used.
 */
import type { FactName, RetentionAction, RetentionPeriod, RuleCondition } from '../policy/types.js';
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
