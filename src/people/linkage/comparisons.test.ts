import { describe, expect, it } from 'vitest';
import { applyFamilyGate, comparePair, comparisons, GIVEN_DIFFERENT } from './comparisons.js';
import { preparePerson, readBirthDate, type PersonInput } from './record.js';

const person = (fields: Omit<PersonInput, 'id'>, id = 'x') => preparePerson({ id, ...fields }, 0);

/** The level's words for one field of a pair, or null when not compared. */
function level(field: string, a: Omit<PersonInput, 'id'>, b: Omit<PersonInput, 'id'>) {
  const c = comparisons.findIndex((x) => x.key === field);
  const levels = comparePair(person(a), person(b), new Int8Array(comparisons.length));
  const l = levels[c]!;
  return l < 0 ? null : comparisons[c]!.levels[l]!.label;
}

describe('comparison levels', () => {
  it('given names: exact, slips, short forms, sounds, other names, initials', () => {
    const given = (a: string, b: string, more: Partial<PersonInput> = {}) =>
      level('givenName', { givenName: a }, { givenName: b, ...more });
    expect(given('Jade', 'JADE')).toBe('the same');
    expect(given('Zoë', 'Zoe')).toBe('the same');
    expect(given('Claire', 'Clare')).toMatch(/^nearly the same/);
    expect(given('William', 'Bill')).toMatch(/short form/);
    expect(given('Mohammed', 'Muhammad')).toMatch(/short form/);
    expect(given('Stephen', 'Steven')).toMatch(/^similar/);
    expect(given('Levi', 'Lgvi')).toMatch(/one letter different/);
    expect(given('Catherine', 'Kathryn')).toMatch(/sound alike/);
    expect(given('Aoife', 'Eva')).toMatch(/sound alike/);
    expect(given('Kayden', 'Tyrone', { otherNames: ['Kayden Brooks'] })).toMatch(/other names/);
    expect(given('J', 'Jade')).toMatch(/initial/);
    expect(given('Oskar', 'Jade')).toBe('different');
    expect(given('Oskar', '')).toBeNull();
  });

  it('family names: a changed surname is found among other names', () => {
    const family = (a: Partial<PersonInput>, b: Partial<PersonInput>) => level('familyName', a, b);
    expect(family({ familyName: 'Szczepański' }, { familyName: 'SZCZEPANSKI' })).toBe('the same');
    expect(family({ familyName: 'Thompson' }, { familyName: 'Thomson' })).toMatch(/^nearly/);
    expect(family({ familyName: 'Smith' }, { familyName: 'Smyth' })).toMatch(/^similar/);
    expect(
      family({ familyName: 'Walker' }, { familyName: 'Adeyemi', otherNames: ['Jade Walker'] }),
    ).toMatch(/changed surname/);
    expect(family({ familyName: 'Walker-Adeyemi' }, { familyName: 'Adeyemi' })).toMatch(
      /double-barrelled/,
    );
    expect(family({ familyName: 'Walker' }, { familyName: 'Okonkwo' })).toBe('different');
  });

  it('dates of birth: swapped, one digit, same year, and malformed ones as text', () => {
    const dob = (a: string, b: string) =>
      level('dateOfBirth', { dateOfBirth: a }, { dateOfBirth: b });
    expect(dob('2014-03-07', '07/03/2014')).toBe('the same');
    expect(dob('2014-03-07', '03/07/2014')).toBe('day and month swapped');
    expect(dob('2014-03-07', '2014-03-01')).toBe('one digit different');
    expect(dob('2014-03-07', '2015-03-07')).toBe('one digit different');
    expect(dob('2014-03-07', '2014-11-20')).toBe('same year only');
    expect(dob('2014-03-07', '2001-11-20')).toBe('different');
    // No 31 February: kept as text, equal text is the same value.
    expect(readBirthDate('31/02/2011')).toMatchObject({ iso: null, text: '31/02/2011' });
    expect(dob('31/02/2011', '31/02/2011')).toBe('the same');
    expect(dob('31/02/2011', '31/02/2012')).toBe('one digit different');
    expect(dob('2011', '2011-06-01')).toMatch(/^same year, the rest not known/);
    expect(dob('2011-05', '2011-06-01')).toBe('same year only');
    expect(dob('not known', '2011-06-01')).toBeNull();
  });

  it('addresses, sex and identifiers: agreement, slips and conflicts', () => {
    const at = (postcode: string | undefined, line1: string) => ({
      address: { line1, ...(postcode ? { postcode } : {}) },
    });
    expect(level('address', at('CT1 3RX', '1 A Road'), at('ct13rx', '9 B Lane'))).toBe(
      'same postcode',
    );
    expect(level('address', at('CT1 3RX', '14 Wincheap'), at(undefined, '14 Wincheap'))).toBe(
      'same first line of address',
    );
    expect(level('address', at('CT1 3RX', '1 A Road'), at('CT1 9ZZ', '9 B Lane'))).toBe(
      'same postcode district',
    );
    expect(level('address', at('75001 Paris', 'x'), at('75001 PARIS', 'y'))).toBe('same postcode');
    expect(level('address', at('CT1 3RX', '1 A Road'), at('ME4 4AA', '9 B Lane'))).toBe(
      'different',
    );
    expect(level('sex', { sex: 'F' }, { sex: 'female' })).toBe('the same');
    expect(level('sex', { sex: 'F' }, { sex: 'not known' })).toBeNull();
    const nhs = (a: string, b: string) =>
      level('nhsNumber', { identifiers: { nhsNumber: a } }, { identifiers: { nhsNumber: b } });
    expect(nhs('943 476 5919', '9434765919')).toBe('the same');
    expect(nhs('9434765919', '9434765991')).toMatch(/typing slip/);
    expect(nhs('9434765919', '943476591')).toMatch(/typing slip/);
    expect(nhs('9434765919', '4857773456')).toMatch(/conflict/);
  });

  it('twins: with clearly different given names, family name and address are not counted', () => {
    const a = person({ givenName: 'Jade', familyName: 'Walker', address: { postcode: 'CT1 3RX' } });
    const b = person({
      givenName: 'Oskar',
      familyName: 'Walker',
      address: { postcode: 'CT1 3RX' },
    });
    const levels = comparePair(a, b, new Int8Array(comparisons.length));
    expect(levels[0]).toBe(GIVEN_DIFFERENT);
    expect([levels[1], levels[4]]).toEqual([0, 0]);
    applyFamilyGate(levels);
    expect([levels[1], levels[4]]).toEqual([-1, -1]);
  });
});
