/**
 * Small pieces casework's pages share: select options, an item form's
 * fields, the caption above a record's sub-pages, and values and nouns in
 * the words a page shows.
 */
import { formatDate } from '../platform/http/views.js';
import { humanise, type DetailField } from './categories.js';
import { dateParts, itemFieldId } from './form-input.js';
import type { RecordView } from './service.js';

export function options(values: readonly string[], selected: unknown, blank = true) {
  return [
    ...(blank ? [{ value: '', text: 'Select' }] : []),
    ...values.map((v) => ({ value: v, text: humanise(v), selected: v === selected })),
  ];
}

/** The page form for one item of a detail list or a detail object, with what was typed and the errors. */
export function detailFieldsModel(
  fields: readonly DetailField[],
  values: Record<string, unknown>,
  fieldErrors: Record<string, { text: string }>,
) {
  return fields.map((field) => ({
    ...field,
    id: `item.${field.name}`,
    value: values[field.name] ?? '',
    dateValue: dateParts(values[field.name]),
    items: options(field.options ?? [], values[field.name]),
    error: fieldErrors[itemFieldId(field)],
  }));
}

/** Above a record's sub-pages: its category and who it is about. */
export function recordCaption(view: RecordView): string {
  const subject = view.parties.find((p) => p.role === 'subject');
  return `${view.categoryName}${subject ? ` – ${subject.givenName} ${subject.familyName}` : ''}`;
}

/** The version a page form was opened on, as it was posted. */
export function formVersion(body: unknown): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>).version
    : undefined;
}

/** A stored value as the record page shows it: dates as GOV.UK writes them, codes in words. */
export function shownValue(field: DetailField, value: unknown): string {
  if (field.kind === 'date') return formatDate(value);
  if (field.kind === 'select') return humanise(String(value));
  return String(value);
}

/** "agency" → "an agency", "placement" → "a placement". */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
