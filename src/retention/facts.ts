/**
 * The facts a retention rule reads, validated at the edge (design.md
 * principle 8): dates arrive as ISO yyyy-mm-dd strings and leave as
 * Temporal.PlainDate; an unknown fact name or an impossible date is an error,
 * never silently ignored (a misspelt `dateofbirth` must not make a record look
 * as if its birth date were unknown).
 */
import { z } from 'zod';
import { EARLIEST_YEAR, LATEST_YEAR, isRealDate } from '../platform/validation/dates.js';

import { organisationSlugSchema } from '../policy/registry.js';
import { categorySlugs, dateFactNames, ladoOutcomes } from '../policy/types.js';
import type { CategorySlug, DateFactName, LadoOutcome, OrganisationSlug } from '../policy/types.js';
import { compareDates, parseIsoDate } from './calendar.js';
import type { PlainDate } from './calendar.js';

export type RetentionFacts = { [F in DateFactName]?: PlainDate } & {
  /** Whether the child died (practice reviews); a recorded dateOfDeath also means yes. */
  childDied?: boolean;
  /** A LADO allegation's outcome. */
  outcome?: LadoOutcome;
};

export const isoDateSchema = z.string().transform((text, ctx): PlainDate => {
  try {
    const date = parseIsoDate(text);
    // The range every date field takes (src/platform/validation/dates.ts):
    // year 0000 or 9999 is a slip, not a fact to compute a due date from.
    if (!isRealDate(text)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not between ${EARLIEST_YEAR} and ${LATEST_YEAR}`,
      });
      return z.NEVER;
    }
    return date;
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: error instanceof Error ? error.message : `"${text}" is not a date`,
    });
    return z.NEVER;
  }
});

const dateFactShape = Object.fromEntries(
  dateFactNames.map((name) => [name, isoDateSchema.optional()]),
) as Record<DateFactName, z.ZodOptional<typeof isoDateSchema>>;

export const retentionFactsSchema = z
  .strictObject({
    ...dateFactShape,
    childDied: z.boolean().optional(),
    outcome: z.enum(ladoOutcomes).optional(),
  })
  .superRefine((facts, ctx) => {
    const { dateOfBirth, dateOfDeath, adoptionOrderDate } = facts;
    if (dateOfBirth && dateOfDeath && compareDates(dateOfDeath, dateOfBirth) < 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['dateOfDeath'],
        message: 'dateOfDeath is before dateOfBirth',
      });
    }
    if (dateOfBirth && adoptionOrderDate && compareDates(adoptionOrderDate, dateOfBirth) < 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['adoptionOrderDate'],
        message: 'adoptionOrderDate is before dateOfBirth',
      });
    }
    if (facts.childDied === false && dateOfDeath) {
      ctx.addIssue({
        code: 'custom',
        path: ['childDied'],
        message: 'childDied is false but a dateOfDeath is recorded',
      });
    }
  });

export interface RetentionRequest {
  organisation: OrganisationSlug;
  category: CategorySlug;
  facts: RetentionFacts;
}

export const retentionRequestSchema = z.object({
  organisation: organisationSlugSchema(),
  category: z.enum(categorySlugs, {
    error: (issue) => `unknown category ${JSON.stringify(issue.input)}`,
  }),
  facts: retentionFactsSchema.default({}),
});

/** Turns zod issues into one readable sentence, with the path of each. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseRetentionFacts(input: unknown): ParseResult<RetentionFacts> {
  const parsed = retentionFactsSchema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: describeIssues(parsed.error) };
}
