/**
 * The practice-review workflow as a pure state machine (issue 6; decision
 * 0008). It knows only the stage a review is at and what has been done; the
 * service asks it before every step and stores what it answers.
 *
 * The order follows the statutory route, not the order steps are easiest to
 * record: a serious incident is considered for notification to the Child
 * Safeguarding Practice Review Panel first (Children Act 2004 s16C), and a
 * rapid review follows only a notification (the Panel: "a rapid review
 * cannot be undertaken without the prior submission of a Serious Incident
 * Notification"). A referral not notified ends there — KSCMP keeps those
 * under their own retention heading. The rapid review group then decides
 * whether a Local Child Safeguarding Practice Review (LCSPR) is needed.
 */

export const reviewStages = [
  'referred',
  'not-notified',
  'notified',
  'rapid-review',
  'no-review',
  'lcspr',
  'published',
] as const;
export type ReviewStage = (typeof reviewStages)[number];

export const stageNames: Record<ReviewStage, string> = {
  referred: 'Referral received: notification to the National Panel to decide',
  'not-notified': 'Closed: considered for notification, not notified',
  notified: 'Notified to the National Panel: rapid review to hold',
  'rapid-review': 'With the Rapid Review Group: decision to record',
  'no-review': 'Closed: rapid review decided no practice review is needed',
  lcspr: 'Local Child Safeguarding Practice Review under way',
  published: 'Report published',
};

export const reportStatuses = ['none', 'draft', 'final'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

export interface ReviewState {
  stage: ReviewStage;
  leadReviewerAppointed: boolean;
  reportStatus: ReportStatus;
}

export type ReviewEvent =
  | { kind: 'decide-notification'; notified: boolean }
  | { kind: 'send-to-rapid-review' }
  | { kind: 'decide-review'; lcspr: boolean }
  | { kind: 'request-chronology' }
  | { kind: 'record-chronology-outcome' }
  | { kind: 'appoint-lead-reviewer' }
  | { kind: 'appoint-panel-member' }
  | { kind: 'add-practitioner' }
  | { kind: 'share-with-practitioner'; acknowledged: boolean }
  | { kind: 'attach-report'; final: boolean }
  | { kind: 'publish' };

export type ReviewEventKind = ReviewEvent['kind'];

export type Outcome = { ok: true; state: ReviewState } | { ok: false; reason: string };

const closed: Partial<Record<ReviewStage, string>> = {
  'not-notified': 'This referral was not notified to the National Panel, so the review is closed',
  'no-review': 'The rapid review decided no practice review is needed, so the review is closed',
  published: 'The report has been published, so the review is closed',
};

function refuse(reason: string): Outcome {
  return { ok: false, reason };
}

/** Where a step may be taken, and what it needs first, in the words staff see. */
function needStage(state: ReviewState, allowed: readonly ReviewStage[], wanted: string) {
  if (allowed.includes(state.stage)) return undefined;
  return closed[state.stage] ?? wanted;
}

/**
 * The state after `event`, or why it cannot happen now. Pure: the same
 * state and event always give the same answer.
 */
export function transition(state: ReviewState, event: ReviewEvent): Outcome {
  const at = (stage: ReviewStage, changes: Partial<ReviewState> = {}): Outcome => ({
    ok: true,
    state: { ...state, stage, ...changes },
  });
  const stay = (): Outcome => ({ ok: true, state: { ...state } });
  const check = (allowed: readonly ReviewStage[], wanted: string) => {
    const problem = needStage(state, allowed, wanted);
    return problem === undefined ? undefined : refuse(problem);
  };

  switch (event.kind) {
    case 'decide-notification':
      return (
        check(['referred'], 'The notification decision has already been recorded') ??
        at(event.notified ? 'notified' : 'not-notified')
      );
    case 'send-to-rapid-review':
      return (
        check(
          ['notified'],
          state.stage === 'referred'
            ? 'Record the notification to the National Panel before the rapid review'
            : 'The case has already gone to the Rapid Review Group',
        ) ?? at('rapid-review')
      );
    case 'decide-review':
      return (
        check(
          ['rapid-review'],
          state.stage === 'lcspr'
            ? 'The rapid review decision has already been recorded'
            : 'Send the case to the Rapid Review Group before recording its decision',
        ) ?? at(event.lcspr ? 'lcspr' : 'no-review')
      );
    case 'request-chronology':
      return (
        check(
          ['notified', 'rapid-review', 'lcspr'],
          'Record the notification decision before asking agencies for chronologies',
        ) ?? stay()
      );
    case 'record-chronology-outcome':
      // What an agency sends back is kept even after the review closes.
      return (
        check(
          ['notified', 'rapid-review', 'lcspr', 'no-review', 'published'],
          'No chronology has been requested',
        ) ?? stay()
      );
    case 'appoint-lead-reviewer':
      return (
        check(
          ['lcspr'],
          'A lead reviewer is appointed once the rapid review decides on a practice review',
        ) ??
        (state.leadReviewerAppointed
          ? refuse('A lead reviewer has already been appointed')
          : at('lcspr', { leadReviewerAppointed: true }))
      );
    case 'appoint-panel-member':
      return (
        check(
          ['lcspr'],
          'The panel is appointed once the rapid review decides on a practice review',
        ) ?? stay()
      );
    case 'add-practitioner':
      return (
        check(
          ['lcspr'],
          'Practitioners contribute once the rapid review decides on a practice review',
        ) ?? stay()
      );
    case 'share-with-practitioner':
      return (
        check(
          ['lcspr'],
          'Practitioners contribute once the rapid review decides on a practice review',
        ) ??
        (event.acknowledged
          ? stay()
          : refuse(
              'Record the practitioner’s confidentiality acknowledgement before sharing anything with them',
            ))
      );
    case 'attach-report':
      if (state.stage !== 'lcspr') {
        return refuse(
          closed[state.stage] ??
            'A report is written once the rapid review decides on a practice review',
        );
      }
      if (state.reportStatus === 'final')
        return refuse('The final report has already been attached');
      if (event.final && !state.leadReviewerAppointed) {
        return refuse('Appoint the lead reviewer before the final report');
      }
      return at('lcspr', { reportStatus: event.final ? 'final' : 'draft' });
    case 'publish':
      if (state.stage !== 'lcspr') {
        return refuse(closed[state.stage] ?? 'Only a practice review’s final report is published');
      }
      if (state.reportStatus !== 'final')
        return refuse('Attach the final report before publishing it');
      return at('published');
  }
}

/** The steps open now, for the task list. */
export function availableSteps(state: ReviewState): ReviewEventKind[] {
  const probes: ReviewEvent[] = [
    { kind: 'decide-notification', notified: true },
    { kind: 'send-to-rapid-review' },
    { kind: 'decide-review', lcspr: true },
    { kind: 'request-chronology' },
    { kind: 'appoint-lead-reviewer' },
    { kind: 'appoint-panel-member' },
    { kind: 'add-practitioner' },
    { kind: 'attach-report', final: false },
    { kind: 'publish' },
  ];
  return probes.filter((event) => transition(state, event).ok).map((event) => event.kind);
}
