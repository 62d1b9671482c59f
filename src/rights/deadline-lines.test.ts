import { describe, expect, it } from 'vitest';
import { runJsonLinesCli } from '../../test/support/cli.js';
import { deadlineLine } from './deadline-lines.js';

const runDeadline = (input: string) => runJsonLinesCli(['rights', 'deadline'], input);

// Each case starts the CLI in a process of its own.
describe('safekeep rights deadline', { timeout: 60_000 }, () => {
  it('answers each request in order with its due date', async () => {
    const input = [
      // The example: 7 days paused; 25 Aug 2025 + 7 = 1 Sep (a Monday).
      {
        id: 'r1',
        received: '2025-07-25',
        extended: false,
        pauses: [{ from: '2025-07-28', to: '2025-08-04' }],
      },
      // No 31 February: the last day of the month.
      { id: 'r2', received: '2025-01-31', extended: false },
      // Three months from the start when extended.
      { id: 'r3', received: '2025-01-31', extended: true },
      // Due on the coronation bank holiday (8 May 2023), so the next working day.
      { id: 'r4', received: '2023-04-08' },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const { code, lines } = await runDeadline(input);
    expect(code).toBe(0);
    expect(lines).toEqual([
      { id: 'r1', due: '2025-09-01' },
      { id: 'r2', due: '2025-02-28' },
      { id: 'r3', due: '2025-04-30' },
      { id: 'r4', due: '2023-05-09' },
    ]);
  });

  it('answers bad lines with errors, runs the rest, and exits 1', async () => {
    const input = [
      JSON.stringify({ id: 'bad-date', received: '2025-02-30' }),
      'not json',
      JSON.stringify({ id: 'unknown-field', received: '2025-01-01', extnded: true }),
      JSON.stringify({ id: 'ok', received: '2025-03-03' }),
    ].join('\n');
    const { code, lines } = await runDeadline(input);
    expect(code).toBe(1);
    expect(lines[0]).toMatchObject({ id: 'bad-date', error: expect.stringContaining('received') });
    expect(lines[1]).toMatchObject({ line: 2, error: expect.stringContaining('not valid JSON') });
    expect(lines[2]).toMatchObject({
      id: 'unknown-field',
      error: expect.stringContaining('extnded'),
    });
    expect(lines[3]).toEqual({ id: 'ok', due: '2025-04-03' });
  });

  it('gives no due date while a clarification is awaited', () => {
    expect(
      deadlineLine(
        JSON.stringify({ id: 'p', received: '2025-03-03', pauses: [{ from: '2025-03-10' }] }),
        1,
      ),
    ).toMatchObject({
      id: 'p',
      due: null,
      pausedSince: '2025-03-10',
    });
  });

  it('refuses year 0000 and 9999 with the range in words (issue 10 item 10)', () => {
    for (const received of ['0000-01-01', '9999-12-31']) {
      expect(deadlineLine(JSON.stringify({ id: 'r', received }), 1)).toEqual({
        id: 'r',
        error: expect.stringContaining(`Enter a date between 1900 and 2200, not ${received}`),
      });
    }
  });
});
