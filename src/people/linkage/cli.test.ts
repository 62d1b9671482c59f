import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runJsonLinesCli } from '../../../test/support/cli.js';
import type { PersonInput } from './record.js';
import { oneSource, twoSources } from './synthetic.js';

const link = (input: string, ...args: string[]) =>
  runJsonLinesCli(['people', 'link', ...args], input);
const lines = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r)).join('\n');

/** Synthetic people around the planted records, so the model has data to learn from. */
const background = twoSources(300, 11).records;

const jade: PersonInput = {
  id: 'a-jade',
  source: 'a',
  givenName: 'Jade',
  familyName: 'Szczepański',
  dateOfBirth: '2014-03-07',
  sex: 'F',
  address: { line1: '14 Wincheap', town: 'Canterbury', postcode: 'CT1 3RX' },
  identifiers: { nhsNumber: '943 476 5919' },
};
// The same girl as a partner has her: known as Jadey, day and month swapped, no accent.
const jadey: PersonInput = {
  id: 'b-jadey',
  source: 'b',
  givenName: 'JADEY',
  familyName: 'Szczepanski',
  dateOfBirth: '03/07/2014',
  sex: 'female',
  address: { line1: '14 Wincheap', postcode: 'ct13rx' },
};
// Her twin brother: same birthday, address and family name; a different person.
const twin: PersonInput = {
  id: 'b-twin',
  source: 'b',
  givenName: 'Oskar',
  familyName: 'Szczepański',
  dateOfBirth: '2014-03-07',
  sex: 'M',
  address: { line1: '14 Wincheap', town: 'Canterbury', postcode: 'CT1 3RX' },
};

// Each case starts the CLI in a process of its own.
describe('safekeep people link', { timeout: 120_000 }, () => {
  it('links across sources: the same girl under another spelling, never her twin', async () => {
    const { code, lines: out } = await link(lines([jade, ...background, jadey, twin]));
    expect(code).toBe(0);
    const summary = out.at(-1)?.summary as Record<string, number>;
    expect(summary).toMatchObject({ records: background.length + 3 });
    expect(summary.pairsCompared).toBeGreaterThan(0);
    expect(typeof summary.seconds).toBe('number');
    const pairs = out.slice(0, -1);
    expect(pairs.every((p) => Object.keys(p).sort().join() === 'a,b,match,probability')).toBe(true);
    expect(summary.matches).toBe(pairs.filter((p) => p.match === true).length);
    const found = pairs.find((p) => p.a === 'a-jade' && p.b === 'b-jadey');
    expect(found).toMatchObject({ match: true });
    expect(found?.probability).toBeGreaterThanOrEqual(0.95);
    // The twin is not linked to Jade (below the threshold, so not even reported).
    expect(pairs.find((p) => p.b === 'b-twin')).toBeUndefined();
    // Across sources only: no pair within one source.
    expect(pairs.every((p) => String(p.a).slice(0, 2) !== String(p.b).slice(0, 2))).toBe(true);
    expect(pairs.every((p) => (p.probability as number) >= 0.5)).toBe(true);
  });

  it('answers unreadable lines with their number and reads malformed values as text', async () => {
    const odd = (id: string): PersonInput => ({
      id,
      source: 'a',
      givenName: 'Amara',
      familyName: 'Okonkwo-Blake',
      // Not a date (no 31 February), and not a UK postcode: kept and compared as text.
      dateOfBirth: '31/02/2011',
      address: { line1: '5 Rue de Rivoli', postcode: '75001 Paris' },
      identifiers: { nhsNumber: 'unknown' },
    });
    const records = oneSource(200, 5).records.map((r) => ({ ...r, source: 'a' }));
    const input = [
      lines(records.slice(0, 100)),
      'not json at all',
      JSON.stringify({ source: 'a', givenName: 'No id' }),
      JSON.stringify(odd('odd-1')),
      JSON.stringify({ id: 'bad-shape', givenName: ['Amara'] }),
      JSON.stringify(odd('odd-2')),
      lines(records.slice(100)),
    ].join('\n');
    const { code, lines: out } = await link(input);
    expect(code).toBe(0);
    expect(out.filter((l) => 'error' in l)).toEqual([
      { line: 101, error: expect.stringContaining('not valid JSON') },
      { line: 102, error: expect.stringContaining('"id"') },
      { line: 104, error: expect.stringContaining('"givenName" is not text') },
    ]);
    expect(out.at(-1)?.summary).toMatchObject({ records: 202 });
    // One source: duplicates within it, the two odd records among them.
    expect(out).toContainEqual(expect.objectContaining({ a: 'odd-1', b: 'odd-2', match: true }));
    // It opened no database: the data folder it would use was never made.
    expect(existsSync('/nonexistent/safekeep')).toBe(false);
  });

  it('reports only pairs above --threshold, and links only above --match-threshold', async () => {
    const input = lines([jade, ...background, jadey]);
    const { lines: strict } = await link(input, '--threshold', '0.9', '--match-threshold', '1');
    const pairs = strict.slice(0, -1);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.every((p) => (p.probability as number) >= 0.9 && p.match === false)).toBe(true);
    expect(strict.at(-1)?.summary).toMatchObject({ matches: 0 });
    const { code, lines: refused } = await link(input, '--threshold', 'most');
    expect(code).not.toBe(0);
    expect(refused).toEqual([]);
  });

  it('explains a pair on request: a waterfall in words', async () => {
    const { lines: out } = await link(lines([jade, ...background, jadey]), '--explain');
    const pair = out.find((p) => p.a === 'a-jade' && p.b === 'b-jadey');
    const steps = (pair?.waterfall as { steps: { field: string; text: string }[] }).steps;
    expect(steps.map((s) => s.field)).toContain('Date of birth');
    expect(steps.find((s) => s.field === 'Given name')?.text).toMatch(
      /^Given name: .+ times as likely/,
    );
    expect(steps.find((s) => s.field === 'Date of birth')?.text).toContain('swapped');
  });
});
