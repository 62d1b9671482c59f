/**
 * How long the audit log keeps its events (issue 16, decision record 0050).
 *
 * One value for the whole log: a database holds one log, shared by every
 * organisation in it, and its months are dropped whole. Each organisation's
 * privacy notice renders this value (governance/notice/notice.ts), and the
 * daily job `audit.partitions` carries it out, so the two cannot differ.
 *
 * Two years: long enough to answer "who has looked at my child's record"
 * for a complaint or a subject access request about the last two years, and
 * for a breach found late to be assessed from the log; the log is the
 * largest thing Safekeep keeps (100 million events a year for a county).
 * The database refuses anything under a year (migration 0074).
 */
export const auditLogRetention = {
  /** Whole calendar months after an event's month ends before it may go. */
  months: 24,
} as const;

/** "2 years", "18 months": the period as a notice says it. */
export function auditLogRetentionWords(months: number = auditLogRetention.months): string {
  if (months % 12 === 0) return months === 12 ? '1 year' : `${months / 12} years`;
  return `${months} months`;
}
