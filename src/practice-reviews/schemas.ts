/**
 * One zod schema per workflow step (design.md "Validation"), shared by the
 * pages and the API. Dates are YYYY-MM-DD; the pages turn GOV.UK date
 * inputs into that before the service sees them.
 */
import { z } from 'zod';
import { calendarDate } from '../platform/validation/dates.js';
import { multiLineText, singleLineText } from '../platform/validation/text.js';
import { organisationSlugSchema } from '../policy/index.js';
import { consentReasonSlugs, consentStates } from '../sharing/tables.js';
import { reviewStages } from './machine.js';

const text = (max: number, message: string, lines: 'one' | 'many' = 'one') =>
  (lines === 'one' ? singleLineText('this answer') : multiLineText('this answer'))
    .min(1, { error: message })
    .max(max, {
      error: `Must be ${max.toLocaleString('en-GB')} characters or fewer`,
    });
const optionalText = (max: number) =>
  multiLineText('this answer')
    .max(max, { error: `Must be ${max.toLocaleString('en-GB')} characters or fewer` })
    .optional()
    .transform((v) => (v ? v : undefined));
/**
 * Dates between 1900 and 2200 here; that a step's day has happened (a
 * referral received, a decision made) is the service's to check, against
 * its own clock (docs/decisions/0011-date-ranges.md).
 */
const date = (message: string) =>
  z.string({ error: message }).min(1, message).pipe(calendarDate('date'));
const optionalDate = z
  .union([calendarDate('date'), z.literal('')])
  .optional()
  .transform((v) => (v ? v : undefined));
const yesNo = (message: string) =>
  z
    .union([z.boolean(), z.enum(['yes', 'no'])], { error: message })
    .transform((v) => v === true || v === 'yes');
const emptyToUndefined = <T extends z.ZodType>(schema: T) =>
  z
    .union([schema, z.literal('')])
    .optional()
    .transform((v) => (v === '' ? undefined : v) as z.infer<T> | undefined);

/**
 * How a step shares: the consent position and, outside every agreement, the
 * justification a second person approves (src/sharing decides; these are
 * passed through unchanged).
 */
export const sharingFields = {
  agreementId: emptyToUndefined(z.uuid({ error: 'Choose an agreement' })),
  consent: z.enum(consentStates, { error: 'Say whether consent was given, refused or not sought' }),
  consentReason: emptyToUndefined(z.enum(consentReasonSlugs)),
  justification: optionalText(4000),
};

export const startSchema = z.object({
  referralReceivedOn: date('Enter the date the referral was received'),
  referredBy: text(200, 'Enter who made the referral'),
  awareOn: date('Enter the date the incident became known'),
  summary: text(8000, 'Enter what the referral says happened', 'many'),
  incidentDate: optionalDate,
});
export type StartInput = z.input<typeof startSchema>;

export const notificationSchema = z.object({
  notified: yesNo('Say whether the National Panel was notified'),
  decidedOn: date('Enter the date of the decision'),
  reasons: optionalText(4000),
  lateReason: optionalText(4000),
});
export type NotificationInput = z.input<typeof notificationSchema>;

export const rapidReviewSchema = z.object({
  sentOn: date('Enter the date the case went to the Rapid Review Group'),
  recipientName: text(200, 'Enter the name of the group or its chair'),
  ...sharingFields,
});
export type RapidReviewInput = z.input<typeof rapidReviewSchema>;

export const reviewDecisionSchema = z.object({
  lcspr: yesNo('Say whether the group decided on a practice review'),
  decidedOn: date('Enter the date of the decision'),
  reasons: text(8000, 'Enter the reasons for the decision', 'many'),
});
export type ReviewDecisionInput = z.input<typeof reviewDecisionSchema>;

/** The notices' recipients for chronologies: partner agencies and other partnerships. */
export const chronologyRecipients = ['partner-agencies', 'other-partnerships'] as const;

export const chronologyRequestSchema = z.object({
  recipientId: z.enum(chronologyRecipients, { error: 'Choose who the request goes to' }),
  /** An organisation inside Safekeep: the request is a read-only grant to it. */
  recipientOrganisation: emptyToUndefined(organisationSlugSchema()),
  agencyName: text(200, 'Enter the name of the agency'),
  requestedOn: date('Enter the date of the request'),
  dueOn: date('Enter the date the chronology is due'),
  scope: text(4000, 'Enter what the chronology should cover', 'many'),
  ...sharingFields,
});
export type ChronologyRequestInput = z.input<typeof chronologyRequestSchema>;

export const chronologyOutcomeSchema = z.object({
  outcome: z.enum(['returned', 'declined'], { error: 'Say whether it came back or was declined' }),
  on: date('Enter the date'),
  /** What came back, as a note on the record (or a document, sent alongside). */
  note: optionalText(20_000),
  declinedReason: optionalText(4000),
});
export type ChronologyOutcomeInput = z.input<typeof chronologyOutcomeSchema>;

export const appointmentSchema = z.object({
  role: z.enum(['lead-reviewer', 'panel-member'], { error: 'Choose the appointment' }),
  name: text(200, 'Enter their name'),
  agency: text(200, 'Enter their organisation'),
  appointedOn: date('Enter the date of the appointment'),
  ...sharingFields,
});
export type AppointmentInput = z.input<typeof appointmentSchema>;

export const practitionerSchema = z.object({
  name: text(200, 'Enter their name'),
  agency: text(200, 'Enter their organisation'),
  jobRole: optionalText(200),
  appointedOn: date('Enter the date they agreed to contribute'),
});
export type PractitionerInput = z.input<typeof practitionerSchema>;

export const acknowledgementSchema = z.object({
  acknowledgedOn: date('Enter the date they acknowledged it'),
  confirmed: z.union([z.literal(true), z.literal('yes')], {
    error: 'Confirm the practitioner has read and accepted the confidentiality statement',
  }),
});
export type AcknowledgementInput = z.input<typeof acknowledgementSchema>;

export const practitionerShareSchema = z.object({ ...sharingFields });
export type PractitionerShareInput = z.input<typeof practitionerShareSchema>;

export const reportSchema = z.object({
  final: yesNo('Say whether this is the draft or the final report'),
});
export type ReportInput = z.input<typeof reportSchema>;

export const publicationSchema = z.object({
  publishedOn: date('Enter the date the report was published'),
  /** The earliest day it may come down; at least a year after publication. */
  withdrawNotBefore: optionalDate,
  url: emptyToUndefined(
    z.url({
      error: 'Enter the web address where it is published, like https://www.example.org/report',
    }),
  ),
  anonymised: z.union([z.literal(true), z.literal('yes')], {
    error: 'Confirm the report does not identify the child or family',
  }),
  /** KSCMP only: "rare exceptions where families may request specifically to be named". */
  familyAskedToBeNamed: z
    .union([z.boolean(), z.literal('yes'), z.literal('')])
    .optional()
    .transform((v) => v === true || v === 'yes'),
});
export type PublicationInput = z.input<typeof publicationSchema>;

/** A document sent with the API (the pages upload it as a file). */
export const documentSchema = z.object({
  filename: singleLineText('the file name').min(1, 'Enter the file name').max(200),
  mediaType: singleLineText('the file type').max(200),
  contentBase64: z.base64(),
});

/* ------------------------------------------------------------------ */
/* What the API answers                                                */
/* ------------------------------------------------------------------ */

const day = z.string().describe('YYYY-MM-DD');
const disclosureState = z
  .object({
    id: z.uuid(),
    status: z.string(),
    kind: z.enum(['grant', 'package']),
    downloaded: z.boolean(),
  })
  .nullable();
const appointmentView = z.object({
  id: z.uuid(),
  role: z.enum(['lead-reviewer', 'panel-member', 'practitioner']),
  name: z.string(),
  agency: z.string(),
  jobRole: z.string().nullable(),
  appointedOn: day,
  acknowledgedOn: day.nullable(),
  acknowledgementVersion: z.string().nullable(),
  disclosure: disclosureState,
});
const chronologyView = z.object({
  id: z.uuid(),
  agencyName: z.string(),
  recipientId: z.string(),
  requestedOn: day,
  dueOn: day,
  status: z.enum(['requested', 'returned', 'declined']),
  overdue: z.boolean(),
  outcomeOn: day.nullable(),
  returnedDocument: z.object({ id: z.uuid(), filename: z.string().nullable() }).nullable(),
  returnedNoteId: z.uuid().nullable(),
  declinedReason: z.string().nullable(),
  disclosure: disclosureState,
});

/** The review as the API gives it: `review` is null until the referral is recorded. */
export const overviewSchema = z.object({
  record: z.object({ id: z.uuid(), categoryName: z.string(), subject: z.string().nullable() }),
  canWrite: z.boolean(),
  organisation: z.string(),
  review: z
    .object({
      id: z.uuid(),
      version: z.number().int(),
      stage: z.enum(reviewStages),
      stageName: z.string(),
      referral: z.object({
        receivedOn: day,
        referredBy: z.string(),
        awareOn: day,
        noteId: z.uuid().nullable(),
      }),
      notification: z.object({
        dueOn: day,
        decidedOn: day.nullable(),
        notified: z.boolean().nullable(),
        reasons: z.string().nullable(),
        lateReason: z.string().nullable(),
        late: z.boolean(),
      }),
      rapidReview: z.object({ dueOn: day, sentOn: day.nullable(), disclosure: disclosureState }),
      decision: z.object({
        decidedOn: day.nullable(),
        lcspr: z.boolean().nullable(),
        reasons: z.string().nullable(),
      }),
      chronologies: z.array(chronologyView),
      overdueChronologies: z.array(chronologyView),
      leadReviewer: appointmentView.nullable(),
      panel: z.array(appointmentView),
      practitioners: z.array(appointmentView),
      report: z.object({
        status: z.enum(['none', 'draft', 'final']),
        document: z.object({ id: z.uuid(), filename: z.string().nullable() }).nullable(),
        anonymisation: z.enum(['not-started', 'in-review', 'approved']).nullable(),
      }),
      publication: z.object({
        publishedOn: day.nullable(),
        withdrawNotBefore: day.nullable(),
        url: z.string().nullable(),
      }),
      steps: z.array(z.string()),
      refiledAsNotNotified: z.boolean(),
    })
    .nullable(),
});
