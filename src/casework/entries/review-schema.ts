/**
 * What a child protection conference or a looked after review must say when
 * it is recorded (issue 13 item 2; decision 0031): which meeting, when it
 * was held, what it decided, whether the child took part, who chaired it and
 * a summary. Which meetings a record holds depends on its category. Messages
 * follow the GOV.UK pattern: they say what to do.
 */
import { z } from 'zod';
import { participationChoices, type Participation } from '../../returns/ssda903/codes.js';
import { pastDate } from '../../platform/validation/dates.js';
import { multiLineText, singleLineText } from '../../platform/validation/text.js';

export const reviewKinds = [
  'initial-conference',
  'review-conference',
  'looked-after-review',
] as const;
export type ReviewKind = (typeof reviewKinds)[number];

export const reviewKindWords: Record<ReviewKind, string> = {
  'initial-conference': 'Initial child protection conference',
  'review-conference': 'Child protection review conference',
  'looked-after-review': 'Looked after review',
};

/** The meetings each kind of record holds: conferences on a plan, reviews for a child in care. */
export const reviewKindsFor: Record<string, readonly ReviewKind[]> = {
  'child-protection-plan': ['initial-conference', 'review-conference'],
  'looked-after': ['looked-after-review'],
};

export function reviewKindsOf(category: string): readonly ReviewKind[] {
  return reviewKindsFor[category] ?? [];
}

/** A conference's decision; which ones fit depends on the conference. */
export const conferenceDecisions = [
  'plan-made',
  'no-plan',
  'plan-continued',
  'plan-ended',
] as const;
export type ConferenceDecision = (typeof conferenceDecisions)[number];

export const decisionWords: Record<ConferenceDecision, string> = {
  'plan-made': 'Child protection plan made',
  'no-plan': 'No plan needed',
  'plan-continued': 'Plan continues',
  'plan-ended': 'Plan ended',
};

export const decisionsFor: Record<ReviewKind, readonly ConferenceDecision[]> = {
  'initial-conference': ['plan-made', 'no-plan'],
  'review-conference': ['plan-continued', 'plan-ended'],
  'looked-after-review': [],
};

/**
 * How the child took part in a looked after review, in the DfE's terms
 * (SSDA903 REVIEW_CODE PN1–PN7); the form offers these, a conference asks
 * only yes or no. PN0 (under 4) is the child's age, not an answer.
 */
export { participationChoices };

/**
 * Whether the child took part, read from how: their views reached the
 * review (in person, through an advocate, without words, or sent another
 * way). Attending without giving a view (PN4) and not taking part (PN7) are
 * "no", as the yes-or-no question asked.
 */
export function tookPart(participation: Participation): boolean {
  return participation !== 'attended-no-contribution' && participation !== 'did-not-take-part';
}

export interface ReviewInput {
  kind: ReviewKind;
  heldOn: string;
  decision?: ConferenceDecision | undefined;
  childParticipated: 'yes' | 'no';
  /** A looked after review's participation; absent for a conference, and from a caller that sends only yes or no. */
  participation?: Participation | undefined;
  chair?: string | undefined;
  summary: string;
}

/** The fields as sent; which meetings and decisions fit depend on the record (reviewSchema). */
export const reviewFields = z.object({
  kind: z.string().optional(),
  // Required, but checked below so that every message shows at once (GOV.UK).
  heldOn: pastDate('date it was held').optional(),
  decision: z.string().optional(),
  childParticipated: z
    .enum(['yes', 'no'], { error: 'Select yes if the child took part' })
    .optional(),
  participation: z
    .enum(participationChoices, { error: 'Select how the child took part' })
    .optional(),
  chair: singleLineText('who chaired it')
    .max(200, 'Who chaired it must be 200 characters or fewer')
    .optional(),
  summary: multiLineText('what was decided')
    .max(8000, 'What was decided must be 8,000 characters or fewer')
    .optional(),
});

export function reviewSchema(category: string) {
  const kinds = reviewKindsOf(category);
  return (
    reviewFields
      .superRefine((review, ctx) => {
        const issue = (path: string, message: string) =>
          ctx.addIssue({ code: 'custom', path: [path], message });
        const kind = kinds.find((k) => k === review.kind);
        if (!kind) issue('kind', 'Select which meeting was held');
        if (!review.heldOn) issue('heldOn', 'Enter the date it was held');
        const decisions = kind ? decisionsFor[kind] : [];
        if (kind && decisions.length > 0 && !decisions.some((d) => d === review.decision)) {
          issue('decision', 'Select what the conference decided');
        }
        if (kind && decisions.length === 0 && review.decision) {
          issue('decision', 'Leave the decision empty for a looked after review');
        }
        if (kind === 'looked-after-review') {
          // The form asks how; a caller of the API that sends only yes or no still works.
          if (!review.participation && !review.childParticipated)
            issue('participation', 'Select how the child took part');
        } else {
          if (!review.childParticipated)
            issue('childParticipated', 'Select yes if the child took part');
          if (kind && review.participation)
            issue('participation', 'Leave how the child took part empty for a conference');
        }
        if (!review.summary) issue('summary', 'Enter what was decided');
      })
      // Only reached when every check above passed: the required answers are there.
      .transform((review): ReviewInput => {
        const { participation } = review;
        return {
          ...(review as ReviewInput),
          ...(participation
            ? { participation, childParticipated: tookPart(participation) ? 'yes' : 'no' }
            : {}),
        };
      })
  );
}
