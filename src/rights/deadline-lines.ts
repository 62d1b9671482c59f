import { z } from 'zod';
import { answerLine, type LineOutput } from '../platform/cli/json-lines.js';
import { computeDueDate, plainDateSchema, type ClockInput } from './clock.js';

/**
 * The what-if behind `safekeep rights deadline`: one request per JSON line
 * in, `{"id", "due"}` out, in order; a bad line gets `{"id", "error"}` (or
 * `{"line", "error"}` when it is not JSON) and the rest still run.
 *
 * `"extended": true` means the full extension (three months from the start)
 * with the requester told in time; the what-if has no date or reason for
 * telling them, so it assumes both were recorded within the first month.
 */
const deadlineSchema = z.strictObject({
  received: plainDateSchema,
  idReceived: plainDateSchema.optional(),
  authorityReceived: plainDateSchema.optional(),
  clarificationReceived: plainDateSchema.optional(),
  extended: z.boolean().default(false),
  pauses: z
    .array(z.strictObject({ from: plainDateSchema, to: plainDateSchema.optional() }))
    .default([]),
});

export function deadlineRequest(rest: Record<string, unknown>, id: unknown): LineOutput {
  const request = deadlineSchema.safeParse(rest);
  if (!request.success) {
    const error = request.error.issues
      .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
      .join('; ');
    return { id, error };
  }
  const { extended, ...dates } = request.data;
  const input: ClockInput = {
    ...dates,
    ...(extended
      ? { extension: { toldOn: dates.received, reason: 'what-if: extended', months: 2 } }
      : {}),
  };
  const clock = computeDueDate(input);
  if (!clock.ok) return { id, error: clock.reason };
  if (clock.value.state === 'paused') {
    return {
      id,
      due: null,
      pausedSince: clock.value.pausedSince.toString(),
      daysLeftWhenPaused: clock.value.daysLeftWhenPaused,
    };
  }
  return { id, due: clock.value.due.toString() };
}

export function deadlineLine(text: string, lineNumber: number): LineOutput {
  return answerLine(text, lineNumber, deadlineRequest);
}
