import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../platform/http/views.js';
import { clockState, clockWords, durationWords, icoDeadline } from './clock.js';
import { assessRisk } from './risk.js';
import { londonInstant, parseClockTime } from './schemas.js';

/** The 72-hour clock (Art 33(1)), the risk matrix and the times a form takes. */

const at = (iso: string) => new Date(iso);

describe('the 72-hour clock', () => {
  it('is due 72 elapsed hours after awareness', () => {
    expect(icoDeadline(at('2026-06-01T09:15:00Z')).toISOString()).toBe('2026-06-04T09:15:00.000Z');
  });

  it('counts real hours across the clocks going forward: 11am BST on the Tuesday, not 10am', () => {
    // Aware at 10am GMT on Saturday 28 March 2026; the clocks go forward at 1am on the 29th.
    const aware = londonInstant('2026-03-28', 10 * 60);
    expect(aware.toISOString()).toBe('2026-03-28T10:00:00.000Z');
    const deadline = icoDeadline(aware);
    expect(formatDateTime(deadline)).toBe('11:00am on 31 March 2026');
    expect((deadline.getTime() - aware.getTime()) / 3_600_000).toBe(72);
  });

  it('counts real hours across the clocks going back: 9am GMT on the Tuesday, not 10am', () => {
    // Aware at 10am BST on Saturday 24 October 2026; the clocks go back at 2am on the 25th.
    const aware = londonInstant('2026-10-24', 10 * 60);
    expect(aware.toISOString()).toBe('2026-10-24T09:00:00.000Z');
    expect(formatDateTime(icoDeadline(aware))).toBe('9:00am on 27 October 2026');
  });

  it('reads a time that does not exist or happens twice on a clock-change night', () => {
    // 1:30am on 29 March 2026 never happened: taken as 2:30am BST (an hour on).
    expect(londonInstant('2026-03-29', 90).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // 1:30am on 25 October 2026 happened twice: the first (BST).
    expect(londonInstant('2026-10-25', 90).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('says how long is left, rounding down, and flags the last 24 hours', () => {
    const aware = at('2026-06-01T09:00:00Z');
    const early = clockState(aware, null, at('2026-06-01T10:00:30Z'));
    expect(early).toMatchObject({ state: 'running', minutesLeft: 71 * 60 - 1, dueSoon: false });
    expect(clockWords(early)).toBe('70 hours 59 minutes left to decide whether to tell the ICO');
    const late = clockState(aware, null, at('2026-06-03T09:00:00Z'));
    expect(late).toMatchObject({ state: 'running', minutesLeft: 24 * 60, dueSoon: true });
    const exactly = clockState(aware, null, at('2026-06-04T09:00:00Z'));
    expect(exactly).toMatchObject({ state: 'running', minutesLeft: 0 });
  });

  it('says how overdue it is, rounding up', () => {
    const state = clockState(at('2026-06-01T09:00:00Z'), null, at('2026-06-04T14:00:01Z'));
    expect(state).toMatchObject({ state: 'overdue', minutesOver: 5 * 60 + 1 });
    expect(clockWords(state)).toBe('5 hours 1 minute overdue: decide whether to tell the ICO now');
  });

  it('stops at the decision, and says whether it was within 72 hours', () => {
    const aware = at('2026-06-01T09:00:00Z');
    const within = clockState(aware, at('2026-06-02T15:30:00Z'), at('2026-07-01T00:00:00Z'));
    expect(within).toMatchObject({
      state: 'decided',
      withinDeadline: true,
      minutesTaken: 30 * 60 + 30,
    });
    expect(clockWords(within)).toBe(
      'Decided 30 hours 30 minutes after becoming aware, within 72 hours',
    );
    const after = clockState(aware, at('2026-06-04T09:01:00Z'), at('2026-07-01T00:00:00Z'));
    expect(after).toMatchObject({ state: 'decided', withinDeadline: false });
  });

  it('writes durations in words', () => {
    expect(durationWords(0)).toBe('0 minutes');
    expect(durationWords(1)).toBe('1 minute');
    expect(durationWords(60)).toBe('1 hour');
    expect(durationWords(125)).toBe('2 hours 5 minutes');
  });
});

describe('the risk matrix', () => {
  it('proposes unlikely, a risk or a high risk from likelihood and severity', () => {
    expect(assessRisk('remote', 'minimal')).toBe('unlikely');
    expect(assessRisk('possible', 'minimal')).toBe('unlikely');
    expect(assessRisk('remote', 'severe')).toBe('risk');
    expect(assessRisk('possible', 'significant')).toBe('risk');
    expect(assessRisk('possible', 'severe')).toBe('high');
    expect(assessRisk('likely', 'significant')).toBe('high');
    expect(assessRisk('likely', 'severe')).toBe('high');
  });
});

describe('times as typed', () => {
  it('takes the ways people write a time', () => {
    expect(parseClockTime('9:30am')).toBe(9 * 60 + 30);
    expect(parseClockTime('9.30 AM')).toBe(9 * 60 + 30);
    expect(parseClockTime('14:30')).toBe(14 * 60 + 30);
    expect(parseClockTime('2pm')).toBe(14 * 60);
    expect(parseClockTime('12pm')).toBe(12 * 60);
    expect(parseClockTime('12:15am')).toBe(15);
    expect(parseClockTime('midday')).toBe(12 * 60);
    expect(parseClockTime('midnight')).toBe(0);
  });

  it('refuses what is not a time', () => {
    for (const text of [
      '',
      '14',
      '25:00',
      '9:60',
      '13pm',
      '0am',
      'teatime',
      '9:30:00',
      'a\u0000b',
    ]) {
      expect(parseClockTime(text), text).toBeNull();
    }
  });
});
