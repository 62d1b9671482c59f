import { describe, expect, it } from 'vitest';
import { checkSpan, findPhrase, redactedText, segments, suggestSpans } from './redaction.js';

const text = 'Marigold Fairweather said Juniper had been unwell. Rowan was settled.';

describe('span redaction', () => {
  it('replaces only the span, keeping the rest of the note', () => {
    const span = findPhrase(text, 'marigold fairweather')!;
    expect(span).toEqual({ start: 0, end: 20 });
    expect(redactedText(text, [{ ...span, ground: 'sch2-para16-third-party' }])).toBe(
      '[redacted: sch2-para16-third-party] said Juniper had been unwell. Rowan was settled.',
    );
  });

  it('merges overlapping spans and never keeps the redacted characters', () => {
    const parts = segments(text, [
      { start: 26, end: 33, ground: 'a' },
      { start: 30, end: 40, ground: 'b' },
    ]);
    expect(parts).toEqual([
      { kind: 'text', text: 'Marigold Fairweather said ' },
      { kind: 'redacted', ground: 'a' },
      { kind: 'text', text: text.slice(40) },
    ]);
    expect(JSON.stringify(parts)).not.toContain('Juniper');
  });

  it('refuses spans outside the text or empty', () => {
    expect(checkSpan(text, { start: 5, end: 5 }).ok).toBe(false);
    expect(checkSpan(text, { start: -1, end: 3 }).ok).toBe(false);
    expect(checkSpan(text, { start: 0, end: text.length + 1 }).ok).toBe(false);
    expect(checkSpan(text, { start: 0, end: text.length }).ok).toBe(true);
    expect(findPhrase(text, 'nobody')).toBeUndefined();
    expect(findPhrase('a b a', 'a', 2)).toEqual({ start: 4, end: 5 });
  });

  it('suggests the names of the record’s other people, not the subject’s own family name alone', () => {
    const suggestions = suggestSpans(
      text,
      [
        {
          name: 'Marigold Fairweather',
          givenName: 'Marigold',
          familyName: 'Fairweather',
          role: 'parent',
        },
        {
          name: 'Juniper Fairweather',
          givenName: 'Juniper',
          familyName: 'Fairweather',
          role: 'sibling',
        },
      ],
      ['Rowan', 'Fairweather'],
    );
    expect(suggestions.map((s) => s.text)).toEqual(['Marigold Fairweather', 'Juniper']);
  });
});
