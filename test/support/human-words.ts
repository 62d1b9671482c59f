import { categorySlugs } from '../../src/policy/index.js';
import { roles } from '../../src/platform/access/roles.js';

/**
 * Issue 13 item 7: "no slug, UUID, ISO date or raw code on any page". The
 * words a person reads on a page — its text, not its markup, links or form
 * values (a textarea's text is a value: what was typed, or a document to edit) — and the codes found in them: ids, machine dates, and the slugs of
 * categories and roles that have names in words.
 */
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?\b/;
const HYPHENATED_SLUGS = [...categorySlugs, ...roles.map((r) => r.slug)].filter((s) =>
  s.includes('-'),
);
const SLUG = new RegExp(`(?<![\\w/-])(${HYPHENATED_SLUGS.join('|')})(?![\\w/-])`);
const BAD_PLURAL = /\b1 (people|records|requests|items|days|results)\b/;

/** The visible text of an HTML page, roughly as a browser would show it. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style|template|textarea)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ');
}

/** Each code found in a page's words, with a little of the text around it. */
export function codesOnPage(html: string): string[] {
  const text = visibleText(html);
  const found: string[] = [];
  for (const [kind, pattern] of [
    ['id', UUID],
    ['machine date', ISO_DATE],
    ['slug', SLUG],
    ['plural', BAD_PLURAL],
  ] as const) {
    const global = new RegExp(pattern.source, pattern.flags.includes('i') ? 'gi' : 'g');
    for (const m of text.matchAll(global)) {
      const at = m.index ?? 0;
      found.push(`${kind} “${m[0]}” in “…${text.slice(Math.max(0, at - 40), at + 40).trim()}…”`);
    }
  }
  return found;
}
