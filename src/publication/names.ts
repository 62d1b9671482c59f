/**
 * People the case does not list — a neighbour, a GP, a police officer —
 * found from titles ("Dr Shah", "PC Jones", "Mrs Patel") and from the name
 * lexicon (lexicon.ts) with context: a capitalised word that is a known
 * name part, not a common English word, not an organisation or place word,
 * and not the start of a sentence unless it could be nothing else.
 */
import { lexicon } from './lexicon.js';
import { STREET_WORDS } from './patterns.js';
import { atSentenceStart, fold, matchesOf } from './text.js';
import type { Candidate } from './types.js';

/** Titles and ranks that come before a name, longest first where they share a start. */
/** Titles anyone may use, as against ranks and roles ("PC", "Dr") that mark a practitioner. */
export const COURTESY_TITLES = ['Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Master'];

export const TITLES = [
  'Master',
  'Detective Chief Inspector',
  'Detective Inspector',
  'Detective Sergeant',
  'Detective Constable',
  'Police Constable',
  'District Judge',
  'His Honour Judge',
  'Her Honour Judge',
  'Professor',
  'Prof',
  'Mrs',
  'Mr',
  'Ms',
  'Miss',
  'Mx',
  'Dr',
  'DCI',
  'DSupt',
  'Supt',
  'Insp',
  'PS',
  'Paramedic',
  'PCSO',
  'PC',
  'DC',
  'DS',
  'DI',
  'Sgt',
  'Sergeant',
  'Constable',
  'Inspector',
  'Nurse',
  'Sister',
  'Rev',
  'Revd',
  'Reverend',
  'Father',
  'Imam',
  'Rabbi',
  'Pastor',
  'Cllr',
  'Councillor',
  'Judge',
  'HHJ',
  'Sir',
  'Dame',
  'Lady',
  'Lord',
];

/**
 * Organisation words: a run of capitalised words with one after its first
 * word ("Kent Police", "William Harvey Hospital", "Children's Social Care")
 * names an organisation, which is not redacted — the agencies are what a
 * review is about.
 */
const ORGANISATION_WORDS = new Set(
  (
    'police constabulary council services service school academy college nursery hospital trust surgery ' +
    'practice centre center clinic unit team board partnership court department agency authority network ' +
    'foundation university church mosque temple project charity association group office ward health care ' +
    'nhs icb safeguarding commissioner'
  ).split(' '),
);
/** Organisation words that are also surnames: "Pauline Ward" is a person. */
const SURNAME_ORG_WORDS = new Set(['ward', 'church', 'court', 'temple', 'hall', 'house']);

/**
 * Street words that end a street's name ("Mill Lane"). The strong ones are
 * never a surname; the weak ones often are ("Brandi Green", "Sarah Hill"),
 * so they mark a street only when the word before is not a given name.
 */
const STREET_STRONG = new Set(
  'road street lane avenue close drive crescent terrace gardens place square mews parade boulevard way broadway'.split(
    ' ',
  ),
);
const STREET_WEAK = new Set(
  STREET_WORDS.toLowerCase()
    .split('|')
    .filter((w) => w.length > 3 && !STREET_STRONG.has(w)),
);

/**
 * Never a name here, in any position: review vocabulary, roles, function
 * words, abbreviations.
 */
const NOT_NAMES = new Set(
  (
    'child children mother father mum mummy dad daddy nan nana nanny grandad grandma grandmother grandfather ' +
    'sibling brother baby adult person practitioner professional aunt uncle cousin step partner ' +
    'i section article regulation appendix annex figure table page chapter part review panel ' +
    'lado lcspr cspr mash cp cin cla gp hv iro sw nspcc ofsted cafcass camhs send ehcp dsl ' +
    'initial strategy conference discussion meeting plan protection early help social worker visitor ' +
    'health visiting midwife midwifery paediatrician consultant officer designated named lead ' +
    'the a an and but or when on in at after before during however then this that these those ' +
    'he she they his her their we our it its there here following further later multi agency inter ' +
    'national local county city borough district'
  ).split(/\s+/),
);

/**
 * Words that are usually something else — months, days, festivals, places
 * in Kent and Somerset, nationalities and faiths, compass points — but can
 * be a name: after a title ("PC West", "Mrs May"), beside a role ("the GP,
 * June Denesik,") or before a family name ("Christian Ward-Turcotte"), not
 * after a preposition ("in June Kelly said").
 */
const USUALLY_NOT_NAMES = new Set(
  (
    'january february march april may june july august september october november december ' +
    'monday tuesday wednesday thursday friday saturday sunday christmas easter eid ramadan diwali valentine ' +
    'english british scottish welsh irish polish romanian muslim christian jewish hindu sikh catholic ' +
    'kent somerset maidstone medway england london ashford canterbury dover folkestone thanet margate ' +
    'gravesend dartford sevenoaks tonbridge swale sheppey taunton yeovil bridgwater bath wales scotland ' +
    'north south east west sister'
  ).split(/\s+/),
);
const PREPOSITION_BEFORE =
  /\b(?:in|on|of|at|by|from|to|until|till|since|during|between|before|after|last|next|early|late|mid|each|every|this|that)\s+$/i;

/** Words that open a sentence before a name: "When Kelly said", "Later Tomasz rang". */
const SENTENCE_OPENERS = new Set(
  (
    'when after although though however then later both her his their its our my your on in at meanwhile ' +
    'during once while whilst since before yesterday today initially subsequently sadly unfortunately ' +
    'fortunately that this as if because so but and or also only even perhaps by for with without from to ' +
    'despite following eventually finally first next there here where until each every now soon instead ' +
    'notably again shortly recently previously earlier thereafter afterwards overall nevertheless indeed ' +
    'within between among about around whether nor yet still like unlike'
  ).split(/\s+/),
);

const TITLE_SET = new Set(TITLES.map((t) => t.toLowerCase()));

/** Roles a name is put beside in apposition: "the social worker, Oksana, left". */
const ROLE_BEFORE =
  /\b(?:worker|visitor|nurse|teacher|officer|manager|doctor|gp|midwife|coach|friend|neighbour|partner|boyfriend|girlfriend|uncle|aunt|auntie|cousin|grandmother|grandfather|carer|chair|lead|adviser|advisor|therapist|mentor|keyworker|nanny|childminder|registrar|paediatrician|consultant|practitioner|sergeant|constable|inspector|called|named|took it)\s*,?\s*$/i;

/** Verbs that, right after a word, show it is someone: "Will said", "May told". */
const REPORTING =
  /^\s*(?:said|says|told|tells|reported|reports|stated|explained|disclosed|asked|agreed|visited|called|phoned|rang|attended|described|recalled|felt|thought|went|came|arrived|left|was|were|had|has|is|did|does)\b/;

// A capitalised word (not the letters of a code like "ME14").
const TOKEN = /\p{Lu}[\p{L}'’\-\u2010]*(?![\p{L}\p{N}'’\-\u2010])(?:\.(?=\s))?/gu;

interface Token {
  start: number;
  end: number;
  word: string;
  /** Folded, without a possessive or trailing full stop. */
  bare: string;
}

function tokenise(text: string): Token[][] {
  // Runs of capitalised words with spaces (or one line wrap) between.
  const runs: Token[][] = [];
  let run: Token[] = [];
  let last = -1;
  const close = () => {
    if (run.length) runs.push(run);
    run = [];
    last = -1;
  };
  for (const { start, end, match } of matchesOf(TOKEN, text)) {
    if (start > 0 && /[\p{L}\p{N}]/u.test(text[start - 1] ?? '')) continue;
    const word = match[0];
    const folded = fold(word);
    const possessive = /'s?$/.test(folded);
    const bare = folded.replace(/'s?$/, '').replace(/\.$/, '').replace(/-+$/, '');
    if (last >= 0 && !/^(?:[ \t]{1,3}|[ \t]*\r?\n[ \t]*)$/.test(text.slice(last, start))) close();
    // A full stop after a word (not an initial or a title) ends the sentence.
    const stop = word.endsWith('.') && !/^\p{Lu}\.$/u.test(word) && !TITLE_SET.has(bare);
    const tokenEnd = possessive ? end - (folded.endsWith("'s") ? 2 : 1) : stop ? end - 1 : end;
    run.push({ start, end: tokenEnd, word, bare });
    last = end;
    // A possessive ends the name: "Jade's Mum" is not one name.
    if (possessive || stop) close();
  }
  close();
  return runs;
}

const isInitial = (t: Token) => /^\p{Lu}\.?$/u.test(t.word);

export function findUnknownNames(text: string, labels: ReadonlySet<string>): Candidate[] {
  const { names, veryCommon, common } = lexicon();
  const found: Candidate[] = [];
  const isTitleAt = (run: Token[], i: number): number => {
    // Multi-word titles first: "Detective Constable", "District Judge".
    for (const length of [3, 2, 1]) {
      if (i + length > run.length) continue;
      const words = run
        .slice(i, i + length)
        .map((t) => t.bare)
        .join(' ');
      if (TITLE_SET.has(words)) return length;
    }
    return 0;
  };
  const isCode = (t: Token) =>
    t.word.length > 1 && t.word === t.word.toUpperCase() && !isInitial(t);
  // "Mary-Jane" is in the lexicon when each part is.
  const inLexicon = (t: Token) =>
    names.has(t.bare) ||
    (t.bare.includes('-') && t.bare.split('-').every((p) => p.length > 1 && names.has(p)));
  const isGivenName = (t: Token) => inLexicon(t) && !common.has(t.bare);
  /** Could be part of a name in any position. */
  const nameLike = (t: Token) =>
    !NOT_NAMES.has(t.bare) &&
    !USUALLY_NOT_NAMES.has(t.bare) &&
    (!ORGANISATION_WORDS.has(t.bare) || SURNAME_ORG_WORDS.has(t.bare)) &&
    !labels.has(t.bare) &&
    !isCode(t);
  /** Could be part of a name where the context says a name comes (after a title or a role). */
  // In capitals too, if in the lexicon: "DR SHAH" in a heading.
  const nameInContext = (t: Token) =>
    !NOT_NAMES.has(t.bare) &&
    (!ORGANISATION_WORDS.has(t.bare) || SURNAME_ORG_WORDS.has(t.bare)) &&
    !labels.has(t.bare) &&
    (!isCode(t) || inLexicon(t));
  const emit = (tokens: Token[], reason: string, withTitle: Token[] = [], professional = false) => {
    const first = withTitle[0] ?? tokens[0];
    const last = tokens[tokens.length - 1];
    if (!first || !last) return;
    const key = tokens
      .filter((t) => !isInitial(t))
      .map((t) => t.bare)
      .join(' ');
    if (!key) return;
    found.push({
      start: first.start,
      end: last.end,
      kind: 'person',
      source: 'lexicon',
      reason,
      key: `unknown:${key}`,
      ...(professional ? { professional } : {}),
    });
  };
  /** Name words from `j` on, up to four, that `accept` takes. */
  const collect = (run: Token[], j: number, end: number, accept: (t: Token) => boolean) => {
    const person: Token[] = [];
    while (j < end && person.length < 4 && isTitleAt(run, j) === 0) {
      const t = run[j] as Token;
      if (!isInitial(t) && !accept(t)) break;
      person.push(t);
      j++;
    }
    return person;
  };

  for (const run of tokenise(text)) {
    const isOrganisation = run.some(
      (t, i) =>
        i > 0 &&
        ORGANISATION_WORDS.has(t.bare) &&
        !(SURNAME_ORG_WORDS.has(t.bare) && i === 1 && isGivenName(run[0] as Token)),
    );
    const end = run.length;
    let i = 0;
    while (i < end) {
      const titleLength = isTitleAt(run, i);
      if (titleLength > 0) {
        const title = run.slice(i, i + titleLength);
        const person = collect(run, i + titleLength, end, nameInContext);
        if (person.some((t) => !isInitial(t))) {
          const words = title.map((t) => t.word.replace(/\.$/, '')).join(' ');
          const professional = !COURTESY_TITLES.some((c) => c.toLowerCase() === fold(words));
          emit(person, `name after the title "${words}"`, title, professional);
        }
        i += titleLength + person.length;
        continue;
      }
      const first = run[i] as Token;
      const before = text.slice(Math.max(0, first.start - 40), first.start);
      // Beside a role: "the GP, June Denesik, visited" — any capitalised words.
      if (!isOrganisation && ROLE_BEFORE.test(before) && !atSentenceStart(text, first.start)) {
        const person = collect(run, i, end, nameInContext);
        const words = person.filter((t) => !isInitial(t));
        const only = words[0];
        if (
          words.length > 1 ||
          (only && !common.has(only.bare) && !USUALLY_NOT_NAMES.has(only.bare))
        ) {
          emit(person, 'a name not in the case (named beside their role)');
          i += person.length;
          continue;
        }
      }
      // A word that is usually not a name, as a given name before a family name.
      const next = run[i + 1];
      const leadsName =
        USUALLY_NOT_NAMES.has(first.bare) &&
        next !== undefined &&
        nameLike(next) &&
        inLexicon(next) &&
        !PREPOSITION_BEFORE.test(before) &&
        !atSentenceStart(text, first.start);
      const stretch = leadsName
        ? [first, ...collect(run, i + 1, end, nameLike)]
        : collect(run, i, end, nameLike);
      if (stretch.length === 0) {
        i++;
        continue;
      }
      i += stretch.length;
      if (isOrganisation) continue;
      // A street ("Mill Lane", "Tudor Park") is not a person, though both words may be names.
      const lastWord = (stretch[stretch.length - 1] as Token).bare;
      if (STREET_STRONG.has(lastWord)) continue;
      if (STREET_WEAK.has(lastWord) && !(stretch.length > 1 && isGivenName(stretch[0] as Token)))
        continue;
      // A sentence opener ("When Kelly said") is dropped; mid-sentence, a
      // common word that is no name starts a proper noun ("Universal Credit").
      const opener = stretch[0] as Token;
      if (!leadsName && !inLexicon(opener) && common.has(opener.bare) && !isInitial(opener)) {
        if (!atSentenceStart(text, opener.start) || !SENTENCE_OPENERS.has(opener.bare)) continue;
        stretch.shift();
      }
      if (stretch.length === 1 && isInitial(stretch[0] as Token)) continue;
      const words = stretch.filter((t) => !isInitial(t));
      const head = words[0];
      if (!head) continue;
      const startsSentence = atSentenceStart(text, (stretch[0] as Token).start);
      const after = text.slice(head.end, head.end + 14);
      const possessive = /^['’]s?\b/.test(text.slice((stretch[stretch.length - 1] as Token).end));
      if (words.length >= 2) {
        const allNames = words.every(inLexicon);
        const anyName = words.some((t) => inLexicon(t) && !veryCommon.has(t.bare));
        if (
          leadsName ||
          allNames ||
          isGivenName(head) ||
          (anyName && !startsSentence && words.length <= 3)
        ) {
          emit(stretch, 'a name not in the case (a first name and family name from the name list)');
        }
        continue;
      }
      // A single word from the list: context decides if it is common.
      if (!inLexicon(head)) continue;
      const inContext = possessive || REPORTING.test(after);
      const ok = startsSentence
        ? !common.has(head.bare) || inContext
        : !veryCommon.has(head.bare) || inContext;
      if (ok) emit(stretch, 'a name not in the case (in the name list, and used as a name here)');
    }
  }
  found.push(...couplesAndCollarNumbers(text));
  return [...found, ...elsewhere(text, found)];
}

// "Mr and Mrs Barker": one span, so neither title is left hanging.
const COUPLE =
  /(?<![\p{L}\p{N}])(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(?:and|&)\s+(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(\p{Lu}[\p{L}'’-]+)/gu;
// A police officer's collar number, with or without their name: "PCSO 4521 Harris".
const COLLAR =
  /(?<![\p{L}\p{N}])(?:PCSO|PC|DC|PS|DS|Sgt|Sergeant|Constable)\.?\s+(\d{2,5})(?:\s+(\p{Lu}[\p{L}'’-]+))?(?![\p{L}\p{N}])/gu;

function couplesAndCollarNumbers(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const { start, end, match } of matchesOf(COUPLE, text)) {
    const surname = fold(match[1] ?? '');
    if (NOT_NAMES.has(surname)) continue;
    found.push({
      start,
      end,
      kind: 'person',
      source: 'lexicon',
      reason: 'names after the titles of a couple',
      key: `unknown:${surname}`,
    });
  }
  for (const { start, end, match } of matchesOf(COLLAR, text)) {
    const name = match[2] && !NOT_NAMES.has(fold(match[2])) ? fold(match[2]) : undefined;
    found.push(
      name
        ? {
            start,
            end,
            kind: 'person',
            source: 'lexicon',
            reason: 'a police officer named with their collar number',
            key: `unknown:${name}`,
            professional: true,
          }
        : {
            start,
            end,
            kind: 'identifier',
            source: 'pattern',
            reason: 'a police officer’s collar number',
            key: `collar:${match[1] ?? ''}`,
            replacement: '[police officer]',
          },
    );
  }
  return found;
}

/**
 * A word once found as someone's name is their name wherever else it is
 * written capitalised ("Oksana's manager" at the start of a sentence, after
 * "the social worker, Oksana,"), unless it is a common word or usually
 * something else ("June").
 */
function elsewhere(text: string, found: Candidate[]): Candidate[] {
  const { common } = lexicon();
  const words = new Map<string, string>();
  for (const c of found) {
    for (const word of c.key.replace(/^unknown:/, '').split(' ')) {
      if (
        word.length > 1 &&
        !common.has(word) &&
        !TITLE_SET.has(word) &&
        !USUALLY_NOT_NAMES.has(word)
      ) {
        words.set(word, c.key);
      }
    }
  }
  const covered = new Uint8Array(text.length);
  for (const c of found) covered.fill(1, c.start, c.end);
  const more: Candidate[] = [];
  for (const run of tokenise(text)) {
    for (const t of run) {
      const key = words.get(t.bare);
      // Not a code in capitals ("ED" after "Ed" was found).
      if (!key || covered[t.start] === 1 || (t.word.length > 1 && t.word === t.word.toUpperCase()))
        continue;
      more.push({
        start: t.start,
        end: t.end,
        kind: 'person',
        source: 'lexicon',
        reason: 'a name found elsewhere in the report as someone not in the case',
        key: `unknown:${t.bare}`,
      });
    }
  }
  return more;
}
