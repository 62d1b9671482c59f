import type { FieldError } from '../platform/errors/errors.js';
import { dateProblem, type DateRange } from '../platform/validation/dates.js';

/**
 * Turns GOV.UK date input parts (`<name>-day`, `-month`, `-year`) into one
 * YYYY-MM-DD string, with the design system's error messages. A date of
 * birth may be known only to the month or year (`partial`): the missing
 * parts become the 1st, and the precision is stored beside it.
 */
export function dateFromParts(
  body: Record<string, unknown>,
  name: string,
  label: string,
  options: { partial?: 'month' | 'year'; range?: DateRange } = {},
): { value: string | null; error?: FieldError } {
  const part = (p: string) => {
    const v = body[`${name}-${p}`];
    return typeof v === 'string' ? v.trim() : '';
  };
  const day = part('day');
  const month = part('month');
  const year = part('year');
  if (day === '' && month === '' && year === '') return { value: null };
  const field = `${name}-${day === '' && !options.partial ? 'day' : month === '' && options.partial !== 'year' ? 'month' : 'year'}`;
  const missing: string[] = [];
  if (day === '' && !options.partial) missing.push('day');
  if (month === '' && options.partial !== 'year') missing.push('month');
  if (year === '') missing.push('year');
  if (missing.length > 0) {
    return {
      value: null,
      error: { field, message: `${label} must include a ${missing.join(' and ')}` },
    };
  }
  if (!/^\d{4}$/.test(year) || !/^\d{0,2}$/.test(month) || !/^\d{0,2}$/.test(day)) {
    return {
      value: null,
      error: { field: `${name}-day`, message: `${label} must be a real date, like 27 3 2015` },
    };
  }
  const iso = `${year}-${(month || '1').padStart(2, '0')}-${(day || '1').padStart(2, '0')}`;
  const problem = dateProblem(iso, label.toLowerCase(), options.range);
  if (problem) {
    return { value: null, error: { field: `${name}-day`, message: problem } };
  }
  return { value: iso };
}

/** The parts to show again in a date input, from a stored YYYY-MM-DD. */
export function partsOf(date: string | null | undefined): Record<string, string> {
  if (!date) return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** A form field as a string ('' when missing or not a string). */
export function text(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v : '';
}
