import type {
  ComplaintChannel,
  ComplaintOutcome,
  ComplaintState,
  SendingMethod,
} from './tables.js';

/** Words shown on pages, in letters and in the CSV for the stored codes. */
export const complaintLabels = {
  channel: {
    'web-form': 'Online form',
    email: 'Email',
    letter: 'Letter',
    phone: 'Phone',
    'in-person': 'In person',
    other: 'Other',
  } satisfies Record<ComplaintChannel, string>,
  sending: {
    email: 'Email',
    letter: 'Letter',
    phone: 'Phone call',
    'in-person': 'In person',
  } satisfies Record<SendingMethod, string>,
  state: {
    received: 'Not yet acknowledged',
    acknowledged: 'Being investigated',
    closed: 'Closed',
  } satisfies Record<ComplaintState, string>,
  outcome: {
    upheld: 'Upheld',
    'partly-upheld': 'Partly upheld',
    'not-upheld': 'Not upheld',
    withdrawn: 'Withdrawn by the complainant',
  } satisfies Record<ComplaintOutcome, string>,
} as const;

/** Options for a GOV.UK select or radios from a label table. */
export function optionsOf(labels: Record<string, string>, selected?: unknown) {
  return Object.entries(labels).map(([value, text]) => ({
    value,
    text,
    checked: value === selected,
    selected: value === selected,
  }));
}
