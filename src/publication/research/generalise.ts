/**
 * Generalising quasi-identifiers for research extracts (issue 14,
 * Maidstone's notice: "Anonymised & Pseudonymised data may be used for
 * research & statistical purposes"). Each kind of value has a ladder of
 * levels, coarser at each step, ending in "*" (suppressed); the
 * k-anonymity check (k-anonymity.ts) climbs them until it holds.
 * Level 0 is already generalised: an extract never holds an exact date, a
 * full postcode or an exact age.
 */
import { Temporal } from 'temporal-polyfill';

export interface Ladder {
  /** What each level is called, for the report of what was done. */
  names: readonly string[];
  /** The value at a level; null stays null (unknown is its own class). */
  at(value: string | null, level: number): string | null;
}

const SUPPRESSED = '*';

/** A calendar date: month and year, then year, then suppressed. */
export const dateLadder: Ladder = {
  names: ['month and year', 'year', 'suppressed'],
  at(value, level) {
    if (value === null) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return SUPPRESSED;
    return [value.slice(0, 7), value.slice(0, 4)][level] ?? SUPPRESSED;
  },
};

/**
 * An age band, from a date of birth on a reference day: 5-year bands, then
 * 10-year bands, then under 18 / 18 and over, then suppressed. The value is
 * "dateOfBirth|onDay" so the age is worked out on calendar dates (a
 * birthday on 29 February comes on 1 March in other years, as in
 * Temporal's arithmetic).
 */
export const ageLadder: Ladder = {
  names: ['5-year age band', '10-year age band', 'child or adult', 'suppressed'],
  at(value, level) {
    if (value === null) return null;
    const [born, on] = value.split('|');
    let age: number;
    try {
      age = Temporal.PlainDate.from(born ?? '').until(Temporal.PlainDate.from(on ?? ''), {
        largestUnit: 'years',
      }).years;
    } catch {
      return SUPPRESSED;
    }
    if (age < 0) return SUPPRESSED;
    const band = (width: number) => {
      const low = Math.floor(age / width) * width;
      return `${low}–${low + width - 1}`;
    };
    return [band(5), band(10), age < 18 ? 'under 18' : '18 and over'][level] ?? SUPPRESSED;
  },
};

/** A UK postcode: its district ("ME14"), then its area ("ME"), then suppressed. */
export const postcodeLadder: Ladder = {
  names: ['postcode district', 'postcode area', 'suppressed'],
  at(value, level) {
    if (value === null) return null;
    const compact = value.toUpperCase().replace(/\s+/g, '');
    const match = /^([A-Z]{1,2})(\d[A-Z\d]?)(\d[A-Z]{2})?$/.exec(compact);
    if (!match) return SUPPRESSED;
    // The outward code is all but the last three characters of a full postcode.
    const outward = match[3] ? compact.slice(0, -3) : compact;
    return [outward, match[1] ?? SUPPRESSED][level] ?? SUPPRESSED;
  },
};

/** A category (gender, the kind of record): as it is, then suppressed. */
export const categoryLadder: Ladder = {
  names: ['as recorded', 'suppressed'],
  at(value, level) {
    if (value === null) return null;
    return level === 0 ? value : SUPPRESSED;
  },
};
