/**
 * The contract behind `safekeep publication redact`, checked from outside
 * with no database: one report per JSON line in, one answer per line out,
 * in order. A line that cannot be answered gets `{"id", "error"}` (id null
 * when the line gives none, or is blank or not JSON) and the run goes on.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import { parseIsoDate } from './dates.js';
import { redact } from './redact.js';
import type { CasePerson } from './types.js';

const isoDate = (what: string) =>
  z
    .string({ error: `${what} must be a date written as text, like "2015-03-03"` })
    .refine((value) => parseIsoDate(value) !== undefined, {
      error: `${what} must be a real date written year-month-day, like "2015-03-03"`,
    });

const textList = (what: string) =>
  z
    .array(z.string({ error: `each of the ${what} must be text` }), {
      error: `${what} must be a list of text, like ["…"], or [] when there are none`,
    })
    .default([]);

const personSchema = z.object(
  {
    label: z
      .string({ error: 'label must be text, like "Child A"' })
      .trim()
      .min(1, { error: 'label must not be empty: it replaces the person’s name' }),
    names: textList('names'),
    // An empty string is taken as no date, as null and absent are.
    dateOfBirth: z.preprocess((v) => (v === '' ? undefined : v), isoDate('dateOfBirth').nullish()),
    dateOfDeath: z.preprocess((v) => (v === '' ? undefined : v), isoDate('dateOfDeath').nullish()),
    addresses: textList('addresses'),
    identifiers: textList('identifiers'),
    schools: textList('schools'),
  },
  { error: 'each person must be an object, like {"label": "Child A", "names": ["…"]}' },
);

const reportSchema = z.object({
  text: z.string({ error: 'text must be given, as a string holding the report' }),
  people: z
    .array(personSchema, { error: 'people must be a list of people, or [] when there are none' })
    .default([]),
});

type Answer = Record<string, unknown>;

/** A zod issue's path in words: "people 2 (Mother): dateOfBirth". */
function where(path: PropertyKey[], input: unknown): string {
  if (path[0] !== 'people' || typeof path[1] !== 'number') return '';
  const people = (input as { people?: unknown[] }).people;
  const person = people?.[path[1]] as { label?: unknown } | undefined;
  const label = typeof person?.label === 'string' && person.label ? ` (${person.label})` : '';
  return `person ${path[1] + 1}${label}: `;
}

/** Answers one line of input. */
export function answerReport(input: string): Answer {
  // A byte-order mark before the first line (Windows tools write one) is not part of the JSON.
  const line = input.replace(/^\uFEFF/, '');
  if (line.trim() === '')
    return { id: null, error: 'the line is blank: each line must hold one report as JSON' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return {
      id: null,
      error: 'the line is not valid JSON: each line must hold one report as a JSON object',
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      id: null,
      error: 'the line must be a JSON object, like {"id": "r1", "text": "…", "people": []}',
    };
  }
  const rawId = (parsed as { id?: unknown }).id;
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  const report = reportSchema.safeParse(parsed);
  if (!report.success) {
    const error = report.error.issues
      .map((issue) => `${where(issue.path, parsed)}${issue.message}`)
      .join('; ');
    return { id, error };
  }
  const people: CasePerson[] = report.data.people.map((p) => ({
    ...p,
    dateOfBirth: p.dateOfBirth ?? undefined,
    dateOfDeath: p.dateOfDeath ?? undefined,
  }));
  try {
    const { text, spans } = redact(report.data.text, people);
    return { id, text, spans };
  } catch {
    // No input should get here; if one does, the run goes on and says so
    // without echoing the report (it is personal data).
    return {
      id,
      error: 'this report could not be redacted: an unexpected fault, please report it',
    };
  }
}

/** Reads JSON Lines from `input` and writes one answer per line; counts the failures. */
export async function redactLines(
  input: Readable,
  output: Writable,
): Promise<{ lines: number; failed: number }> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let count = 0;
  let failed = 0;
  for await (const line of lines) {
    count += 1;
    const answer = answerReport(line);
    if ('error' in answer) failed += 1;
    // Back-pressure: a large input is streamed, not held.
    if (!output.write(`${JSON.stringify(answer)}\n`)) {
      await new Promise((resolve) => output.once('drain', resolve));
    }
  }
  return { lines: count, failed };
}
