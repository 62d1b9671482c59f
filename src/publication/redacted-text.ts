/**
 * The reviewer's decisions applied to a report: pure functions shared by the
 * review screen (its preview), approval (the text that is published) and
 * their tests.
 */
import { escapeRegExp, fold } from './text.js';
import type { SpanKind } from './types.js';
import type { RemovedSummary } from './tables.js';

export interface DecidedSpan {
  start: number;
  end: number;
  kind: SpanKind;
  reason: string;
  label: string;
  accepted: boolean;
}

/**
 * The text with every accepted span replaced by its label. Spans are taken
 * in order and one that overlaps an earlier accepted span is skipped (the
 * engine's never overlap; one added by hand is kept clear of them).
 */
export function applyDecisions(text: string, spans: readonly DecidedSpan[]): string {
  const accepted = spans.filter((s) => s.accepted).sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of accepted) {
    if (span.start < at) continue;
    out += text.slice(at, span.start) + span.label;
    at = span.end;
  }
  return out + text.slice(at);
}

/** What was removed and why, counted: the record kept with a publication (no report text). */
export function removedSummary(spans: readonly DecidedSpan[]): RemovedSummary {
  const counts = new Map<string, RemovedSummary[number]>();
  for (const span of spans) {
    if (!span.accepted) continue;
    const key = `${span.kind}\u0000${span.reason}`;
    const entry = counts.get(key) ?? { kind: span.kind, reason: span.reason, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/**
 * Every whole-word occurrence of `phrase` in `text`, ignoring case, accents
 * and the kind of apostrophe or dash (fold keeps offsets), that does not
 * overlap a span already there: what a reviewer adds by hand.
 */
export function occurrences(
  text: string,
  phrase: string,
  taken: readonly { start: number; end: number }[],
): { start: number; end: number }[] {
  const wanted = fold(phrase.trim()).replace(/\s+/g, ' ');
  if (!wanted) return [];
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])${escapeRegExp(wanted).replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}])`,
    'gu',
  );
  const found: { start: number; end: number }[] = [];
  for (const match of fold(text).matchAll(pattern)) {
    const start = match.index;
    const end = start + match[0].length;
    if (!taken.some((t) => t.start < end && start < t.end)) found.push({ start, end });
  }
  return found;
}

/**
 * The report as runs of plain text and highlighted spans, paragraph by
 * paragraph, for the review screen (no script: a <mark> per span with a
 * link to its decision).
 */
export function highlighted(
  text: string,
  spans: readonly (DecidedSpan & { number: number })[],
): { parts: { text: string; span?: DecidedSpan & { number: number } }[] }[] {
  const paragraphs: { parts: { text: string; span?: DecidedSpan & { number: number } }[] }[] = [];
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let paragraphStart = 0;
  for (const paragraph of text.split('\n\n')) {
    const end = paragraphStart + paragraph.length;
    const parts: { text: string; span?: DecidedSpan & { number: number } }[] = [];
    let at = paragraphStart;
    for (const span of sorted) {
      if (span.start < at || span.start >= end) continue;
      if (span.start > at) parts.push({ text: text.slice(at, span.start) });
      parts.push({ text: text.slice(span.start, Math.min(span.end, end)), span });
      at = Math.min(span.end, end);
    }
    if (at < end) parts.push({ text: text.slice(at, end) });
    paragraphs.push({ parts });
    paragraphStart = end + 2;
  }
  return paragraphs;
}
