/**
 * What a statutory visit must say, checked the same way from the page and
 * from tests: one zod schema per kind of record, because the bedroom question
 * and the latest next visit depend on it (visit-policy.ts). Messages follow
 * the GOV.UK error message pattern: they say what to do.
 */
import { z } from 'zod';
import { formatDate } from '../../platform/http/views.js';
import { calendarDate, isRealDate, pastDate } from '../../platform/validation/dates.js';
import { multiLineText, singleLineText } from '../../platform/validation/text.js';
import { asksBedroom, latestNextVisit, type VisitCategory } from './visit-policy.js';

const yesNo = (message: string) => z.enum(['yes', 'no'], { error: message });

export interface VisitInput {
  visitedOn: string;
  childSeen: 'yes' | 'no';
  seenAlone?: 'yes' | 'no' | undefined;
  bedroomSeen?: 'yes' | 'no' | undefined;
  present?: string | undefined;
  wishesAndFeelings?: string | undefined;
  nextDueOn?: string | undefined;
}

/**
 * A visit's answers, each checked on its own: what the JSON API documents.
 * Required, but checked in visitSchema: a missing answer must not stop the
 * other questions being checked, so every message shows at once (GOV.UK).
 */
export const visitFields = z.object({
  visitedOn: pastDate('date of the visit').optional(),
  childSeen: yesNo('Select yes if the child was seen').optional(),
  seenAlone: yesNo('Select yes if the child was seen alone').optional(),
  bedroomSeen: yesNo('Select yes if the child’s bedroom was seen').optional(),
  present: singleLineText('who was present')
    .max(1000, 'Who was present must be 1,000 characters or fewer')
    .optional(),
  wishesAndFeelings: multiLineText('the child’s wishes and feelings')
    .max(8000, 'The child’s wishes and feelings must be 8,000 characters or fewer')
    .optional(),
  nextDueOn: calendarDate('date the next visit is due').optional(),
});

export function visitSchema(category: VisitCategory) {
  return (
    visitFields
      .superRefine((visit, ctx) => {
        const issue = (path: string, message: string) =>
          ctx.addIssue({ code: 'custom', path: [path], message });
        if (!visit.visitedOn) issue('visitedOn', 'Enter the date of the visit');
        if (!visit.childSeen) issue('childSeen', 'Select yes if the child was seen');
        if (visit.childSeen === 'yes' && !visit.seenAlone) {
          issue('seenAlone', 'Select yes if the child was seen alone');
        }
        if (asksBedroom(category) && !visit.bedroomSeen) {
          issue('bedroomSeen', 'Select yes if the child’s bedroom was seen');
        }
        if (visit.childSeen === 'yes' && !visit.wishesAndFeelings) {
          issue('wishesAndFeelings', 'Enter the child’s wishes and feelings, in their words');
        }
        // Only from a date that is one: its own error is already reported.
        const visited = visit.visitedOn && isRealDate(visit.visitedOn) ? visit.visitedOn : null;
        if (!visited) return;
        const latest = latestNextVisit(category, visited);
        if (latest && !visit.nextDueOn) {
          issue('nextDueOn', 'Enter the date the next visit is due');
        } else if (visit.nextDueOn && visit.nextDueOn <= visited) {
          issue('nextDueOn', 'The next visit must be due after the date of this visit');
        } else if (latest && visit.nextDueOn && visit.nextDueOn > latest) {
          issue('nextDueOn', `The next visit must be due by ${formatDate(latest)} at the latest`);
        }
      })
      // Only reached when every check above passed: the required answers are there.
      .transform((visit) => visit as VisitInput)
  );
}

/** The visit as stored: yes/no as booleans, questions not asked as null. */
export function visitValues(category: VisitCategory, visit: VisitInput) {
  const seen = visit.childSeen === 'yes';
  return {
    visited_on: visit.visitedOn,
    child_seen: seen,
    seen_alone: seen ? visit.seenAlone === 'yes' : null,
    bedroom_seen: asksBedroom(category) ? visit.bedroomSeen === 'yes' : null,
    present: visit.present ?? '',
    wishes_and_feelings: visit.wishesAndFeelings ?? '',
    next_due_on: visit.nextDueOn ?? null,
  };
}
