/**
 * What the case knows: every person's names in every form a report writes
 * them, their dates of birth and death, addresses (whole and in part),
 * schools and identifiers. Matching runs on the folded text (text.ts), so
 * "JADE", "jade" and "Jadé" all match "Jade", and an offset found is an
 * offset in the original.
 */
import { Temporal } from 'temporal-polyfill';
import { validateNhsNumber, validatePostcode, validateUpn } from '../people/identifiers.js';
import { findDates, findMonthYears, monthYear, parseIsoDate } from './dates.js';
import { lexicon } from './lexicon.js';
import { COURTESY_TITLES, TITLES } from './names.js';
import { escapeRegExp, flexiblePhrase, fold, matchesOf, WORD_END, WORD_START } from './text.js';
import type { Candidate, CasePerson } from './types.js';

interface Form {
  /** Regular expression source, on folded text; group "n" is the part to redact. */
  source: string;
  /** Match only where the original starts with a capital (a name that is also a word). */
  capitalOnly: boolean;
  /** A two-letter name ("Ed", "Jo") not in capitals ("ED"), unless it is listed so ("JJ"). */
  short?: boolean;
  /** Match the original text, case-sensitively (initials). */
  onOriginal?: boolean;
  /** Half of a double-barrelled name: yields to a person whose whole name it is. */
  partial?: boolean;
  /** What the form matches, for finding who shares it. */
  key: string;
  reason: string;
}

const titlePrefix = (titles: string[]) =>
  `(?:(?<t>${titles.map((t) => escapeRegExp(t.toLowerCase())).join('|')})\\.?\\s+)?`;
const ANY_TITLE = titlePrefix(TITLES);
const PROFESSIONAL_BEFORE = `(?<!(?:${TITLES.filter((t) => !COURTESY_TITLES.includes(t))
  .map((t) => escapeRegExp(t.toLowerCase()))
  .join('|')})\\.?\\s+)`;

const TITLE_WORDS = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr']);

/** Words that never stand alone as a name of a person in the case. */
const NOT_A_NAME = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'the',
  'and',
  'of',
  'de',
  'van',
  'von',
  'da',
  'di',
  'la',
  'le',
  'bin',
  'bint',
  'al',
  'el',
]);

function nameForms(person: CasePerson): Form[] {
  const forms: Form[] = [];
  const { veryCommon } = lexicon();
  const label = person.label;
  const add = (phrase: string, reason: string, partial = false, plural = false) => {
    const folded = fold(phrase.trim());
    if (folded.replace(/[^\p{L}]/gu, '').length < 2) return;
    const single = !/[\s-]/.test(folded);
    // A one-word name that is also a very common English word ("Will",
    // "Rose", "Hope") is matched only capitalised, so "will" and "hope" stay;
    // rarer words ("jade", "holly") match in any case.
    const capitalOnly = single && veryCommon.has(folded);
    // Half of a double-barrelled name after a rank ("PC Jones" beside
    // "Smith-Jones") is far more likely someone else: left to the name detector.
    const prefix = partial ? `${PROFESSIONAL_BEFORE}${titlePrefix(COURTESY_TITLES)}` : ANY_TITLE;
    forms.push({
      // A family name may be plural ("the Smiths"): the name goes, the "s" stays.
      source: `${WORD_START}${prefix}(?<n>${flexiblePhrase(folded)})${plural ? `(?=s?${WORD_END})` : WORD_END}`,
      capitalOnly,
      short: single && folded.length <= 2 && phrase.trim() !== phrase.trim().toUpperCase(),
      partial,
      key: `name:${folded}`,
      reason,
    });
  };
  // "Smith, Jade" as records list people: also read as "Jade Smith".
  const names = person.names.flatMap((name) => {
    const listed = /^([^,]+),\s*([^,]+)$/.exec(name.trim());
    return listed ? [name, `${listed[2]} ${listed[1]}`] : [name];
  });
  names.forEach((name, index) => {
    const tokens = name
      .trim()
      .split(/\s+/)
      // Titles go; particles ("de", "van") too, but not as a given name ("Van Nguyen").
      .filter((t, i) => !NOT_A_NAME.has(fold(t)) || (i === 0 && !TITLE_WORDS.has(fold(t))));
    if (tokens.length === 0) return;
    const main = index === 0;
    add(
      name,
      main
        ? `known name: full name of ${label}`
        : `known name: other name of ${label} (alias or nickname)`,
    );
    tokens.forEach((token, i) => {
      const part =
        tokens.length === 1
          ? main
            ? 'name'
            : 'alias or nickname'
          : i === 0
            ? 'given name'
            : i === tokens.length - 1
              ? 'family name'
              : 'middle name';
      add(token, `known name: ${part} of ${label}`, false, part === 'family name');
      // Double-barrelled and hyphenated names: each half, and the halves spaced.
      const halves = token.split(/[-\u2010-\u2015]/).filter((h) => h.length >= 2);
      if (halves.length > 1) {
        add(halves.join(' '), `known name: ${part} of ${label}`);
        for (const half of halves) add(half, `known name: part of the ${part} of ${label}`, true);
      }
    });
    // "J. Smith", "J Smith" and "Jade S.": an initial with the other name.
    if (tokens.length >= 2) {
      const given = tokens[0] ?? '';
      const family = tokens[tokens.length - 1] ?? '';
      for (const form of [
        `${given[0]}. ${family}`,
        `${given[0]} ${family}`,
        `${given} ${family[0]}.`,
        `${given} ${family[0]}`,
      ]) {
        add(form, `known name: initial and name of ${label}`);
      }
    }
    // "Jade L. Smith": a middle name as its initial.
    if (tokens.length > 2) {
      const middle = tokens
        .slice(1, -1)
        .map((t) => `${t[0]}.`)
        .join(' ');
      add(
        `${tokens[0]} ${middle} ${tokens[tokens.length - 1]}`,
        `known name: full name of ${label}`,
      );
    }
    if (tokens.length > 2)
      add(
        `${tokens[0]} ${tokens[tokens.length - 1]}`,
        `known name: given and family name of ${label}`,
      );
    // Initials, "J.S." or "JS": matched on the original text, capitals only.
    if (tokens.length >= 2) {
      const letters = [tokens[0], tokens[tokens.length - 1]].map((t) =>
        (t ?? '').charAt(0).toUpperCase(),
      );
      if (letters.every((l) => /\p{Lu}/u.test(l))) {
        const dotted = letters.map((l) => `${escapeRegExp(l)}\\.`).join('\\s?');
        const run = letters.map(escapeRegExp).join('');
        forms.push({
          source: `(?<![\\p{L}\\p{N}.])(?<n>${dotted}|${run})(?![\\p{L}\\p{N}])`,
          capitalOnly: false,
          onOriginal: true,
          key: `initials:${letters.join('')}`,
          reason: `known name: initials of ${label}`,
        });
      }
    }
  });
  return forms;
}

const FEMALE =
  /(?:^|\s)(?:mother|mum|mummy|grandmother|grandma|nan|nana|aunt|auntie|sister|stepmother|daughter|girlfriend|wife|woman|girl)$/i;
const MALE =
  /(?:^|\s)(?:father|dad|daddy|grandfather|grandad|uncle|brother|stepfather|son|boyfriend|husband|man|boy)$/i;
const CHILD_LABEL =
  /\b(?:child|baby|infant|sibling|young person|son|daughter|brother|sister|boy|girl)\b/i;

/**
 * Who "Mrs Okafor" is when the mother, the father and the children all
 * share the name: a courtesy title means an adult (no date of birth in the
 * last 16 years, a label that is not a child's), and "Mr" a man and "Mrs",
 * "Ms", "Miss" a woman, as far as the label's last word says ("Mother",
 * "Stepfather"). Otherwise the first listed.
 */
function whoSharedFormIs<T extends { person: CasePerson }>(
  sharers: T[],
  title: string | undefined,
): T | undefined {
  if (!title) return sharers[0];
  const courtesy = COURTESY_TITLES.some((c) => c.toLowerCase() === title.toLowerCase());
  if (!courtesy) return sharers[0];
  const cutoff = Temporal.Now.plainDateISO().subtract({ years: 16 });
  const adult = (p: CasePerson) => {
    const born = parseIsoDate(p.dateOfBirth);
    if (born) return Temporal.PlainDate.compare(born, cutoff) <= 0;
    return !CHILD_LABEL.test(p.label);
  };
  const label = (p: CasePerson) => p.label.replace(/[’']s\s.*$/, ' other').trim();
  const fits = (p: CasePerson) => {
    if (title === 'mr') return !FEMALE.test(label(p));
    if (title === 'master') return !FEMALE.test(label(p)) && !adult(p);
    return !MALE.test(label(p));
  };
  const wanted =
    title === 'master'
      ? sharers.filter((s) => fits(s.person))
      : sharers.filter((s) => adult(s.person) && fits(s.person));
  const gendered = wanted.filter((s) => (title === 'mr' ? MALE : FEMALE).test(label(s.person)));
  return gendered[0] ?? wanted[0] ?? sharers[0];
}

const STREET_END =
  /^(.*?\d.*?\b(?:road|street|lane|avenue|close|drive|crescent|terrace|gardens|place|square|mews|parade|way|grove|rise|hill|green|park|view|walk))\s+([^\d]+)$/i;

/** "12 Mill Lane Maidstone" → "12 Mill Lane", "Maidstone"; only when the rest is a place, not more street. */
function splitAfterStreet(part: string): string[] {
  const match = STREET_END.exec(part.trim());
  if (!match?.[1] || !match[2]) return [part];
  const restHasStreet =
    /\b(?:road|street|lane|avenue|close|drive|way|view|park|green|hill)\b/i.test(match[2]);
  return restHasStreet ? [part] : [match[1], match[2]];
}

/** An address split into what a report might quote of it. */
function addressForms(address: string): { phrase: string; part: string }[] {
  const forms: { phrase: string; part: string }[] = [];
  let rest = address;
  const postcodeMatch = /[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\s*$/i.exec(address.trim());
  let postcode: string | undefined;
  if (postcodeMatch) {
    const valid = validatePostcode(postcodeMatch[0]);
    if (valid.ok) {
      postcode = valid.value;
      rest = address.trim().slice(0, postcodeMatch.index);
    }
  }
  // Parts by commas and lines, and after the street when there are none
  // ("12 Mill Lane Maidstone" → "12 Mill Lane", "Maidstone").
  const parts = rest
    .split(/[,\n]+/)
    .flatMap(splitAfterStreet)
    .map((p) => p.trim())
    .filter(Boolean);
  const streetWord =
    /\b(road|rd|street|st|lane|avenue|ave|close|drive|way|court|crescent|gardens|place|terrace|grove|walk|rise|hill|park|square|mews|view|row|parade|green|vale|chase|meadows?|fields|gate|mount)\b/i;
  const isTown = (p: string, i: number) => i > 0 && !/\d/.test(p) && !streetWord.test(p);
  for (let i = 0; i < parts.length; i++) {
    for (let j = i; j < parts.length; j++) {
      const run = parts.slice(i, j + 1);
      if (run.every((p, k) => isTown(p, i + k))) continue;
      const phrase = run.join(' ');
      forms.push({
        phrase,
        part: i === 0 && j === parts.length - 1 ? 'address' : 'part of the address',
      });
      if (postcode && j === parts.length - 1)
        forms.push({ phrase: `${phrase} ${postcode}`, part: 'address' });
      // "12 Mill Lane" is also written "Mill Lane": the street without its number.
      const numbered = /^(?:(?:flat|apartment|unit)\s+\d+[a-z]?\s+)?\d+[a-z]?\s+(.+)$/i.exec(
        phrase,
      );
      if (numbered?.[1] && !isTown(numbered[1], 1))
        forms.push({ phrase: numbered[1], part: 'street' });
    }
  }
  if (postcode) {
    forms.push({ phrase: postcode, part: 'postcode' });
    forms.push({ phrase: postcode.split(' ')[0] ?? '', part: 'postcode district' });
  }
  return forms;
}

const SCHOOL_GENERIC =
  /(?:\s+(?:school|primary|secondary|infants?|junior|grammar|academy|college|nursery|pre-school|preschool|high|church of england|c of e|cofe|ce|catholic|rc|community|federation|free|foundation|girls'?|boys'?))+$/i;

function schoolForms(school: string): string[] {
  const full = school.trim().replace(/^the\s+/i, '');
  const core = full.replace(SCHOOL_GENERIC, '');
  const { common } = lexicon();
  const forms = [full];
  // "Oakwood Park" for "Oakwood Park Grammar School"; not a lone common word ("Hill").
  if (
    core !== full &&
    core.length >= 4 &&
    !(core.split(/\s+/).length === 1 && common.has(fold(core)))
  ) {
    forms.push(core);
  }
  return forms;
}

/** "OPGS" for "Oakwood Park Grammar School": matched in capitals only. */
function schoolAcronym(school: string): string | undefined {
  const letters = school
    .split(/[\s-]+/)
    .filter((w) => w && !/^(?:of|the|and|&)$/i.test(w))
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
  return /^\p{Lu}{3,}$/u.test(letters) ? letters : undefined;
}

const STREET_ABBREVIATIONS: Record<string, string> = {
  road: 'rd',
  street: 'st',
  lane: 'ln',
  avenue: 'ave?',
  close: 'cl',
  drive: 'dr',
  crescent: 'cres',
  gardens: 'gdns',
  place: 'pl',
  court: 'ct',
  terrace: 'terr?',
  square: 'sq',
  grove: 'gr',
  parade: 'pde',
};

/** A folded address phrase as a pattern: flexible spacing, street words or their abbreviations. */
function addressSource(phrase: string): string {
  return phrase
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((word) => {
      const short = STREET_ABBREVIATIONS[word];
      if (short) return `(?:${word}|${short}\\.?)`;
      const long = Object.entries(STREET_ABBREVIATIONS).find(([, s]) =>
        new RegExp(`^(?:${s})\\.?$`).test(word),
      );
      if (long) return `(?:${long[0]}|${long[1]}\\.?)`;
      return escapeRegExp(word);
    })
    .join('[\\s,]+');
}

/** Identifier characters with any spacing or dashes between them. */
function identifierSource(identifier: string): string | undefined {
  const compact = fold(identifier).replace(/[^\p{L}\p{N}]/gu, '');
  if (compact.length < 4) return undefined;
  return [...compact].map(escapeRegExp).join('[\\s.\\-/]?');
}

export function findKnown(
  text: string,
  people: CasePerson[],
  addressNumber: (address: string) => number,
  schoolNumber: (school: string) => number,
): Candidate[] {
  const folded = fold(text);
  const { common } = lexicon();
  const found: Candidate[] = [];
  const push = (c: Omit<Candidate, 'source'>) => found.push({ ...c, source: 'known' });

  // Names: a form two people share ("Smith") goes to the one its title
  // fits (whoSharedFormIs); without a title, to the first listed.
  const byForm = new Map<
    string,
    { form: Form; sharers: { person: CasePerson; reason: string; partial: boolean }[] }
  >();
  for (const person of people) {
    for (const form of nameForms(person)) {
      const sharer = { person, reason: form.reason, partial: form.partial === true };
      const existing = byForm.get(form.key);
      if (!existing) byForm.set(form.key, { form, sharers: [sharer] });
      else if (!existing.sharers.some((s) => s.person.label === person.label)) {
        existing.sharers.push(sharer);
        // Someone's whole family name beats half of another's: match as the whole.
        if (existing.form.partial && !form.partial) existing.form = form;
      }
    }
  }
  for (const { form, sharers } of byForm.values()) {
    const pattern = new RegExp(form.source, form.onOriginal ? 'gu' : 'giu');
    const haystack = form.onOriginal ? text : folded;
    for (const { start, end, match } of matchesOf(pattern, haystack)) {
      const nameStart = match.index + match[0].indexOf(match.groups?.n ?? '');
      if (form.capitalOnly && !/\p{Lu}/u.test(text[nameStart] ?? '')) continue;
      const name = text.slice(nameStart, nameStart + (match.groups?.n ?? '').length);
      if (form.short && name.length > 1 && name === name.toUpperCase()) continue;
      const whole = sharers.filter((s) => !s.partial);
      const pool = whole.length > 0 ? whole : sharers;
      const chosen = pool.length > 1 ? whoSharedFormIs(pool, match.groups?.t) : pool[0];
      if (!chosen) continue;
      const others = sharers.filter((s) => s !== chosen).map((s) => s.person.label);
      const reason = others.length
        ? `${chosen.reason}, also a name of ${others.join(' and ')}`
        : chosen.reason;
      const label = chosen.person.label;
      push({ start, end, kind: 'person', reason, person: label, key: `known:${label}` });
    }
  }

  // Dates of birth and death, in any written form, and their month and year.
  const dates = findDates(folded);
  const monthYears = findMonthYears(folded);
  for (const person of people) {
    for (const [iso, what] of [
      [person.dateOfBirth, 'date of birth'],
      [person.dateOfDeath, 'date of death'],
    ] as const) {
      const date = parseIsoDate(iso);
      if (!date) continue;
      for (const d of dates) {
        if (
          d.day === date.day &&
          d.month === date.month &&
          (d.year === undefined || d.year === date.year)
        ) {
          push({
            start: d.start,
            end: d.end,
            kind: 'date',
            reason: `${what} of ${person.label}`,
            key: `date:${date.year}-${date.month}`,
            // Like every exact date, to month and year ("March 2015"); a
            // day and month without a year ("3 March") to the month alone.
            replacement: monthYear({ month: date.month, year: d.year }),
          });
        }
      }
      for (const d of monthYears) {
        if (d.month === date.month && d.year === date.year) {
          push({
            start: d.start,
            end: d.end,
            kind: 'date',
            reason: `month and year of the ${what} of ${person.label}`,
            key: `year:${date.year}`,
            // Already month and year: the month of birth goes too, leaving the year.
            replacement: String(date.year),
          });
        }
      }
    }
  }

  for (const person of people) {
    for (const address of person.addresses) {
      const label = `Address ${addressNumber(address)}`;
      for (const { phrase, part } of addressForms(address)) {
        if (fold(phrase).replace(/[^\p{L}\p{N}]/gu, '').length < 3) continue;
        // One ordinary word ("View", "Green") alone would redact it everywhere.
        if (
          !/[\s\d]/.test(phrase.trim()) &&
          !part.startsWith('postcode') &&
          common.has(fold(phrase.trim()))
        )
          continue;
        const isPostcode = part.startsWith('postcode');
        const source = isPostcode
          ? `${WORD_START}${part === 'postcode' ? fold(phrase).replace(' ', '\\s*') : escapeRegExp(fold(phrase))}${WORD_END}`
          : `${WORD_START}${addressSource(fold(phrase))}${WORD_END}`;
        for (const { start, end } of matchesOf(new RegExp(source, 'giu'), folded)) {
          // A postcode district ("ME14") alone only in capitals, as printed.
          if (
            part === 'postcode district' &&
            text.slice(start, end) !== text.slice(start, end).toUpperCase()
          )
            continue;
          push({
            start,
            end,
            kind: isPostcode ? 'postcode' : 'address',
            reason: `${part} of ${person.label}`,
            key: `known-address:${label}`,
            replacement: label,
          });
        }
      }
    }
    for (const school of person.schools) {
      const label = `School ${schoolNumber(school)}`;
      for (const phrase of schoolForms(school)) {
        const source = `${WORD_START}(?:the\\s+)?${flexiblePhrase(fold(phrase))}(?:\\s+(?:school|primary|secondary|infants?|junior|grammar|academy|college|nursery))*${WORD_END}`;
        for (const { start, end } of matchesOf(new RegExp(source, 'giu'), folded)) {
          push({
            start,
            end,
            kind: 'school',
            reason: `school or setting of ${person.label}`,
            key: `school:${label}`,
            replacement: label,
          });
        }
      }
      const acronym = schoolAcronym(school);
      if (!acronym) continue;
      for (const { start, end } of matchesOf(
        new RegExp(`${WORD_START}${acronym}${WORD_END}`, 'gu'),
        text,
      )) {
        push({
          start,
          end,
          kind: 'school',
          reason: `school or setting of ${person.label} (its initials)`,
          key: `school:${label}`,
          replacement: label,
        });
      }
    }
    for (const identifier of person.identifiers) {
      const source = identifierSource(identifier);
      if (!source) continue;
      for (const { start, end } of matchesOf(
        new RegExp(`${WORD_START}${source}${WORD_END}`, 'giu'),
        folded,
      )) {
        const what = validateNhsNumber(identifier).ok
          ? 'NHS number'
          : validateUpn(identifier).ok
            ? 'unique pupil number'
            : 'identifier';
        push({
          start,
          end,
          kind: 'identifier',
          reason: `${what} of ${person.label}`,
          key: `id:${identifier}`,
          replacement: `[${what}]`,
        });
      }
    }
  }
  return found;
}
