/**
 * The k-anonymity check for research extracts (issue 14): every
 * combination of the chosen quasi-identifiers must be shared by at least k
 * people (k ≥ 5 by default, as policy). Where it does not hold, the
 * quasi-identifier with the most distinct values is generalised one level
 * (ladders in generalise.ts) and the check runs again; once the rows still
 * in too-small groups are few (at most `maxSuppressedShare` of the rows),
 * they are suppressed (left out). What was done is reported in words.
 *
 * Groups are counted in distinct people, not rows: five rows of one child
 * (five records) are one person, whom the group would identify.
 */
import type { Ladder } from './generalise.js';

export interface QuasiIdentifier {
  field: string;
  /** Plain English, for the report: "age band". */
  label: string;
  ladder: Ladder;
}

export interface Policy {
  k: number;
  /** The share of rows that may be left out instead of generalising further. */
  maxSuppressedShare: number;
}

export const DEFAULT_POLICY: Policy = { k: 5, maxSuppressedShare: 0.05 };

export type Row = Record<string, string | null>;

export interface Outcome {
  rows: Row[];
  /** Each quasi-identifier's final level, by name ("10-year age band"). */
  levels: Record<string, string>;
  /** In words, in order: "age band generalised to 10-year age band"; "3 rows suppressed". */
  actions: string[];
  suppressedRows: number;
  /** The smallest group left, in people (0 when nothing is left). */
  smallestGroup: number;
}

/**
 * `rows` hold each quasi-identifier's raw value (a date, "dob|day", a
 * postcode) and `person`, the key that says whose row it is. The answer's
 * rows hold the generalised values; `person` is left as it is (the caller
 * pseudonymises it).
 */
export function enforceK(
  rows: readonly Row[],
  quasi: readonly QuasiIdentifier[],
  person: string,
  policy: Policy = DEFAULT_POLICY,
): Outcome {
  if (!Number.isInteger(policy.k) || policy.k < 2) throw new Error('k must be a whole number ≥ 2');
  const state = quasi.map((q) => ({ q, level: 0, top: q.ladder.names.length - 1 }));
  const actions: string[] = [];
  for (;;) {
    const generalised = rows.map((row) => generaliseRow(row, state));
    const groups = groupPeople(generalised, quasi, person);
    const size = (row: Row) => groups.get(keyOf(row, quasi))?.size ?? 0;
    const small = generalised.filter((row) => size(row) < policy.k);
    const open = state.filter((s) => s.level < s.top);
    if (
      small.length === 0 ||
      small.length <= Math.floor(rows.length * policy.maxSuppressedShare) ||
      open.length === 0
    ) {
      if (small.length) {
        actions.push(
          `${small.length} ${small.length === 1 ? 'row' : 'rows'} suppressed: fewer than ${policy.k} people shared their values`,
        );
      }
      const sizes = [...groups.values()].map((g) => g.size).filter((n) => n >= policy.k);
      return {
        rows: generalised.filter((row) => size(row) >= policy.k),
        levels: Object.fromEntries(state.map((s) => [s.q.field, s.q.ladder.names[s.level] ?? ''])),
        actions,
        suppressedRows: small.length,
        smallestGroup: sizes.length ? Math.min(...sizes) : 0,
      };
    }
    // The quasi-identifier splitting the rows most finely goes up a level.
    const distinct = (s: (typeof state)[number]) =>
      new Set(generalised.map((row) => row[s.q.field])).size;
    const chosen = open.reduce((best, s) => (distinct(s) > distinct(best) ? s : best));
    chosen.level += 1;
    actions.push(`${chosen.q.label} generalised to ${chosen.q.ladder.names[chosen.level] ?? ''}`);
  }
}

function generaliseRow(row: Row, state: readonly { q: QuasiIdentifier; level: number }[]): Row {
  const out: Row = { ...row };
  for (const { q, level } of state) out[q.field] = q.ladder.at(row[q.field] ?? null, level);
  return out;
}

function keyOf(row: Row, quasi: readonly QuasiIdentifier[]): string {
  return JSON.stringify(quasi.map((q) => row[q.field] ?? null));
}

function groupPeople(
  rows: readonly Row[],
  quasi: readonly QuasiIdentifier[],
  person: string,
): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = keyOf(row, quasi);
    const people = groups.get(key) ?? new Set<string>();
    people.add(String(row[person]));
    groups.set(key, people);
  }
  return groups;
}

/** Every group of the answer holds at least k people: the check a test or an auditor runs. */
export function smallestGroupIn(
  rows: readonly Row[],
  quasi: readonly QuasiIdentifier[],
  person: string,
): number {
  const groups = groupPeople(rows, quasi, person);
  return groups.size ? Math.min(...[...groups.values()].map((g) => g.size)) : 0;
}
