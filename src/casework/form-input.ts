/**
 * Page forms to service input. Forms post flat names ("facts.outcome",
 * "detail.employer") and GOV.UK date inputs as three parts
 * ("openedOn-day", "-month", "-year"); the service takes nested objects with
 * YYYY-MM-DD dates, validated by the same zod schemas as the API.
 */
import type { FieldError } from '../platform/errors/errors.js';

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
