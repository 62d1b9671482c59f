/**
 * What a case summary and a management oversight note must say (issue 13
 * item 5; decision 0032). Messages follow the GOV.UK pattern: they say what
 * to do.
 */
import { z } from 'zod';
import { formatDate } from '../../platform/http/views.js';
import { calendarDate, isRealDate, pastDate } from '../../platform/validation/dates.js';
import { multiLineText } from '../../platform/validation/text.js';

/** The categories that are casework on a child or an adult: those a summary and oversight fit. */
export const summaryCategories: readonly string[] = [
  'child-in-need',
  'child-protection-plan',
  'looked-after',
  'adoption',
  'private-fostering',
  'private-foster-parent',
  'risk-register',
  'lado-allegation',
  'safeguarding-concern',
];

export function holdsSummary(category: string): boolean {
  return summaryCategories.includes(category);
}

export interface SummaryInput {
  currentPlan: string;
  risks: string;
  keyPeople?: string | undefined;
}

/** A summary's fields, each checked on its own: what the JSON API documents. */
export const summaryFields = z.object({
  currentPlan: multiLineText('the current plan')
    .max(8000, 'The current plan must be 8,000 characters or fewer')
    .optional(),
  risks: multiLineText('the risks')
    .max(8000, 'The risks must be 8,000 characters or fewer')
    .optional(),
  keyPeople: multiLineText('the key people')
    .max(4000, 'The key people must be 4,000 characters or fewer')
    .optional(),
});

export const summarySchema = summaryFields
  .superRefine((summary, ctx) => {
    // Checked here rather than as required fields, so every message shows at once.
    if (!summary.currentPlan) {
      ctx.addIssue({ code: 'custom', path: ['currentPlan'], message: 'Enter the current plan' });
    }
    if (!summary.risks) {
      ctx.addIssue({
        code: 'custom',
        path: ['risks'],
        message: 'Enter the risks, or say that none are known',
      });
    }
  })
  .transform((summary) => summary as SummaryInput);

export interface OversightInput {
  givenOn: string;
  direction: string;
  nextReviewOn?: string | undefined;
}

/** An oversight note's fields, each checked on its own: what the JSON API documents. */
export const oversightFields = z.object({
  givenOn: pastDate('date of the oversight').optional(),
  direction: multiLineText('the direction given')
    .max(8000, 'The direction given must be 8,000 characters or fewer')
    .optional(),
  nextReviewOn: calendarDate('date of the next management review').optional(),
});

export const oversightSchema = oversightFields
  .superRefine((note, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (!note.givenOn) issue('givenOn', 'Enter the date of the oversight');
    if (!note.direction) issue('direction', 'Enter the direction given');
    const given = note.givenOn && isRealDate(note.givenOn) ? note.givenOn : null;
    if (given && note.nextReviewOn && isRealDate(note.nextReviewOn) && note.nextReviewOn <= given) {
      issue(
        'nextReviewOn',
        `The next management review must be after ${formatDate(given)}, the date of this oversight`,
      );
    }
  })
  .transform((note) => note as OversightInput);
