import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  earliestWithdrawalOn,
  notificationDueOn,
  rapidReviewDueOn,
} from './deadlines.js';
import { availableSteps, transition, type ReviewEvent, type ReviewState } from './machine.js';

const at = (stage: ReviewState['stage'], more: Partial<ReviewState> = {}): ReviewState => ({
  stage,
  leadReviewerAppointed: false,
  reportStatus: 'none',
  ...more,
});

function next(state: ReviewState, event: ReviewEvent): ReviewState {
  const outcome = transition(state, event);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.state;
}

function refusal(state: ReviewState, event: ReviewEvent): string {
  const outcome = transition(state, event);
  if (outcome.ok) throw new Error(`expected ${event.kind} to be refused at ${state.stage}`);
  return outcome.reason;
}

describe('the practice-review workflow', () => {
  it('walks a referral through notification, rapid review and an LCSPR to publication', () => {
    let state = at('referred');
    state = next(state, { kind: 'decide-notification', notified: true });
    expect(state.stage).toBe('notified');
    state = next(state, { kind: 'request-chronology' });
    state = next(state, { kind: 'send-to-rapid-review' });
    expect(state.stage).toBe('rapid-review');
    state = next(state, { kind: 'decide-review', lcspr: true });
    expect(state.stage).toBe('lcspr');
    state = next(state, { kind: 'appoint-lead-reviewer' });
    expect(state.leadReviewerAppointed).toBe(true);
    state = next(state, { kind: 'appoint-panel-member' });
    state = next(state, { kind: 'add-practitioner' });
    state = next(state, { kind: 'share-with-practitioner', acknowledged: true });
    state = next(state, { kind: 'attach-report', final: false });
    expect(state.reportStatus).toBe('draft');
    state = next(state, { kind: 'attach-report', final: true });
    expect(state.reportStatus).toBe('final');
    state = next(state, { kind: 'publish' });
    expect(state.stage).toBe('published');
  });

  it('closes a referral that is not notified, and one the rapid review does not take further', () => {
    const notNotified = next(at('referred'), { kind: 'decide-notification', notified: false });
    expect(notNotified.stage).toBe('not-notified');
    expect(availableSteps(notNotified)).toEqual([]);
    expect(refusal(notNotified, { kind: 'send-to-rapid-review' })).toMatch(/not notified/);

    const noReview = next(at('rapid-review'), { kind: 'decide-review', lcspr: false });
    expect(noReview.stage).toBe('no-review');
    expect(availableSteps(noReview)).toEqual([]);
    expect(refusal(noReview, { kind: 'appoint-lead-reviewer' })).toMatch(/no practice review/);
    // A chronology that comes back after the decision is still recorded.
    expect(transition(noReview, { kind: 'record-chronology-outcome' }).ok).toBe(true);
  });

  it('refuses steps out of order, saying what must come first', () => {
    expect(refusal(at('referred'), { kind: 'send-to-rapid-review' })).toMatch(
      /notification to the National Panel before the rapid review/,
    );
    expect(refusal(at('referred'), { kind: 'request-chronology' })).toMatch(
      /notification decision/,
    );
    expect(refusal(at('notified'), { kind: 'decide-review', lcspr: true })).toMatch(
      /Rapid Review Group before recording/,
    );
    expect(refusal(at('rapid-review'), { kind: 'appoint-lead-reviewer' })).toMatch(
      /once the rapid review decides/,
    );
    expect(refusal(at('notified'), { kind: 'decide-notification', notified: true })).toMatch(
      /already been recorded/,
    );
    expect(refusal(at('lcspr'), { kind: 'publish' })).toMatch(/final report/);
    expect(refusal(at('lcspr'), { kind: 'attach-report', final: true })).toMatch(
      /lead reviewer before the final report/,
    );
    expect(
      refusal(at('lcspr', { leadReviewerAppointed: true }), { kind: 'appoint-lead-reviewer' }),
    ).toMatch(/already been appointed/);
    expect(
      refusal(at('lcspr', { leadReviewerAppointed: true, reportStatus: 'final' }), {
        kind: 'attach-report',
        final: false,
      }),
    ).toMatch(/already been attached/);
    expect(refusal(at('published'), { kind: 'publish' })).toMatch(/published/);
  });

  it('shares nothing with a practitioner before their confidentiality acknowledgement', () => {
    expect(refusal(at('lcspr'), { kind: 'share-with-practitioner', acknowledged: false })).toMatch(
      /confidentiality acknowledgement/,
    );
  });

  it('offers only the steps that are open at each stage', () => {
    expect(availableSteps(at('referred'))).toEqual(['decide-notification']);
    expect(availableSteps(at('notified'))).toEqual(['send-to-rapid-review', 'request-chronology']);
    expect(availableSteps(at('rapid-review'))).toEqual(['decide-review', 'request-chronology']);
    expect(availableSteps(at('lcspr'))).toEqual([
      'request-chronology',
      'appoint-lead-reviewer',
      'appoint-panel-member',
      'add-practitioner',
      'attach-report',
    ]);
    expect(
      availableSteps(at('lcspr', { leadReviewerAppointed: true, reportStatus: 'final' })),
    ).toEqual(['request-chronology', 'appoint-panel-member', 'add-practitioner', 'publish']);
  });
});

describe('the workflow’s dates', () => {
  it('counts working days past weekends and England and Wales bank holidays', () => {
    // Wednesday 17 December 2025 + 5 working days: 18, 19, 22, 23, 24 December.
    expect(notificationDueOn('2025-12-17')).toBe('2025-12-24');
    // Christmas Day, Boxing Day and the weekend are skipped.
    expect(notificationDueOn('2025-12-22')).toBe('2025-12-31');
    // Aware on a Saturday: the five working days start on Monday.
    expect(notificationDueOn('2026-11-21')).toBe('2026-11-27');
    expect(addWorkingDays('2026-11-25', 0)).toBe('2026-11-25');
    // Easter 2026: Good Friday 3 April, Easter Monday 6 April.
    expect(rapidReviewDueOn('2026-04-01')).toBe('2026-04-24');
  });

  it('keeps a report published for at least a calendar year, 29 February included', () => {
    expect(earliestWithdrawalOn('2026-03-10')).toBe('2027-03-10');
    expect(earliestWithdrawalOn('2028-02-29')).toBe('2029-03-01');
    expect(earliestWithdrawalOn('2027-02-28')).toBe('2028-02-28');
  });
});
