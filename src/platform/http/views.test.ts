import { describe, expect, it } from 'vitest';
import { createViewEnvironment, formatDate, formatDateTime } from './views.js';

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
