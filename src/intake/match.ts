import { candidatePairs } from '../people/linkage/blocking.js';
import { HeldPeople } from '../people/linkage/held-index.js';
import { dropPlaceholderIdentifiers, scorePairs, trainOn } from '../people/linkage/link.js';
import {
  levelsOf,
  seededRandom,
  termFrequencies,
  withPriorFor,
  type Model,
} from '../people/linkage/model.js';
import { preparePerson, type PersonInput, type PreparedPerson } from '../people/linkage/record.js';
import type { Waterfall } from '../people/linkage/score.js';
import type { Thresholds } from '../people/linkage/thresholds.js';

/**
 * Each row of a file matched to the people already held, with the one
 * linkage engine (src/people/linkage, decision 0027): the held people and
 * the rows are two sources, linked across only. Each row's best pair
 * decides: at or above the auto-link threshold it is that person; from the
 * review threshold up, a person decides, with the waterfall; below, the
 * row is someone new. Rows for someone new are then matched with each
 * other, so one child named in three rows of a file becomes one person.
 */
export interface RowMatch {
  outcome: 'link' | 'review' | 'new';
  /** The held person (link, review), or the earlier row of the same new person. */
  personId: string | null;
  sameAsRow: number | null;
  probability: number | null;
  waterfall: Waterfall | null;
}

export function rowAsRecord(index: number, values: Readonly<Record<string, string>>): PersonInput {
  const record: PersonInput = { id: `row-${index}`, source: 'partner' };
  const set = (key: keyof PersonInput, value: string | undefined) => {
    if (value) (record as unknown as Record<string, unknown>)[key] = value;
  };
  set('givenName', values.givenName);
  set('familyName', values.familyName);
  set('dateOfBirth', values.dateOfBirth);
  if (values.sex === 'female') record.sex = 'F';
  if (values.sex === 'male') record.sex = 'M';
  if (values.addressLine1 || values.postcode) {
    record.address = {
      ...(values.addressLine1 ? { line1: values.addressLine1 } : {}),
      ...(values.postcode ? { postcode: values.postcode } : {}),
    };
  }
  if (values.nhsNumber || values.upn) {
    record.identifiers = {
      ...(values.nhsNumber ? { nhsNumber: values.nhsNumber } : {}),
      ...(values.upn ? { upn: values.upn } : {}),
    };
  }
  return record;
}

/**
 * Matches an import's rows a chunk at a time with a model learned once for
 * the job. Learning (u from 300,000 random pairs, m by EM, term
 * frequencies) is most of the work of a match, and it was done afresh for
 * every chunk of 2,000 rows, twice (rows against people held, rows against
 * each other): 50,000 rows took fifteen minutes. How two records' fields
 * agree when they are one person (m), or two (u), are the same in every
 * chunk and whichever list the records come from, so they are learned
 * once, from a sample of the people held and of the file's rows
 * (TRAINING_SAMPLE each, so that learning costs the same for any size), and
 * how common each name is from all of them. Only the prior, the chance
 * that two records chosen at random are one person, differs: between rows
 * and people held it falls as the people held grow, within a chunk it is
 * the file's own. It is learned again for each comparison, cheaply (EM over
 * a few hundred patterns with m and u held), as it was before. The people
 * held are blocked once (HeldPeople), and before each chunk the people
 * added or changed since the last look, by the job or by anyone else, are
 * brought in (run-job.ts, people-changed.ts): a child reported in chunk one
 * and again in chunk five is one person, and so is a child a social worker
 * added while the job ran.
 */
export const TRAINING_SAMPLE = 10_000;

export interface FileRow {
  id: string;
  values: Readonly<Record<string, string>>;
}

export class RowMatcher {
  private readonly held: HeldPeople;
  private readonly model: Model;
  /** The file's rows prepared once, by row id (a chunk takes copies). */
  private readonly prepared = new Map<string, PreparedPerson>();

  constructor(
    held: readonly PersonInput[],
    file: readonly FileRow[],
    private readonly thresholds: Thresholds,
  ) {
    this.held = new HeldPeople(held);
    file.forEach((row, i) => {
      this.prepared.set(row.id, preparePerson(rowAsRecord(i, row.values), i));
    });
    const random = seededRandom(15);
    const rows = [...this.prepared.values()];
    // With nobody held yet it learns from the file alone (one list, its duplicates).
    const sample = [
      ...sampleOf(this.held.people, TRAINING_SAMPLE, random),
      ...sampleOf(rows, TRAINING_SAMPLE, random),
    ].map((p, i) => ({ ...p, index: i }));
    dropPlaceholderIdentifiers(sample);
    this.model = {
      ...trainOn(sample),
      termFrequency: termFrequencies([...this.held.people, ...rows]),
    };
  }

  /** People created or changed since the matcher was made, held from now on. */
  remember(people: readonly PersonInput[]): void {
    this.held.upsert(people);
  }

  /** People no longer held (merged into someone else), matched to no row from now on. */
  forget(ids: readonly string[]): void {
    this.held.remove(ids);
  }

  match(chunk: readonly FileRow[]): RowMatch[] {
    const thresholds = this.thresholds;
    const rows = chunk.map((r) => r.values);
    const matches: RowMatch[] = rows.map(() => ({
      outcome: 'new',
      personId: null,
      sameAsRow: null,
      probability: null,
      waterfall: null,
    }));
    if (rows.length === 0) return matches;
    // Copies, named by position in the chunk: placeholder identifiers are
    // judged within the chunk, as they always were, and the copies are changed.
    const records = chunk.map((row, i) => ({
      ...(this.prepared.get(row.id) ?? preparePerson(rowAsRecord(i, row.values), i)),
      id: `row-${i}`,
      index: i,
    }));
    dropPlaceholderIdentifiers(records);
    if (this.held.size > 0) {
      const { people, pairs } = this.held.candidates(records);
      const levels = levelsOf(people, pairs);
      const model = withPriorFor(this.model, levels, pairs.count, this.held.size * records.length);
      const linked = scorePairs(people, pairs, levels, model, {
        threshold: thresholds.review,
        matchThreshold: thresholds.autoLink,
        explain: true,
      });
      for (const pair of linked) {
        const [rowId, personId] = String(pair.a).startsWith('row-')
          ? [String(pair.a), String(pair.b)]
          : [String(pair.b), String(pair.a)];
        const match = matches[Number(rowId.slice(4))];
        if (!match || (match.probability !== null && match.probability >= pair.probability)) {
          continue;
        }
        match.outcome = pair.probability >= thresholds.autoLink ? 'link' : 'review';
        match.personId = personId;
        match.probability = pair.probability;
        match.waterfall = pair.waterfall ?? null;
      }
    }
    // Rows for someone new, matched with each other: a later row certainly
    // the same as an earlier one joins it rather than making a second person.
    const fresh = matches.flatMap((m, i) => (m.outcome === 'new' ? [i] : []));
    if (fresh.length > 1) {
      const people = fresh.flatMap((i, at) => {
        const record = records[i];
        return record ? [{ ...record, index: at }] : [];
      });
      const pairs = candidatePairs(people, false);
      const levels = levelsOf(people, pairs);
      const model = withPriorFor(
        this.model,
        levels,
        pairs.count,
        (people.length * (people.length - 1)) / 2,
      );
      const within = scorePairs(people, pairs, levels, model, {
        threshold: thresholds.autoLink,
        matchThreshold: thresholds.autoLink,
      });
      const earliest = new Map<number, number>();
      const find = (i: number): number => {
        const up = earliest.get(i);
        return up === undefined ? i : find(up);
      };
      const join = (x: number, y: number) => {
        const a = find(x);
        const b = find(y);
        if (a !== b) earliest.set(Math.max(a, b), Math.min(a, b));
      };
      for (const pair of within) {
        join(Number(String(pair.a).slice(4)), Number(String(pair.b).slice(4)));
      }
      // A short file is too few records to learn from (in a file of two rows
      // a name shared by both counts as common): rows that agree exactly on a
      // whole name and date of birth, or on an NHS number or UPN, are one
      // person whatever the file's size.
      const firstWith = new Map<string, number>();
      for (const i of fresh) {
        for (const key of identityKeys(rows[i] ?? {})) {
          const first = firstWith.get(key);
          if (first === undefined) firstWith.set(key, i);
          else join(first, i);
        }
      }
      for (const i of fresh) {
        const root = find(i);
        const match = matches[i];
        if (match && root !== i) match.sameAsRow = root;
      }
    }
    return matches;
  }
}

/** One chunk's rows matched with a model learned from them and the people held. */
export function matchRows(
  held: readonly PersonInput[],
  rows: readonly Readonly<Record<string, string>>[],
  thresholds: Thresholds,
): RowMatch[] {
  const file = rows.map((values, i) => ({ id: String(i), values }));
  return new RowMatcher(held, file, thresholds).match(file);
}

/** Up to `size` of `items`, chosen at random (seeded: the same file learns the same). */
function sampleOf<T>(items: readonly T[], size: number, random: () => number): T[] {
  if (items.length <= size) return [...items];
  const copy = [...items];
  for (let i = 0; i < size; i += 1) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, size);
}

function identityKeys(values: Readonly<Record<string, string>>): string[] {
  const keys: string[] = [];
  if (values.nhsNumber) keys.push(`nhs:${values.nhsNumber}`);
  if (values.upn) keys.push(`upn:${values.upn}`);
  const name = (s: string | undefined) =>
    (s ?? '')
      .normalize('NFKD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase();
  if (values.givenName && values.familyName && values.dateOfBirth) {
    keys.push(`name:${name(values.givenName)}|${name(values.familyName)}|${values.dateOfBirth}`);
  }
  return keys;
}
