import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createViewEnvironment, formatDate, formatDateTime } from './views.js';

/**
 * views.ts makes Nunjucks remember what cannot change between renders
 * (relative names, context-free imports, dotted names). The expected
 * answers here are what Nunjucks 3.2.4 gives without those changes, so a
 * page renders exactly as it did.
 */
describe('rendering with what Nunjucks remembers', () => {
  let folder: string;
  let env: nunjucks.Environment;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'safekeep-views-'));
    await writeFile(
      path.join(folder, 'm.njk'),
      '{% macro hello(name) %}{% set greeting = "Hello " + name %}{{ greeting }}' +
        '{% if who %} from {{ who }}{% endif %}{% endmacro %}',
    );
    env = new nunjucks.Environment(new nunjucks.FileSystemLoader(folder));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('sets variables, loop variables and outer variables from inside a loop as before', () => {
    expect(
      env.renderString(
        '{% set x = 1 %}{% for i in [1,2,3] %}{% set x = x + i %}{{ loop.index }}/{{ loop.length }}' +
          '{% if loop.first %}<{% endif %}{% if loop.last %}!{% endif %} {% endfor %}{{ x }}',
        {},
      ),
    ).toBe('1/3< 2/3 3/3! 7');
    expect(
      env.renderString(
        '{% for k, v in {a: 1, b: 2} %}{{ k }}={{ v }}{{ loop.index0 }} {% endfor %}' +
          '{% for a, b in [[1,2],[3,4]] %}{{ a }}{{ b }}{% endfor %}',
        {},
      ),
    ).toBe('a=10 b=21 1234');
  });

  it('keeps a macro imported without context apart from every render, and one with context with its caller', () => {
    const without = '{% from "m.njk" import hello %}{{ hello("A") }} {{ hello("B") }}';
    expect(env.renderString(without, { who: 'X' })).toBe('Hello A Hello B');
    expect(env.renderString(without, { who: 'Y' })).toBe('Hello A Hello B');
    const withContext = '{% from "m.njk" import hello with context %}{{ hello("A") }}';
    expect(env.renderString(withContext, { who: 'X' })).toBe('Hello A from X');
    expect(env.renderString(withContext, { who: 'Y' })).toBe('Hello A from Y');
    expect(
      env.renderString(
        '{% set greeting = "outer" %}{% from "m.njk" import hello %}{{ hello("A") }} {{ greeting }}',
        {},
      ),
    ).toBe('Hello A outer');
  });

  it('renders GOV.UK components, which include their templates by relative name, each with its own values', () => {
    const views = createViewEnvironment();
    const tags =
      '{% from "govuk/components/tag/macro.njk" import govukTag %}' +
      '{{ govukTag({ text: first }) }}{{ govukTag({ text: second, classes: "govuk-tag--grey" }) }}';
    const once = views.renderString(tags, { first: 'Open', second: 'Closed' });
    expect(once).toMatch(/<strong class="govuk-tag">\s*Open\s*<\/strong>/);
    expect(once).toMatch(/<strong class="govuk-tag govuk-tag--grey">\s*Closed\s*<\/strong>/);
    expect(views.renderString(tags, { first: 'Due', second: 'Done' })).toMatch(/Due[\s\S]*Done/);
  });
});

describe('the view environment', () => {
  // GOV.UK Frontend's macros trim whole rendered blocks (a summary list's
  // rows, a caller() body), so trim runs over most of a page; Nunjucks' own
  // filter, /^\s*|\s*$/g, is quadratic in each run of whitespace.
  it('trims as Nunjucks does, in time linear in the text', () => {
    const env = createViewEnvironment();
    const long = `a${' \n\t'.repeat(15_000)}b`;
    const started = performance.now();
    expect(env.renderString('{{ s | trim }}', { s: `  ${long}\n ` })).toBe(long);
    // Nunjucks' filter takes tens of seconds on this; a linear one, milliseconds.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(env.renderString('[{{ s | trim }}]', { s: '\u00a0 <b>x</b>\n' })).toBe(
      '[&lt;b&gt;x&lt;/b&gt;]',
    );
    expect(env.renderString('[{{ s | safe | trim }}]', { s: '\n <b>x</b> ' })).toBe('[<b>x</b>]');
    expect(env.renderString('[{{ s | trim }}]', { s: '' })).toBe('[]');
  }, 60_000);

  it('writes dates as GOV.UK style does', () => {
    expect(formatDate('2026-11-25')).toBe('25 November 2026');
    expect(formatDate(new Date('2026-03-29T23:30:00Z'))).toBe('30 March 2026');
    expect(formatDate('')).toBe('');
    expect(formatDate('not a date')).toBe('not a date');
    // A partial date says only what is known, never "1 October 2021".
    expect(formatDate('2021-10')).toBe('October 2021');
    expect(formatDate('2021')).toBe('2021');
  });

  it('writes a moment as GOV.UK does, in UK time', () => {
    expect(formatDateTime(new Date('2026-11-25T10:04:00Z'))).toBe('10:04am on 25 November 2026');
    expect(formatDateTime(new Date('2026-07-01T17:30:00Z'))).toBe('6:30pm on 1 July 2026');
  });
});
