import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';

const require = createRequire(import.meta.url);
const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the design systems keep their templates and assets inside node_modules. */
export const govukFrontendDir = path.dirname(require.resolve('govuk-frontend/package.json'));
export const mojFrontendDir = path.dirname(
  require.resolve('@ministryofjustice/frontend/package.json'),
);

/**
 * One Nunjucks environment for every page. Each capability keeps its
 * templates in its own views/ folder and names them by that folder,
 * e.g. "platform/auth/views/sign-in.njk". Autoescape is on: user data is
 * never trusted as HTML.
 */
export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
      [srcDir, path.join(govukFrontendDir, 'dist'), path.join(mojFrontendDir)],
      { noCache: false },
    ),
    { autoescape: true, throwOnUndefined: false },
  );
  env.addFilter('govukDate', (value: unknown) => formatDate(value));
  env.addFilter('govukDateTime', (value: unknown) => formatDateTime(value));
  // "1 record", "1,204 records": {{ total | count("record") }}.
  env.addFilter('count', (value: unknown, noun: string, plural?: string) =>
    countOf(Number(value), noun, plural),
  );
  // Nunjucks' own trim (/^\s*|\s*$/g) is quadratic in each run of
  // whitespace, and GOV.UK Frontend's macros trim whole rendered blocks, so
  // on a long page it was a large share of the render. String.prototype.trim
  // strips the same characters (\s is WhiteSpace and LineTerminator), in
  // linear time; marked-safe text stays marked safe, as before.
  env.addFilter('trim', (value: unknown) => {
    const trimmed = String(value ?? '').trim();
    return value instanceof nunjucks.runtime.SafeString
      ? new nunjucks.runtime.SafeString(trimmed)
      : trimmed;
  });
  return env;
}

/**
 * Made once: building an Intl.DateTimeFormat costs about as much as
 * rendering the rest of a date-heavy page, so one per date was a real share
 * of every page.
 */
const govukDateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
});

/** "10:04am on 25 November 2026", in UK time, as GOV.UK style writes a moment. */
export function formatDateTime(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  const date = new Date(value as string | number | Date);
  if (Number.isNaN(date.getTime())) return String(value);
  const time = timeFormat.format(date).replace(/\s/g, '').toLowerCase();
  return `${time} on ${govukDateFormat.format(date)}`;
}

const monthYearFormat = new Intl.DateTimeFormat('en-GB', {
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * "25 November 2026", as GOV.UK style writes dates. A partial date says only
 * what is known: "October 2021" for '2021-10', "2021" for '2021' — never a
 * made-up first of the month.
 */
export function formatDate(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string' && /^\d{4}$/.test(value)) return value;
  if (typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
    return monthYearFormat.format(new Date(`${value}-01T12:00:00Z`));
  }
  const date =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T12:00:00Z`)
      : new Date(value as string | number | Date);
  if (Number.isNaN(date.getTime())) return String(value);
  return govukDateFormat.format(date);
}

/** A number and its noun, singular for one: "1 person", "3 people", "1,204 records". */
export function countOf(n: number, noun: string, plural: string = `${noun}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? noun : plural}`;
}
