import { z } from 'zod';
import { calendarDate as anyCalendarDate, pastDate } from '../platform/validation/dates.js';
import { dateInputFields } from '../platform/http/date-input.js';
import { multiLineText, singleLineText } from '../platform/validation/text.js';
import {
  attendances,
  consentMethods,
  courseKinds,
  deliveries,
  meetingAttendances,
  questionKinds,
  sectors,
} from './tables.js';

/**
 * One zod schema per input, shared by the pages and the JSON API (and so
 * OpenAPI). Booking and sign-up objects are strict: a field the notices do
 * not list is refused, not silently dropped.
 */

export const calendarDate = anyCalendarDate('date');

const required = (what: string, max: number, lines: 'one' | 'many' = 'one') =>
  (lines === 'one' ? singleLineText(what) : multiLineText(what))
    .min(1, `Enter ${what}`)
    .max(max, `${what.charAt(0).toUpperCase()}${what.slice(1)} must be ${max} characters or fewer`);

/** Blank means not given: stored as null, never as an empty string. */
const optional = (what: string, max: number, lines: 'one' | 'many' = 'one') =>
  (lines === 'one' ? singleLineText(what.toLowerCase()) : multiLineText(what.toLowerCase()))
    .max(max, `${what} must be ${max} characters or fewer`)
    .nullish()
    .transform((value) => (value ? value : null));

const email = singleLineText('an email address')
  .min(1, 'Enter an email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .pipe(z.email('Enter an email address in the correct format, like name@example.org'));

// ---------------------------------------------------------------------------
// Training

export const courseSchema = z
  .strictObject({
    title: required('the course title', 200),
    kind: z.enum(courseKinds, { error: 'Select whether this is a course or an event' }),
    delivery: z.enum(deliveries, { error: 'Select face-to-face or online' }),
    startDate: anyCalendarDate('first day'),
    endDate: anyCalendarDate('last day'),
  })
  .refine((c) => c.endDate >= c.startDate, {
    path: ['endDate'],
    message: 'The last day must be the same as or after the first day',
  });
export type CourseInput = z.infer<typeof courseSchema>;

/**
 * A booking: exactly what KSCMP's and SSCP's notices list under "Learning
 * and development" — name; job role, organisation and sector; contact
 * details (email address, telephone number and address); budget codes
 * and/or purchase order number; dietary or other requirements (face-to-face
 * courses only, checked by the service against the course).
 */
export const bookingSchema = z.strictObject({
  fullName: required('the name', 200),
  jobRole: required('the job role', 200),
  employer: required('the organisation', 200),
  sector: z.enum(sectors, { error: 'Select the sector' }),
  email,
  telephone: optional('Telephone number', 40),
  postalAddress: optional('Address', 500, 'many'),
  budgetReference: optional('Budget code or purchase order number', 100),
  requirements: optional('Dietary or other requirements', 1000, 'many'),
});
export type BookingInput = z.infer<typeof bookingSchema>;

export const attendanceSchema = z.strictObject({
  attendance: z.enum(attendances, { error: 'Select whether they attended' }),
});

/** The report page's period, as two GOV.UK date inputs (`from-day`, `from-month`…). */
export const reportPeriodFields = dateInputFields('from', 'the start date')
  .and(dateInputFields('to', 'the end date'))
  .refine((q) => q.to >= q.from, { path: ['to'], message: 'The end must be after the start' });

export const reportQuerySchema = z
  .object({ from: anyCalendarDate('start date'), to: anyCalendarDate('end date') })
  .refine((q) => q.to >= q.from, { path: ['to'], message: 'The end must be after the start' });

// ---------------------------------------------------------------------------
// Newsletter

/** "Name. Organisation. Email address." (KSCMP "Communications"; SSCP likewise.) */
export const signUpSchema = z.strictObject({
  fullName: required('your name', 200),
  employer: required('your organisation', 200),
  email,
  consent: z.literal('yes', {
    error: 'Confirm that you want to receive communications from us',
  }),
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const importSchema = z.strictObject({
  lines: required('at least one person', 100_000, 'many'),
  consentMethod: z.enum(consentMethods.filter((m) => m !== 'web-form') as [string, ...string[]], {
    error: 'Select how these people gave their consent',
  }),
});

export const bounceSchema = z.strictObject({ email });

// ---------------------------------------------------------------------------
// Surveys

export const surveySchema = z.strictObject({
  title: required('the survey title', 200),
  purpose: required('what the survey is for and how answers will be used', 2000, 'many'),
});

export const questionSchema = z
  .strictObject({
    kind: z.enum(questionKinds, { error: 'Select the type of question' }),
    prompt: required('the question', 500, 'many'),
    options: z
      .array(singleLineText('each option').min(1, 'Enter each option').max(200))
      .max(20, 'Enter no more than 20 options')
      .default([]),
  })
  .superRefine((q, ctx) => {
    if (q.kind !== 'free-text' && q.options.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'Enter at least 2 options' });
    }
    if (q.kind === 'free-text' && q.options.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: 'A free text question has no options',
      });
    }
  });
export type QuestionInput = z.infer<typeof questionSchema>;

export const reportDateSchema = z.strictObject({ reportDate: pastDate('report date') });

// ---------------------------------------------------------------------------
// Meetings

export const meetingSchema = z.strictObject({
  body: required('the board or sub-group', 200),
  title: required('the meeting title', 200),
  // Meetings are arranged ahead: a future date is expected (docs/decisions/0011-date-ranges.md).
  meetingDate: anyCalendarDate('meeting date'),
});

export const attendeeSchema = z.strictObject({
  fullName: required('the name', 200),
  roleOrAgency: required('the role or agency', 200),
  attendance: z.enum(meetingAttendances, { error: 'Select whether they attended' }),
});

export const minutesSchema = z.strictObject({
  minutes: required('the minutes', 100_000, 'many'),
});
