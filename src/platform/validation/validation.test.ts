import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calendarDate, dateProblem, isRealDate, pastDate, today } from './dates.js';
import { multiLineText, requiredLine, singleLineText, textProblem } from './text.js';

const messages = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe('text', () => {
  it('refuses NUL, other control characters and lone surrogates on one line, with a plain message', () => {
    const name = singleLineText('the first name');
    for (const bad of ['Ann\u0000', 'Ann\tLee', 'Ann\nLee', 'A\u001b[2J', 'A\u0085', 'A\ud800']) {
      expect(name.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(messages(name, 'Ann\u0000')).toEqual([
      'The first name contains a hidden character that cannot be saved. Remove it and try again',
    ]);
    expect(messages(name, 'Ann\tLee')).toEqual([
      'The first name must be on one line, without tabs or hidden characters',
    ]);
    expect(name.parse('  Zoë 😀 O’Neil  ')).toBe('Zoë 😀 O’Neil');
  });

  it('keeps line breaks and tabs in paragraphs, and refuses the rest', () => {
    const note = multiLineText('the note');
    expect(note.parse('First line\r\n\tSecond line')).toBe('First line\r\n\tSecond line');
    expect(messages(note, 'a\u0000b')[0]).toMatch(/^The note contains a hidden character/);
    expect(messages(note, 'a\u0007b')[0]).toMatch(/^The note contains a hidden control character/);
    expect(textProblem('fine', 'x', { multiLine: false })).toBeNull();
  });

  it('says what to enter when text is missing or too long', () => {
    const title = requiredLine('the course title', 10);
    expect(messages(title, '')).toEqual(['Enter the course title']);
    expect(messages(title, undefined)).toEqual(['Enter the course title']);
    expect(messages(title, 'x'.repeat(11))).toEqual([
      'Course title must be 10 characters or fewer',
    ]);
  });
});

describe('dates', () => {
  it('takes real days from 1900 to 2200 only', () => {
    for (const good of ['1900-01-01', '2024-02-29', '2200-12-31'])
      expect(isRealDate(good)).toBe(true);
    for (const bad of [
      '0000-01-01',
      '1899-12-31',
      '2201-01-01',
      '9999-12-31',
      '2023-02-30',
      '2023-2-3',
      '',
    ]) {
      expect(isRealDate(bad), bad).toBe(false);
    }
  });

  it('names the field and the range in plain English', () => {
    expect(dateProblem('0000-01-01', 'meeting date')).toBe(
      'Enter a meeting date between 1900 and 2200',
    );
    expect(dateProblem('2023-02-30', 'meeting date')).toBe('Meeting date must be a real date');
    expect(dateProblem('31/12/2023', 'meeting date')).toBe('Enter the meeting date as YYYY-MM-DD');
    expect(dateProblem('2031-01-01', 'date of birth', { notAfter: 'today' })).toBe(
      'Enter a date of birth between 1900 and today',
    );
    expect(dateProblem('2031-01-01', 'incident date', { notAfter: 'today' })).toBe(
      'Enter an incident date between 1900 and today',
    );
    expect(messages(calendarDate('meeting date'), undefined)).toEqual(['Enter the meeting date']);
  });

  it('takes today but not tomorrow for what has already happened', () => {
    const happened = pastDate('date of the note');
    expect(happened.parse(today())).toBe(today());
    const tomorrow = new Date(`${today()}T12:00:00Z`);
    tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
    expect(happened.safeParse(tomorrow.toISOString().slice(0, 10)).success).toBe(false);
    expect(calendarDate('meeting date').safeParse('2199-01-01').success).toBe(true);
  });
});

describe('messages without a schema’s own wording', () => {
  it('are plain English, never the validator’s', () => {
    const schema = z.object({
      count: z.number(),
      kind: z.enum(['a', 'b']),
      id: z.uuid(),
      list: z.array(z.string()).max(1),
    });
    const found = messages(schema, { count: 'x', kind: 'c', id: 'nope', list: ['a', 'b'] });
    expect(found).toEqual([
      'Enter a number',
      'The answer must be one of the options given',
      'Choose an entry from the list',
      'Choose no more than 1',
    ]);
    expect(found.join(' ')).not.toMatch(/Invalid|expected|received/);
    expect(messages(z.object({ a: z.string() }), {})).toEqual(['An answer is needed here']);
  });
});
