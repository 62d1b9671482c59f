import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact } from './redact.js';
import { casePerson } from './test-helpers.js';
import { SPAN_KINDS } from './types.js';

const child = casePerson('Child A', {
  names: ['Jade Smith', 'Jadey'],
  dateOfBirth: '2015-03-03',
  addresses: ['12 Mill Lane, Maidstone ME14 2AB'],
  identifiers: ['943 476 5919'],
  schools: ['Oakwood Park Grammar School'],
});

/** Text made of report words, names, numbers, emoji and odd Unicode. */
const reportText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'Jade',
        "Jade's",
        'JADE',
        'Smith',
        'Dr Shah',
        'PC Jones',
        'Will',
        'may',
        '12 Mill Lane',
        'ME14 2AB',
      ),
      fc.constantFrom(
        '3rd March 2015',
        '03/03/15',
        '943 476 5919',
        '07700 900123',
        'a@b.org',
        '@jade',
      ),
      fc.constantFrom(
        '😀',
        '👨‍👩‍👧',
        '\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}',
        'é',
        'ß',
        'İ',
        '\u00A0',
        '\n',
        '’',
        '-',
      ),
      fc.string({ unit: 'grapheme', maxLength: 8 }),
      fc.constantFrom('the', 'health visitor', 'said', '.', ',', 'Kent Police'),
    ),
    { maxLength: 40 },
  )
  .map((words) => words.join(' '));

describe('redact', () => {
  it('gives ordered, non-overlapping spans in the text, and rebuilds the text from them', () => {
    fc.assert(
      fc.property(reportText, fc.boolean(), (text, withPeople) => {
        const { text: out, spans } = redact(text, withPeople ? [child] : []);
        let rebuilt = '';
        let at = 0;
        for (const span of spans) {
          expect(span.start).toBeGreaterThanOrEqual(at);
          expect(span.end).toBeGreaterThan(span.start);
          expect(span.end).toBeLessThanOrEqual(text.length);
          expect(SPAN_KINDS).toContain(span.kind);
          expect(span.reason.length).toBeGreaterThan(0);
          rebuilt += text.slice(at, span.start) + span.label;
          at = span.end;
        }
        expect(out).toBe(rebuilt + text.slice(at));
      }),
      { numRuns: 300 },
    );
  });

  it('never leaves the case’s full name, identifier or postcode in the output', () => {
    fc.assert(
      fc.property(reportText, (text) => {
        const { text: out } = redact(text, [child]);
        expect(out.toLowerCase()).not.toContain('jade smith');
        expect(out.replace(/\s/g, '')).not.toContain('9434765919');
        expect(out).not.toContain('ME14 2AB');
      }),
      { numRuns: 300 },
    );
  });

  it('labels each unknown person once, whichever way they are written', () => {
    const text = 'Dr Amir Shah saw her. Later Amir rang Dr Shah’s secretary, and Mrs Patel.';
    const { text: out } = redact(text, []);
    expect(out).toBe('Person 1 saw her. Later Person 1 rang Person 1’s secretary, and Person 2.');
  });
});
