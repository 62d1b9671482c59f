/**
 * The retention facts a record holds itself, in typed columns
 * (src/db/migrations/0003-casework.ts): which a category needs, derived from
 * its rules in policy, with their columns, labels and input schema.
 */
import { z } from 'zod';
import {
  findCategory,
  ladoOutcomes,
  type CategorySlug,
  type DataCategory,
  type DateFactName,
  type FactName,
  type OrganisationSlug,
} from '../policy/index.js';
import { calendarDate as anyCalendarDate, pastDate } from '../platform/validation/dates.js';
import type { calendarDate } from './detail-values.js';

/** Facts a record holds itself; dateOfBirth/dateOfDeath are the subject person's, closureDate is closed_on. */
export const recordDateFacts = [
  'incidentDate',
  'cautionOrConvictionDate',
  'lastContactDate',
  'recordedDate',
  'adoptionOrderDate',
  'trainingDate',
  'completedDate',
  'meetingDate',
  'reportDate',
  'surveyDate',
  'unsubscribedDate',
  'emailInvalidDate',
  'contractEndDate',
] as const satisfies readonly DateFactName[];
export type RecordDateFact = (typeof recordDateFacts)[number];
export type RecordFact = RecordDateFact | 'childDied' | 'outcome';

export const factColumns = {
  incidentDate: 'incident_date',
  cautionOrConvictionDate: 'caution_or_conviction_date',
  lastContactDate: 'last_contact_date',
  recordedDate: 'recorded_date',
  adoptionOrderDate: 'adoption_order_date',
  trainingDate: 'training_date',
  completedDate: 'completed_date',
  meetingDate: 'meeting_date',
  reportDate: 'report_date',
  surveyDate: 'survey_date',
  unsubscribedDate: 'unsubscribed_date',
  emailInvalidDate: 'email_invalid_date',
  contractEndDate: 'contract_end_date',
} as const satisfies Record<RecordDateFact, string>;

export const factLabels: Record<RecordFact, string> = {
  incidentDate: 'Date of the incident',
  cautionOrConvictionDate: 'Date of the latest caution or conviction',
  lastContactDate: 'Date of last contact',
  recordedDate: 'Date the concern was logged',
  adoptionOrderDate: 'Date of the adoption order',
  trainingDate: 'Date of the training',
  completedDate: 'Date the work was completed',
  meetingDate: 'Date of the meeting',
  reportDate: 'Date of the report',
  surveyDate: 'Date of the survey',
  unsubscribedDate: 'Date unsubscribed',
  emailInvalidDate: 'Date the email address was found not to exist',
  contractEndDate: 'Date the contract ended',
  childDied: 'Did the child die?',
  outcome: 'Outcome',
};

/** The facts retention reads in this category, from its rules in policy. */
export function factsNeeded(category: DataCategory): Set<FactName> {
  const needed = new Set<FactName>();
  if (category.retention.kind === 'no-rule') return needed;
  for (const fact of category.retention.openWhileNoneRecorded ?? []) needed.add(fact);
  for (const rule of category.retention.rules) {
    needed.add(rule.trigger);
    if (rule.statutoryMinimum) needed.add(rule.statutoryMinimum.trigger);
    for (const condition of rule.conditions) {
      if (condition.kind === 'outcome-in') needed.add('outcome');
      if (condition.kind === 'child-died') needed.add('childDied');
      // "Known to have died, date unknown" sends the record to review.
      if (condition.kind === 'died-before-age') needed.add('childDied');
      if (condition.kind === 'fact-recorded') needed.add(condition.fact);
    }
  }
  return needed;
}

/** The record-held facts a category's form and API offer. */
export function recordFactsFor(organisation: OrganisationSlug, slug: CategorySlug): RecordFact[] {
  const category = findCategory(organisation, slug);
  if (!category) return [];
  const needed = factsNeeded(category);
  const facts: RecordFact[] = recordDateFacts.filter((f) => needed.has(f));
  if (needed.has('childDied')) facts.push('childDied');
  if (needed.has('outcome')) facts.push('outcome');
  return facts;
}

/**
 * Facts about what has already happened (an incident, a conviction, the last
 * contact) cannot be in the future; a meeting, a training day or a
 * contract's end can be (docs/decisions/0011-date-ranges.md).
 */
const futureFacts: ReadonlySet<RecordDateFact> = new Set([
  'trainingDate',
  'meetingDate',
  'surveyDate',
  'contractEndDate',
]);

const factLabel = (fact: RecordDateFact) => fact.replace(/([A-Z])/g, ' $1').toLowerCase();

export const recordFactsSchema = z.strictObject({
  ...(Object.fromEntries(
    recordDateFacts.map((f) => [
      f,
      (futureFacts.has(f) ? anyCalendarDate(factLabel(f)) : pastDate(factLabel(f)))
        .nullable()
        .optional(),
    ]),
  ) as {
    [F in RecordDateFact]: z.ZodOptional<z.ZodNullable<typeof calendarDate>>;
  }),
  childDied: z.boolean().nullable().optional(),
  outcome: z.enum(ladoOutcomes).nullable().optional(),
});
export type RecordFactsInput = z.infer<typeof recordFactsSchema>;
