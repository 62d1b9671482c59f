import { describe, expect, it } from 'vitest';
import { redact } from './redact.js';
import { casePerson, covered } from './test-helpers.js';

const child = casePerson('Child A', {
  names: ['Jade Louise Smith-Jones', 'Jadey', 'JJ'],
  dateOfBirth: '2015-03-03',
  addresses: ['Flat 2, 12 Mill Lane, Maidstone ME14 2AB'],
  identifiers: ['943 476 5919', 'ABC-123-XYZ'],
  schools: ['Oakwood Park Grammar School'],
});
const mother = casePerson('Mother', { names: ['Kelly Smith'] });

const spansOf = (text: string, people = [child, mother]) => redact(text, people).spans;

describe('known names', () => {
  it('finds every name form, any capitalisation, and keeps the possessive', () => {
    const text =
      "Jade's school said JADE and jade-louise were absent; Smith-Jones, Smith Jones, " +
      'Jadey, Jade Smith-Jones and Ms Smith came; J.S. and J. S. were noted.';
    const spans = spansOf(text);
    expect(covered(text, spans)).toEqual([
      'Jade',
      'JADE',
      'jade',
      'louise',
      'Smith-Jones',
      'Smith Jones',
      'Jadey',
      'Jade Smith-Jones',
      'Ms Smith',
      'J.S.',
      'J. S.',
    ]);
    expect(redact(text, [child, mother]).text).toMatch(/^Child A's school said Child A/);
  });

  it('finds an initial with the other name, and the school by its initials', () => {
    const text =
      'J. Smith-Jones and Jade S. went to OPGS; J Smith-Jones left, as did Jade S and the Smiths.';
    expect(covered(text, spansOf(text))).toEqual([
      'J. Smith-Jones',
      'Jade S.',
      'OPGS',
      'J Smith-Jones',
      'Jade S',
      'Smith',
    ]);
    const middle = 'Jade L. Smith-Jones came.';
    expect(covered(middle, spansOf(middle))).toEqual(['Jade L. Smith-Jones']);
  });

  it('takes a short name in capitals for an abbreviation', () => {
    const ed = casePerson('Father', { names: ['Ed'] });
    const text = 'Ed took him to ED; ed was there. JJ and MIA came.';
    const jj = casePerson('Child A', { names: ['Mia Jones', 'JJ'] });
    expect(covered(text, redact(text, [ed, jj]).spans)).toEqual(['Ed', 'ed', 'JJ', 'MIA']);
  });

  it('finds a street written with its abbreviation', () => {
    const text = 'She lived at 12 Mill Ln, then Mill Ln. again.';
    expect(covered(text, spansOf(text))).toEqual(['12 Mill Ln', 'Mill Ln.']);
  });

  it('labels every mention of one person alike, and says why', () => {
    const text = 'Jade Smith-Jones told Kelly Smith. Later Jadey rang her mother, Kelly.';
    const { spans, text: out } = redact(text, [child, mother]);
    expect(out).toBe('Child A told Mother. Later Child A rang her mother, Mother.');
    expect(spans.find((s) => s.label === 'Child A')?.reason).toMatch(/known name/);
  });

  it('takes a name that is also a word only when capitalised', () => {
    const will = casePerson('Child B', { names: ['Will Hope'] });
    const text = 'Will said there will be hope.';
    expect(covered(text, spansOf(text, [will]))).toEqual(['Will']);
  });

  it('leaves a rank and half a double-barrelled name to the name detector', () => {
    const text = 'PC Jones spoke to Ms Jones.';
    const spans = spansOf(text);
    expect(spans.map((s) => [text.slice(s.start, s.end), s.label])).toEqual([
      ['PC Jones', 'Person 1'],
      ['Ms Jones', 'Child A'],
    ]);
  });
});

describe('known dates, addresses, schools and identifiers', () => {
  it('finds a date of birth in any written form, and its month and year', () => {
    const forms = [
      '3rd March 2015',
      '3 March 2015',
      '03/03/15',
      '3.3.2015',
      'March 3, 2015',
      '2015-03-03',
      'March 2015',
      '3rd of March 2015',
      '3 Mar 15',
      '03-Mar-2015',
    ];
    for (const form of forms) {
      const text = `She was born on ${form}.`;
      const [span] = spansOf(text);
      expect(span && text.slice(span.start, span.end), form).toBe(form);
      expect(span?.reason).toMatch(/date of birth of Child A/);
      expect(span?.label).toBe(form === 'March 2015' ? '2015' : 'March 2015');
    }
  });

  it('finds the address whole and in part', () => {
    const parts = [
      'Flat 2, 12 Mill Lane, Maidstone ME14 2AB',
      '12 Mill Lane',
      'Mill Lane',
      'Mill Lane, Maidstone',
      'ME14 2AB',
      'me142ab',
      'ME14',
    ];
    for (const part of parts) {
      const text = `They lived at ${part} then.`;
      const spans = spansOf(text);
      expect(covered(text, spans), part).toEqual([part]);
      expect(spans[0]?.label).toBe('Address 1');
    }
    // A town alone is not the address.
    expect(spansOf('They shopped in Maidstone.')).toEqual([]);
  });

  it('reads an address without commas, and a name listed family name first', () => {
    const person = casePerson('Child B', {
      names: ['Okafor, Amara'],
      addresses: ['27 Priory Road Bridgwater TA6 3LR', 'Oak Park View'],
    });
    const text =
      'Amara Okafor lived at 27 Priory Road, near the park with a view; later at Oak Park View.';
    expect(covered(text, redact(text, [person]).spans)).toEqual([
      'Amara Okafor',
      '27 Priory Road',
      'Oak Park View',
    ]);
  });

  it('finds the school by its full name and its distinctive part', () => {
    const text = 'She went to Oakwood Park Grammar School, then left Oakwood Park in May.';
    expect(covered(text, spansOf(text))).toEqual(['Oakwood Park Grammar School', 'Oakwood Park']);
  });

  it('finds an identifier however it is spaced or dashed', () => {
    for (const form of ['943 476 5919', '9434765919', '943-476-5919', 'abc123xyz', 'ABC 123 XYZ']) {
      const text = `Reference ${form} was used.`;
      const spans = spansOf(text);
      expect(covered(text, spans), form).toContain(form);
      expect(spans.some((s) => s.kind === 'identifier')).toBe(true);
    }
  });
});
