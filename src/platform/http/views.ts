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
  rememberTemplateLookups(env);
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
 * Two things Nunjucks works out again on every render although the answer
 * cannot change while the templates are cached (noCache is off), and which
 * together were about a third of rendering a GOV.UK component:
 * - where a relative name such as the components' `include "./template.njk"`
 *   points, which Nunjucks answers with path.resolve each time;
 * - what a template exports to `{% from … import … %}` without context: the
 *   whole macro file is run again to define its macros. Run without
 *   context, it starts from an empty context and frame, so the macros it
 *   defines are the same every time; a macro keeps nothing between calls
 *   (each call works in a frame of its own), so one definition serves all.
 * Imports `with context` see the caller's variables and are run each time,
 * as before.
 */
function rememberTemplateLookups(env: nunjucks.Environment): void {
  type Resolve = (loader: nunjucks.ILoader, parentName: string | null, filename: string) => string;
  const internal = env as unknown as { resolveTemplate: Resolve };
  const resolve = internal.resolveTemplate.bind(env);
  // By parent, then by name: no key string to build on every lookup.
  const resolved = new Map<string | null, Map<string, string>>();
  internal.resolveTemplate = (loader, parentName, filename) => {
    let fromParent = resolved.get(parentName);
    if (fromParent === undefined) {
      fromParent = new Map();
      resolved.set(parentName, fromParent);
    }
    let name = fromParent.get(filename);
    if (name === undefined) {
      name = resolve(loader, parentName, filename);
      fromParent.set(filename, name);
    }
    return name;
  };
}

type ExportedCallback = (error: Error | null, exported: unknown) => void;
type GetExported = (
  ctx?: object | ExportedCallback,
  parentFrame?: unknown,
  cb?: ExportedCallback,
) => void;

/** Exports of each compiled template imported without context (see above). */
const exportsWithoutContext = new WeakMap<object, unknown>();
const templatePrototype = (
  nunjucks.Template as unknown as { prototype: { getExported: GetExported } }
).prototype;
const getExported = templatePrototype.getExported;
templatePrototype.getExported = function (this: object, ctx, parentFrame, cb) {
  if (typeof ctx !== 'function') return getExported.call(this, ctx, parentFrame, cb);
  const done = ctx;
  const known = exportsWithoutContext.get(this);
  if (known !== undefined) return done(null, known);
  return getExported.call(this, (error: Error | null, exported: unknown) => {
    if (!error) exportsWithoutContext.set(this, exported);
    done(error, exported);
  });
};

/**
 * A variable set in a template (`{% set %}`, a macro's parameters, each
 * loop's "loop.index", "loop.first" and the rest) went through Frame.set,
 * which splits every name on "." to allow nested names: an array made and
 * thrown away for each of the thousands of variables a page sets, a tenth of
 * rendering one. The names come from the compiled templates, so there are
 * few of them; each is split once. The meaning is Frame.set's own: with
 * resolveUp, written in the nearest frame that already holds the name's
 * first part, else in this one, creating the objects a dotted name passes
 * through.
 */
interface Frame {
  variables: Record<string, unknown>;
  resolve(name: string, forWrite: boolean): Frame | undefined;
  set(name: string, value: unknown, resolveUp?: boolean): void;
}
const framePrototype = (nunjucks.runtime as unknown as { Frame: { prototype: Frame } }).Frame
  .prototype;
const nameParts = new Map<string, string[]>();
framePrototype.set = function (this: Frame, name, value, resolveUp) {
  let parts = nameParts.get(name);
  if (parts === undefined) {
    parts = name.split('.');
    nameParts.set(name, parts);
  }
  if (resolveUp) {
    const holder = this.resolve(parts[0] as string, true);
    if (holder) {
      holder.set(name, value);
      return;
    }
  }
  let target = this.variables;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const id = parts[i] as string;
    target[id] ||= {};
    target = target[id] as Record<string, unknown>;
  }
  target[parts[parts.length - 1] as string] = value;
};

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
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    let words = calendarDates.get(value);
    if (words === undefined) {
      const date = new Date(`${value}T12:00:00Z`);
      words = Number.isNaN(date.getTime()) ? value : govukDateFormat.format(date);
      if (calendarDates.size >= 20_000) calendarDates.clear();
      calendarDates.set(value, words);
    }
    return words;
  }
  const date = new Date(value as string | number | Date);
  if (Number.isNaN(date.getTime())) return String(value);
  return govukDateFormat.format(date);
}

/**
 * Calendar dates in words, as written before: a page of records shows the
 * same few hundred dates again and again, and formatting one costs more
 * than the rest of its table cell. Bounded: emptied at 20,000 dates.
 */
const calendarDates = new Map<string, string>();

/** A number and its noun, singular for one: "1 person", "3 people", "1,204 records". */
export function countOf(n: number, noun: string, plural: string = `${noun}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? noun : plural}`;
}
