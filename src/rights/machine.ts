/**
 * The rights-request state machine (issue 5): received → awaiting ID /
 * authority / clarification → in progress → extended → review → approved by
 * a second person → responded in full / in part / refused → closed.
 *
 * Pure: `planTransition` checks one move against the request as it stands
 * and says what to write, or why not. The service applies the plan, the
 * clock and the audit event in one transaction.
 */
import { Temporal } from 'temporal-polyfill';
import { formatDate, type ClockInput, type Result } from './clock.js';
import type {
  AuthorityEvidence,
  IdentityCheck,
  RequestState,
  RequesterRole,
  RightsRequestTable,
} from './tables.js';

/** Where each state may go. Anything not listed is refused. */
export const transitions: Readonly<Record<RequestState, readonly RequestState[]>> = {
  received: ['awaiting-id', 'awaiting-authority', 'awaiting-clarification', 'in-progress'],
  // A request whose requester never sends what was asked for can be closed
  // (ICO: the clock never started, so nothing is overdue).
  'awaiting-id': ['awaiting-authority', 'awaiting-clarification', 'in-progress', 'closed'],
  'awaiting-authority': ['awaiting-id', 'awaiting-clarification', 'in-progress', 'closed'],
  'awaiting-clarification': [
    'awaiting-id',
    'awaiting-authority',
    'in-progress',
    'extended',
    'closed',
  ],
  'in-progress': ['awaiting-clarification', 'extended', 'review'],
  extended: ['awaiting-clarification', 'review'],
  review: ['in-progress', 'extended', 'approved'],
  approved: ['responded-in-full', 'responded-in-part', 'refused'],
  'responded-in-full': ['closed'],
  'responded-in-part': ['closed'],
  refused: ['closed'],
  closed: [],
};

export const stateLabels: Readonly<Record<RequestState, string>> = {
  received: 'Received',
  'awaiting-id': 'Awaiting proof of identity',
  'awaiting-authority': 'Awaiting proof of authority',
  'awaiting-clarification': 'Awaiting clarification',
  'in-progress': 'In progress',
  extended: 'Extended',
  review: 'In review',
  approved: 'Approved',
  'responded-in-full': 'Responded in full',
  'responded-in-part': 'Responded in part',
  refused: 'Refused',
  closed: 'Closed',
};

/** States in which the request is still being worked on (shown on the dashboard). */
export const openStates: readonly RequestState[] = [
  'received',
  'awaiting-id',
  'awaiting-authority',
  'awaiting-clarification',
  'in-progress',
  'extended',
  'review',
  'approved',
];

/** Before these arrive the clock has not started (ICO; clock.ts rule 1). */
const preStartStates: readonly RequestState[] = [
  'received',
  'awaiting-id',
  'awaiting-authority',
  'awaiting-clarification',
];

export type RequestSnapshot = Pick<
  RightsRequestTable,
  | 'state'
  | 'requester_role'
  | 'received_on'
  | 'identity_check'
  | 'authority_evidence'
  | 'prepared_by'
  | 'extension_told_on'
  | 'extension_reason'
  | 'extension_months'
  | 'id_received_on'
  | 'authority_received_on'
  | 'clarification_received_on'
>;

export interface OpenPause {
  from_date: string;
  resume_state: 'in-progress' | 'extended';
}

export interface TransitionInput {
  to: RequestState;
  /** The day the step happened (ID arrived, requester told, response sent); default today. */
  on?: string | undefined;
  note?: string | undefined;
  identityCheck?: IdentityCheck | undefined;
  authorityEvidence?: AuthorityEvidence | undefined;
  authorityNote?: string | undefined;
  extension?: { toldOn: string; reason: string; months: 1 | 2 } | undefined;
}

/** Columns a transition sets on the request. */
export type RequestPatch = Partial<
  Pick<
    RightsRequestTable,
    | 'state'
    | 'identity_check'
    | 'identity_checked_on'
    | 'authority_evidence'
    | 'authority_note'
    | 'id_requested_on'
    | 'id_received_on'
    | 'authority_requested_on'
    | 'authority_received_on'
    | 'clarification_requested_on'
    | 'clarification_received_on'
    | 'extension_told_on'
    | 'extension_reason'
    | 'extension_months'
    | 'prepared_by'
    | 'approved_by'
    | 'responded_on'
  >
> & { approve?: true; close?: true };

export interface TransitionPlan {
  kind: string;
  from: RequestState;
  to: RequestState;
  on: string;
  patch: RequestPatch;
  openPause?: OpenPause;
  closePauseOn?: string;
}

const compare = (a: string, b: string) =>
  Temporal.PlainDate.compare(Temporal.PlainDate.from(a), Temporal.PlainDate.from(b));
const longDate = (iso: string) => formatDate(Temporal.PlainDate.from(iso));

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function needsAuthority(role: RequesterRole): boolean {
  return role !== 'self';
}

/**
 * Checks one move and says what it writes. `actorId` is who is making it:
 * approval must come from someone other than the person who prepared the
 * response (a second pair of eyes on every disclosure, ICO SAR guidance
 * "quality assurance").
 */
export function planTransition(
  request: RequestSnapshot,
  openPause: OpenPause | undefined,
  input: TransitionInput,
  actorId: string,
  today: string,
): Result<TransitionPlan> {
  const from = request.state;
  const to = input.to;
  if (!transitions[from].includes(to)) {
    const allowed = transitions[from].map((s) => stateLabels[s].toLowerCase());
    return refuse(
      `A request that is "${stateLabels[from].toLowerCase()}" cannot move to ` +
        `"${stateLabels[to].toLowerCase()}". ` +
        (allowed.length
          ? `From here it can move to: ${allowed.join(', ')}.`
          : 'It is closed; nothing more can happen to it.'),
    );
  }
  const on = input.on ?? today;
  if (compare(on, today) > 0) return refuse(`The date cannot be in the future (${longDate(on)})`);
  if (compare(on, request.received_on) < 0) {
    return refuse(
      `The date (${longDate(on)}) cannot be before the request was received ` +
        `(${longDate(request.received_on)})`,
    );
  }
  const note = input.note?.trim() || undefined;
  const patch: RequestPatch = { state: to };
  const plan: TransitionPlan = { kind: `moved-to-${to}`, from, to, on, patch };

  // --- Leaving a waiting state: what was waited for has arrived (clock.ts rule 1).
  if (to !== 'closed') {
    if (from === 'awaiting-id') {
      const check = input.identityCheck ?? request.identity_check;
      if (check === 'not-yet-checked') {
        return refuse('Say how the requester’s identity was checked when the ID arrived');
      }
      Object.assign(patch, { identity_check: check, identity_checked_on: on, id_received_on: on });
      plan.kind = 'id-received';
    }
    if (from === 'awaiting-authority') {
      const evidence = input.authorityEvidence ?? request.authority_evidence;
      if (!evidence) return refuse('Say what proof of authority arrived');
      Object.assign(patch, { authority_evidence: evidence, authority_received_on: on });
      if (input.authorityNote) patch.authority_note = input.authorityNote;
      plan.kind = 'authority-received';
    }
    if (from === 'awaiting-clarification') {
      if (openPause) {
        // Clarification sought after the clock started: the clock stopped and
        // now runs again (Data (Use and Access) Act 2025; clock.ts rule 5).
        if (to !== openPause.resume_state) {
          return refuse(
            `The clock was paused while the request was "${stateLabels[openPause.resume_state].toLowerCase()}"; ` +
              'when the clarification arrives it goes back to that',
          );
        }
        if (compare(on, openPause.from_date) < 0) {
          return refuse(
            `The clarification cannot arrive (${longDate(on)}) before it was asked for ` +
              `(${longDate(openPause.from_date)})`,
          );
        }
        plan.closePauseOn = on;
        plan.kind = 'clock-resumed';
      } else {
        patch.clarification_received_on = on;
        plan.kind = 'clarification-received';
      }
    }
  } else if (preStartStates.includes(from) || from === 'awaiting-clarification') {
    if (!note) return refuse('Say why the request is being closed without a response');
    plan.kind = 'closed-without-response';
  }

  // --- Entering a state.
  switch (to) {
    case 'awaiting-id':
      patch.id_requested_on = on;
      plan.kind = plan.kind.startsWith('moved') ? 'id-requested' : plan.kind;
      break;
    case 'awaiting-authority':
      if (!needsAuthority(request.requester_role)) {
        return refuse('Someone asking about themselves needs no proof of authority');
      }
      patch.authority_requested_on = on;
      plan.kind = plan.kind.startsWith('moved') ? 'authority-requested' : plan.kind;
      break;
    case 'awaiting-clarification':
      if (from === 'in-progress' || from === 'extended') {
        plan.openPause = { from_date: on, resume_state: from };
        plan.kind = 'clock-paused';
      } else {
        patch.clarification_requested_on = on;
        plan.kind = plan.kind.startsWith('moved') ? 'clarification-requested' : plan.kind;
      }
      break;
    case 'in-progress': {
      if (from === 'review') {
        if (request.extension_told_on) {
          return refuse('The request was extended: send it back as "extended"');
        }
        plan.kind = 'returned-from-review';
        break;
      }
      // Work starts only once we know who is asking and that they may ask
      // (UK GDPR Art 12(6); ICO "Can someone make a SAR on behalf of someone else?").
      const check = patch.identity_check ?? request.identity_check;
      if (check === 'not-yet-checked') {
        return refuse('Record how the requester’s identity was checked before work starts');
      }
      const evidence = patch.authority_evidence ?? request.authority_evidence;
      if (needsAuthority(request.requester_role) && !evidence) {
        return refuse(
          'The requester acts for someone else: record their proof of authority before work starts',
        );
      }
      if (plan.kind.startsWith('moved')) plan.kind = 'work-started';
      break;
    }
    case 'extended': {
      if (from === 'awaiting-clarification') break; // resuming an extended request
      if (request.extension_told_on) {
        if (input.extension) return refuse('The request has already been extended');
        plan.kind = 'returned-from-review';
        break;
      }
      const extension = input.extension;
      if (!extension) {
        return refuse(
          'To extend, give the reason and the day the requester was told (Art 12(3) UK GDPR)',
        );
      }
      if (extension.reason.trim() === '') return refuse('Give the reason for the extension');
      if (compare(extension.toldOn, today) > 0) {
        return refuse('The requester must already have been told of the extension');
      }
      // Whether the requester was told within the first month is the clock's
      // call (clock.ts rule 4): the service recomputes and refuses if not.
      Object.assign(patch, {
        extension_told_on: extension.toldOn,
        extension_reason: extension.reason.trim(),
        extension_months: extension.months,
      });
      plan.kind = 'extended';
      break;
    }
    case 'review':
      patch.prepared_by = actorId;
      plan.kind = 'sent-for-review';
      break;
    case 'approved':
      if (request.prepared_by === actorId) {
        return refuse(
          'You prepared this response, so someone else must approve it: approval needs a second person',
        );
      }
      patch.approved_by = actorId;
      patch.approve = true;
      plan.kind = 'approved';
      break;
    case 'responded-in-full':
    case 'responded-in-part':
    case 'refused':
      // Art 12(4): a refusal (and a partial response) tells the person why,
      // and of their right to complain to the ICO and to seek a judicial remedy.
      if (to !== 'responded-in-full' && !note) {
        return refuse('Write down the reasons given to the requester for what was withheld');
      }
      patch.responded_on = on;
      plan.kind = 'responded';
      break;
    case 'closed':
      patch.close = true;
      if (plan.kind.startsWith('moved')) plan.kind = 'closed';
      break;
    case 'received':
      break;
  }
  return { ok: true, value: plan };
}

/**
 * The clock input for a request: the dates that move the start, the
 * clarification pauses and any extension (clock.ts, ClockInput).
 */
export function clockInputOf(
  request: Pick<
    RightsRequestTable,
    | 'received_on'
    | 'id_received_on'
    | 'authority_received_on'
    | 'clarification_received_on'
    | 'extension_told_on'
    | 'extension_reason'
    | 'extension_months'
  >,
  pauses: readonly { from_date: string; to_date: string | null }[],
): ClockInput {
  const date = (iso: string | null) => (iso ? Temporal.PlainDate.from(iso) : undefined);
  return {
    received: Temporal.PlainDate.from(request.received_on),
    idReceived: date(request.id_received_on),
    authorityReceived: date(request.authority_received_on),
    clarificationReceived: date(request.clarification_received_on),
    pauses: pauses.map((p) => ({
      from: Temporal.PlainDate.from(p.from_date),
      to: date(p.to_date),
    })),
    extension:
      request.extension_told_on && request.extension_reason
        ? {
            toldOn: Temporal.PlainDate.from(request.extension_told_on),
            reason: request.extension_reason,
            months: request.extension_months ?? 2,
          }
        : undefined,
  };
}

/** True while what is needed to start work (ID, authority, clarification) is awaited. */
export function clockWaiting(state: RequestState, hasOpenPause: boolean): boolean {
  if (state === 'awaiting-id' || state === 'awaiting-authority') return true;
  return state === 'awaiting-clarification' && !hasOpenPause;
}

/** While these hold, an access review may be changed; from "review" on it is frozen for approval. */
export const editableStates: readonly RequestState[] = ['in-progress', 'extended'];
