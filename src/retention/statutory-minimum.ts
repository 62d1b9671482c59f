/**
 * Statutory minimum periods. The notices keep records longer "where we are
 * required by legal reasons" (Kent SCS, Kent LADO), so a minimum set by law
 * can only move a due date later, never earlier. The adoption case record is
 * the case in point: at least 100 years from the adoption order (Disclosure
 * of Adoption Information (Post-Commencement Adoptions) Regulations 2005),
 * whatever the notice's "date of birth + 100 years" gives.
 */
import type { StatutoryMinimum } from '../policy/types.js';
import { applyPeriod, compareDates } from './calendar.js';
import type { PlainDate } from './calendar.js';
import type { RetentionFacts } from './facts.js';

export type StatutoryMinimumResult =
  | {
      /** The minimum's trigger is recorded: the due date is the later of the two. */
      checked: true;
      minimum: StatutoryMinimum;
      minimumDate: PlainDate;
      due: PlainDate;
      /** True when the minimum moved the date later. */
      lengthened: boolean;
    }
  | {
      /** The minimum's trigger is not recorded, so it cannot be checked. */
      checked: false;
      minimum: StatutoryMinimum;
      due: PlainDate;
    };

export function applyStatutoryMinimum(
  ruleDue: PlainDate,
  minimum: StatutoryMinimum,
  facts: RetentionFacts,
): StatutoryMinimumResult {
  const minimumTrigger = facts[minimum.trigger];
  if (!minimumTrigger) return { checked: false, minimum, due: ruleDue };
  const minimumDate = applyPeriod(minimumTrigger, minimum.period);
  const lengthened = compareDates(minimumDate, ruleDue) > 0;
  return {
    checked: true,
    minimum,
    minimumDate,
    due: lengthened ? minimumDate : ruleDue,
    lengthened,
  };
}
