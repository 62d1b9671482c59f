import jaroWinkler from 'jaro-winkler';
import { areNicknames } from './nicknames.js';
import type { BirthDate, PreparedName, PreparedPerson } from './record.js';

/**
 * The field comparisons, each a ladder of levels from the strongest
 * agreement down to "different" (the last level). A pair gets one level per
 * comparison, or none (-1) when either record lacks the field: a missing
 * value is no evidence either way. The model (model.ts) learns, per level,
 * how often true pairs (m) and unrelated pairs (u) land there.
 */
export interface Level {
  /** Plain English, read in a waterfall: "Given name: known as (William / Bill)". */
  label: string;
  /** Exact agreement weighed by how common the value is (term frequency). */
  termFrequency?: TermKind;
}

/**
 * Values people can share by chance, so that agreeing on a common one
 * ("Smith", a hostel's postcode, a placeholder date) counts for less than
 * on a rare one. Not identifiers: two people never share an NHS number by
 * chance, so agreement on any one is worth the same.
 */
export type TermKind = 'given' | 'family' | 'birth' | 'postcode';

export function termValue(kind: TermKind, p: PreparedPerson): string | null {
  switch (kind) {
    case 'given':
      return p.given?.text ?? null;
    case 'family':
      return p.family?.text ?? null;
    case 'birth':
      return p.birth ? (p.birth.iso ?? `text:${p.birth.text}`) : null;
    case 'postcode':
      return p.postcode;
  }
}

export interface Comparison {
  key: string;
  label: string;
  levels: readonly Level[];
}

export const comparisons: readonly Comparison[] = [
  {
    key: 'givenName',
    label: 'Given name',
    levels: [
      { label: 'the same', termFrequency: 'given' },
      { label: 'nearly the same (Jaro-Winkler 0.92 or more)' },
      { label: 'a known short form of the other (as William and Bill)' },
      { label: 'similar (Jaro-Winkler 0.88 or more, or one letter different)' },
      { label: 'sound alike (Double Metaphone)' },
      { label: "found among the other record's other names" },
      { label: 'one is only an initial, and it agrees' },
      { label: 'different' },
    ],
  },
  {
    key: 'familyName',
    label: 'Family name',
    levels: [
      { label: 'the same', termFrequency: 'family' },
      { label: 'nearly the same (Jaro-Winkler 0.92 or more)' },
      { label: 'similar (Jaro-Winkler 0.88 or more)' },
      { label: 'sound alike (Double Metaphone)' },
      {
        label:
          "found among the other record's other names, or one part of a double-barrelled name agrees (a changed surname)",
      },
      { label: 'different' },
    ],
  },
  {
    key: 'dateOfBirth',
    label: 'Date of birth',
    levels: [
      { label: 'the same', termFrequency: 'birth' },
      { label: 'day and month swapped' },
      { label: 'one digit different' },
      { label: 'same year, the rest not known in one of them' },
      { label: 'same year only' },
      { label: 'different' },
    ],
  },
  {
    key: 'sex',
    label: 'Sex',
    levels: [{ label: 'the same' }, { label: 'different' }],
  },
  {
    key: 'address',
    label: 'Address',
    levels: [
      { label: 'same postcode', termFrequency: 'postcode' },
      { label: 'same first line of address' },
      { label: 'same postcode district' },
      { label: 'different' },
    ],
  },
  {
    key: 'nhsNumber',
    label: 'NHS number',
    levels: [
      { label: 'the same' },
      { label: 'one digit different, missing, added or two swapped (a typing slip)' },
      { label: 'different (a conflict)' },
    ],
  },
  {
    key: 'upn',
    label: 'Unique pupil number',
    levels: [
      { label: 'the same' },
      { label: 'one character different, missing, added or two swapped (a typing slip)' },
      { label: 'different (a conflict)' },
    ],
  },
  {
    key: 'otherIdentifier',
    label: 'Other identifier',
    levels: [{ label: 'the same' }, { label: 'different' }],
  },
];

export const GIVEN = 0;
export const FAMILY = 1;
export const BIRTH = 2;
export const ADDRESS = 4;
/** The given-name level that means "clearly different". */
export const GIVEN_DIFFERENT = 7;

/** Levels of one pair, one per comparison; -1 where not compared. */
export type Levels = Int8Array;

export function comparePair(a: PreparedPerson, b: PreparedPerson, out: Levels): Levels {
  out[0] = compareGiven(a, b);
  out[1] = compareFamily(a, b);
  out[2] = compareBirth(a.birth, b.birth);
  out[3] = a.sex === null || b.sex === null ? -1 : a.sex === b.sex ? 0 : 1;
  out[4] = compareAddress(a, b);
  out[5] = compareIdentifier(a.nhsNumber, b.nhsNumber);
  out[6] = compareIdentifier(a.upn, b.upn);
  out[7] =
    a.otherIdentifier === null || b.otherIdentifier === null
      ? -1
      : a.otherIdentifier === b.otherIdentifier
        ? 0
        : 1;
  return out;
}

/**
 * The one place the model departs from independent fields: twins, and
 * brothers and sisters, share a family name and an address, so when the
 * given names are clearly different those agreements are explained by the
 * family, not by being one person, and are not counted (decision 0027).
 */
export function applyFamilyGate(levels: Levels): Levels {
  if (levels[GIVEN] === GIVEN_DIFFERENT) {
    levels[FAMILY] = -1;
    levels[ADDRESS] = -1;
  }
  return levels;
}

function phoneticAgree(a: PreparedName, b: PreparedName): boolean {
  const [a1, a2] = a.phonetic;
  const [b1, b2] = b.phonetic;
  return a1 !== '' && (a1 === b1 || a1 === b2 || (a2 !== '' && (a2 === b1 || a2 === b2)));
}

function compareGiven(a: PreparedPerson, b: PreparedPerson): number {
  const x = a.given;
  const y = b.given;
  if (!x || !y) return -1;
  if (x.text === y.text) return 0;
  const jw = jaroWinkler(x.text, y.text);
  if (jw >= 0.92) return 1;
  if (areNicknames(x.text, y.text) || areNicknames(x.parts[0] ?? '', y.parts[0] ?? '')) return 2;
  if (jw >= 0.88 || withinOneEdit(x.text, y.text)) return 3;
  if (phoneticAgree(x, y)) return 4;
  if (
    b.otherNames.has(x.parts[0] ?? '') ||
    a.otherNames.has(y.parts[0] ?? '') ||
    sharePart(x.parts, y.parts)
  ) {
    return 5;
  }
  if ((x.text.length === 1 || y.text.length === 1) && x.text[0] === y.text[0]) return 6;
  return GIVEN_DIFFERENT;
}

function compareFamily(a: PreparedPerson, b: PreparedPerson): number {
  const x = a.family;
  const y = b.family;
  if (!x || !y) return -1;
  if (x.text === y.text) return 0;
  const jw = jaroWinkler(x.text, y.text);
  if (jw >= 0.92) return 1;
  if (jw >= 0.88) return 2;
  if (phoneticAgree(x, y)) return 3;
  if (
    x.parts.some((p) => b.otherNames.has(p)) ||
    y.parts.some((p) => a.otherNames.has(p)) ||
    sharePart(x.parts, y.parts)
  ) {
    return 4;
  }
  return 5;
}

function sharePart(x: string[], y: string[]): boolean {
  if (x.length < 2 && y.length < 2) return false;
  return x.some((p) => p.length > 1 && y.includes(p));
}

export function compareBirth(a: BirthDate | null, b: BirthDate | null): number {
  if (!a || !b) return -1;
  if (a.iso !== null && b.iso !== null) {
    if (a.iso === b.iso) return 0;
    if (a.year === b.year && a.month === b.day && a.day === b.month) return 1;
    if (oneEditApart(a.iso, b.iso)) return 2;
    return a.year === b.year ? 4 : 5;
  }
  // Partial or malformed: the text itself, then whatever parts were read.
  // A year that agrees where only the year is known is evidence for, not
  // (as for two full dates in one year) against.
  if (a.text === b.text) return 0;
  if (oneEditApart(a.text, b.text)) return 2;
  if (a.year !== null && a.year === b.year) {
    return a.month !== null && b.month !== null && a.month !== b.month ? 4 : 3;
  }
  return a.year !== null && b.year !== null ? 5 : -1;
}

/** One character different, or two neighbours swapped, in strings of one length. */
export function oneEditApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let first = -1;
  let differences = 0;
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] !== b[i]) {
      differences += 1;
      if (differences === 1) first = i;
      else if (differences > 2) return false;
    }
  }
  if (differences === 1) return true;
  return differences === 2 && a[first] === b[first + 1] && a[first + 1] === b[first];
}

function compareAddress(a: PreparedPerson, b: PreparedPerson): number {
  const bothPostcodes = a.postcode !== null && b.postcode !== null;
  if (bothPostcodes && a.postcode === b.postcode) return 0;
  if (a.line1 !== null && b.line1 !== null) {
    if (a.line1 === b.line1 || jaroWinkler(a.line1, b.line1) >= 0.92) return 1;
  }
  if (a.postcodeDistrict !== null && a.postcodeDistrict === b.postcodeDistrict) return 2;
  return bothPostcodes || (a.line1 !== null && b.line1 !== null) ? 3 : -1;
}

function compareIdentifier(a: string | null, b: string | null): number {
  if (a === null || b === null) return -1;
  if (a === b) return 0;
  return withinOneEdit(a, b) ? 1 : 2;
}

/** One character changed, dropped, added, or two neighbours swapped (Damerau). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a.length === b.length) return oneEditApart(a, b);
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length - short.length !== 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i += 1;
  return short.slice(i) === long.slice(i + 1);
}
