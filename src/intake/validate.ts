import { createHash } from 'node:crypto';
import { validateNhsNumber, validatePostcode, validateUpn } from '../people/identifiers.js';
import { isCalendarDate, today } from '../platform/validation/dates.js';
import { headingKey, type IntakeField, type IntakeKind } from './kinds.js';
import type { FieldProblem } from './tables.js';

/**
 * Mapping a partner's columns to a kind's fields, and checking each row:
 * every problem is a sentence naming the column and saying what to do, kept
 * with the row in the correction queue; nothing is dropped and nothing is
 * guessed. The same code checks a row from a file and a row corrected in
 * the browser.
 */
export type Mapping = Record<string, string>;

/** Headings matched to fields by name (letters only, case ignored); unmatched fields left out. */
export function suggestMapping(kind: IntakeKind, headers: readonly string[]): Mapping {
  const mapping: Mapping = {};
  const used = new Set<string>();
  for (const field of kind.fields) {
    const wanted = new Set([headingKey(field.key), headingKey(field.label), ...field.aliases]);
    const found = headers.find((h) => !used.has(h) && wanted.has(headingKey(h)));
    if (found !== undefined) {
      mapping[field.key] = found;
      used.add(found);
    }
  }
  return mapping;
}

/** Problems with a mapping itself: a required field with no column. */
export function mappingProblems(
  kind: IntakeKind,
  headers: readonly string[],
  mapping: Mapping,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of kind.fields) {
    const column = mapping[field.key];
    if (column !== undefined && column !== '' && !headers.includes(column)) {
      problems.push({
        field: field.key,
        message: `Choose a column of the file for ${lower(field)}`,
      });
    } else if (field.required && !column) {
      problems.push({
        field: field.key,
        message: `Choose the column that holds ${lower(field)}: every row needs it`,
      });
    }
  }
  return problems;
}

/** A row's cells as the kind's fields, by the mapping. */
export function mapRow(
  kind: IntakeKind,
  headers: readonly string[],
  mapping: Mapping,
  cells: readonly string[],
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of kind.fields) {
    const column = mapping[field.key];
    const at = column ? headers.indexOf(column) : -1;
    values[field.key] = at >= 0 ? (cells[at] ?? '').trim() : '';
  }
  return values;
}

export interface CheckedRow {
  /** Each value in the one form it is stored and compared in (dates YYYY-MM-DD). */
  values: Record<string, string>;
  errors: FieldProblem[];
}

export function checkRow(kind: IntakeKind, input: Readonly<Record<string, string>>): CheckedRow {
  const values: Record<string, string> = {};
  const errors: FieldProblem[] = [];
  for (const field of kind.fields) {
    const raw = (input[field.key] ?? '').trim();
    if (raw === '') {
      values[field.key] = '';
      if (field.required) errors.push({ field: field.key, message: `Enter ${lower(field)}` });
      continue;
    }
    const result = checkValue(field, raw);
    if ('message' in result) {
      values[field.key] = raw;
      errors.push({ field: field.key, message: result.message });
    } else {
      values[field.key] = result.value;
    }
  }
  // Rules across fields, where both values are good.
  const ok = (key: string) => values[key] && !errors.some((e) => e.field === key);
  if (ok('sessionsPossible') && ok('sessionsAttended')) {
    if (Number(values.sessionsAttended) > Number(values.sessionsPossible)) {
      errors.push({
        field: 'sessionsAttended',
        message: 'Sessions attended cannot be more than sessions possible',
      });
    }
  }
  if (
    ok('missingFrom') &&
    ok('returnedOn') &&
    (values.returnedOn ?? '') < (values.missingFrom ?? '')
  ) {
    errors.push({
      field: 'returnedOn',
      message: 'The date returned must be on or after the date reported missing',
    });
  }
  if (ok('dateOfBirth') && (values.dateOfBirth ?? '') > today()) {
    errors.push({
      field: 'dateOfBirth',
      message: 'The date of birth must be today or in the past',
    });
  }
  if (ok('exclusionStart') && !values.exclusion) {
    errors.push({
      field: 'exclusion',
      message: 'Enter the kind of exclusion, as a start date is given',
    });
  }
  return { values, errors };
}

/**
 * The row's key: the kind's key fields, or — when a key field is missing —
 * every value, so a row is still recognised when it comes again.
 */
export function rowKey(kind: IntakeKind, values: Readonly<Record<string, string>>): string {
  const parts = kind.rowKey.map((k) => values[k] ?? '');
  const basis = parts.every((p) => p !== '')
    ? parts.map((p) => p.toUpperCase())
    : kind.fields.map((f) => values[f.key] ?? '');
  return createHash('sha256')
    .update(JSON.stringify([kind.slug, ...basis]))
    .digest('hex');
}

type Checked = { value: string } | { message: string };

function checkValue(field: IntakeField, raw: string): Checked {
  switch (field.type) {
    case 'text':
      if (field.max !== undefined && raw.length > field.max) {
        return { message: `${field.label} must be ${field.max} characters or fewer` };
      }
      return { value: raw };
    case 'date': {
      const iso = readDate(raw);
      return iso
        ? { value: iso }
        : { message: `Enter ${lower(field)} as a real date, like 27/03/2015` };
    }
    case 'count':
      if (!/^\d{1,5}$/.test(raw.replace(/\.0+$/, ''))) {
        return { message: `${field.label} must be a whole number, like 120` };
      }
      return { value: String(Number(raw)) };
    case 'choice': {
      const key = raw.toLowerCase().replace(/\s+/g, ' ');
      if (field.choices?.[key]) return { value: key };
      const offered = [...new Set(Object.values(field.choices ?? {}))].join(', ');
      return { message: `${field.label} must be one of: ${offered}` };
    }
    case 'sex': {
      const key = raw.toLowerCase();
      if (['f', 'female', 'girl'].includes(key)) return { value: 'female' };
      if (['m', 'male', 'boy'].includes(key)) return { value: 'male' };
      if (['u', 'unknown', 'not known', 'not stated', 'x', 'other'].includes(key)) {
        return { value: key === 'other' || key === 'x' ? 'other' : 'not-known' };
      }
      return { message: 'Sex must be female, male or not known (F, M or U)' };
    }
    case 'upn':
      return asChecked(validateUpn(raw));
    case 'nhs-number':
      return asChecked(validateNhsNumber(raw));
    case 'postcode':
      return asChecked(validatePostcode(raw));
  }
}

function asChecked(result: { ok: true; value: string } | { ok: false; reason: string }): Checked {
  return result.ok ? { value: result.value } : { message: result.reason };
}

/** YYYY-MM-DD, or a UK day-first date: 27/03/2015, 27-3-2015, 27.03.2015. */
export function readDate(raw: string): string | null {
  const text = raw.trim();
  let iso: string | null = null;
  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text);
  const ukMatch = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (isoMatch) iso = `${isoMatch[1]}-${pad(isoMatch[2])}-${pad(isoMatch[3])}`;
  else if (ukMatch) iso = `${ukMatch[3]}-${pad(ukMatch[2])}-${pad(ukMatch[1])}`;
  if (!iso || !isCalendarDate(iso) || iso < '1900-01-01' || iso > '2200-12-31') return null;
  return iso;
}

const pad = (s: string | undefined) => (s ?? '').padStart(2, '0');

function lower(field: IntakeField): string {
  // "the unique pupil number", "the NHS number": keep capitals of initialisms.
  const label = /^[A-Z]{2}/.test(field.label) ? field.label : field.label.toLowerCase();
  return `the ${label}`;
}
