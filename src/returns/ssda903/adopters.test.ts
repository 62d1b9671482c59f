import { describe, expect, it } from 'vitest';
import { codeOf } from '../codes.js';
import { adopterSexCodes, adopterStatusCodes, adoptersLegalStatusCode } from './codes.js';

/**
 * The DfE's pairings of LS_ADOPTR with SEX_ADOPTR, as its rules 514 and
 * 517–520 state them (docs/returns.md): which adopters' sexes each legal
 * status may go with.
 */
const allowedSexes: Record<string, readonly string[]> = {
  L0: ['M1', 'F1'], // 514: a single adopter
  L3: ['MF'], // 517
  L4: ['MM', 'FF'], // 518
  L2: ['MM', 'FF', 'MF'], // 519: civil partners
  L11: ['MF'], // 520: a married couple of different sexes
};

describe('the adopters’ legal status written to AD1', () => {
  const single = (word: string) => word.startsWith('single');

  it('meets every DfE pairing with the adopters’ sexes, for each status a couple or a single adopter can have', () => {
    for (const status of Object.keys(adopterStatusCodes.codes)) {
      for (const sexWord of Object.keys(adopterSexCodes.codes)) {
        // A couple's status with one adopter (or the reverse) is
        // ad1-adopters-consistent's to refuse, not a code to write.
        if (single(status) !== single(sexWord)) continue;
        const sex = codeOf(adopterSexCodes, sexWord);
        const code = adoptersLegalStatusCode(status, sex);
        expect(code, `${status}, ${sexWord}`).toBeDefined();
        const allowed = allowedSexes[code ?? ''];
        if (allowed) expect(allowed, `${status}, ${sexWord} as ${code}`).toContain(sex);
      }
    }
  });

  it('writes a married couple of the same sex as L12 and an unmarried one as L4', () => {
    expect(adoptersLegalStatusCode('married-couple', 'MF')).toBe('L11');
    expect(adoptersLegalStatusCode('married-couple', 'FF')).toBe('L12');
    expect(adoptersLegalStatusCode('unmarried-couple', 'MF')).toBe('L3');
    expect(adoptersLegalStatusCode('unmarried-couple', 'MM')).toBe('L4');
    expect(adoptersLegalStatusCode('civil-partners', 'MM')).toBe('L2');
    expect(adoptersLegalStatusCode('single-adopter', 'F1')).toBe('L0');
  });

  it('passes an unknown word through as it is, and nothing as nothing', () => {
    expect(adoptersLegalStatusCode('engaged', 'MF')).toBe('engaged');
    expect(adoptersLegalStatusCode(undefined, 'MF')).toBeUndefined();
  });
});
