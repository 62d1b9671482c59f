import { Temporal } from 'temporal-polyfill';

/**
 * The duty of confidentiality every member of staff acknowledges before
 * acting for an organisation, and again each year (issue 12 item 18). The
 * KSCMP, Kent SCS and LADO notices tell the public that staff who see their
 * information are bound by confidentiality; this makes each person say so,
 * and records when (staff_confidentiality_acknowledgement, migration 0036).
 *
 * The wording is versioned: a changed statement is a new version that
 * everyone acknowledges afresh, never a silent edit of what someone agreed to.
 */
export const staffConfidentialityStatement = {
  version: '2026-12',
  paragraphs: (organisation: string) => [
    `The information ${organisation} holds about children, families and the adults around them is confidential. ` +
      'I will look at a record only when my work needs it, and only to do that work.',
    'I will not share what I learn with anyone who does not need it for their work, inside or outside the organisation, ' +
      'unless the law requires it or a child’s safety depends on it, and then only through the organisation’s procedures.',
    'I will keep what I write, print or download secure, and report at once any information that is lost, sent to the wrong person or seen by someone who should not see it.',
    'I understand that what I open is recorded, that misuse is a disciplinary matter and may be a criminal offence, ' +
      'and that this duty continues after I leave.',
  ],
} as const;

const DAY_MS = 86_400_000;

/** Acknowledgement lasts a year: "on first sign-in and yearly". */
export function acknowledgementDue(
  lastAcknowledgedAt: Date | null,
  lastVersion: string | null,
  now: Date,
): boolean {
  if (!lastAcknowledgedAt || lastVersion !== staffConfidentialityStatement.version) return true;
  // Asked on every request (the session's stage): the calendar arithmetic
  // only near the anniversary, where a leap day or clock change matters.
  const elapsed = now.getTime() - lastAcknowledgedAt.getTime();
  if (elapsed < 360 * DAY_MS) return false;
  return now >= acknowledgementExpires(lastAcknowledgedAt);
}

/** One calendar year after the acknowledgement, on the UK clock. */
export function acknowledgementExpires(acknowledgedAt: Date): Date {
  const expires = Temporal.Instant.fromEpochMilliseconds(acknowledgedAt.getTime())
    .toZonedDateTimeISO('Europe/London')
    .add({ years: 1 });
  return new Date(expires.epochMilliseconds);
}
