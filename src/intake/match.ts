import { linkPeople } from '../people/linkage/link.js';
import type { PersonInput } from '../people/linkage/record.js';
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

export function matchRows(
  held: readonly PersonInput[],
  rows: readonly Readonly<Record<string, string>>[],
  thresholds: Thresholds,
): RowMatch[] {
  const matches: RowMatch[] = rows.map(() => ({
    outcome: 'new',
    personId: null,
    sameAsRow: null,
    probability: null,
    waterfall: null,
  }));
  if (rows.length === 0) return matches;
  const records = rows.map((values, i) => rowAsRecord(i, values));
  if (held.length > 0) {
    const linked = linkPeople([...held.map((p) => ({ ...p, source: 'held' })), ...records], {
      threshold: thresholds.review,
      matchThreshold: thresholds.autoLink,
      explain: true,
    });
    for (const pair of linked.pairs) {
      const [rowId, personId] = String(pair.a).startsWith('row-')
        ? [String(pair.a), String(pair.b)]
        : [String(pair.b), String(pair.a)];
      const match = matches[Number(rowId.slice(4))];
      if (!match || (match.probability !== null && match.probability >= pair.probability)) continue;
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
    const within = linkPeople(
      fresh.map((i) => ({ ...(records[i] ?? { id: `row-${i}` }), source: 'partner' })),
      { threshold: thresholds.autoLink, matchThreshold: thresholds.autoLink },
    );
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
    for (const pair of within.pairs) {
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
