/**
 * Text helpers shared by the recognisers. Matching runs on a folded copy of
 * the text — lower case, accents removed, curly apostrophes and dashes made
 * plain — that has exactly the same length, so an offset found in the copy
 * is an offset in the original. Folding one UTF-16 unit at a time keeps the
 * lengths equal: a character whose folded form is longer (German ß, Turkish
 * İ) is left as it is, and surrogate halves (emoji) pass through unchanged.
 */

const APOSTROPHES = /['\u2018\u2019\u02BC\u2032`]/;
const DASHES = /[\u2010-\u2015\u2212]/;

function foldUnit(unit: string): string {
  if (APOSTROPHES.test(unit)) return "'";
  if (DASHES.test(unit)) return '-';
  if (unit === '\u00A0' || unit === '\u2007' || unit === '\u202F') return ' ';
  const lower = unit.toLowerCase();
  if (lower.length !== 1) return unit;
  const base = lower.normalize('NFD')[0] ?? lower;
  return base.length === 1 && /\p{L}/u.test(base) ? base : lower;
}

const foldCache = new Map<string, string>();

/** The folded copy: same length, same offsets. */
export function fold(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text[i] ?? '';
    // Plain ASCII is the bulk of any report: fold it without the cache.
    const code = unit.charCodeAt(0);
    if (code < 128 && unit !== "'" && unit !== '`') {
      out += code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : unit;
      continue;
    }
    let folded = foldCache.get(unit);
    if (folded === undefined) {
      folded = foldUnit(unit);
      foldCache.set(unit, folded);
    }
    out += folded;
  }
  return out;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Not preceded / followed by a letter or digit (Unicode-aware word edges). */
export const WORD_START = '(?<![\\p{L}\\p{N}])';
export const WORD_END = '(?![\\p{L}\\p{N}])';

/**
 * A regular expression source matching `phrase` (already folded) with any
 * run of spaces, commas or line breaks between its words, and any dash or
 * apostrophe form where it has one.
 */
export function flexiblePhrase(phrase: string): string {
  return phrase
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((word) => escapeRegExp(word).replace(/-/g, '[-\\s]?'))
    .join('[\\s,]+');
}

/** Every match of a global regular expression, as [start, end, match]. */
export function* matchesOf(
  pattern: RegExp,
  text: string,
): Generator<{ start: number; end: number; match: RegExpExecArray }> {
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (match[0] === '') {
      pattern.lastIndex += 1;
      continue;
    }
    yield { start: match.index, end: match.index + match[0].length, match };
  }
}

/** Whether the word at `start` begins a sentence (or a line, or the text). */
export function atSentenceStart(text: string, start: number): boolean {
  let i = start - 1;
  // Opening quotes and brackets belong to the word.
  while (i >= 0 && /["'“‘([]/.test(text[i] ?? '')) i--;
  let sawSpace = false;
  while (i >= 0 && /[ \t]/.test(text[i] ?? '')) {
    i--;
    sawSpace = true;
  }
  if (i < 0) return true;
  const before = text[i] ?? '';
  if (before === '\n' || before === '\r') return true;
  // A list bullet or heading number ("1.", "•", "-") also starts a sentence.
  if (/[•*\-–:;]/.test(before) && sawSpace) return true;
  return sawSpace && /[.!?]/.test(before);
}

/** Starts with a capital letter (any script that has them). */
export function isCapitalised(word: string): boolean {
  return /^\p{Lu}/u.test(word);
}

/**
 * Typed text a form may not store: control characters other than tab and
 * line breaks (PostgreSQL refuses the NUL character outright; the others
 * have no place in a label, a title or a question).
 */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127) return true;
  }
  return false;
}
