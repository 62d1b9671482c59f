import { base, en, en_GB, Faker } from '@faker-js/faker';
import { familiarForms } from './nicknames.js';
import type { PersonInput } from './record.js';

/**
 * Synthetic people for measuring the matcher (never real data): seeded, so
 * a figure can be reproduced. Households share a family name and address;
 * some children in them are twins (same date of birth and address,
 * different given names: two people who must not be linked). A person's
 * second record carries the errors partners' records carry: typing slips,
 * "known as" names, a changed surname (marriage, a step-parent), a move,
 * day and month swapped, a wrong digit, NHS number slips, missing fields,
 * other date and postcode layouts.
 */
export interface Truth {
  /** Person behind each record id. */
  personOf: Map<string, number>;
}

interface Person {
  key: number;
  sex: 'F' | 'M';
  given: string;
  family: string;
  dob: { year: number; month: number; day: number };
  line1: string;
  town: string;
  postcode: string;
  nhs: string | null;
  upn: string | null;
  otherNames: string[];
}

const common = ['Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson'];
const uncommon = [
  'Szczepański',
  'Kowalczyk',
  'Nowak',
  'Ó Súilleabháin',
  'Adeyemi',
  'Okonkwo',
  'Øvergård',
  'Papadopoulos',
  'Nguyen',
  'Ferreira',
];
const formalFemale = [
  'Elizabeth',
  'Rebecca',
  'Jade',
  'Katherine',
  'Victoria',
  'Abigail',
  'Jessica',
];
const formalMale = ['William', 'Robert', 'Thomas', 'Christopher', 'Samuel', 'Benjamin', 'Daniel'];
const areas = ['CT', 'ME', 'TN', 'DA', 'BR', 'SE', 'RH'];

export class SyntheticPeople {
  private readonly faker: Faker;
  private next = 0;
  private readonly households: Person[][] = [];

  constructor(seed: number) {
    this.faker = new Faker({ locale: [en_GB, en, base] });
    this.faker.seed(seed);
  }

  private chance(p: number): boolean {
    return this.faker.number.float({ min: 0, max: 1 }) < p;
  }

  /**
   * A given name; in a household, unlike every other member's (parents do
   * not give two children one name, nor "Jade" and "Jadey"), and for a twin
   * not even the same initial.
   */
  private givenName(sex: 'F' | 'M', household: readonly Person[] = [], twinOf?: Person): string {
    for (;;) {
      const name = this.chance(0.25)
        ? this.faker.helpers.arrayElement(sex === 'F' ? formalFemale : formalMale)
        : this.faker.person.firstName(sex === 'F' ? 'female' : 'male');
      const clash = household.some(
        (m) =>
          m.given.slice(0, 3) === name.slice(0, 3) ||
          familiarForms(m.given).includes(name.toLowerCase()),
      );
      if (!clash && !(twinOf && twinOf.given[0] === name[0])) return name;
    }
  }

  private familyName(): string {
    if (this.chance(0.15)) return this.faker.helpers.arrayElement(common);
    if (this.chance(0.05)) return this.faker.helpers.arrayElement(uncommon);
    return this.faker.person.lastName();
  }

  private postcode(): string {
    const f = this.faker;
    const letters = () =>
      f.string.alpha({ length: 2, casing: 'upper', exclude: ['C', 'I', 'K', 'M', 'O', 'V'] });
    return `${f.helpers.arrayElement(areas)}${f.number.int({ min: 1, max: 20 })} ${f.number.int(9)}${letters()}`;
  }

  private address() {
    return {
      line1: this.faker.location.streetAddress(),
      town: this.faker.location.city(),
      postcode: this.postcode(),
    };
  }

  private nhsNumber(): string {
    for (;;) {
      const digits = Array.from({ length: 9 }, () => this.faker.number.int(9));
      const sum = digits.reduce((s, d, i) => s + d * (10 - i), 0);
      const check = 11 - (sum % 11);
      if (check === 10) continue;
      return [...digits, check === 11 ? 0 : check].join('');
    }
  }

  private birth() {
    const date = this.faker.date.between({ from: '1975-01-01', to: '2024-12-31' });
    return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
  }

  /** A new person: alone, in an existing household, or an existing child's twin. */
  person(): Person {
    const key = this.next;
    this.next += 1;
    const sex = this.chance(0.5) ? 'F' : 'M';
    const household =
      this.households.length > 0 && this.chance(0.3)
        ? this.faker.helpers.arrayElement(this.households)
        : null;
    const home = household?.[0] ?? null;
    // About 3% of people are twins, as of children born in England and Wales.
    const twinOf =
      household && this.chance(0.1) ? this.faker.helpers.arrayElement(household) : undefined;
    const dob = twinOf ? { ...twinOf.dob } : this.birth();
    const person: Person = {
      key,
      sex,
      given: this.givenName(sex, household ?? [], twinOf),
      family: home?.family ?? this.familyName(),
      dob,
      ...(home ? { line1: home.line1, town: home.town, postcode: home.postcode } : this.address()),
      nhs: this.chance(0.75) ? this.nhsNumber() : null,
      upn:
        dob.year >= 2005 && this.chance(0.6)
          ? `${this.faker.string.alpha({ length: 1, casing: 'upper' })}${this.faker.string.numeric(12)}`
          : null,
      otherNames: [],
    };
    if (household) household.push(person);
    else this.households.push([person]);
    return person;
  }

  /** A record of the person as one source holds it; `errors` the chance of each kind of error. */
  record(person: Person, id: string, source: string, errors: number): PersonInput {
    const f = this.faker;
    const slip = (value: string) => typo(f, value);
    let given = person.given;
    const nick = familiarForms(given);
    if (this.chance(errors * 0.6) && nick.length > 0)
      given = capitalise(f.helpers.arrayElement(nick));
    else if (this.chance(errors * 0.8)) given = slip(given);
    else if (this.chance(errors * 0.05)) given = given.charAt(0);
    let family = person.family;
    const otherNames = [...person.otherNames];
    if (this.chance(errors * 0.4)) {
      // Married, or took a step-parent's name; sometimes the old one is kept as an other name.
      if (this.chance(0.5)) otherNames.push(family);
      family = this.familyName();
    } else if (this.chance(errors * 0.6)) family = slip(family);
    const moved = this.chance(errors * 1.5);
    const address = moved
      ? this.address()
      : { line1: person.line1, town: person.town, postcode: person.postcode };
    let postcode: string | undefined = address.postcode;
    if (this.chance(errors * 0.5)) postcode = undefined;
    else if (this.chance(errors * 0.2)) postcode = slip(postcode);
    else if (this.chance(0.3)) postcode = postcode.replace(' ', '').toLowerCase();
    const record: PersonInput = { id, source };
    if (!this.chance(errors * 0.1))
      record.givenName = this.chance(0.1) ? given.toUpperCase() : given;
    if (!this.chance(errors * 0.1))
      record.familyName = this.chance(0.1) ? family.toUpperCase() : family;
    if (otherNames.length > 0) record.otherNames = otherNames;
    const dob = this.birthText(person.dob, errors);
    if (dob !== undefined) record.dateOfBirth = dob;
    if (!this.chance(errors * 0.2))
      record.sex = this.chance(0.5) ? person.sex : person.sex === 'F' ? 'female' : 'male';
    record.address = {
      line1: address.line1,
      town: address.town,
      ...(postcode !== undefined ? { postcode } : {}),
    };
    const identifiers: NonNullable<PersonInput['identifiers']> = {};
    if (person.nhs && this.chance(0.7)) {
      identifiers.nhsNumber = this.chance(errors * 0.2) ? slip(person.nhs) : person.nhs;
    }
    if (person.upn && this.chance(0.6)) identifiers.upn = person.upn;
    if (Object.keys(identifiers).length > 0) record.identifiers = identifiers;
    return record;
  }

  private birthText(d: Person['dob'], errors: number): string | undefined {
    let { year, month, day } = d;
    if (this.chance(errors * 0.3)) return undefined;
    if (this.chance(errors * 0.05)) return String(year);
    if (this.chance(errors * 0.3) && day <= 12 && day !== month) [day, month] = [month, day];
    else if (this.chance(errors * 0.3)) {
      // One wrong digit in the day, or the last digit of the year.
      if (this.chance(0.5)) day = day >= 10 && day <= 19 ? day + 10 : day < 9 ? day + 1 : day - 1;
      else year += year % 10 === 9 ? -1 : 1;
    }
    const pad = (n: number) => String(n).padStart(2, '0');
    return this.chance(0.5)
      ? `${year}-${pad(month)}-${pad(day)}`
      : `${pad(day)}/${pad(month)}/${year}`;
  }
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** One typing slip: a letter changed, dropped, doubled or swapped with the next. */
function typo(f: Faker, value: string): string {
  if (value.length < 3) return value;
  const i = f.number.int({ min: 1, max: value.length - 2 });
  switch (f.number.int(3)) {
    case 0:
      return (
        value.slice(0, i) + f.string.alpha({ length: 1, casing: 'lower' }) + value.slice(i + 1)
      );
    case 1:
      return value.slice(0, i) + value.slice(i + 1);
    case 2:
      return value.slice(0, i) + value[i] + value.slice(i);
    default:
      return value.slice(0, i) + value[i + 1] + value[i] + value.slice(i + 2);
  }
}

/**
 * Two lists of `size` records: `overlap` of the people in the second are
 * also in the first. The first list is cleaner (errors 0.04) than the
 * second (errors 0.1), as a local authority's own records are than a
 * partner's return.
 */
export function twoSources(size: number, seed: number, overlap = 0.6) {
  const people = new SyntheticPeople(seed);
  const personOf = new Map<string, number>();
  const records: PersonInput[] = [];
  const first: Person[] = [];
  for (let i = 0; i < size; i += 1) {
    const p = people.person();
    first.push(p);
    records.push(people.record(p, `a-${i}`, 'a', 0.04));
    personOf.set(`a-${i}`, p.key);
  }
  const shared = Math.round(size * overlap);
  for (let i = 0; i < size; i += 1) {
    const p = (i < shared ? first[(i * 7919) % size] : undefined) ?? people.person();
    records.push(people.record(p, `b-${i}`, 'b', 0.1));
    personOf.set(`b-${i}`, p.key);
  }
  return { records, truth: { personOf } satisfies Truth };
}

/** One list of `size` records of which about `duplicates` are second records of a person in it. */
export function oneSource(size: number, seed: number, duplicates = 0.15) {
  const people = new SyntheticPeople(seed);
  const personOf = new Map<string, number>();
  const records: PersonInput[] = [];
  const seen: Person[] = [];
  for (let i = 0; i < size; i += 1) {
    const again = seen.length > 0 && i % Math.round(1 / duplicates) === 0;
    const p = (again ? seen[(i * 7919) % seen.length] : undefined) ?? people.person();
    if (!again) seen.push(p);
    records.push(people.record(p, `r-${i}`, 'r', again ? 0.1 : 0.04));
    personOf.set(`r-${i}`, p.key);
  }
  return { records, truth: { personOf } satisfies Truth };
}
