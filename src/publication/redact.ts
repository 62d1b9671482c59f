/**
 * The redaction engine: every recogniser's candidates, overlaps resolved,
 * labels given consistently, and the text rebuilt with the replacements.
 * Pure: no database, no network, no clock beyond two-digit years.
 */
import { findDates, monthYear } from './dates.js';
import { findKnown } from './known.js';
import { findUnknownNames } from './names.js';
import { findPatterns } from './patterns.js';
import { fold, matchesOf } from './text.js';
import type { Candidate, CasePerson, Redaction, Span, SpanKind } from './types.js';

const SOURCE_RANK = { known: 0, pattern: 1, lexicon: 2 } as const;
/** Among spans of one source and length, the more specific kind wins. */
const KIND_RANK: Record<SpanKind, number> = {
  identifier: 0,
  email: 1,
  phone: 2,
  postcode: 3,
  date: 4,
  school: 5,
  address: 6,
  person: 7,
  other: 8,
};

const AGE =
  /(?<![\p{L}\p{N}])(?:aged\s+\d{1,2}\s+(?:months?|weeks?|days?)|aged\s+\d{1,2}(?:\s+(?:years?|yrs?))?(?:\s+(?:and\s+)?\d{1,2}\s+months?)?|\d{1,2}[- ](?:year|month|week)s?[- ]old)(?![\p{L}\p{N}])/giu;

function exactDates(text: string, folded: string): Candidate[] {
  const found: Candidate[] = [];
  const dates = findDates(folded);
  for (const d of dates) {
    found.push({
      start: d.start,
      end: d.end,
      kind: 'date',
      source: 'pattern',
      reason: d.year === undefined ? 'exact date (day and month)' : 'exact date',
      key: `date:${d.year}-${d.month}`,
      replacement: monthYear(d),
    });
  }
  // An age beside a date gives the date of birth away: both go.
  for (const { start, end } of matchesOf(AGE, text)) {
    const sentenceStart = Math.max(text.lastIndexOf('.', start), text.lastIndexOf('\n', start));
    const nextStop = text.slice(end).search(/[.\n]/);
    const sentenceEnd = nextStop < 0 ? text.length : end + nextStop;
    if (dates.some((d) => d.start > sentenceStart && d.end <= sentenceEnd + 1)) {
      found.push({
        start,
        end,
        kind: 'other',
        source: 'pattern',
        reason: 'age given with a date (together they give a date of birth)',
        key: `age:${start}`,
        replacement: '[age]',
      });
    }
  }
  return found;
}

/**
 * Longest first (an email address holding a known first name is redacted
 * as the email address); at equal length, what the case knows before
 * patterns before guesses, then the more specific kind.
 */
function resolve(candidates: Candidate[], length: number): Candidate[] {
  const ordered = [...candidates].sort(
    (a, b) =>
      b.end - b.start - (a.end - a.start) ||
      SOURCE_RANK[a.source] - SOURCE_RANK[b.source] ||
      KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
      a.start - b.start,
  );
  // Which characters are taken: linear in the text, so a long report with
  // thousands of spans stays fast.
  const taken = new Uint8Array(length);
  const chosen: Candidate[] = [];
  for (const c of ordered) {
    if (taken.subarray(c.start, c.end).includes(1)) continue;
    taken.fill(1, c.start, c.end);
    chosen.push(c);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

/**
 * A guessed name that touches a known person's name is that person written
 * more fully ("Kelly-Ann Smith" where the case has "Kelly Smith"): the
 * known span grows to cover it, keeping its label.
 */
function absorbIntoKnown(candidates: Candidate[], length: number): Candidate[] {
  const known = indexSpans(
    candidates.filter((c) => c.source === 'known' && c.kind === 'person'),
    length,
  );
  const out: Candidate[] = [];
  for (const c of candidates) {
    if (c.source === 'lexicon' && !c.professional) {
      const touching = known.within(c.start, c.end);
      const k = touching[0];
      if (k) {
        out.push({
          ...k,
          start: Math.min(c.start, k.start),
          end: Math.max(c.end, ...touching.map((t) => t.end)),
          reason: `${k.reason} (with the words next to it)`,
        });
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

/**
 * Spans indexed by the characters they cover, to find those overlapping a
 * range in time proportional to the range, not to the number of spans: a
 * long report has thousands.
 */
function indexSpans(spans: Candidate[], length: number) {
  const at = new Int32Array(length).fill(-1);
  spans.forEach((s, n) => {
    for (let i = s.start; i < s.end; i++) if (at[i] === -1) at[i] = n;
  });
  return {
    within(start: number, end: number): Candidate[] {
      const seen = new Set<number>();
      for (let i = start; i < end; i++) {
        const n = at[i] ?? -1;
        if (n >= 0) seen.add(n);
      }
      return [...seen].map((n) => spans[n] as Candidate);
    },
  };
}

/** Labels already used in the text ("Child A") are not names to find. */
function labelWords(people: CasePerson[]): Set<string> {
  const words = new Set<string>();
  for (const p of people) for (const w of fold(p.label).split(/\s+/)) words.add(w);
  return words;
}

export function redact(text: string, people: CasePerson[]): Redaction {
  const folded = fold(text);
  const addressNumbers = new Map<string, number>();
  const schoolNumbers = new Map<string, number>();
  const numberFor = (map: Map<string, number>) => (value: string) => {
    const key = fold(value).replace(/[^\p{L}\p{N}]/gu, '');
    if (!map.has(key)) map.set(key, map.size + 1);
    return map.get(key) ?? 0;
  };
  const candidates = absorbIntoKnown(
    [
      ...findKnown(text, people, numberFor(addressNumbers), numberFor(schoolNumbers)),
      ...findPatterns(text),
      ...exactDates(text, folded),
      ...findUnknownNames(text, labelWords(people)),
    ],
    text.length,
  );
  const knownAddresses = indexSpans(
    candidates.filter((k) => k.source === 'known' && k.kind === 'address'),
    text.length,
  );
  const chosen = resolve(candidates, text.length).map((c) => {
    // A street address found by pattern that holds a known one ("Flat 3,
    // 12 Mill Lane") takes the known address's label.
    if (c.source !== 'pattern' || c.kind !== 'address') return c;
    const inside = knownAddresses
      .within(c.start, c.end)
      .find((k) => k.start >= c.start && k.end <= c.end);
    return inside
      ? {
          ...c,
          replacement: inside.replacement,
          reason: `${inside.reason} (with the words next to it)`,
        }
      : c;
  });

  // Consistent labels: one per known person, per unknown person (a later
  // "Dr Shah" is the earlier "Amir Shah"), per address and school.
  const usedLabels = new Set(people.map((p) => p.label));
  const unknownPeople: { words: Set<string>; label: string }[] = [];
  let nextPerson = 1;
  const personLabel = (key: string): string => {
    const words = new Set(key.replace(/^unknown:/, '').split(' '));
    const same = unknownPeople.find(
      (p) => [...words].every((w) => p.words.has(w)) || [...p.words].every((w) => words.has(w)),
    );
    if (same) {
      for (const w of words) same.words.add(w);
      return same.label;
    }
    let label = `Person ${nextPerson++}`;
    while (usedLabels.has(label)) label = `Person ${nextPerson++}`;
    usedLabels.add(label);
    unknownPeople.push({ words, label });
    return label;
  };
  const otherLabels = new Map<string, string>();
  const counters = new Map<string, number>();
  const labelFor = (c: Candidate): string => {
    if (c.person) return c.person;
    if (c.kind === 'person') return personLabel(c.key);
    if (c.replacement) return c.replacement;
    const existing = otherLabels.get(c.key);
    if (existing) return existing;
    const noun = c.kind === 'address' ? 'Address' : c.kind === 'school' ? 'School' : 'Item';
    const taken =
      c.kind === 'address' ? addressNumbers.size : c.kind === 'school' ? schoolNumbers.size : 0;
    const n = (counters.get(noun) ?? taken) + 1;
    counters.set(noun, n);
    const label = `${noun} ${n}`;
    otherLabels.set(c.key, label);
    return label;
  };

  const spans: Span[] = [];
  let out = '';
  let at = 0;
  for (const c of chosen) {
    const label = labelFor(c);
    spans.push({ start: c.start, end: c.end, kind: c.kind, label, reason: c.reason });
    out += text.slice(at, c.start) + label;
    at = c.end;
  }
  out += text.slice(at);
  return { text: out, spans };
}
