import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatNhsNumber,
  homeOfficeReferenceSchema,
  isSyntheticNhsNumber,
  isTemporaryUpn,
  nhsCheckDigit,
  nhsNumberSchema,
  portReferenceSchema,
  postcodeSchema,
  syntheticNhsNumber,
  syntheticNhsNumberCount,
  syntheticUpn,
  UPN_ALPHABET,
  upnCheckLetter,
  upnSchema,
  validateHomeOfficeReference,
  validateNhsNumber,
  validatePortReference,
  validatePostcode,
  validateUpn,
  type Result,
} from './identifiers.js';

function reasonOf(result: Result<string>): string {
  if (result.ok) throw new Error(`expected a failure, got ${result.value}`);
  return result.reason;
}

describe('NHS number', () => {
  // 943 476 5919 is the worked example in NHS Digital's NHS number guidance.
  it.each([
    '9434765919',
    '943 476 5919',
    '943-476-5919',
    ' 943\u00a0476\u00a05919 ',
    '943–476–5919',
  ])('accepts %j and normalises it to ten digits', (input) => {
    expect(validateNhsNumber(input)).toEqual({ ok: true, value: '9434765919' });
  });

  it('computes the check digit per the modulus-11 rule', () => {
    // 9×10 + 4×9 + 3×8 + 4×7 + 7×6 + 6×5 + 5×4 + 9×3 + 1×2 = 299; 299 mod 11 = 2; 11 − 2 = 9
    expect(nhsCheckDigit('943476591')).toBe(9);
    // 999 000 005: sum = 243 + 5×2 = 253 = 23 × 11, so 11 − 0 = 11, which becomes 0.
    expect(nhsCheckDigit('999000005')).toBe(0);
    expect(validateNhsNumber('9990000050').ok).toBe(true);
    expect(nhsCheckDigit('123456789')).toBe(10);
  });

  it('says which check digit was expected when the last digit is wrong', () => {
    expect(reasonOf(validateNhsNumber('943 476 5918'))).toBe(
      'The NHS number check digit (the last digit) should be 9, not 8: check for a mistyped or swapped digit',
    );
  });

  it('refuses first nine digits whose check digit would be 10, whatever the last digit', () => {
    for (let last = 0; last <= 9; last++) {
      expect(reasonOf(validateNhsNumber(`123456789${last}`))).toMatch(
        /^123 456 789\d cannot be an NHS number: no check digit is valid after 123456789/,
      );
    }
  });

  it('counts the digits when the length is wrong', () => {
    expect(reasonOf(validateNhsNumber('943 476 591'))).toBe(
      'An NHS number has 10 digits; this has only 9 digits',
    );
    expect(reasonOf(validateNhsNumber('94347659190'))).toBe(
      'An NHS number has 10 digits; this has 11 digits',
    );
    expect(reasonOf(validateNhsNumber('9'))).toBe(
      'An NHS number has 10 digits; this has only 1 digit',
    );
  });

  it('names the character that is not a digit', () => {
    expect(reasonOf(validateNhsNumber('943 476 591O'))).toBe(
      'An NHS number is made of digits only (spaces and hyphens between them are fine); this has "O"',
    );
  });

  it('asks for a number when given nothing', () => {
    expect(reasonOf(validateNhsNumber('   '))).toMatch(/^Enter an NHS number/);
  });

  it('refuses every all-same-digit placeholder, even those that pass the checksum', () => {
    for (let d = 0; d <= 9; d++) {
      const placeholder = String(d).repeat(10);
      expect(reasonOf(validateNhsNumber(placeholder))).toMatch(/is a placeholder/);
    }
    // 0000000000, 1111111111 and 9999999999 pass the checksum: the placeholder
    // rule, not the check digit, is what stops them.
    expect(nhsCheckDigit('000000000')).toBe(0);
    expect(nhsCheckDigit('111111111')).toBe(1);
    expect(nhsCheckDigit('999999999')).toBe(9);
  });

  it('formats for display as 3-3-4', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });

  describe('synthetic numbers', () => {
    it('come from the never-issued 999 range, in order, skipping check-digit-10 prefixes', () => {
      expect(syntheticNhsNumber(0)).toBe('9990000018');
      // 999 000 000 gives check digit 10, so the first valid number is 999 000 001 8.
      expect(nhsCheckDigit('999000000')).toBe(10);
      expect(syntheticNhsNumberCount()).toBeGreaterThan(900_000);
      expect(syntheticNhsNumberCount()).toBeLessThan(1_000_000);
    });

    it('never produce the all-nines placeholder', () => {
      const last = syntheticNhsNumber(syntheticNhsNumberCount() - 1);
      expect(last).not.toBe('9999999999');
      expect(validateNhsNumber(last).ok).toBe(true);
    });

    it('refuse n outside the range', () => {
      expect(() => syntheticNhsNumber(-1)).toThrow(RangeError);
      expect(() => syntheticNhsNumber(1.5)).toThrow(RangeError);
      expect(() => syntheticNhsNumber(syntheticNhsNumberCount())).toThrow(RangeError);
    });

    it('are valid, synthetic and distinct for distinct n (property)', () => {
      const n = fc.integer({ min: 0, max: syntheticNhsNumberCount() - 1 });
      fc.assert(
        fc.property(n, n, (a, b) => {
          const x = syntheticNhsNumber(a);
          expect(validateNhsNumber(x)).toEqual({ ok: true, value: x });
          expect(isSyntheticNhsNumber(x)).toBe(true);
          if (a !== b) expect(syntheticNhsNumber(b)).not.toBe(x);
          expect(syntheticNhsNumber(a) < syntheticNhsNumber(b)).toBe(a < b);
        }),
      );
    });

    it('100,000 consecutive ones (a demo database) are all distinct', () => {
      const seen = new Set<string>();
      for (let i = 0; i < 100_000; i++) seen.add(syntheticNhsNumber(i));
      expect(seen.size).toBe(100_000);
    });
  });

  it('detects every single-digit error in a valid number (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (n, position, delta) => {
          const valid = syntheticNhsNumber(n);
          const digit = (Number(valid[position]) + delta) % 10;
          const mistyped = valid.slice(0, position) + String(digit) + valid.slice(position + 1);
          expect(validateNhsNumber(mistyped).ok).toBe(false);
        },
      ),
    );
  });

  it('detects every swap of two different adjacent digits (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 8 }), (n, i) => {
        const valid = syntheticNhsNumber(n);
        const a = valid[i] ?? '';
        const b = valid[i + 1] ?? '';
        fc.pre(a !== b);
        const swapped = valid.slice(0, i) + b + a + valid.slice(i + 2);
        expect(validateNhsNumber(swapped).ok).toBe(false);
      }),
    );
  });
});

describe('unique pupil number', () => {
  it('accepts the DfE example and normalises case and spaces', () => {
    expect(validateUpn('B801200005001')).toEqual({ ok: true, value: 'B801200005001' });
    expect(validateUpn(' b801 2000 05001 ')).toEqual({ ok: true, value: 'B801200005001' });
    expect(upnCheckLetter('801200005001')).toBe('B');
  });

  it('says which check letter was expected', () => {
    expect(reasonOf(validateUpn('C801200005001'))).toBe(
      'The unique pupil number check letter (the first character) should be B, not C: check for a mistyped character',
    );
  });

  it('counts the characters when the length is wrong', () => {
    expect(reasonOf(validateUpn('B80120000500'))).toBe(
      'A unique pupil number has 13 characters; this has 12 characters',
    );
  });

  it('refuses a first character that cannot be a check letter', () => {
    expect(reasonOf(validateUpn('I801200005001'))).toMatch(/starts with "I"$/);
    expect(reasonOf(validateUpn('8801200005001'))).toMatch(/starts with "8"$/);
  });

  it('points at a non-digit in characters 2 to 12', () => {
    expect(reasonOf(validateUpn('B8012000O5001'))).toBe(
      'Characters 2 to 12 of a unique pupil number are digits; character 9 is "O"',
    );
  });

  it('accepts a temporary UPN (a letter last) and refuses I, O or S there', () => {
    const temporary = syntheticUpn(42, { temporary: true });
    expect(validateUpn(temporary)).toEqual({ ok: true, value: temporary });
    expect(isTemporaryUpn(temporary)).toBe(true);
    expect(isTemporaryUpn('B801200005001')).toBe(false);
    expect(reasonOf(validateUpn('B80120000500S'))).toMatch(/ends in "S"$/);
  });

  it('values a final letter by its place in the alphabet when computing the check letter', () => {
    // Characters 2..12 all zero, 13th = letter L (index 10 in UPN_ALPHABET):
    // sum = 10 × 13 = 130; 130 mod 23 = 15 → UPN_ALPHABET[15] = 'R'.
    expect(UPN_ALPHABET.indexOf('L')).toBe(10);
    expect(upnCheckLetter('00000000000L')).toBe('R');
  });

  it('synthetic UPNs use LA code 999, are valid and distinct (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.boolean(),
        (a, b, temporary) => {
          const upn = syntheticUpn(a, { temporary });
          expect(validateUpn(upn)).toEqual({ ok: true, value: upn });
          expect(upn.slice(1, 4)).toBe('999');
          expect(isTemporaryUpn(upn)).toBe(temporary);
          if (a !== b) expect(syntheticUpn(b)).not.toBe(syntheticUpn(a));
        },
      ),
    );
    expect(() => syntheticUpn(1_000_000_000)).toThrow(RangeError);
  });

  it('detects every single-character error in characters 2 to 13 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        (n, position, delta) => {
          const valid = syntheticUpn(n);
          const digit = (Number(valid[position]) + delta) % 10;
          const mistyped = valid.slice(0, position) + String(digit) + valid.slice(position + 1);
          expect(validateUpn(mistyped).ok).toBe(false);
        },
      ),
    );
  });
});

describe('postcode', () => {
  it.each([
    ['M1 1AE', 'M1 1AE'], // A9
    ['B33 8TH', 'B33 8TH'], // A99
    ['W1A 0AX', 'W1A 0AX'], // A9A
    ['CR2 6XH', 'CR2 6XH'], // AA9
    ['DN55 1PT', 'DN55 1PT'], // AA99
    ['EC1A 1BB', 'EC1A 1BB'], // AA9A
    ['me141xx', 'ME14 1XX'],
    ['  sw1a   2aa ', 'SW1A 2AA'],
    ['gir0aa', 'GIR 0AA'],
  ])('accepts %j as %j', (input, expected) => {
    expect(validatePostcode(input)).toEqual({ ok: true, value: expected });
  });

  it('explains a wrong inward code', () => {
    expect(reasonOf(validatePostcode('ME14 ABC'))).toBe(
      'The last part of a postcode is a number then two letters, like 2AA; this ends "ABC"',
    );
  });

  it('explains a wrong outward code', () => {
    expect(reasonOf(validatePostcode('1ME 1AA'))).toMatch(
      /^The first part of a postcode .* "1ME" is not$/,
    );
    expect(reasonOf(validatePostcode('MEE1 1AA'))).toMatch(/"MEE1" is not$/);
  });

  it('counts characters when the length is wrong', () => {
    expect(reasonOf(validatePostcode('ME1'))).toMatch(/this has 3$/);
    expect(reasonOf(validatePostcode('ME14 1XXX'))).toMatch(/this has 8$/);
  });

  it('names a stray character', () => {
    expect(reasonOf(validatePostcode('ME14-1XX'))).toBe(
      'A postcode has only letters and numbers; this has "-"',
    );
  });

  it('asks for a postcode when given nothing', () => {
    expect(reasonOf(validatePostcode(''))).toBe('Enter a postcode, like SW1A 2AA');
  });

  it('is idempotent: a normalised postcode normalises to itself (property)', () => {
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const digit = fc.constantFrom(...'0123456789');
    const shape = fc.constantFrom('A9', 'A99', 'A9A', 'AA9', 'AA99', 'AA9A');
    const postcode = fc
      .record({ shape, gap: fc.constantFrom('', ' ', '  '), lower: fc.boolean() })
      .chain(({ shape: s, gap, lower }) =>
        fc.tuple(...[...`${s}9AA`].map((c) => (c === 'A' ? letter : digit))).map((chars) => {
          const text = `${chars.slice(0, -3).join('')}${gap}${chars.slice(-3).join('')}`;
          return lower ? text.toLowerCase() : text;
        }),
      );
    fc.assert(
      fc.property(postcode, (input) => {
        const once = validatePostcode(input);
        expect(once.ok).toBe(true);
        if (once.ok) expect(validatePostcode(once.value)).toEqual(once);
      }),
    );
  });
});

describe('Home Office and port references', () => {
  it.each([
    ['X1234567', 'X1234567'],
    ['x123 4567', 'X1234567'],
    ['B1234567/2', 'B1234567/2'],
    ['1234-5678-9012-3456', '1234-5678-9012-3456'],
    ['gwf012345678', 'GWF012345678'],
  ])('accepts Home Office reference %j as %j', (input, expected) => {
    expect(validateHomeOfficeReference(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['', 'Enter the Home Office reference'],
    ['X123', 'A Home Office reference has 6 to 20 letters, numbers, "/" and "-"; this has 4'],
    ['X1234567.', 'A Home Office reference has only letters, numbers, "/" and "-"; this has "."'],
    ['/X1234567', 'A Home Office reference starts and ends with a letter or number'],
    ['X123--4567', 'A Home Office reference does not have two separators ("/" or "-") together'],
    ['SMITHJOHN', 'A Home Office reference contains at least one number; "SMITHJOHN" has none'],
  ])('refuses Home Office reference %j: %s', (input, reason) => {
    expect(reasonOf(validateHomeOfficeReference(input))).toBe(reason);
  });

  it('applies the same shape to port references, with their own name in messages', () => {
    expect(validatePortReference('lhr/0012345')).toEqual({ ok: true, value: 'LHR/0012345' });
    expect(reasonOf(validatePortReference('LHR'))).toBe(
      'A port reference has 6 to 20 letters, numbers, "/" and "-"; this has 3',
    );
  });
});

describe('zod schemas', () => {
  it('normalise on success', () => {
    expect(nhsNumberSchema.parse('943 476 5919')).toBe('9434765919');
    expect(upnSchema.parse('b801200005001')).toBe('B801200005001');
    expect(postcodeSchema.parse('sw1a2aa')).toBe('SW1A 2AA');
    expect(homeOfficeReferenceSchema.parse('x1234567')).toBe('X1234567');
    expect(portReferenceSchema.parse('lhr/0012345')).toBe('LHR/0012345');
  });

  it("carry the validator's reason as the message on failure", () => {
    const result = nhsNumberSchema.safeParse('943 476 5918');
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        code: 'custom',
        message: reasonOf(validateNhsNumber('943 476 5918')),
      }),
    ]);
  });

  it('refuse non-strings', () => {
    expect(upnSchema.safeParse(8012).success).toBe(false);
  });
});
