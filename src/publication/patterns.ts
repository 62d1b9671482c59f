/**
 * Recognisers that need nothing from the case: identifiers with a check
 * (NHS numbers, unique pupil numbers), National Insurance numbers,
 * postcodes, phone numbers, email addresses, social media handles, police
 * and court references, and street addresses. Each runs on the original
 * text; identifiers are matched however the text spaces or dashes them.
 */
import { validateNhsNumber, validatePostcode, validateUpn } from '../people/identifiers.js';
import { matchesOf } from './text.js';
import type { Candidate } from './types.js';

const SEP = '[ \\t\\u00A0.\\-\\u2010-\\u2015]?';

// Ten digits in 3-3-4 (or run together), not inside a longer number.
const NHS = new RegExp(`(?<![\\d])\\d{3}${SEP}\\d{3}${SEP}\\d{4}(?![\\d])`, 'g');
// A check letter, eleven digits, then a digit or letter; spaces allowed.
const UPN = /(?<![\p{L}\p{N}])[A-Z](?:\s?\d){11}\s?[0-9A-Z](?![\p{L}\p{N}])/gu;
// HMRC's shape: two letters, six digits, a suffix A to D. The letter rules
// (no D, F, I, Q, U, V…) are not applied: the HMRC example "QQ 12 34 56 C"
// is often used in documents, and redacting a near-miss costs nothing.
const NINO =
  /(?<![\p{L}\p{N}])[A-Z]{2}[ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D]?(?![\p{L}\p{N}])/giu;
// Words that say the number after them is an NHS number, UPN or NI number,
// so one with a wrong check digit (mistyped, or made up for a test) still goes.
const NHS_LABEL = /\b(?:nhs|chi)(?:\s*(?:no\.?|number|num|#))?\s*[:.]?\s*$/i;
const UPN_LABEL = /\b(?:upn|unique pupil number)\s*[:.]?\s*$/i;
const NINO_LABEL = /\b(?:ni|nino|national insurance)(?:\s*(?:no\.?|number))?\s*[:.]?\s*$/i;
const POSTCODE = /(?<![\p{L}\p{N}])[A-Z]{1,2}\d[A-Z\d]?[ \t\u00A0]*\d[A-Z]{2}(?![\p{L}\p{N}])/giu;
// Phone numbers: from "+" or "0", digits in groups with spaces, dots,
// dashes or brackets; the digit count is checked after matching.
const PHONE =
  /(?<![\p{L}\p{N}+])(?:\+\s?\d{1,3}[\s.-]?(?:\(0\)[\s.-]?)?\(?|\(?0)\d{1,5}\)?(?:[\s.-]?\d{2,5}){1,4}(?![\p{L}\p{N}])/gu;
const EMAIL = /(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?<!\.)/g;
// "@name" not inside an email address (the "@" not after a word character).
const HANDLE = /(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@])/g;
// A reference given with its name: "crime reference 46/123456/21", "CAD 1234".
const REFERENCE =
  /(?<![\p{L}])(?:crime|incident|police|case|court|log|CAD|CRN|MOSAIC|LCS|Liquidlogic|ref(?:erence)?)\.?(?:\s+(?:ref(?:erence)?|number|no\.?|#))?\s*[:#]?\s*((?=[A-Z0-9/-]*\d)[A-Z0-9][A-Z0-9/-]{3,}[A-Z0-9])(?![\p{L}\p{N}])/giu;
// A street address: a house number, then up to four capitalised words ending
// in a street word ("12 Mill Lane", "Flat 3, 45 St John's Road").
export const STREET_WORDS =
  'Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Cl|Drive|Dr|Way|Court|Ct|Crescent|Cres|Gardens|Gdns|Place|Pl|Terrace|Grove|Walk|Rise|Hill|Park|Square|Sq|Mews|View|Row|Parade|Green|Vale|Wharf|Yard|Chase|Meadow|Meadows|Fields|Gate|End|Mount|Boulevard|Approach|Hollow|Path|Broadway';
const STREET = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:(?:Flat|Apartment|Unit|Room)\\s+\\d+[A-Za-z]?,?\\s+)?\\d{1,4}[A-Za-z]?,?\\s+(?:\\p{Lu}[\\p{L}'’-]*\\s+){1,4}(?:${STREET_WORDS})\\.?(?![\\p{L}\\p{N}])`,
  'gu',
);

// A school or setting by name: capitalised words ending in what it is
// ("Little Acorns Nursery", "St Bede's Catholic Primary School"); a school
// places a child as surely as a street does.
const SCHOOL =
  /(?<![\p{L}\p{N}])(?:St\.?[ \t]+)?(?:\p{Lu}[\p{L}'’-]*[ \t]+(?:(?:of|and|&|the|de)[ \t]+)?){1,5}(?:School|Academy|Nursery|Pre-?school|College|Playgroup|Kindergarten)(?![\p{L}\p{N}])(?![ \t]+of\b)/gu;

function candidate(
  start: number,
  end: number,
  kind: Candidate['kind'],
  reason: string,
  key: string,
  replacement: string,
): Candidate {
  return { start, end, kind, source: 'pattern', reason, key, replacement };
}

export function findPatterns(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const { start, end, match } of matchesOf(NHS, text)) {
    const nhs = validateNhsNumber(match[0]);
    if (!nhs.ok && NHS_LABEL.test(text.slice(Math.max(0, start - 20), start))) {
      found.push(
        candidate(
          start,
          end,
          'identifier',
          'NHS number (so labelled; its check digit is wrong)',
          `nhs:${match[0].replace(/\D/g, '')}`,
          '[NHS number]',
        ),
      );
    }
    if (nhs.ok) {
      found.push(
        candidate(
          start,
          end,
          'identifier',
          'NHS number (its check digit is valid)',
          `nhs:${nhs.value}`,
          '[NHS number]',
        ),
      );
    }
  }
  for (const { start, end, match } of matchesOf(UPN, text)) {
    const upn = validateUpn(match[0]);
    if (!upn.ok && UPN_LABEL.test(text.slice(Math.max(0, start - 30), start))) {
      found.push(
        candidate(
          start,
          end,
          'identifier',
          'unique pupil number (so labelled; its check letter is wrong)',
          `upn:${match[0]}`,
          '[unique pupil number]',
        ),
      );
    }
    if (upn.ok) {
      found.push(
        candidate(
          start,
          end,
          'identifier',
          'unique pupil number (its check letter is valid)',
          `upn:${upn.value}`,
          '[unique pupil number]',
        ),
      );
    }
  }
  for (const { start, end, match } of matchesOf(NINO, text)) {
    // Lower case letters are taken only in a run of capitals' shape: "ab123456c"
    // is as likely a code as a mistyped NI number, so both letters must agree in case.
    const letters = match[0].replace(/[^A-Za-z]/g, '');
    if (letters !== letters.toUpperCase() && letters !== letters.toLowerCase()) continue;
    // Without its suffix letter only where the text says it is an NI number.
    if (!/[A-D]$/i.test(match[0]) && !NINO_LABEL.test(text.slice(Math.max(0, start - 30), start)))
      continue;
    const compact = match[0].replace(/[\s-]/g, '').toUpperCase();
    found.push(
      candidate(
        start,
        end,
        'identifier',
        'National Insurance number',
        `nino:${compact}`,
        '[National Insurance number]',
      ),
    );
  }
  for (const { start, end, match } of matchesOf(POSTCODE, text)) {
    const postcode = validatePostcode(match[0]);
    // Upper or lower case, not mixed: "Me14 2ab" is more likely not a postcode.
    const raw = match[0];
    if (!postcode.ok || (raw !== raw.toUpperCase() && raw !== raw.toLowerCase())) continue;
    found.push(
      candidate(start, end, 'postcode', 'UK postcode', `postcode:${postcode.value}`, '[postcode]'),
    );
  }
  for (const { start, end, match } of matchesOf(PHONE, text)) {
    const digits = match[0].replace(/\D/g, '');
    const international = match[0].trimStart().startsWith('+');
    const ok = international
      ? digits.length >= 8 && digits.length <= 15
      : digits.length >= 10 && digits.length <= 11;
    if (!ok) continue;
    found.push(
      candidate(
        start,
        end,
        'phone',
        international ? 'phone number (international)' : 'UK phone number',
        `phone:${digits}`,
        '[phone number]',
      ),
    );
  }
  for (const { start, end, match } of matchesOf(EMAIL, text)) {
    found.push(
      candidate(
        start,
        end,
        'email',
        'email address',
        `email:${match[0].toLowerCase()}`,
        '[email address]',
      ),
    );
  }
  for (const { start, end, match } of matchesOf(HANDLE, text)) {
    found.push(
      candidate(
        start,
        end,
        'other',
        'social media handle',
        `handle:${match[0].toLowerCase()}`,
        '[social media handle]',
      ),
    );
  }
  for (const { end, match } of matchesOf(REFERENCE, text)) {
    const value = match[1] ?? '';
    found.push(
      candidate(
        end - value.length,
        end,
        'identifier',
        'reference number (named as a reference in the text)',
        `ref:${value.toUpperCase()}`,
        '[reference]',
      ),
    );
  }
  for (const { start, end, match } of matchesOf(SCHOOL, text)) {
    const name = match[0].replace(/^(?:the|at|and|of|in)\s+/i, '');
    const offset = match[0].length - name.length;
    found.push({
      start: start + offset,
      end,
      kind: 'school',
      source: 'pattern',
      reason: 'a school or setting named in the report',
      key: `school:${name.toLowerCase()}`,
    });
  }
  for (const { start, end, match } of matchesOf(STREET, text)) {
    const key = match[0].toLowerCase().replace(/[\s,]+/g, ' ');
    found.push({
      start,
      end,
      kind: 'address',
      source: 'pattern',
      reason: 'street address (a house number and street)',
      key: `address:${key}`,
    });
  }
  return found;
}
