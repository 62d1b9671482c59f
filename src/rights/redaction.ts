/**
 * Redaction of spans of text (issue 5: "Spans in note text are redacted,
 * not whole notes"). Pure. Offsets are UTF-16 code units, [start, end).
 *
 * `segments` is the only way text reaches a bundle: a redacted span becomes
 * a marker carrying its reason code, and its characters are dropped here, so
 * neither the PDF nor the JSON writer ever holds the redacted text.
 */

export interface Span {
  start: number;
  end: number;
  ground: string;
}

export type Segment = { kind: 'text'; text: string } | { kind: 'redacted'; ground: string };

/** Checks a span against the text it redacts; overlapping spans are allowed (they merge). */
export function checkSpan(
  text: string,
  span: { start: number; end: number },
): { ok: true } | { ok: false; reason: string } {
  if (!Number.isInteger(span.start) || !Number.isInteger(span.end)) {
    return { ok: false, reason: 'A redaction needs whole-number start and end positions' };
  }
  if (span.start < 0 || span.end > text.length || span.start >= span.end) {
    return { ok: false, reason: 'The redaction must cover some of the text, and no more' };
  }
  return { ok: true };
}

/**
 * The text cut into plain and redacted segments. Overlapping or touching
 * spans become one marker (with the first span's ground).
 */
export function segments(text: string, spans: readonly Span[]): Segment[] {
  const sorted = spans
    .filter((s) => s.start < s.end && s.start >= 0 && s.start < text.length)
    .map((s) => ({ ...s, end: Math.min(s.end, text.length) }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  const out: Segment[] = [];
  let at = 0;
  for (const span of merged) {
    if (span.start > at) out.push({ kind: 'text', text: text.slice(at, span.start) });
    out.push({ kind: 'redacted', ground: span.ground });
    at = span.end;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

/** The text as it is disclosed: each redacted span replaced by "[redacted: <code>]". */
export function redactedText(text: string, spans: readonly Span[]): string {
  return segments(text, spans)
    .map((s) => (s.kind === 'text' ? s.text : `[redacted: ${s.ground}]`))
    .join('');
}

/** Where `phrase` first occurs in `text` (ignoring case), as a span; undefined if absent. */
export function findPhrase(
  text: string,
  phrase: string,
  occurrence = 1,
): { start: number; end: number } | undefined {
  const needle = phrase.trim().toLowerCase();
  if (!needle) return undefined;
  const haystack = text.toLowerCase();
  let from = 0;
  for (let n = 1; ; n += 1) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return undefined;
    if (n === occurrence) return { start: at, end: at + needle.length };
    from = at + 1;
  }
}

export interface KnownPerson {
  name: string;
  givenName: string;
  familyName: string;
  /** Their role in the record (a party role), for the suggestion's wording. */
  role: string;
}

export interface Suggestion {
  start: number;
  end: number;
  text: string;
  person: string;
  role: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Spans naming the record's other known people (issue 5: "the names of the
 * record's known people are suggested for redaction automatically"): the
 * full name first, then the given or family name alone, as whole words,
 * ignoring case. A suggestion is only a suggestion: a person decides.
 */
export function suggestSpans(
  text: string,
  people: readonly KnownPerson[],
  /** Words never suggested alone: the subject's own names (a sibling shares the family name). */
  subjectNames: readonly string[] = [],
): Suggestion[] {
  const own = new Set(subjectNames.map((n) => n.toLowerCase()));
  const found: Suggestion[] = [];
  const taken = (start: number, end: number) => found.some((f) => start < f.end && end > f.start);
  for (const person of people) {
    const variants = [
      `${person.givenName} ${person.familyName}`,
      person.givenName,
      person.familyName,
    ].filter((v) => v.trim().length > 1 && !own.has(v.toLowerCase()));
    for (const variant of variants) {
      const pattern = new RegExp(`(?<![\\p{L}\\p{M}])${escape(variant)}(?![\\p{L}\\p{M}])`, 'giu');
      for (const match of text.matchAll(pattern)) {
        const start = match.index;
        const end = start + match[0].length;
        if (taken(start, end)) continue;
        found.push({ start, end, text: match[0], person: person.name, role: person.role });
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
