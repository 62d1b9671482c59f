/**
 * The shapes the redaction engine works in. Offsets are JavaScript string
 * offsets (UTF-16 code units) into the text as given, so a caller can slice
 * the original with them; emoji and other astral characters count two.
 */

export const SPAN_KINDS = [
  'person',
  'date',
  'address',
  'postcode',
  'school',
  'identifier',
  'phone',
  'email',
  'other',
] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

/** One person in the case, as the review knows them. */
export interface CasePerson {
  /** The label the review gives them: "Child A", "Mother". */
  label: string;
  names: string[];
  /** ISO date, "2015-03-03". */
  dateOfBirth?: string | undefined;
  dateOfDeath?: string | undefined;
  addresses: string[];
  identifiers: string[];
  schools: string[];
}

/**
 * Where a span came from, which decides overlaps: what the case knows beats
 * a pattern, and a pattern beats a guess from the name lexicon.
 */
export type Source = 'known' | 'pattern' | 'lexicon';

/** A candidate a recogniser found, before overlaps are resolved. */
export interface Candidate {
  start: number;
  end: number;
  kind: SpanKind;
  source: Source;
  /** Plain English, shown to the reviewer: why this was found. */
  reason: string;
  /** The known person it belongs to (their label), if any. */
  person?: string | undefined;
  /**
   * What the span is, for consistent replacement: the same key gets the
   * same label everywhere in the report ("person:Dr Shah", "date:2015-03").
   */
  key: string;
  /** Found after a rank or role ("PC", "Dr"): a practitioner, not family. */
  professional?: boolean | undefined;
  /** The replacement, when the recogniser knows it (a date's month and year). */
  replacement?: string | undefined;
}

/** A span in the answer: what was redacted, as what, and why. */
export interface Span {
  start: number;
  end: number;
  kind: SpanKind;
  label: string;
  reason: string;
}

export interface Redaction {
  text: string;
  spans: Span[];
}
