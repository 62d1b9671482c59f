import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  acknowledgeBy,
  acknowledgementInWords,
  acknowledgementStatus,
  daysBetween,
  receivedOnFor,
  updateDue,
} from './clock.js';

/** s.164A(3): "within the period of 30 days beginning when the complaint is received". */
describe('the 30-day acknowledgement clock', () => {
  it('counts the day received as day 1: received 1 March, acknowledge by 30 March', () => {
    expect(acknowledgeBy('2026-03-01')).toBe('2026-03-30');
    expect(acknowledgeBy('2027-03-01')).toBe('2027-03-30');
  });

  it('runs across month and year ends in calendar days', () => {
    expect(acknowledgeBy('2026-01-31')).toBe('2026-03-01'); // February has 28 days in 2026
    expect(acknowledgeBy('2028-01-31')).toBe('2028-02-29'); // and 29 in 2028
    expect(acknowledgeBy('2026-12-15')).toBe('2027-01-13');
    expect(acknowledgeBy('2026-06-19')).toBe('2026-07-18'); // the day s.164A came into force
  });

  it('does not move a last day that falls on a weekend or bank holiday', () => {
    // Received Wed 29 April 2026: day 30 is Thursday 28 May.
    expect(acknowledgeBy('2026-04-29')).toBe('2026-05-28');
    // Received Mon 2 Nov 2026: day 30 is Tuesday 1 December.
    expect(acknowledgeBy('2026-11-02')).toBe('2026-12-01');
    // Received Sat 28 Nov 2026: day 30 is Sunday 27 December, which stays (no move to the 29th).
    expect(acknowledgeBy('2026-11-28')).toBe('2026-12-27');
  });

  it('is always 30 days counting both ends, whatever the date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 200 }), (offset) => {
        const received = Temporal.PlainDate.from('1950-01-01').add({ days: offset });
        const due = Temporal.PlainDate.from(acknowledgeBy(received));
        expect(received.until(due).days + 1).toBe(30);
      }),
    );
  });

  it('takes the day received from the time in England, across both clock changes', () => {
    // Spring forward, Sunday 29 March 2026 01:00 GMT → 02:00 BST.
    expect(receivedOnFor(new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-28'); // 23:30 GMT
    expect(receivedOnFor(new Date('2026-03-29T00:59:00Z'))).toBe('2026-03-29'); // 00:59 GMT
    expect(receivedOnFor(new Date('2026-03-29T23:30:00Z'))).toBe('2026-03-30'); // 00:30 BST
    expect(acknowledgeBy(receivedOnFor(new Date('2026-03-29T23:30:00Z')))).toBe('2026-04-28');
    // Fall back, Sunday 25 October 2026 02:00 BST → 01:00 GMT.
    expect(receivedOnFor(new Date('2026-10-24T23:30:00Z'))).toBe('2026-10-25'); // 00:30 BST
    expect(receivedOnFor(new Date('2026-10-25T23:30:00Z'))).toBe('2026-10-25'); // 23:30 GMT
    expect(acknowledgeBy('2026-10-25')).toBe('2026-11-23');
    // A complaint received in the spring-forward night is still due on day 30.
    expect(acknowledgeBy('2026-03-29')).toBe('2026-04-27');
  });

  it('says where the acknowledgement stands on a day, in words', () => {
    const complaint = { receivedOn: '2026-03-01', acknowledgedOn: null };
    const on = (today: string) => acknowledgementStatus(complaint, today);
    expect(on('2026-03-01')).toEqual({
      kind: 'waiting',
      daysLeft: 29,
      due: '2026-03-30',
      dueSoon: false,
    });
    expect(on('2026-03-24')).toMatchObject({ kind: 'waiting', daysLeft: 6, dueSoon: true });
    expect(acknowledgementInWords(on('2026-03-29'))).toBe(
      'Acknowledge by 30 March 2026 (1 day left)',
    );
    expect(acknowledgementInWords(on('2026-03-30'))).toBe(
      'Acknowledge today, 30 March 2026: this is the last day',
    );
    expect(on('2026-03-31')).toEqual({ kind: 'overdue', daysOver: 1, due: '2026-03-30' });
    expect(acknowledgementInWords(on('2026-04-02'))).toBe(
      'Acknowledgement overdue: it was due by 30 March 2026, 3 days ago',
    );
    const inTime = acknowledgementStatus(
      { receivedOn: '2026-03-01', acknowledgedOn: '2026-03-30' },
      '2026-05-01',
    );
    expect(inTime).toEqual({ kind: 'acknowledged', inTime: true, on: '2026-03-30' });
    const late = acknowledgementStatus(
      { receivedOn: '2026-03-01', acknowledgedOn: '2026-03-31' },
      '2026-05-01',
    );
    expect(acknowledgementInWords(late)).toBe(
      'Acknowledged on 31 March 2026, later than the 30 days allowed',
    );
  });

  it('asks for an update when the complainant has heard nothing for four weeks', () => {
    expect(updateDue('2026-03-01', '2026-03-28')).toBe(false);
    expect(updateDue('2026-03-01', '2026-03-29')).toBe(true);
    expect(updateDue(null, '2026-03-29')).toBe(false);
    expect(daysBetween('2026-03-29', '2026-03-01')).toBe(-28);
  });
});
