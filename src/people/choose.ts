import { Temporal } from 'temporal-polyfill';
import { NotFoundError } from '../platform/errors/errors.js';
import type { StaffContext } from '../platform/auth/service.js';
import { parseForm } from '../platform/http/forms.js';
import { searchSchema, type Search } from './schemas.js';
import type { PeopleService } from './service.js';

/**
 * Choosing a person by searching, never by typing an id (issue 13 item 4).
 * One field takes what a practitioner has to hand — a name, a date of birth,
 * an NHS number or a unique pupil number, or a name and a date together —
 * and the results are people the searcher may see (PeopleService.search:
 * the same visibility, the same audit event of the people shown). Each
 * form that names a person or record shows these results as its choices;
 * what is posted is still checked by the access decision as before.
 */

export const FIND_LABEL = 'Name, date of birth, NHS number or unique pupil number';
export const FIND_HINT =
  'For example, Sam Taylor, 5/12/2015, 999 000 0018 or B801200005001. Only people you may see are found.';

export interface PersonChoice {
  id: string;
  name: string;
  dateOfBirth: string | null;
}

export type FindResult =
  | { state: 'not-searched' }
  | { state: 'error'; query: string; message: string }
  | { state: 'found'; query: string; people: PersonChoice[] };

const monthNames = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** A calendar date as people type one: 5/12/2015, 05-12-2015, 5 December 2015, 5 Dec 2015. */
function dateIn(text: string): { iso: string; rest: string } | { invalid: true } | null {
  const numeric = /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b/.exec(text);
  const worded = /\b(\d{1,2})\s+([a-z]{3,9})\s+(\d{4})\b/i.exec(text);
  let day: number;
  let month: number;
  let year: number;
  let match: RegExpExecArray;
  if (numeric) {
    match = numeric;
    [day, month, year] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
  } else if (worded) {
    const index = monthNames.findIndex((m) => m.startsWith((worded[2] ?? '').toLowerCase()));
    if (index < 0) return null;
    match = worded;
    [day, month, year] = [Number(worded[1]), index + 1, Number(worded[3])];
  } else {
    return null;
  }
  try {
    const date = Temporal.PlainDate.from({ year, month, day }, { overflow: 'reject' });
    return { iso: date.toString(), rest: text.replace(match[0], ' ') };
  } catch {
    return { invalid: true };
  }
}

/**
 * What the one field holds, as search criteria; or a plain-English message.
 * Exported for its unit tests.
 */
export function parseFind(
  raw: string,
): { ok: true; criteria: Search } | { ok: false; message: string } {
  let text = raw.trim();
  const criteria: Record<string, string> = {};
  const date = dateIn(text);
  if (date && 'invalid' in date) {
    return { ok: false, message: 'Enter a real date of birth, for example 5/12/2015' };
  }
  if (date) {
    criteria.dateOfBirth = date.iso;
    text = date.rest;
  }
  const nhs = /(?:^|\s)(\d{3}\s?\d{3}\s?\d{4})(?=\s|$)/.exec(text);
  if (nhs?.[1]) {
    criteria.nhsNumber = nhs[1].replace(/\s/g, '');
    text = text.replace(nhs[1], ' ');
  }
  const upn = /(?:^|\s)([A-Za-z]\d{11}[A-Za-z0-9])(?=\s|$)/.exec(text);
  if (upn?.[1]) {
    criteria.upn = upn[1].toUpperCase();
    text = text.replace(upn[1], ' ');
  }
  const name = text.replace(/\s+/g, ' ').trim();
  if (name) criteria.name = name;
  if (Object.keys(criteria).length === 0) {
    return { ok: false, message: 'Enter a name, date of birth, NHS number or unique pupil number' };
  }
  const form = parseForm(searchSchema, criteria);
  if (!form.ok) {
    return { ok: false, message: form.errors[0]?.message ?? 'Check what you searched for' };
  }
  return { ok: true, criteria: form.data };
}

/** Searches for the people to choose from; "not searched" when the field is empty. */
export async function findPeople(
  people: PeopleService,
  staff: StaffContext,
  query: string | undefined,
): Promise<FindResult> {
  const q = (query ?? '').trim();
  if (!q) return { state: 'not-searched' };
  const parsed = parseFind(q);
  if (!parsed.ok) return { state: 'error', query: q, message: parsed.message };
  try {
    const hits = await people.search(staff, parsed.criteria);
    return {
      state: 'found',
      query: q,
      people: hits.map((h) => ({
        id: h.id,
        name: `${h.givenName} ${h.familyName}`,
        dateOfBirth: h.dateOfBirth,
      })),
    };
  } catch (error) {
    // A role that may not list people here finds nobody, rather than a dead end.
    if (error instanceof NotFoundError) return { state: 'found', query: q, people: [] };
    throw error;
  }
}
