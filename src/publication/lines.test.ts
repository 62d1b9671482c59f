import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli } from '../../test/support/cli.js';
import { answerReport } from './lines.js';

/**
 * `safekeep publication redact` as an outside checker runs it: a child
 * process, reports on stdin. DATABASE_URL points at a port where nothing
 * listens and DATA_DIR at a folder that cannot exist, so any attempt to
 * open or migrate a database would fail the run.
 */
function redactCli(
  input: string,
): Promise<{ code: number | null; out: string; lines: Record<string, unknown>[] }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      DATA_DIR: '/nonexistent/safekeep',
    };
    const child = spawn(process.execPath, [cli, 'publication', 'redact'], { env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        out,
        lines: out
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      }),
    );
    child.stdin.end(input);
  });
}

const childA = {
  label: 'Child A',
  names: ['Jade Smith', 'Jadey'],
  dateOfBirth: '2015-03-03',
  addresses: ['12 Mill Lane, Maidstone ME14 2AB'],
  identifiers: ['943 476 5919'],
  schools: ['Oakwood Park Grammar School'],
};

describe('safekeep publication redact', { timeout: 120_000 }, () => {
  it('answers each line in order, with emoji, bad lines and no people, and needs no database', async () => {
    const text =
      '👩‍👧 Jadey’s 🙂 NHS number is 943-476-5919; Dr Shah saw her at 12 Mill Lane on 3rd March 2015.';
    const input = [
      JSON.stringify({ id: 'r1', text, people: [childA] }),
      'not json',
      '',
      JSON.stringify({ id: 'r2', text: 'PC Jones rang 07700 900123 🚓.', people: [] }),
      JSON.stringify({ id: 'r3', people: [] }),
      JSON.stringify({
        id: 'r4',
        text: 'Child B was seen.',
        people: [{ label: 'Child B', names: [], addresses: [], identifiers: [], schools: [] }],
      }),
    ].join('\n');
    const { code, lines } = await redactCli(`${input}\n`);
    expect(code).toBe(1); // some lines failed; every line was still answered
    expect(lines).toHaveLength(6);
    const [r1, bad, blank, r2, r3, r4] = lines;
    expect(r1).toEqual({
      id: 'r1',
      text: '👩‍👧 Child A’s 🙂 NHS number is [NHS number]; Person 1 saw her at Address 1 on March 2015.',
      spans: [
        {
          start: 6,
          end: 11,
          kind: 'person',
          label: 'Child A',
          reason: 'known name: other name of Child A (alias or nickname)',
        },
        {
          start: 31,
          end: 43,
          kind: 'identifier',
          label: '[NHS number]',
          reason: 'NHS number of Child A',
        },
        {
          start: 45,
          end: 52,
          kind: 'person',
          label: 'Person 1',
          reason: 'name after the title "Dr"',
        },
        {
          start: 64,
          end: 76,
          kind: 'address',
          label: 'Address 1',
          reason: 'part of the address of Child A',
        },
        {
          start: 80,
          end: 94,
          kind: 'date',
          label: 'March 2015',
          reason: 'date of birth of Child A',
        },
      ],
    });
    // Offsets are JavaScript string offsets into the input.
    expect(text.slice(6, 11)).toBe('Jadey');
    expect(text.slice(80, 94)).toBe('3rd March 2015');
    expect(bad).toEqual({ id: null, error: expect.stringContaining('not valid JSON') });
    expect(blank).toEqual({ id: null, error: expect.stringContaining('blank') });
    expect(r2).toMatchObject({ id: 'r2', text: 'Person 1 rang [phone number] 🚓.' });
    expect(r3).toEqual({ id: 'r3', error: 'text must be given, as a string holding the report' });
    expect(r4).toEqual({ id: 'r4', text: 'Child B was seen.', spans: [] });
  });

  it('exits 0 when every line is answered, and streams a large input', async () => {
    const line = JSON.stringify({
      id: 'x',
      text: 'Jade Smith met Mrs Patel. '.repeat(40),
      people: [childA],
    });
    const { code, lines } = await redactCli(Array.from({ length: 500 }, () => line).join('\n'));
    expect(code).toBe(0);
    expect(lines).toHaveLength(500);
    expect(lines.every((l) => String(l.text).startsWith('Child A met Person 1.'))).toBe(true);
  });
});

describe('one line', () => {
  it('says in plain English what is wrong with a person', () => {
    const answer = answerReport(
      JSON.stringify({
        id: 9,
        text: 'x',
        people: [{ label: 'Mother', names: 'Kelly', dateOfBirth: '2015-02-30' }],
      }),
    );
    expect(answer).toEqual({
      id: 9,
      error:
        'person 1 (Mother): names must be a list of text, like ["…"], or [] when there are none; ' +
        'person 1 (Mother): dateOfBirth must be a real date written year-month-day, like "2015-03-03"',
    });
  });

  it('takes absent lists and dates as empty, and ignores fields it does not know', () => {
    expect(
      answerReport(
        JSON.stringify({
          id: 'a',
          text: 'Kelly Smith.',
          people: [{ label: 'Mother', names: ['Kelly Smith'], notes: 'x' }],
        }),
      ),
    ).toEqual({
      id: 'a',
      text: 'Mother.',
      spans: [
        {
          start: 0,
          end: 11,
          kind: 'person',
          label: 'Mother',
          reason: 'known name: full name of Mother',
        },
      ],
    });
    expect(answerReport('[1,2]')).toEqual({
      id: null,
      error: expect.stringContaining('JSON object'),
    });
    // A date-time or an empty string for a date of birth, as some exports write them.
    const dated = (dateOfBirth: string) =>
      answerReport(
        JSON.stringify({
          id: 'd',
          text: 'Born 3/3/15.',
          people: [{ label: 'Child A', dateOfBirth }],
        }),
      );
    expect(dated('2015-03-03T00:00:00Z')).toMatchObject({
      text: 'Born March 2015.',
      spans: [{ reason: 'date of birth of Child A' }],
    });
    expect(answerReport('\uFEFF{"id": "bom", "text": "x"}')).toEqual({
      id: 'bom',
      text: 'x',
      spans: [],
    });
    expect(dated('')).toMatchObject({
      text: 'Born March 2015.',
      spans: [{ reason: 'exact date' }],
    });
  });
});
