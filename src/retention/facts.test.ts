import { describe, expect, it } from 'vitest';

import { parseRetentionFacts } from './facts.js';

describe('parseRetentionFacts', () => {
  it('turns ISO date strings into PlainDates and keeps the other facts', () => {
    const parsed = parseRetentionFacts({
      dateOfBirth: '2012-05-17',
      childDied: false,
      outcome: 'substantiated',
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.dateOfBirth?.toString()).toBe('2012-05-17');
    expect(parsed.value.childDied).toBe(false);
    expect(parsed.value.outcome).toBe('substantiated');
  });

  it('accepts no facts at all', () => {
    expect(parseRetentionFacts({})).toEqual({ ok: true, value: {} });
  });

  it.each([
    [{ dateOfBirth: '2023-02-30' }, 'dateOfBirth: "2023-02-30" is not a real calendar date'],
    [
      { dateOfBirth: '17/05/2012' },
      'dateOfBirth: "17/05/2012" is not a date in the form YYYY-MM-DD',
    ],
    [{ dateOfBirth: 20120517 }, 'dateOfBirth'],
    [{ dateofbirth: '2012-05-17' }, 'Unknown field "dateofbirth": remove or check the spelling'],
    [{ outcome: 'proven' }, 'outcome'],
    [{ childDied: 'yes' }, 'childDied'],
    [{ dateOfBirth: '2012-05-17', dateOfDeath: '2011-01-01' }, 'dateOfDeath is before dateOfBirth'],
    [
      { dateOfBirth: '2012-05-17', adoptionOrderDate: '2012-05-16' },
      'adoptionOrderDate is before dateOfBirth',
    ],
    [{ childDied: false, dateOfDeath: '2020-01-01' }, 'childDied is false but a dateOfDeath'],
  ])('rejects %j with a clear error', (input, message) => {
    const parsed = parseRetentionFacts(input);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toContain(message);
  });

  it('rejects something that is not an object', () => {
    expect(parseRetentionFacts('2012-05-17').ok).toBe(false);
    expect(parseRetentionFacts(null).ok).toBe(false);
  });
});
