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
 * Capitalised words that are not names here, though some are in the name
 * list: months and days, organisation and service words, roles, places
 * common in Kent and Somerset reviews, and review vocabulary. A run of
 * capitalised words ending in an organisation word ("Kent Police",
 * "William Harvey Hospital", "Children's Services") is an organisation,
 * which is not redacted: the agencies are what a review is about.
 */
const ORGANISATION_WORDS = new Set(
  (
    'police constabulary council services service school academy college nursery hospital trust surgery practice ' +
    'centre center clinic unit team board partnership court department agency authority network foundation ' +
    'university church mosque temple project charity association group office ward health care nhs icb ' +
    'safeguarding commissioner ' +
    // Street words, written out: "Dr" and "St" are titles and saints too.
    STREET_WORDS.split('|')
      .filter((w) => w.length > 3)
      .join(' ')
  )
    .toLowerCase()
    .split(/\s+/),
);

const STREET_SET = new Set(
  STREET_WORDS.toLowerCase()
    .split('|')
    .filter((w) => w.length > 3),
);
const ORG_ONLY = new Set([...ORGANISATION_WORDS].filter((w) => !STREET_SET.has(w)));

const NOT_NAMES = new Set(
  (
    'january february march april may june july august september october november december ' +
    'monday tuesday wednesday thursday friday saturday sunday christmas easter eid ramadan diwali valentine ' +
    'child children mother father mum mummy dad daddy nan nana nanny grandad grandma grandmother grandfather ' +
    'sibling brother sister baby adult person practitioner professional aunt uncle cousin step partner ' +
    'english british scottish welsh irish polish romanian muslim christian jewish hindu sikh catholic ' +
    'kent somerset maidstone medway england london ashford canterbury dover folkestone thanet margate ' +
    'gravesend dartford sevenoaks tonbridge swale sheppey taunton yeovil bridgwater bath wales scotland ' +
    'i section article regulation appendix annex figure table page chapter part review panel ' +
    'lado lcspr cspr mash cp cin cla gp hv iro sw nspcc ofsted cafcass camhs send ehcp dsl ' +
    'initial strategy conference discussion meeting plan protection early help social worker visitor ' +
    'health visiting midwife midwifery paediatrician consultant officer designated named lead ' +
    'the a an and but or when on in at after before during however then this that these those ' +
    'he she they his her their we our it its there here following further later on following ' +
    'multi agency inter national local county city borough district north south east west'
  ).split(/\s+/),
);

const TITLE_SET = new Set(TITLES.map((t) => t.toLowerCase()));
/** Verbs that, right after a word, show it is someone: "Will said", "May told". */
/** Organisation words that are also surnames. */
const SURNAME_ORG_WORDS = new Set(['ward', 'church', 'court', 'temple', 'hall', 'house']);

/** Roles a name is put beside in apposition: "the social worker, Oksana, left". */
const ROLE_BEFORE =
  /(?:worker|visitor|nurse|teacher|officer|manager|doctor|gp|midwife|coach|friend|neighbour|partner|boyfriend|girlfriend|uncle|aunt|auntie|cousin|grandmother|grandfather|carer|chair|lead|adviser|advisor|therapist|mentor|keyworker|key worker|nanny|childminder|foster carer|called|named|took it)\s*,?\s*$/i;

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
  // After a title a street word is a surname ("Sarah Hill"); an organisation word is not.
  const nameAfterTitle = (t: Token) =>
    !ORG_ONLY.has(t.bare) &&
    !NOT_NAMES.has(t.bare) &&
    !labels.has(t.bare) &&
    !(t.word.length > 1 && t.word === t.word.toUpperCase() && !isInitial(t));
  // "Mary-Jane" is a name when each part is.
  const inLexicon = (t: Token) =>
    names.has(t.bare) ||
    (t.bare.includes('-') && t.bare.split('-').every((p) => p.length > 1 && names.has(p)));
  const isGivenName = (t: Token) => inLexicon(t) && !common.has(t.bare);
  const nameLike = (t: Token) =>
    !NOT_NAMES.has(t.bare) &&
    (!ORGANISATION_WORDS.has(t.bare) || SURNAME_ORG_WORDS.has(t.bare)) &&
    !labels.has(t.bare) &&
    !(t.word.length > 1 && t.word === t.word.toUpperCase() && !isInitial(t));
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

  for (const run of tokenise(text)) {
    // An organisation: a run with an organisation word after its first
    // word ("Kent Police", "William Harvey Hospital"). Titled names in it
    // still count ("PC Jones"); its other words do not.
    const isOrganisation = run.some(
      (t, i) =>
        i > 0 &&
        ORGANISATION_WORDS.has(t.bare) &&
        // "Pauline Ward", "Sarah Church": a given name then a word that is
        // also a surname is a person, where "Rainbow Ward" is a place.
        !(SURNAME_ORG_WORDS.has(t.bare) && i === 1 && isGivenName(run[0] as Token)),
    );
    const end = run.length;
    let i = 0;
    while (i < end) {
      const titleLength = isTitleAt(run, i);
      if (titleLength > 0) {
        const title = run.slice(i, i + titleLength);
        let j = i + titleLength;
        const person: Token[] = [];
        while (
          j < end &&
          person.length < 4 &&
          (isInitial(run[j] as Token) || nameAfterTitle(run[j] as Token))
        ) {
          person.push(run[j] as Token);
          j++;
        }
        if (person.some((t) => !isInitial(t))) {
          const words = title.map((t) => t.word.replace(/\.$/, '')).join(' ');
          const professional = !COURTESY_TITLES.some((c) => c.toLowerCase() === fold(words));
          emit(person, `name after the title "${words}"`, title, professional);
        }
        i = Math.max(j, i + titleLength);
        continue;
      }
      // A stretch of name-like words, up to the next title or non-name word.
      let j = i;
      const stretch: Token[] = [];
      while (
        j < end &&
        isTitleAt(run, j) === 0 &&
        (nameLike(run[j] as Token) || isInitial(run[j] as Token))
      ) {
        stretch.push(run[j] as Token);
        j++;
      }
      if (stretch.length === 0) {
        i++;
        continue;
      }
      i = j;
      if (isOrganisation) continue;
      // A street ("Mill Lane", "Tudor Park") is not a person, though both words may be names.
      if (STREET_SET.has((stretch[stretch.length - 1] as Token).bare)) continue;
      // Drop sentence openers ("When", "Although") and stray initials in front.
      while (stretch.length > 0) {
        const head = stretch[0] as Token;
        const headInLexicon = inLexicon(head);
        if (isInitial(head) && stretch.length === 1) stretch.shift();
        else if (!headInLexicon && common.has(head.bare)) stretch.shift();
        else break;
      }
      const words = stretch.filter((t) => !isInitial(t));
      if (words.length === 0) continue;
      const head = words[0] as Token;
      const startsSentence = atSentenceStart(text, (stretch[0] as Token).start);
      const after = text.slice(head.end, head.end + 14);
      const possessive = /^['’]s?\b/.test(text.slice((stretch[stretch.length - 1] as Token).end));
      if (words.length >= 2) {
        const allNames = words.every(inLexicon);
        const givenFirst = isGivenName(head);
        const anyName = words.some((t) => inLexicon(t) && !veryCommon.has(t.bare));
        if (allNames || givenFirst || (anyName && !startsSentence && words.length <= 3)) {
          emit(stretch, 'a name not in the case (a first name and family name from the name list)');
        }
        continue;
      }
      // A single word: from the list, or beside a role ("his key worker, Stacey,").
      const before = text.slice(Math.max(0, head.start - 30), head.start);
      if (!inLexicon(head)) {
        if (!startsSentence && ROLE_BEFORE.test(before) && !common.has(head.bare)) {
          emit(stretch, 'a name not in the case (named beside their role)');
        }
        continue;
      }
      const inContext = possessive || REPORTING.test(after);
      const ok = startsSentence
        ? !common.has(head.bare) || inContext
        : !veryCommon.has(head.bare) || inContext;
      if (ok) emit(stretch, 'a name not in the case (in the name list, and used as a name here)');
    }
  }
  return [...found, ...elsewhere(text, found)];
}

/**
 * A word once found as someone's name is their name wherever else it is
 * written capitalised ("Oksana's manager" at the start of a sentence, after
 * "the social worker, Oksana,"), unless it is a common word.
 */
function elsewhere(text: string, found: Candidate[]): Candidate[] {
  const { common } = lexicon();
  const words = new Map<string, string>();
  for (const c of found) {
    for (const word of c.key.replace(/^unknown:/, '').split(' ')) {
      if (word.length > 1 && !common.has(word) && !TITLE_SET.has(word)) words.set(word, c.key);
    }
  }
  const more: Candidate[] = [];
  for (const run of tokenise(text)) {
    for (const t of run) {
      const key = words.get(t.bare);
      if (!key || found.some((c) => c.start <= t.start && t.end <= c.end)) continue;
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
