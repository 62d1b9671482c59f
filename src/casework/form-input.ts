/**
 * Page forms to service input. Forms post flat names ("facts.outcome",
 * "detail.employer") and GOV.UK date inputs as three parts
 * ("openedOn-day", "-month", "-year"); the service takes nested objects with
 * YYYY-MM-DD dates, validated by the same zod schemas as the API.
 */
import type { FieldError } from '../platform/errors/errors.js';
import type { DetailField } from './categories.js';

export interface FormResult {
  values: Record<string, unknown>;
  errors: FieldError[];
}

function label(name: string): string {
  const last = name.split('.').pop() ?? name;
  const words = last.replace(/([A-Z])/g, ' $1').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Flattened form → nested values. Empty fields become `emptyAs` (undefined:
 * left out; null: cleared), so an edit can clear a fact.
 */
export function readForm(
  body: unknown,
  options: { emptyAs?: null; arrays?: readonly string[] } = {},
): FormResult {
  const flat = new Map<string, unknown>(
    typeof body === 'object' && body !== null ? Object.entries(body) : [],
  );
  flat.delete('_csrf');
  const errors: FieldError[] = [];
  const out: Record<string, unknown> = {};

  // GOV.UK date inputs: three parts to one ISO date.
  for (const key of [...flat.keys()]) {
    if (!key.endsWith('-day')) continue;
    const name = key.slice(0, -'-day'.length);
    const part = (p: string) => String(flat.get(`${name}-${p}`) ?? '').trim();
    const [day, month, year] = [part('day'), part('month'), part('year')];
    for (const p of ['day', 'month', 'year']) flat.delete(`${name}-${p}`);
    if (!day && !month && !year) {
      flat.set(name, '');
      continue;
    }
    if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
      errors.push({
        field: `${name}-day`,
        message: `${label(name)} must be a real date, like 27 3 2025`,
      });
      continue;
    }
    flat.set(name, `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`);
  }

  for (const [key, raw] of flat) {
    let value: unknown = raw;
    if (options.arrays?.includes(key)) {
      value = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).filter(
        (v) => v !== '_unchecked',
      );
    } else if (Array.isArray(raw)) {
      value = raw[raw.length - 1];
    }
    if (value === 'yes') value = true;
    else if (value === 'no') value = false;
    if (typeof value === 'string') value = value.trim();
    if (value === '') {
      if (options.emptyAs !== null) continue;
      value = null;
    }
    const path = key.split('.');
    let target = out;
    for (const segment of path.slice(0, -1)) {
      const next = target[segment];
      if (typeof next !== 'object' || next === null) target[segment] = {};
      target = target[segment] as Record<string, unknown>;
    }
    target[path[path.length - 1] ?? key] = value;
  }
  return { values: out, errors };
}

/** A date as GOV.UK date input parts, for showing a form again. */
export function dateParts(iso: unknown): { day: string; month: string; year: string } {
  if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    return { day: '', month: '', year: '' };
  }
  return {
    year: iso.slice(0, 4),
    month: String(Number(iso.slice(5, 7))),
    day: String(Number(iso.slice(8, 10))),
  };
}

/** The fields of one part of a record's detail that a page changes: a list's item or an object. */
export interface DetailPartFields {
  fields: readonly DetailField[];
  /** 'text': the part is one string, edited as its only field (a panel member's name). */
  items?: 'object' | 'text';
}

/** What the item form shows for a stored item. */
export function detailFormValues(part: DetailPartFields, stored: unknown): Record<string, unknown> {
  if (part.items === 'text') {
    const only = part.fields[0];
    return only && typeof stored === 'string' ? { [only.name]: stored } : {};
  }
  return typeof stored === 'object' && stored !== null && !Array.isArray(stored)
    ? (stored as Record<string, unknown>)
    : {};
}

/**
 * The item as the detail stores it, from the form's `item.*` values: only
 * the part's own fields (the zod schema then validates it with the rest of
 * the detail), and errors for required fields left empty.
 */
export function detailItemFromForm(
  part: DetailPartFields,
  form: FormResult,
): { item: unknown; errors: FieldError[] } {
  const sent = (form.values.item ?? {}) as Record<string, unknown>;
  const values = Object.fromEntries(
    part.fields.filter((f) => sent[f.name] !== undefined).map((f) => [f.name, sent[f.name]]),
  );
  const missing = part.fields
    .filter((f) => f.required && values[f.name] === undefined)
    .filter((f) => !form.errors.some((e) => e.field === `item.${f.name}-day`))
    .map((f) => ({
      field: itemFieldId(f),
      message: `${f.label}: ${f.kind === 'select' ? 'select an option' : f.kind === 'date' ? 'enter a date' : 'enter a value'}`,
    }));
  const item = part.items === 'text' ? values[part.fields[0]?.name ?? ''] : values;
  return { item, errors: [...form.errors, ...missing] };
}

/** The id a field has on the item form (the error summary links to it). */
export function itemFieldId(field: DetailField): string {
  return `item.${field.name}${field.kind === 'date' ? '-day' : ''}`;
}

/**
 * The service's errors for the whole detail ("detail.conferences.3.heldOn",
 * "detail.careLeaver.education") as errors on the item form's fields
 * ("item.heldOn-day", "item.education"); one it cannot place goes on the
 * first field, so the summary still links somewhere on the page.
 */
export function detailItemErrors(
  part: DetailPartFields,
  path: string,
  errors: FieldError[],
): FieldError[] {
  const first = part.fields[0];
  const firstId = first ? itemFieldId(first) : 'form';
  return errors.map((error) => {
    const rest = error.field.startsWith(`${path}.`) ? error.field.slice(path.length + 1) : null;
    const field = part.fields.find((f) => f.name === rest);
    return { field: field ? itemFieldId(field) : firstId, message: error.message };
  });
}
