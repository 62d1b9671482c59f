import type { z } from 'zod';
import type { FieldError } from '../errors/errors.js';

/**
 * Parses a submitted form with its zod schema. On failure returns the errors
 * shaped for the GOV.UK error summary and each field's error message, so the
 * page can be shown again with what was typed kept.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || 'form';
    if (seen.has(field)) continue; // one message per field, as GOV.UK asks
    seen.add(field);
    errors.push({ field, message: issue.message });
  }
  return { ok: false, errors };
}

/** The error summary's list and a lookup of each field's message. */
export function errorView(errors: FieldError[]) {
  return {
    errors: errors.map((e) => ({ text: e.message, href: `#${e.field}` })),
    fieldErrors: Object.fromEntries(errors.map((e) => [e.field, { text: e.message }])),
  };
}
