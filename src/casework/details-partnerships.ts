/**
 * What the safeguarding partnerships' categories hold beyond the common
 * fields: KSCMP (notice 000) and SSCP (notice 002).
 */
import { z } from 'zod';
import { calendarDate, optionalText, text } from './detail-values.js';

/** Whether the Child Safeguarding Practice Review Panel was notified of the incident. */
export const nationalPanelDecisions = ['notified', 'not-notified', 'pending'] as const;

// Rapid reviews and LCSPRs: "chronologies of the child's life from partner
// agencies", "lead reviewers", "practitioners who have/had involvement with
// the family and have agreed to contribute" (notice 000). The children,
// family and other adults are the record's parties.
export const practiceReview = z.strictObject({
  reviewType: z.enum(['rapid-review', 'lcspr']),
  nationalPanelNotification: z
    .strictObject({
      decision: z.enum(nationalPanelDecisions),
      decidedOn: calendarDate.optional(),
    })
    .default({ decision: 'pending' }),
  chronologiesRequested: z
    .array(
      z.strictObject({
        agency: text(200),
        requestedOn: calendarDate,
        receivedOn: calendarDate.optional(),
      }),
    )
    .max(100)
    .default([]),
  leadReviewer: optionalText(200),
  // The notice (000) lists these among what a review holds about the child.
  whereaboutsAtIncident: optionalText(2000),
  carersAtIncident: optionalText(2000),
  educationEstablishment: optionalText(200),
  panel: z.array(text(200)).max(50).default([]),
  practitioners: z
    .array(z.strictObject({ name: text(200), agency: text(200), role: optionalText(200) }))
    .max(200)
    .default([]),
});

// "multi-agency audit work" (notice 000).
export const auditQa = z.strictObject({
  theme: text(500),
  agencies: z.array(text(200)).max(50).default([]),
  findings: optionalText(8000),
});

/** Partnership categories this capability holds only a summary for (training etc. are partnership/'s). */
export const summaryOnly = z.strictObject({ summary: optionalText(4000) });
