/**
 * A looked-after child's outcomes (issue 12 item 8): health assessments,
 * dental checks, strengths and difficulties questionnaires (SDQ, total score
 * 0–40) and personal education plan reviews, each a dated fact. Messages
 * follow the GOV.UK pattern: they say what to do.
 */
import { z } from 'zod';
import { pastDate } from '../../platform/validation/dates.js';
import { multiLineText } from '../../platform/validation/text.js';

export const outcomeKinds = ['health-assessment', 'dental-check', 'sdq', 'pep-review'] as const;
export type OutcomeKind = (typeof outcomeKinds)[number];

/** Words for each kind, on the form and the record page. */
export const outcomeKindWords: Record<OutcomeKind, string> = {
  'health-assessment': 'Health assessment',
  'dental-check': 'Dental check',
  sdq: 'Strengths and difficulties questionnaire (SDQ)',
  'pep-review': 'Personal education plan review',
};

export interface OutcomeInput {
  kind: OutcomeKind;
  occurredOn: string;
  sdqScore?: number | undefined;
  note?: string | undefined;
}

const SDQ_SCORE = 'Enter the SDQ score as a whole number from 0 to 40';

/** The fields as sent: a form sends text, the JSON API text or a number. */
export const outcomeFields = z.object({
  kind: z.enum(outcomeKinds, { error: 'Select what happened' }).optional(),
  // Checked below when missing, so every message shows at once.
  occurredOn: pastDate('date it happened').optional(),
  sdqScore: z
    .union(
      [
        z.int({ error: SDQ_SCORE }).min(0, SDQ_SCORE).max(40, SDQ_SCORE),
        z
          .string()
          .regex(/^\d{1,2}$/, SDQ_SCORE)
          .transform(Number),
      ],
      { error: SDQ_SCORE },
    )
    .refine((n) => n <= 40, SDQ_SCORE)
    .optional(),
  note: multiLineText('the note')
    .max(2000, 'The note must be 2,000 characters or fewer')
    .optional(),
});

export const outcomeSchema = outcomeFields
  .superRefine((outcome, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (!outcome.kind) issue('kind', 'Select what happened');
    if (!outcome.occurredOn) issue('occurredOn', 'Enter the date it happened');
    if (outcome.kind === 'sdq' && outcome.sdqScore === undefined) {
      issue('sdqScore', SDQ_SCORE);
    }
    if (outcome.kind && outcome.kind !== 'sdq' && outcome.sdqScore !== undefined) {
      issue('sdqScore', 'Leave the SDQ score empty unless this is an SDQ');
    }
  })
  // Only reached when every check above passed.
  .transform((outcome) => outcome as OutcomeInput);
