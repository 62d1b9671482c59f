import type { FieldError } from '../../platform/errors/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import {
  complainantCrossChecks,
  complainantFields,
  complainantSchema,
  type ComplainantInput,
  type Voice,
} from './schemas.js';

/**
 * Reading the complaint forms' posted fields: the same for the public form
 * and for staff recording a caller's complaint. Only strings are read; a
 * repeated or missing field is blank, so odd input gets a message, never an
 * error page.
 */

export type Body = Record<string, unknown>;

export function bodyOf(body: unknown): Body {
  return typeof body === 'object' && body !== null ? (body as Body) : {};
}

export function textOf(body: Body, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

/** What the person typed, to show again on a refused form. */
export function typedValues(body: Body, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, textOf(body, name)]));
}

/** One message per field, in the order the fields appear on the form. */
export function inFormOrder(errors: FieldError[], order: readonly string[]): FieldError[] {
  const seen = new Set<string>();
  const unique = errors.filter((e) => !seen.has(e.field) && seen.add(e.field));
  const rank = (field: string) => {
    const i = order.indexOf(field);
    return i === -1 ? order.length : i;
  };
  return unique.sort((a, b) => rank(a.field) - rank(b.field));
}

export function readComplainant(
  body: Body,
  voice: Voice,
): { ok: true; data: ComplainantInput } | { ok: false; errors: FieldError[] } {
  const source = typedValues(body, complainantFields);
  const parsed = parseForm(complainantSchema(voice), {
    ...source,
    onBehalf: source.onBehalf || undefined,
  });
  const cross = complainantCrossChecks(source, voice);
  const errors = [...(parsed.ok ? [] : parsed.errors), ...cross];
  if (!parsed.ok || errors.length > 0) {
    return { ok: false, errors: inFormOrder(errors, complainantFields) };
  }
  return { ok: true, data: parsed.data };
}
