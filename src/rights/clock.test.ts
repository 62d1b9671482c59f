import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  addCalendarMonths,
  bankHolidayOn,
  clockInputSchema,
  computeDueDate,
  daysLeft,
  formatDate,
  isWorkingDay,
  OutsideBankHolidayCalendarError,
  plainDateSchema,
  workingDayOnOrAfter,
  type ClockInput,
  type ClockState,
  type RunningClock,
} from './clock.js';

const d = (iso: string) => Temporal.PlainDate.from(iso);

function running(input: ClockInput): RunningClock {
  const result = computeDueDate(input);
  if (!result.ok) throw new Error(`expected a due date, got: ${result.reason}`);
  if (result.value.state !== 'running') throw new Error('expected a running clock');
  return result.value;
}

function due(input: ClockInput): string {
  return running(input).due.toString();
}

function reason(input: ClockInput): string {
  const result = computeDueDate(input);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.reason;
}

describe('working days', () => {
  it('knows weekends, bank holidays and one-offs', () => {
    expect(isWorkingDay(d('2025-10-03'))).toBe(true); // Friday
    expect(isWorkingDay(d('2025-10-04'))).toBe(false); // Saturday
    expect(isWorkingDay(d('2025-10-05'))).toBe(false); // Sunday
    expect(isWorkingDay(d('2025-08-25'))).toBe(false); // summer bank holiday
    expect(isWorkingDay(d('2022-09-19'))).toBe(false); // State Funeral
    expect(isWorkingDay(d('2023-05-08'))).toBe(false); // coronation
    expect(isWorkingDay(d('2020-05-04'))).toBe(true); // early May moved to VE day…
    expect(isWorkingDay(d('2020-05-08'))).toBe(false); // …8 May 2020
    expect(bankHolidayOn(d('2022-06-03'))?.name).toMatch(/Platinum Jubilee/);
  });

  it('refuses to guess outside the calendar it has', () => {
    expect(() => isWorkingDay(d('2031-01-01'))).toThrow(OutsideBankHolidayCalendarError);
    expect(() => isWorkingDay(d('2014-12-31'))).toThrow(/covers 2015 to 2030/);
  });

  it('rolls forward across a whole Christmas', () => {
    // Sun 25 Dec 2022 → Mon 26 (Boxing Day) → Tue 27 (Christmas substitute) → Wed 28.
    expect(workingDayOnOrAfter(d('2022-12-25')).toString()).toBe('2022-12-28');
    expect(workingDayOnOrAfter(d('2025-10-03')).toString()).toBe('2025-10-03');
  });
});

describe('calendar months', () => {
  it.each([
    ['2025-09-03', 1, '2025-10-03'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'], // leap year
    ['2024-02-29', 12, '2025-02-28'],
    ['2025-03-31', 1, '2025-04-30'],
    ['2025-01-31', 3, '2025-04-30'],
  ])('%s + %i month(s) = %s', (start, months, expected) => {
    expect(addCalendarMonths(d(start), months).toString()).toBe(expected);
  });
});

describe('due date: worked examples (ICO guidance and reference.md)', () => {
  it('received 3 September → due 3 October (ICO example)', () => {
    const clock = running({ received: d('2025-09-03') });
    expect(clock.due.toString()).toBe('2025-10-03');
    expect(clock.start.toString()).toBe('2025-09-03');
    expect(clock.startedBy).toBe('receipt');
    expect(clock.extended).toBe(false);
  });

  it('no such date next month → last day of that month: 31 Jan 2025 → 28 Feb 2025', () => {
    expect(due({ received: d('2025-01-31') })).toBe('2025-02-28');
    expect(due({ received: d('2024-01-31') })).toBe('2024-02-29');
    expect(due({ received: d('2025-03-31') })).toBe('2025-04-30');
  });

  it('a clock started on a Sunday counts from the Sunday', () => {
    expect(d('2025-09-07').dayOfWeek).toBe(7);
    expect(due({ received: d('2025-09-07') })).toBe('2025-10-07');
  });

  it('a due date on a Saturday moves to Monday', () => {
    // 1 Nov 2025 is a Saturday.
    const clock = running({ received: d('2025-10-01') });
    expect(clock.nominalDue.toString()).toBe('2025-11-01');
    expect(clock.due.toString()).toBe('2025-11-03');
  });

  it('a due date on a bank holiday moves to the next working day', () => {
    // 25 Aug 2025 is the summer bank holiday.
    expect(due({ received: d('2025-07-25') })).toBe('2025-08-26');
  });

  it('one-off bank holidays count: 19 Sep 2022 and 8 May 2023', () => {
    expect(due({ received: d('2022-08-19') })).toBe('2022-09-20');
    expect(due({ received: d('2023-04-08') })).toBe('2023-05-09');
  });

  it('the 2022 spring holiday moved: 30 May 2022 was a working day, 2–3 June were not', () => {
    expect(due({ received: d('2022-04-30') })).toBe('2022-05-30');
    expect(due({ received: d('2022-05-02') })).toBe('2022-06-06');
  });

  it('VE day 2020: 8 May was the holiday, 4 May was not', () => {
    expect(due({ received: d('2020-04-04') })).toBe('2020-05-04');
    expect(due({ received: d('2020-04-08') })).toBe('2020-05-11');
  });

  it('29 Feb 2024 → 29 Mar 2024 (Good Friday) → past Easter Monday to Tue 2 Apr', () => {
    expect(due({ received: d('2024-02-29') })).toBe('2024-04-02');
  });

  it('Christmas: due Sun 25 Dec 2022 → Wed 28 Dec', () => {
    expect(due({ received: d('2022-11-25') })).toBe('2022-12-28');
  });
});

describe('start: the latest of receipt, ID, authority and clarification', () => {
  it('starts when ID arrives if that is later', () => {
    const clock = running({ received: d('2025-09-03'), idReceived: d('2025-09-10') });
    expect(clock.start.toString()).toBe('2025-09-10');
    expect(clock.startedBy).toBe('identity');
    expect(clock.due.toString()).toBe('2025-10-10');
  });

  it('takes the latest of all of them', () => {
    const clock = running({
      received: d('2025-09-03'),
      idReceived: d('2025-09-10'),
      authorityReceived: d('2025-09-15'),
      clarificationReceived: d('2025-09-12'),
    });
    expect(clock.startedBy).toBe('authority');
    expect(clock.due.toString()).toBe('2025-10-15');
  });

  it('ignores ID that arrived with (or before) the request', () => {
    const clock = running({ received: d('2025-09-03'), idReceived: d('2025-09-01') });
    expect(clock.startedBy).toBe('receipt');
    expect(clock.due.toString()).toBe('2025-10-03');
  });
});

describe('extension', () => {
  const base = { received: d('2025-09-03') };

  it('adds two further months when the requester is told within the first month', () => {
    const clock = running({
      ...base,
      extension: { toldOn: d('2025-09-20'), reason: 'Complex: records across five services' },
    });
    expect(clock.extended).toBe(true);
    expect(clock.firstMonthDue.toString()).toBe('2025-10-03');
    expect(clock.due.toString()).toBe('2025-12-03');
  });

  it('can add one month instead of two', () => {
    expect(
      due({ ...base, extension: { toldOn: d('2025-09-20'), reason: 'Numerous', months: 1 } }),
    ).toBe('2025-11-03');
  });

  it('counts three months from the start, not two from the first due date', () => {
    // 31 Jan + 3 months = 30 Apr; (28 Feb) + 2 months would give 28 Apr.
    expect(
      due({ received: d('2025-01-31'), extension: { toldOn: d('2025-02-10'), reason: 'Complex' } }),
    ).toBe('2025-04-30');
  });

  it('allows telling on the last day of the first month, not the day after', () => {
    const extension = (toldOn: string) => ({ toldOn: d(toldOn), reason: 'Complex' });
    expect(due({ ...base, extension: extension('2025-10-03') })).toBe('2025-12-03');
    expect(reason({ ...base, extension: extension('2025-10-04') })).toBe(
      'The requester was told of the extension on 4 October 2025, after the first month ended ' +
        'on 3 October 2025. Article 12(3) UK GDPR allows an extension only if they are told ' +
        'within the first month',
    );
  });

  it('needs a reason', () => {
    expect(reason({ ...base, extension: { toldOn: d('2025-09-20'), reason: '  ' } })).toMatch(
      /^An extension needs a reason/,
    );
  });

  it('cannot be told before the request arrived', () => {
    expect(reason({ ...base, extension: { toldOn: d('2025-09-01'), reason: 'Complex' } })).toMatch(
      /before the request was received/,
    );
  });

  it('refuses a number of months other than 1 or 2 from untyped callers', () => {
    const months = 3 as unknown as 2;
    expect(reason({ ...base, extension: { toldOn: d('2025-09-20'), reason: 'x', months } })).toBe(
      'An extension can add 1 or 2 months, not 3',
    );
  });

  it('still moves an extended due date off a bank holiday', () => {
    // 25 May 2026 + 3 months = 25 Aug 2026; 31 Aug 2026 is the bank holiday, so try
    // 31 May 2026 → 31 Aug 2026 (summer bank holiday) → Tue 1 Sep.
    expect(
      due({ received: d('2026-05-31'), extension: { toldOn: d('2026-06-01'), reason: 'Complex' } }),
    ).toBe('2026-09-01');
  });
});

describe('clarification pauses', () => {
  it('moves the due date later by the days spent waiting (issue 5 example)', () => {
    // 25 Jul 2025 → 25 Aug; paused 28 Jul → 4 Aug is 7 days → 1 Sep 2025 (Monday).
    const clock = running({
      received: d('2025-07-25'),
      pauses: [{ from: d('2025-07-28'), to: d('2025-08-04') }],
    });
    expect(clock.pausedDays).toBe(7);
    expect(clock.nominalDue.toString()).toBe('2025-09-01');
    expect(clock.due.toString()).toBe('2025-09-01');
  });

  it('counts a same-day answer as no pause', () => {
    expect(
      running({
        received: d('2025-09-03'),
        pauses: [{ from: d('2025-09-05'), to: d('2025-09-05') }],
      }).pausedDays,
    ).toBe(0);
  });

  it('adds separate pauses and counts overlapping ones once', () => {
    const separate = running({
      received: d('2025-09-03'),
      pauses: [
        { from: d('2025-09-05'), to: d('2025-09-08') },
        { from: d('2025-09-20'), to: d('2025-09-22') },
      ],
    });
    expect(separate.pausedDays).toBe(5);
    expect(separate.due.toString()).toBe('2025-10-08');
    const overlapping = running({
      received: d('2025-09-03'),
      pauses: [
        { from: d('2025-09-10'), to: d('2025-09-15') },
        { from: d('2025-09-05'), to: d('2025-09-12') },
      ],
    });
    expect(overlapping.pausedDays).toBe(10);
  });

  it('does not count days before the clock started (no double counting with clarificationReceived)', () => {
    const clock = running({
      received: d('2025-09-03'),
      clarificationReceived: d('2025-09-10'),
      pauses: [{ from: d('2025-09-03'), to: d('2025-09-10') }],
    });
    expect(clock.start.toString()).toBe('2025-09-10');
    expect(clock.pausedDays).toBe(0);
    expect(clock.due.toString()).toBe('2025-10-10');
  });

  it('clips a pause that straddles the start', () => {
    // Clock starts on 10 Sep (ID); the pause 5 → 15 Sep counts only 10 → 15.
    const clock = running({
      received: d('2025-09-03'),
      idReceived: d('2025-09-10'),
      pauses: [{ from: d('2025-09-05'), to: d('2025-09-15') }],
    });
    expect(clock.pausedDays).toBe(5);
  });

  it('reports a paused clock, with the days left when it stopped, while waiting', () => {
    const result = computeDueDate({
      received: d('2025-09-03'),
      pauses: [{ from: d('2025-09-23') }],
    });
    expect(result).toEqual<{ ok: true; value: ClockState }>({
      ok: true,
      value: {
        state: 'paused',
        start: d('2025-09-03'),
        startedBy: 'receipt',
        pausedSince: d('2025-09-23'),
        pausedDays: 0,
        daysLeftWhenPaused: 10,
      },
    });
  });

  it('moves the extension deadline too, and the window for telling of it', () => {
    const clock = running({
      received: d('2025-09-03'),
      pauses: [{ from: d('2025-09-05'), to: d('2025-09-15') }],
      extension: { toldOn: d('2025-10-10'), reason: 'Complex' },
    });
    expect(clock.firstMonthDue.toString()).toBe('2025-10-13');
    expect(clock.due.toString()).toBe('2025-12-15'); // 3 Dec + 10 days = Sat 13 Dec → Mon 15
  });

  it('lets a pause during an extension move the extended deadline', () => {
    const clock = running({
      received: d('2025-09-03'),
      extension: { toldOn: d('2025-09-20'), reason: 'Complex' },
      pauses: [{ from: d('2025-10-20'), to: d('2025-10-27') }],
    });
    expect(clock.firstMonthDue.toString()).toBe('2025-10-03');
    expect(clock.due.toString()).toBe('2025-12-10');
  });

  it.each<[string, ClockInput, string]>([
    [
      'ends before it starts',
      { received: d('2025-09-03'), pauses: [{ from: d('2025-09-10'), to: d('2025-09-08') }] },
      'A clarification pause cannot end (8 September 2025) before it starts (10 September 2025)',
    ],
    [
      'starts before the request arrived',
      { received: d('2025-09-03'), pauses: [{ from: d('2025-09-01'), to: d('2025-09-08') }] },
      'A clarification pause cannot start (1 September 2025) before the request was received (3 September 2025)',
    ],
    [
      'starts after the response was due',
      { received: d('2025-09-03'), pauses: [{ from: d('2025-10-06'), to: d('2025-10-08') }] },
      'Clarification was asked for on 6 October 2025, after the response was due on 3 October 2025; an expired clock cannot be paused',
    ],
    [
      'two open pauses',
      { received: d('2025-09-03'), pauses: [{ from: d('2025-09-05') }, { from: d('2025-09-08') }] },
      'Only one clarification pause can still be waiting for an answer',
    ],
    [
      'an open pause before a closed one',
      {
        received: d('2025-09-03'),
        pauses: [{ from: d('2025-09-05') }, { from: d('2025-09-20'), to: d('2025-09-22') }],
      },
      'A clarification pause still waiting for an answer must be the latest pause',
    ],
  ])('refuses a pause that %s', (_name, input, expected) => {
    expect(reason(input)).toBe(expected);
  });
});

describe('outside the calendar', () => {
  it('refuses rather than guesses', () => {
    expect(reason({ received: d('2030-12-15') })).toMatch(
      /^The bank holiday calendar covers 2015 to 2030; 15 January 2031 is outside it/,
    );
  });
});

describe('daysLeft (calendar days)', () => {
  it('is 0 on the due date, positive before, negative when overdue', () => {
    expect(daysLeft(d('2025-10-03'), d('2025-10-03'))).toBe(0);
    expect(daysLeft(d('2025-10-03'), d('2025-09-03'))).toBe(30);
    expect(daysLeft(d('2025-10-03'), d('2025-10-06'))).toBe(-3);
    expect(daysLeft(d('2026-01-01'), d('2025-01-01'))).toBe(365);
  });
});

describe('formatDate', () => {
  it('uses the GOV.UK style', () => {
    expect(formatDate(d('2025-10-03'))).toBe('3 October 2025');
  });
});

describe('zod schemas', () => {
  it('parse ISO dates strictly', () => {
    expect(plainDateSchema.parse(' 2025-07-25 ').toString()).toBe('2025-07-25');
    expect(plainDateSchema.safeParse('2025-02-30').error?.issues[0]?.message).toBe(
      '2025-02-30 is not a real date',
    );
    expect(plainDateSchema.safeParse('2025-07-25T10:00').error?.issues[0]?.message).toBe(
      'Enter a date as YYYY-MM-DD, not "2025-07-25T10:00"',
    );
    expect(plainDateSchema.safeParse('25/07/2025').success).toBe(false);
  });

  it('parse a whole clock input that computeDueDate accepts', () => {
    const input = clockInputSchema.parse({
      received: '2025-07-25',
      pauses: [{ from: '2025-07-28', to: '2025-08-04' }],
    });
    expect(due(input)).toBe('2025-09-01');
    expect(
      clockInputSchema.safeParse({
        received: '2025-07-25',
        extension: { toldOn: '2025-07-26', reason: '' },
      }).success,
    ).toBe(false);
  });
});

// Properties over the whole calendar. Starts run to mid-2030 so that three
// months, pauses and a roll past holidays stay inside the data (2015–2030).
const FIRST = d('2015-01-01');
const LAST_START = d('2030-06-30');
const dateArb = fc
  .integer({ min: 0, max: FIRST.until(LAST_START).days })
  .map((offset) => FIRST.add({ days: offset }));

describe('properties', () => {
  it('the due date is always a working day', () => {
    fc.assert(
      fc.property(dateArb, (received) => {
        expect(isWorkingDay(running({ received }).due)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('the due date is never before start + 28 days, nor more than 4 days after the nominal date', () => {
    fc.assert(
      fc.property(dateArb, (received) => {
        const clock = running({ received });
        expect(
          Temporal.PlainDate.compare(clock.due, received.add({ days: 28 })),
        ).toBeGreaterThanOrEqual(0);
        // The longest run of non-working days in England and Wales is four
        // (Sat–Tue at Christmas; Fri–Mon at Easter).
        expect(clock.nominalDue.until(clock.due).days).toBeLessThanOrEqual(4);
      }),
      { numRuns: 2000 },
    );
  });

  it('a later start never gives an earlier due date', () => {
    fc.assert(
      fc.property(dateArb, dateArb, (a, b) => {
        const [early, late] = Temporal.PlainDate.compare(a, b) <= 0 ? [a, b] : [b, a];
        expect(
          Temporal.PlainDate.compare(
            running({ received: early }).due,
            running({ received: late }).due,
          ),
        ).toBeLessThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('a pause moves the nominal date by exactly its length and never makes the due date earlier', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.integer({ min: 0, max: 27 }),
        fc.integer({ min: 0, max: 60 }),
        (received, startOffset, length) => {
          const from = received.add({ days: startOffset });
          const without = running({ received });
          const withPause = running({
            received,
            pauses: [{ from, to: from.add({ days: length }) }],
          });
          expect(withPause.pausedDays).toBe(length);
          expect(without.nominalDue.add({ days: length }).equals(withPause.nominalDue)).toBe(true);
          expect(Temporal.PlainDate.compare(withPause.due, without.due)).toBeGreaterThanOrEqual(0);
          expect(isWorkingDay(withPause.due)).toBe(true);
        },
      ),
    );
  });

  it('an extension never makes the due date earlier, and ends three months from the start at most', () => {
    fc.assert(
      fc.property(dateArb, fc.constantFrom<1 | 2>(1, 2), (received, months) => {
        const plain = running({ received });
        const extended = running({
          received,
          extension: { toldOn: received, reason: 'Complex', months },
        });
        expect(Temporal.PlainDate.compare(extended.due, plain.due)).toBeGreaterThan(0);
        expect(extended.firstMonthDue.equals(plain.due)).toBe(true);
        expect(
          Temporal.PlainDate.compare(extended.nominalDue, addCalendarMonths(received, 3)),
        ).toBeLessThanOrEqual(0);
      }),
    );
  });
});
