import { describe, expect, it } from 'vitest';
import { runJsonLinesCli } from '../../test/support/cli.js';
import { explainLine } from './explain-lines.js';

const runExplain = (input: string) => runJsonLinesCli(['retention', 'explain'], input);

// Each case starts the CLI in a process of its own.
describe('safekeep retention explain', { timeout: 60_000 }, () => {
  it('answers each line in order with id, due, action, rule, needsReview and explanation', async () => {
    const input = [
      {
        id: 'cp',
        organisation: 'kent-scs',
        category: 'child-protection-plan',
        facts: { dateOfBirth: '2012-05-17' },
      },
      {
        id: 'leap',
        organisation: 'kent-scs',
        category: 'child-in-need',
        facts: { dateOfBirth: '2004-02-29' },
      },
      { id: 'news', organisation: 'kscmp', category: 'newsletter-subscription', facts: {} },
      { id: 'unknown-dob', organisation: 'kent-scs', category: 'private-fostering', facts: {} },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const { code, lines } = await runExplain(`${input}\n`);
    expect(code).toBe(0);
    expect(lines.map((l) => l.id)).toEqual(['cp', 'leap', 'news', 'unknown-dob']);
    expect(lines[0]).toMatchObject({
      due: '2052-05-17',
      action: 'destroy',
      rule: 'kent-scs/child-protection-plan/birth-plus-40',
      needsReview: false,
    });
    expect(lines[0]!.explanation).toContain('17 May 2052');
    // 29 February + 25 years: 1 March in a year without a 29th, never a day early.
    expect(lines[1]).toMatchObject({ due: '2029-03-01' });
    // A live subscription has no date due yet.
    expect(lines[2]).toMatchObject({ due: null, needsReview: false });
    // An unknown date goes to a human, never kept forever or destroyed silently.
    expect(lines[3]).toMatchObject({ due: null, needsReview: true });
  });

  it('answers a bad line with an error line, runs the rest, and exits 1', async () => {
    const input = [
      JSON.stringify({ id: 1, organisation: 'nowhere', category: 'x', facts: {} }),
      JSON.stringify({
        id: 2,
        organisation: 'kent-scs',
        category: 'adoption',
        facts: { dateOfBirth: '2023-02-30' },
      }),
      '{not json',
      JSON.stringify({ id: 3, organisation: 'kent-scs', category: 'made-up', facts: {} }),
      JSON.stringify({
        id: 4,
        organisation: 'kent-lado',
        category: 'lado-allegation',
        facts: { outcome: 'unfounded', closureDate: '2020-06-30' },
      }),
    ].join('\n');
    const { code, lines } = await runExplain(input);
    expect(code).toBe(1);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({
      id: 1,
      error: expect.stringContaining('unknown organisation'),
    });
    expect(lines[1]).toMatchObject({ id: 2, error: expect.stringContaining('2023-02-30') });
    expect(lines[2]).toMatchObject({ line: 3, error: expect.stringContaining('not valid JSON') });
    expect(lines[3]).toMatchObject({ id: 3, error: expect.any(String) });
    expect(lines[4]).toMatchObject({ id: 4, due: '2030-06-30', action: 'review' });
  });

  it('keeps a missing id as null and refuses a line that is not an object', () => {
    expect(explainLine('[1,2]', 7)).toEqual({ line: 7, error: 'line 7 is not a JSON object' });
    expect(
      explainLine(JSON.stringify({ organisation: 'kscmp', category: 'survey', facts: {} }), 1),
    ).toMatchObject({ id: null });
  });

  it('refuses a fact in year 0000 or 9999 instead of computing from it (issue 10 item 10)', () => {
    for (const date of ['0000-01-01', '9999-12-31']) {
      const line = JSON.stringify({
        id: 'y',
        organisation: 'kent-scs',
        category: 'child-protection-plan',
        facts: { dateOfBirth: date },
      });
      expect(explainLine(line, 1)).toEqual({
        id: 'y',
        error: expect.stringContaining(`"${date}" is not between 1900 and 2200`),
      });
    }
  });
});
