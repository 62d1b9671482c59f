import { describe, expect, it } from 'vitest';
import {
  planTransition,
  transitions,
  type OpenPause,
  type RequestSnapshot,
  type TransitionInput,
} from './machine.js';
import { requestStates, type RequestState } from './tables.js';

const TODAY = '2025-10-20';
const PREPARER = 'preparer';
const APPROVER = 'approver';

function snapshot(state: RequestState, over: Partial<RequestSnapshot> = {}): RequestSnapshot {
  return {
    state,
    requester_role: 'parent',
    received_on: '2025-10-01',
    identity_check: 'photo-id-seen',
    authority_evidence: 'birth-certificate',
    prepared_by: PREPARER,
    extension_told_on: null,
    extension_reason: null,
    extension_months: null,
    id_received_on: null,
    authority_received_on: null,
    clarification_received_on: null,
    ...over,
  };
}

/** The extra input each legal move needs, so every listed transition can be proved legal. */
function inputFor(from: RequestState, to: RequestState): TransitionInput {
  const input: TransitionInput = { to, on: '2025-10-10', note: 'Reason recorded' };
  if (to === 'extended' && from !== 'awaiting-clarification') {
    input.extension = { toldOn: '2025-10-10', reason: 'Many records to review', months: 2 };
  }
  return input;
}

function pauseFor(from: RequestState, to: RequestState): OpenPause | undefined {
  if (from !== 'awaiting-clarification') return undefined;
  if (to === 'in-progress' || to === 'extended')
    return { from_date: '2025-10-05', resume_state: to };
  return undefined;
}

describe('every legal transition', () => {
  const legal = requestStates.flatMap((from) => transitions[from].map((to) => [from, to] as const));
  it.each(legal)('%s → %s', (from, to) => {
    const result = planTransition(
      snapshot(from),
      pauseFor(from, to),
      inputFor(from, to),
      APPROVER,
      TODAY,
    );
    expect(result.ok ? result.value.to : result.reason).toBe(to);
  });

  it('the machine has exactly the issue’s states and every state is reachable', () => {
    const reachable = new Set<RequestState>(['received']);
    for (let i = 0; i < requestStates.length; i++) {
      for (const from of reachable) for (const to of transitions[from]) reachable.add(to);
    }
    expect([...reachable].sort()).toEqual([...requestStates].sort());
  });
});

describe('illegal transitions are refused with a clear message', () => {
  it.each([
    ['received', 'approved'],
    ['received', 'closed'],
    ['received', 'responded-in-full'],
    ['in-progress', 'approved'],
    ['in-progress', 'closed'],
    ['review', 'responded-in-full'],
    ['approved', 'closed'],
    ['refused', 'in-progress'],
    ['closed', 'received'],
    ['extended', 'in-progress'],
  ] as const)('%s → %s', (from, to) => {
    const result = planTransition(snapshot(from), undefined, { to }, APPROVER, TODAY);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/cannot move to/);
  });

  it('a closed request says nothing more can happen', () => {
    const result = planTransition(snapshot('closed'), undefined, { to: 'review' }, APPROVER, TODAY);
    expect(result.ok ? '' : result.reason).toMatch(/It is closed/);
  });
});

describe('approval by a second person', () => {
  it('refuses approval by the person who prepared the response', () => {
    const result = planTransition(
      snapshot('review'),
      undefined,
      { to: 'approved' },
      PREPARER,
      TODAY,
    );
    expect(result.ok ? '' : result.reason).toMatch(/someone else must approve/);
  });
  it('accepts approval by someone else and records them', () => {
    const result = planTransition(
      snapshot('review'),
      undefined,
      { to: 'approved' },
      APPROVER,
      TODAY,
    );
    expect(result.ok && result.value.patch.approved_by).toBe(APPROVER);
  });
  it('sending for review records who prepared it', () => {
    const result = planTransition(snapshot('in-progress'), undefined, { to: 'review' }, 'x', TODAY);
    expect(result.ok && result.value.patch.prepared_by).toBe('x');
  });
});

describe('what each step needs', () => {
  it('work cannot start before identity is checked', () => {
    const result = planTransition(
      snapshot('received', { identity_check: 'not-yet-checked' }),
      undefined,
      { to: 'in-progress' },
      APPROVER,
      TODAY,
    );
    expect(result.ok ? '' : result.reason).toMatch(/identity was checked/);
  });

  it('work cannot start for a representative without proof of authority', () => {
    const result = planTransition(
      snapshot('received', { requester_role: 'solicitor', authority_evidence: null }),
      undefined,
      { to: 'in-progress' },
      APPROVER,
      TODAY,
    );
    expect(result.ok ? '' : result.reason).toMatch(/proof of authority/);
  });

  it('someone asking about themselves is never asked for authority', () => {
    const result = planTransition(
      snapshot('received', { requester_role: 'self' }),
      undefined,
      { to: 'awaiting-authority' },
      APPROVER,
      TODAY,
    );
    expect(result.ok ? '' : result.reason).toMatch(/needs no proof of authority/);
  });

  it('ID arriving records the day and how it was checked', () => {
    const result = planTransition(
      snapshot('awaiting-id', { identity_check: 'not-yet-checked' }),
      undefined,
      { to: 'in-progress', on: '2025-10-08', identityCheck: 'documents-copied' },
      APPROVER,
      TODAY,
    );
    expect(result.ok && result.value.patch).toMatchObject({
      id_received_on: '2025-10-08',
      identity_check: 'documents-copied',
    });
  });

  it('clarification sought after work started opens a pause, and resumes to the same state', () => {
    const paused = planTransition(
      snapshot('extended'),
      undefined,
      { to: 'awaiting-clarification', on: '2025-10-09' },
      APPROVER,
      TODAY,
    );
    expect(paused.ok && paused.value.openPause).toEqual({
      from_date: '2025-10-09',
      resume_state: 'extended',
    });
    const wrong = planTransition(
      snapshot('awaiting-clarification'),
      { from_date: '2025-10-09', resume_state: 'extended' },
      { to: 'in-progress', on: '2025-10-12' },
      APPROVER,
      TODAY,
    );
    expect(wrong.ok ? '' : wrong.reason).toMatch(/goes back to that/);
  });

  it('an extension needs a reason and a told-on date', () => {
    const result = planTransition(
      snapshot('in-progress'),
      undefined,
      { to: 'extended' },
      APPROVER,
      TODAY,
    );
    expect(result.ok ? '' : result.reason).toMatch(/reason and the day the requester was told/);
  });

  it('a refusal needs its reasons written down', () => {
    const result = planTransition(
      snapshot('approved'),
      undefined,
      { to: 'refused' },
      APPROVER,
      TODAY,
    );
    expect(result.ok ? '' : result.reason).toMatch(/reasons/);
  });

  it('dates cannot be in the future or before receipt', () => {
    const future = planTransition(
      snapshot('received'),
      undefined,
      { to: 'in-progress', on: '2025-10-21' },
      APPROVER,
      TODAY,
    );
    expect(future.ok ? '' : future.reason).toMatch(/future/);
    const early = planTransition(
      snapshot('received'),
      undefined,
      { to: 'in-progress', on: '2025-09-30' },
      APPROVER,
      TODAY,
    );
    expect(early.ok ? '' : early.reason).toMatch(/before the request was received/);
  });
});
