/**
 * Identifiers that the notices say we hold about people: validation,
 * normalisation and synthetic values for demo data.
 *
 * Every validator takes what a person typed and returns either the
 * normalised value (the one form we store and search on) or a plain-English
 * reason that says what is wrong, so a form, the API and the CLI refuse bad
 * input with the same words. Pure functions; no database.
 *
 * Rules come from /work/shared/reference.md and the sources cited there.
 */
import { z } from 'zod';

export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** Shows what was typed, quoted, in a message. Long input is shortened. */
function quote(text: string): string {
  return text.length > 30 ? `"${text.slice(0, 27)}…"` : `"${text}"`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------
// NHS number
//
// Ten digits, the tenth a modulus-11 check digit (NHS Data Dictionary, "NHS
// Number"): S = Σ digit(i) × (11 − i) for i = 1..9; check = 11 − (S mod 11);
// 11 means 0 and 10 means no valid number has these first nine digits.
// Numbers whose ten digits are all the same pass the checksum but are
// placeholders typed to get past a mandatory field, so they are refused.

/** Separators people put between digit groups ("943 476 5919", "943-476-5919"). */
const NHS_SEPARATORS = /[\s\-\u2010-\u2015]/g;

/** The check digit for nine leading digits, or 10 when none is valid. */
export function nhsCheckDigit(firstNine: string): number {
  if (!/^\d{9}$/.test(firstNine)) throw new RangeError('nhsCheckDigit needs exactly nine digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  return check === 11 ? 0 : check;
}

export function validateNhsNumber(input: string): Result<string> {
  const compact = input.replace(NHS_SEPARATORS, '');
  if (compact === '') return fail('Enter an NHS number: it has 10 digits, like 943 476 5919');
  const stray = compact.match(/\D/);
  if (stray) {
    return fail(
      `An NHS number is made of digits only (spaces and hyphens between them are fine); ` +
        `this has ${quote(stray[0])}`,
    );
  }
  if (compact.length !== 10) {
    return fail(
      `An NHS number has 10 digits; this has ${compact.length < 10 ? 'only ' : ''}` +
        plural(compact.length, 'digit', 'digits'),
    );
  }
  if (/^(\d)\1{9}$/.test(compact)) {
    return fail(
      `${compact} is a placeholder, not a real NHS number: all ten digits are the same. ` +
        'Leave the NHS number empty if it is not known',
    );
  }
  const expected = nhsCheckDigit(compact.slice(0, 9));
  if (expected === 10) {
    return fail(
      `${formatNhsNumber(compact)} cannot be an NHS number: no check digit is valid after ` +
        `${compact.slice(0, 9)}, so one of the first nine digits is wrong`,
    );
  }
  const actual = Number(compact[9]);
  if (expected !== actual) {
    return fail(
      `The NHS number check digit (the last digit) should be ${expected}, not ${actual}: ` +
        'check for a mistyped or swapped digit',
    );
  }
  return { ok: true, value: compact };
}

/** Display form, 3-3-4 as printed on NHS letters: "943 476 5919". */
export function formatNhsNumber(tenDigits: string): string {
  return `${tenDigits.slice(0, 3)} ${tenDigits.slice(3, 6)} ${tenDigits.slice(6)}`;
}

/**
 * 999 000 0000 – 999 999 9999 is never issued to a patient (reference.md), so
 * demo and test data drawn from it cannot collide with a real person.
 */
export function isSyntheticNhsNumber(tenDigits: string): boolean {
  return /^999\d{7}$/.test(tenDigits);
}

let syntheticNhsSuffixes: Uint32Array | undefined;

/**
 * The six digits after "999" for every valid synthetic number, in order.
 * Built once, on first use (about 909,000 entries, 3.6 MB): a prefix whose
 * check digit would be 10 has no valid number, and 999 999 9999 is the
 * all-nines placeholder, so the n-th valid number is not a simple formula.
 */
function syntheticSuffixes(): Uint32Array {
  if (syntheticNhsSuffixes) return syntheticNhsSuffixes;
  const found = new Uint32Array(1_000_000);
  let count = 0;
  // Same sum as nhsCheckDigit, done on numbers: this loop runs a million times.
  const prefixSum = 9 * 10 + 9 * 9 + 9 * 8;
  for (let suffix = 0; suffix < 1_000_000; suffix++) {
    let sum = prefixSum;
    let rest = suffix;
    for (let weight = 2; weight <= 7; weight++) {
      sum += (rest % 10) * weight;
      rest = Math.floor(rest / 10);
    }
    if (sum % 11 === 1 || suffix === 999_999) continue; // check digit 10; all nines
    found[count++] = suffix;
  }
  syntheticNhsSuffixes = found.slice(0, count);
  return syntheticNhsSuffixes;
}

/** How many distinct synthetic NHS numbers syntheticNhsNumber can give. */
export function syntheticNhsNumberCount(): number {
  return syntheticSuffixes().length;
}

/**
 * The n-th (from 0) valid NHS number in the never-issued 999 range, in
 * ascending order: distinct n give distinct numbers. For demo data only.
 */
export function syntheticNhsNumber(n: number): string {
  const suffixes = syntheticSuffixes();
  const suffix = Number.isInteger(n) ? suffixes[n] : undefined;
  if (suffix === undefined) {
    throw new RangeError(
      `syntheticNhsNumber: n must be an integer from 0 to ${suffixes.length - 1}`,
    );
  }
  const firstNine = `999${String(suffix).padStart(6, '0')}`;
  return `${firstNine}${nhsCheckDigit(firstNine)}`;
}

// ---------------------------------------------------------------------------
// Unique pupil number (UPN)
//
// DfE "Unique pupil numbers (UPNs)" data standard: 13 characters — a check
// letter; a 3-digit local authority code; a 4-digit establishment number; a
// 2-digit year of allocation; a 3-digit serial. A temporary UPN has a letter
// as its 13th character. Check letter = UPN_ALPHABET[Σ value(char at p) × p
// for p = 2..13, mod 23], where a digit's value is itself and a letter's is
// its index in UPN_ALPHABET (which omits I, O and S, easily mistaken for 1,
// 0 and 5).

export const UPN_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';

function upnCharValue(char: string): number {
  return /\d/.test(char) ? Number(char) : UPN_ALPHABET.indexOf(char);
}

/** The check letter for characters 2..13 (a 12-character string). */
export function upnCheckLetter(body: string): string {
  if (!/^\d{11}[0-9A-HJ-NP-RT-Z]$/.test(body)) {
    throw new RangeError('upnCheckLetter needs 11 digits then a digit or UPN letter');
  }
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += upnCharValue(body[i] ?? '') * (i + 2);
  return UPN_ALPHABET[sum % 23] ?? '';
}

export function validateUpn(input: string): Result<string> {
  const upn = input.replace(/\s/g, '').toUpperCase();
  if (upn === '')
    return fail('Enter a unique pupil number: it has 13 characters, like B801200005001');
  if (upn.length !== 13) {
    return fail(
      `A unique pupil number has 13 characters; this has ${plural(upn.length, 'character', 'characters')}`,
    );
  }
  const first = upn[0] ?? '';
  if (!UPN_ALPHABET.includes(first)) {
    return fail(
      `A unique pupil number starts with a check letter (any letter except I, O or S); ` +
        `this starts with ${quote(first)}`,
    );
  }
  const middle = upn.slice(1, 12);
  const notDigit = middle.search(/\D/);
  if (notDigit >= 0) {
    return fail(
      `Characters 2 to 12 of a unique pupil number are digits; character ${notDigit + 2} ` +
        `is ${quote(middle[notDigit] ?? '')}`,
    );
  }
  const last = upn[12] ?? '';
  if (!/\d/.test(last) && !UPN_ALPHABET.includes(last)) {
    return fail(
      `The last character of a unique pupil number is a digit, or for a temporary UPN a letter ` +
        `other than I, O or S; this ends in ${quote(last)}`,
    );
  }
  const expected = upnCheckLetter(upn.slice(1));
  if (expected !== first) {
    return fail(
      `The unique pupil number check letter (the first character) should be ${expected}, ` +
        `not ${first}: check for a mistyped character`,
    );
  }
  return { ok: true, value: upn };
}

/** A temporary UPN (allocated until the permanent one is known) ends in a letter. */
export function isTemporaryUpn(upn: string): boolean {
  return /[A-Z]$/.test(upn);
}

/**
 * Local authority code for synthetic UPNs. DfE LA codes in England are in
 * the 200s to 900s and none is 999, so a demo UPN is recognisably not real.
 * (Not a DfE-reserved range: there is none published.)
 */
export const SYNTHETIC_UPN_LA_CODE = '999';

/**
 * A valid synthetic UPN for demo data: LA code 999, then n (0 to
 * 999,999,999) as establishment, year and serial digits, so distinct n give
 * distinct UPNs. `temporary` replaces the last digit with a letter.
 */
export function syntheticUpn(n: number, options: { temporary?: boolean } = {}): string {
  if (!Number.isInteger(n) || n < 0 || n > 999_999_999) {
    throw new RangeError('syntheticUpn: n must be an integer from 0 to 999,999,999');
  }
  let body = SYNTHETIC_UPN_LA_CODE + String(n).padStart(9, '0');
  if (options.temporary) {
    body = body.slice(0, 11) + (UPN_ALPHABET[n % UPN_ALPHABET.length] ?? 'A');
  }
  return upnCheckLetter(body) + body;
}

// ---------------------------------------------------------------------------
// UK postcode
//
// BS 7666 shapes: GIR 0AA, or an outward code A9, A99, A9A, AA9, AA99 or
// AA9A, then an inward code 9AA. Normalised to upper case with one space
// before the last three characters. This checks the shape only: it does not
// prove the postcode exists, and the per-position letter restrictions are
// deliberately not applied, because refusing a real child's address is
// worse than accepting a well-formed postcode that turns out not to exist.
// Overseas territory and BFPO codes are out of scope.

const OUTWARD =
  /^(?:[A-Z][0-9]|[A-Z][0-9][0-9]|[A-Z][0-9][A-Z]|[A-Z]{2}[0-9]|[A-Z]{2}[0-9]{2}|[A-Z]{2}[0-9][A-Z])$/;
const INWARD = /^[0-9][A-Z]{2}$/;

export function validatePostcode(input: string): Result<string> {
  const compact = input.replace(/\s/g, '').toUpperCase();
  if (compact === '') return fail('Enter a postcode, like SW1A 2AA');
  const stray = compact.match(/[^A-Z0-9]/);
  if (stray) {
    return fail(`A postcode has only letters and numbers; this has ${quote(stray[0])}`);
  }
  if (compact.length < 5 || compact.length > 7) {
    return fail(
      `A postcode has 5 to 7 letters and numbers, like SW1A 2AA or M1 1AE; ` +
        `this has ${compact.length}`,
    );
  }
  const outward = compact.slice(0, -3);
  const inward = compact.slice(-3);
  if (outward === 'GIR' && inward === '0AA') return { ok: true, value: 'GIR 0AA' };
  if (!INWARD.test(inward)) {
    return fail(
      `The last part of a postcode is a number then two letters, like 2AA; this ends ${quote(inward)}`,
    );
  }
  if (!OUTWARD.test(outward)) {
    return fail(
      `The first part of a postcode is one or two letters then a number, and sometimes ` +
        `another number or letter, like M1, B33, SW1A or CR2; ${quote(outward)} is not`,
    );
  }
  return { ok: true, value: `${outward} ${inward}` };
}

// ---------------------------------------------------------------------------
// Home Office reference and port reference
//
// No format or checksum for either is published. The commonly seen Home
// Office reference is a letter (often the surname's initial) and seven
// digits, e.g. X1234567, sometimes with a suffix for a dependant; but the
// Home Office also issues other references that staff record in the same
// field (EU Settlement Scheme application numbers like 1234-5678-9012-3456,
// visa application GWF numbers), and port references are made up locally at
// the port (often a port code, a slash and a serial). A strict pattern
// would refuse real references for a child, so we accept a sensible shape:
//   - 6 to 20 characters after removing spaces, upper-cased;
//   - letters, digits, "/" and "-" only; no separator first, last or doubled;
//   - at least one digit (a reference with none is likely a name typed in
//     the wrong field).
// Spaces are removed so "x123 4567" and "X1234567" match in search.

function validateReference(input: string, label: string): Result<string> {
  const ref = input.replace(/\s/g, '').toUpperCase();
  if (ref === '') return fail(`Enter the ${label}`);
  const stray = ref.match(/[^A-Z0-9/-]/);
  if (stray) {
    return fail(`A ${label} has only letters, numbers, "/" and "-"; this has ${quote(stray[0])}`);
  }
  if (ref.length < 6 || ref.length > 20) {
    return fail(`A ${label} has 6 to 20 letters, numbers, "/" and "-"; this has ${ref.length}`);
  }
  if (/^[/-]|[/-]$/.test(ref)) {
    return fail(`A ${label} starts and ends with a letter or number`);
  }
  if (/[/-]{2}/.test(ref)) {
    return fail(`A ${label} does not have two separators ("/" or "-") together`);
  }
  if (!/\d/.test(ref)) {
    return fail(`A ${label} contains at least one number; ${quote(ref)} has none`);
  }
  return { ok: true, value: ref };
}

export function validateHomeOfficeReference(input: string): Result<string> {
  return validateReference(input, 'Home Office reference');
}

export function validatePortReference(input: string): Result<string> {
  return validateReference(input, 'port reference');
}

// ---------------------------------------------------------------------------
// zod schemas, one per identifier, shared by forms, API and CLI. Each trims
// and normalises, and on failure carries the validator's reason as the
// message. Wrap in .optional() where the identifier is not required.

function schemaFrom(validate: (input: string) => Result<string>) {
  return z.string().transform((raw, ctx) => {
    const result = validate(raw);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.reason });
      return z.NEVER;
    }
    return result.value;
  });
}

export const nhsNumberSchema = schemaFrom(validateNhsNumber);
export const upnSchema = schemaFrom(validateUpn);
export const postcodeSchema = schemaFrom(validatePostcode);
export const homeOfficeReferenceSchema = schemaFrom(validateHomeOfficeReference);
export const portReferenceSchema = schemaFrom(validatePortReference);
