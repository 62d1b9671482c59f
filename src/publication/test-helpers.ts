import type { CasePerson, Span } from './types.js';

/** A case person with empty lists, for tests. */
export function casePerson(label: string, fields: Partial<CasePerson> = {}): CasePerson {
  return { label, names: [], addresses: [], identifiers: [], schools: [], ...fields };
}

/** What each span covers, for readable assertions. */
export function covered(text: string, spans: Span[]): string[] {
  return spans.map((s) => text.slice(s.start, s.end));
}
