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

export const outcomeSchema = z
  .object({
    kind: z.enum(outcomeKinds, { error: 'Select what happened' }).optional(),
    // Checked below when missing, so every message shows at once.
    occurredOn: pastDate('date it happened').optional(),
    sdqScore: z
      .string({ error: 'Enter the SDQ score as a whole number from 0 to 40' })
      .regex(/^\d{1,2}$/, 'Enter the SDQ score as a whole number from 0 to 40')
      .transform(Number)
      .refine((n) => n <= 40, 'Enter the SDQ score as a whole number from 0 to 40')
      .optional(),
    note: multiLineText('the note')
      .max(2000, 'The note must be 2,000 characters or fewer')
      .optional(),
  })
  .superRefine((outcome, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (!outcome.kind) issue('kind', 'Select what happened');
    if (!outcome.occurredOn) issue('occurredOn', 'Enter the date it happened');
    if (outcome.kind === 'sdq' && outcome.sdqScore === undefined) {
      issue('sdqScore', 'Enter the SDQ score as a whole number from 0 to 40');
    }
    if (outcome.kind && outcome.kind !== 'sdq' && outcome.sdqScore !== undefined) {
      issue('sdqScore', 'Leave the SDQ score empty unless this is an SDQ');
    }
  })
  // Only reached when every check above passed.
  .transform((outcome) => outcome as OutcomeInput);
