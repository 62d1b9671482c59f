import { describe, expect, it } from 'vitest';
import { redact } from './redact.js';
import { covered } from './test-helpers.js';

const find = (text: string) => {
  const { spans } = redact(text, []);
  return spans.map((s) => ({ text: text.slice(s.start, s.end), kind: s.kind, label: s.label }));
};

describe('pattern recognisers (no case needed)', () => {
  it('finds NHS numbers with a valid check digit, however spaced', () => {
    for (const form of ['943 476 5919', '943-476-5919', '9434765919', '943 476 5919']) {
      expect(find(`NHS no. ${form}.`), form).toEqual([
        { text: form, kind: 'identifier', label: '[NHS number]' },
      ]);
    }
    // A wrong check digit is not an NHS number.
    expect(find('Ref 943 476 5918.').filter((s) => s.label === '[NHS number]')).toEqual([]);
  });

  it('finds unique pupil numbers by their check letter, and NI numbers', () => {
    expect(find('UPN B801200005001 recorded')).toEqual([
      { text: 'B801200005001', kind: 'identifier', label: '[unique pupil number]' },
    ]);
    // A wrong check letter: kept, unless the text says it is a UPN.
    expect(find('code A801200005001 recorded')).toEqual([]);
    expect(find('UPN: A801200005001')).toEqual([
      { text: 'A801200005001', kind: 'identifier', label: '[unique pupil number]' },
    ]);
    expect(find('NI number AB 12 34 56 C and qq123456c; NINO QQ123456.')).toEqual([
      { text: 'AB 12 34 56 C', kind: 'identifier', label: '[National Insurance number]' },
      { text: 'qq123456c', kind: 'identifier', label: '[National Insurance number]' },
      { text: 'QQ123456', kind: 'identifier', label: '[National Insurance number]' },
    ]);
    // Without the suffix letter, only where the text says so.
    expect(find('Batch AB123456 shipped')).toEqual([]);
  });

  it('takes an NHS number with a wrong check digit where the text labels it', () => {
    expect(find('NHS no: 943 476 5918')).toEqual([
      { text: '943 476 5918', kind: 'identifier', label: '[NHS number]' },
    ]);
  });

  it('finds postcodes, phone numbers, emails and handles', () => {
    expect(find('at ME14 2AB, SW1A 1AA or m1 1ae')).toEqual([
      { text: 'ME14 2AB', kind: 'postcode', label: '[postcode]' },
      { text: 'SW1A 1AA', kind: 'postcode', label: '[postcode]' },
      { text: 'm1 1ae', kind: 'postcode', label: '[postcode]' },
    ]);
    const phones = [
      '07700 900123',
      '07700900123',
      '01622 696000',
      '(01622) 696 000',
      '+44 7700 900123',
      '+44 (0)20 7946 0958',
      '+1 212 555 0199',
      '0300-123-4567',
    ];
    for (const phone of phones) {
      expect(find(`Call ${phone} now`), phone).toEqual([
        { text: phone, kind: 'phone', label: '[phone number]' },
      ]);
    }
    expect(find('on 2 occasions, 12 times, 1234 5678')).toEqual([]);
    expect(find('mail jo.bloggs+test@example.co.uk or @jo_bloggs99 today')).toEqual([
      { text: 'jo.bloggs+test@example.co.uk', kind: 'email', label: '[email address]' },
      { text: '@jo_bloggs99', kind: 'other', label: '[social media handle]' },
    ]);
  });

  it('finds exact dates, generalised to month and year, and an age beside a date', () => {
    const text =
      'On Monday 4th April 2022, aged 7, she moved; on 12/05/2021 and 2021-06-01 too; on 3 May.';
    const found = find(text);
    expect(found).toEqual([
      { text: 'Monday 4th April 2022', kind: 'date', label: 'April 2022' },
      { text: 'aged 7', kind: 'other', label: '[age]' },
      { text: '12/05/2021', kind: 'date', label: 'May 2021' },
      { text: '2021-06-01', kind: 'date', label: 'June 2021' },
      { text: '3 May', kind: 'date', label: 'May' },
    ]);
    // Not a real day, or not a date at all.
    expect(find('on 31/02/2021, in version 3.4.1, 2 may attend')).toEqual([]);
    // An age with no date nearby stays: it is how reviews describe children.
    expect(find('She was aged 7 then.')).toEqual([]);
  });

  it('finds schools and settings by name, but not a college of a profession', () => {
    expect(
      find('Her sister attends Little Acorns Nursery and St Bede’s Catholic Primary School.'),
    ).toEqual([
      { text: 'Little Acorns Nursery', kind: 'school', label: 'School 1' },
      { text: 'St Bede’s Catholic Primary School', kind: 'school', label: 'School 2' },
    ]);
    expect(
      find('The Royal College of Paediatrics and Child Health advises. Victoria Road. Grace'),
    ).toEqual([]);
  });

  it('finds street addresses and references', () => {
    expect(find('He lived at Flat 3, 45 St John’s Road until then.').map((s) => s.text)).toEqual([
      'Flat 3, 45 St John’s Road',
    ]);
    expect(find('crime reference 46/123456/21 was given')).toEqual([
      { text: '46/123456/21', kind: 'identifier', label: '[reference]' },
    ]);
  });

  it('keeps offsets right around emoji and other astral characters', () => {
    const text = '😀👨‍👩‍👧 Call 07700 900123 🙂 or email a@b.org 💬';
    const { spans, text: out } = redact(text, []);
    expect(covered(text, spans)).toEqual(['07700 900123', 'a@b.org']);
    expect(out).toBe('😀👨‍👩‍👧 Call [phone number] 🙂 or email [email address] 💬');
  });
});
