import { doubleMetaphone } from 'double-metaphone';
import { Temporal } from 'temporal-polyfill';

/**
 * A person record as a partner sends it, and the same record prepared for
 * comparison. Values are taken as received: a date of birth that is not a
 * real date, or a postcode that is not a UK one, is kept as text and
 * compared as text, never rejected (issue 15). Only a line that is not a
 * record at all (no id, a field of the wrong shape) is refused.
 */
export interface PersonInput {
  id: string | number;
  source?: string;
  givenName?: string;
  familyName?: string;
  otherNames?: string[];
  dateOfBirth?: string;
  sex?: string;
  address?: { line1?: string; line2?: string; town?: string; postcode?: string };
  identifiers?: { nhsNumber?: string; upn?: string; other?: string };
}

/** A date of birth: the parts read from it, or only its text. */
export interface BirthDate {
  /** Digits of a real calendar date, "YYYYMMDD"; null when it is not one. */
  iso: string | null;
  year: number | null;
  month: number | null;
  day: number | null;
  /** As received, lower case without spaces: compared when it is not a date. */
  text: string;
}

export interface PreparedName {
  /** Lower case, accents removed, letters, spaces and hyphens only. */
  text: string;
  /** Both Double Metaphone codes (the second may equal the first). */
  phonetic: [string, string];
  /** The words of a double-barrelled or multi-part name. */
  parts: string[];
}

export interface PreparedPerson {
  /** Position in the input: pairs are reported earlier record first. */
  index: number;
  id: string | number;
  source: string;
  given: PreparedName | null;
  family: PreparedName | null;
  /** Every word of every other name (aliases, previous names). */
  otherNames: Set<string>;
  birth: BirthDate | null;
  sex: string | null;
  postcode: string | null;
  /** The outward code of a UK postcode ("CT1"); null for other text. */
  postcodeDistrict: string | null;
  line1: string | null;
  town: string | null;
  nhsNumber: string | null;
  upn: string | null;
  otherIdentifier: string | null;
}

export class RecordError extends Error {}

/** Reads one parsed JSON value as a person record, or says why it is not one. */
export function readPersonInput(value: unknown): PersonInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordError('the line is not a JSON object');
  }
  const raw = value as Record<string, unknown>;
  const id = raw.id;
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new RecordError('the record has no "id" (a string or number)');
  }
  if (typeof id === 'string' && id.trim() === '') throw new RecordError('the "id" is empty');
  const record: PersonInput = { id };
  const source = text(raw.source, 'source');
  if (source !== undefined) record.source = source;
  const given = text(raw.givenName, 'givenName');
  if (given !== undefined) record.givenName = given;
  const family = text(raw.familyName, 'familyName');
  if (family !== undefined) record.familyName = family;
  const dob = text(raw.dateOfBirth, 'dateOfBirth');
  if (dob !== undefined) record.dateOfBirth = dob;
  const sex = text(raw.sex, 'sex');
  if (sex !== undefined) record.sex = sex;
  if (raw.otherNames !== undefined && raw.otherNames !== null) {
    const list = Array.isArray(raw.otherNames) ? raw.otherNames : [raw.otherNames];
    record.otherNames = list
      .map((n, i) => text(n, `otherNames[${i}]`))
      .filter((n): n is string => n !== undefined);
  }
  if (raw.address !== undefined && raw.address !== null) {
    if (typeof raw.address === 'string') record.address = { line1: raw.address };
    else {
      const a = object(raw.address, 'address');
      record.address = {};
      for (const key of ['line1', 'line2', 'town', 'postcode'] as const) {
        const v = text(a[key], `address.${key}`);
        if (v !== undefined) record.address[key] = v;
      }
    }
  }
  if (raw.identifiers !== undefined && raw.identifiers !== null) {
    const ids = object(raw.identifiers, 'identifiers');
    record.identifiers = {};
    for (const key of ['nhsNumber', 'upn', 'other'] as const) {
      const v = text(ids[key], `identifiers.${key}`);
      if (v !== undefined) record.identifiers[key] = v;
    }
  }
  return record;
}

/** A string or number as text; null, absent or blank is absent; anything else is refused. */
function text(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') throw new RecordError(`"${field}" is not text`);
  return value.trim() === '' ? undefined : value;
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordError(`"${field}" is not an object`);
  }
  return value as Record<string, unknown>;
}

export function normaliseName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/[^a-z\s-]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function prepareName(value: string | undefined): PreparedName | null {
  if (value === undefined) return null;
  const normalised = normaliseName(value);
  if (normalised === '') return null;
  return {
    text: normalised,
    phonetic: doubleMetaphone(normalised.replace(/[\s-]/g, '')),
    parts: normalised.split(/[\s-]+/).filter(Boolean),
  };
}

const dayFirst = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})$/;
const yearFirst = /^(\d{4})[/.\-\s]?(\d{1,2})[/.\-\s]?(\d{1,2})$/;
const partial = /^(\d{4})(?:[/.-](\d{1,2}))?$/;
const monthYear = /^(\d{1,2})[/.-](\d{4})$/;

/**
 * Day-first (British) or year-first dates become calendar parts; a real
 * date only if the calendar has it (no 31 June). A year, or a year and
 * month, keeps those parts; anything else is text.
 */
export function readBirthDate(value: string | undefined): BirthDate | null {
  if (value === undefined) return null;
  const trimmed = value.trim().replace(/T.*$/, '');
  const textForm = trimmed.toLowerCase().replace(/\s+/g, '');
  if (textForm === '') return null;
  // "2011-05" is a year and month, not 2011, month 0, day 5.
  const found = partial.test(trimmed) ? null : yearFirst.exec(trimmed);
  const dmy = found ? null : dayFirst.exec(trimmed);
  let parts: [number, number, number] | null = null;
  if (found) parts = [Number(found[1]), Number(found[2]), Number(found[3])];
  else if (dmy) parts = [Number(dmy[3]), Number(dmy[2]), Number(dmy[1])];
  if (parts) {
    const [year, month, day] = parts;
    if (isCalendarDate(year, month, day)) {
      return {
        iso: `${year}${pad(month)}${pad(day)}`,
        year,
        month,
        day,
        text: textForm,
      };
    }
    // "2015-13-40": the year is still worth something; the rest is text.
    return { iso: null, year: plausibleYear(year), month: null, day: null, text: textForm };
  }
  const p = partial.exec(trimmed);
  if (p) {
    const month = p[2] ? Number(p[2]) : null;
    return {
      iso: null,
      year: plausibleYear(Number(p[1])),
      month: month && month <= 12 ? month : null,
      day: null,
      text: textForm,
    };
  }
  const my = monthYear.exec(trimmed);
  if (my) {
    const month = Number(my[1]);
    return {
      iso: null,
      year: plausibleYear(Number(my[2])),
      month: month >= 1 && month <= 12 ? month : null,
      day: null,
      text: textForm,
    };
  }
  return { iso: null, year: null, month: null, day: null, text: textForm };
}

function plausibleYear(year: number): number | null {
  return year >= 1850 && year <= 2150 ? year : null;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (plausibleYear(year) === null) return false;
  try {
    Temporal.PlainDate.from({ year, month, day }, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

const ukPostcode = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/;

function readSex(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value.trim().toLowerCase();
  if (['f', 'female', 'girl', 'woman', 'w'].includes(v)) return 'f';
  if (['m', 'male', 'boy', 'man'].includes(v)) return 'm';
  // "unknown", "not known", "not stated" say nothing either way.
  if (['u', 'unknown', 'not known', 'not-known', 'not stated', 'x', '?', ''].includes(v))
    return null;
  return v;
}

function digits(value: string | undefined): string | null {
  if (value === undefined) return null;
  const d = value.replace(/[\s-]/g, '').toUpperCase();
  return d === '' ? null : d;
}

function plain(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = value
    .toLowerCase()
    .replace(/[^a-z0-9\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return v === '' ? null : v;
}

export function preparePerson(record: PersonInput, index: number): PreparedPerson {
  const postcode = record.address?.postcode?.toUpperCase().replace(/[^A-Z0-9]/g, '') || null;
  const outward = postcode ? ukPostcode.exec(postcode) : null;
  const otherNames = new Set<string>();
  for (const name of record.otherNames ?? []) {
    for (const part of normaliseName(name).split(/[\s-]+/)) if (part) otherNames.add(part);
  }
  return {
    index,
    id: record.id,
    source: record.source ?? '',
    given: prepareName(record.givenName),
    family: prepareName(record.familyName),
    otherNames,
    birth: readBirthDate(record.dateOfBirth),
    sex: readSex(record.sex),
    postcode,
    postcodeDistrict: outward?.[1] ?? null,
    line1: plain(record.address?.line1),
    town: plain(record.address?.town),
    nhsNumber: digits(record.identifiers?.nhsNumber),
    upn: digits(record.identifiers?.upn),
    otherIdentifier: digits(record.identifiers?.other),
  };
}
