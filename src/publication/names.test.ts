import { describe, expect, it } from 'vitest';
import { redact } from './redact.js';
import { casePerson } from './test-helpers.js';

const people = (text: string, known = [casePerson('Child A', { names: ['Jade Smith'] })]) =>
  redact(text, known)
    .spans.filter((s) => s.kind === 'person')
    .map((s) => [text.slice(s.start, s.end), s.label]);

describe('people not in the case', () => {
  it('finds names after titles and ranks, each person with one label', () => {
    const text =
      'Dr Amir Shah saw Child A. PC Jones and Detective Constable Sarah Hill attended. ' +
      'Mrs Patel, a neighbour, called Dr. Shah; later Dr Shah rang Mrs Patel again.';
    expect(people(text)).toEqual([
      ['Dr Amir Shah', 'Person 1'],
      ['PC Jones', 'Person 2'],
      ['Detective Constable Sarah Hill', 'Person 3'],
      ['Mrs Patel', 'Person 4'],
      ['Dr. Shah', 'Person 1'],
      ['Dr Shah', 'Person 1'],
      ['Mrs Patel', 'Person 4'],
    ]);
  });

  it('finds names from the name list, with context for names that are common words', () => {
    const text =
      'The neighbour Margaret Okonkwo helped. Kelly said she was scared. ' +
      'Later, Aleksandra and Tomasz visited. Will said he would help, and Mark Davies agreed.';
    expect(people(text).map(([t]) => t)).toEqual([
      'Margaret Okonkwo',
      'Kelly',
      'Aleksandra',
      'Tomasz',
      'Will',
      'Mark Davies',
    ]);
  });

  it('leaves common words, months, organisations, places and labels alone', () => {
    const text =
      'Will the plan work? May was a hard month. Mark the file. Grace periods apply. ' +
      'Kent Police, Children’s Social Care and the William Harvey Hospital attended the Initial Child ' +
      'Protection Conference in Maidstone. Child A and Sibling 1 stayed with Mother. ' +
      'The Early Help team met in June. Section 47 enquiries began. I spoke to the GP.';
    expect(
      people(text, [casePerson('Child A'), casePerson('Sibling 1'), casePerson('Mother')]),
    ).toEqual([]);
  });

  it('leaves headings, services, laws, products and places named after people alone', () => {
    const text =
      'Executive Summary\nTerms Of Reference. The Voice Of The Child. Signs of Safety was used. ' +
      'The Team Around the Family met. Barnardo’s, Action for Children and St Giles Trust helped. ' +
      'Universal Credit was stopped by Jobcentre Plus. The Children Act 1989 and the Human Rights Act ' +
      'apply. He used Snapchat, TikTok and WhatsApp. Food came from Tesco and McDonald’s. At Christmas ' +
      'and in Ramadan visits stopped. Hope for the future. Rose Cottage Children’s Centre. Victoria Road. ' +
      'George Lane. Grace Academy. Ruby Ward. Lily Pad Nursery.';
    expect(people(text, [])).toEqual([]);
  });

  it('takes words that are usually not names as names where the context says so', () => {
    const text =
      'The GP, June Denesik, visited. The teacher, Green Rath, rang PC West. ' +
      'The friend, Christian Ward-Turcotte, and Brandi Green came. In June Kelly said so.';
    expect(people(text, []).map(([t]) => t)).toEqual([
      'June Denesik',
      'Green Rath',
      'PC West',
      'Christian Ward-Turcotte',
      'Brandi Green',
      'Kelly',
    ]);
  });

  it('finds a name in capitals after a title', () => {
    expect(people('DR SHAH and PC JONES attended.', [])).toEqual([
      ['DR SHAH', 'Person 1'],
      ['PC JONES', 'Person 2'],
    ]);
  });

  it('takes a couple as one span, and an officer’s collar number with their name', () => {
    const text = 'Mr and Mrs Barker came. PCSO 4521 Harris and PC 1234 attended.';
    const { text: out, spans } = redact(text, []);
    expect(out).toBe('Person 1 came. Person 2 and [police officer] attended.');
    expect(spans.map((s) => s.kind)).toEqual(['person', 'person', 'identifier']);
  });

  it('does not take a known person for someone else', () => {
    const text = 'Jade Smith told Mrs Patel. Ms Smith and Jade were there.';
    expect(people(text)).toEqual([
      ['Jade Smith', 'Child A'],
      ['Mrs Patel', 'Person 1'],
      ['Ms Smith', 'Child A'],
      ['Jade', 'Child A'],
    ]);
  });

  it('never gives an unknown person a label the review already uses', () => {
    const text = 'Dr Shah and Mrs Patel met.';
    expect(people(text, [casePerson('Person 1', { names: ['Jade Smith'] })])).toEqual([
      ['Dr Shah', 'Person 2'],
      ['Mrs Patel', 'Person 3'],
    ]);
  });
});
