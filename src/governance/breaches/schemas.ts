import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import type { FieldError } from '../../platform/errors/errors.js';
import { dateInputFields } from '../../platform/http/date-input.js';
import { parseForm } from '../../platform/http/forms.js';
import { requiredLine, requiredParagraphs, multiLineText } from '../../platform/validation/text.js';
import {
  dataCategoryCodes,
  exemptionCodes,
  icoDecisions,
  likelihoodCodes,
  severityCodes,
  subjectsDecisions,
} from './tables.js';
import type {
  AssessInput,
  IcoDecisionInput,
  ReportInput,
  SubjectsDecisionInput,
} from './service.js';

/**
 * The breach register's forms, read into the service's inputs. Each gives
 * back every problem at once, in words, with the field to point at, so the
 * page shows the form again with what was typed (design.md principle 8).
 */

/** Minutes after midnight for "9:30am", "9.30 am", "14:30", "9am", "12pm", "midday", "midnight"; null if it is not a time. */
export function parseClockTime(text: string): number | null {
  const value = text.trim().toLowerCase().replace(/\s+/g, '');
  if (value === 'midday' || value === 'noon') return 12 * 60;
  if (value === 'midnight') return 0;
  const match = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(value);
  if (!match) return null;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  const half = match[3];
  if (minute > 59) return null;
  if (half) {
    if (hour < 1 || hour > 12) return null;
    if (hour === 12) hour = 0;
    if (half === 'pm') hour += 12;
  } else if (hour > 23 || match[2] === undefined) {
    // "14" alone is not a time anyone writes; "2pm" or "14:00" is.
    return null;
  }
  return hour * 60 + minute;
}

/**
 * A moment typed as a date (three boxes) and a time in UK time, as one
 * instant. Across a clock change: a time that does not exist (1:30am as the
 * clocks go forward) is taken as the same time on the other side; a time
 * that happens twice (1:30am as they go back) as the first of the two
 * (Temporal's "compatible").
 */
export function londonInstant(date: string, minutes: number): Date {
  const day = Temporal.PlainDate.from(date);
  const zoned = day
    .toPlainDateTime({ hour: Math.floor(minutes / 60), minute: minutes % 60 })
    .toZonedDateTime('Europe/London', { disambiguation: 'compatible' });
  return new Date(zoned.epochMilliseconds);
}

function dateTimeFields<N extends string>(name: N, label: string) {
  const timeField = `${name}-time`;
  return dateInputFields(name, `the date ${label}`, { notAfter: 'today' }).and(
    z.object({
      [timeField]: z
        .string()
        .trim()
        .default('')
        .transform((text, ctx) => {
          if (!text) {
            ctx.addIssue({ code: 'custom', message: `Enter the time ${label}` });
            return z.NEVER;
          }
          const minutes = parseClockTime(text);
          if (minutes === null) {
            ctx.addIssue({
              code: 'custom',
              message: `Enter the time ${label} as, for example, 9:30am or 14:30`,
            });
            return z.NEVER;
          }
          return minutes;
        }),
    }) as z.ZodType<Record<string, number>>,
  );
}

/** A form's checkbox answers: none, one (a string) or several (an array). */
function list(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return [value].flat().map(String);
}

const count = (what: string) =>
  z
    .string({ error: `Enter the approximate number of ${what}` })
    .trim()
    .min(1, `Enter the approximate number of ${what}`)
    .regex(/^\d{1,8}$/, `Enter the approximate number of ${what} as a whole number, for example 25`)
    .transform(Number);

const reportSchema = z
  .object({
    summary: requiredParagraphs('what happened', 5000),
    reportedBy: requiredLine('who reported it', 200),
    discovery: requiredParagraphs('how it was discovered', 2000),
    dataCategories: z
      .array(z.enum(dataCategoryCodes, { error: 'Select the kinds of data from the list' }))
      .min(1, 'Select the kinds of personal data involved'),
    approxPeopleCount: count('people affected'),
    approxRecordsCount: count('records involved'),
  })
  .and(dateTimeFields('occurredAt', 'it happened'))
  .and(dateTimeFields('awareAt', 'the organisation became aware'));

export function parseReport(
  body: unknown,
): { ok: true; data: ReportInput } | { ok: false; errors: FieldError[] } {
  const source = asRecord(body);
  const parsed = parseForm(reportSchema, {
    ...source,
    dataCategories: list(source.dataCategories),
  });
  if (!parsed.ok) return parsed;
  const form = parsed.data as z.infer<typeof reportSchema> & Record<string, unknown>;
  return {
    ok: true,
    data: {
      summary: form.summary,
      reportedBy: form.reportedBy,
      discovery: form.discovery,
      dataCategories: form.dataCategories,
      approxPeople: form.approxPeopleCount,
      approxRecords: form.approxRecordsCount,
      occurredAt: londonInstant(String(form.occurredAt), Number(form['occurredAt-time'])),
      awareAt: londonInstant(String(form.awareAt), Number(form['awareAt-time'])),
    },
  };
}

const assessSchema = z.object({
  likelihood: z.enum(likelihoodCodes, { error: 'Select how likely harm is' }),
  severity: z.enum(severityCodes, { error: 'Select how severe the harm would be' }),
  consequences: requiredParagraphs('the likely consequences for the people affected', 2000),
  measures: requiredParagraphs('the measures taken or proposed', 2000),
});

export function parseAssessment(body: unknown) {
  return parseForm(assessSchema, body) as
    { ok: true; data: AssessInput } | { ok: false; errors: FieldError[] };
}

const icoSchema = z.object({
  decision: z.enum(icoDecisions, { error: 'Select whether you will tell the ICO' }),
  reasons: requiredParagraphs('the reasons for the decision', 2000),
  lateReasons: multiLineText('the reasons for the delay').max(2000).default(''),
  dpoContact: requiredParagraphs('the data protection officer’s name and contact details', 500),
});

export function parseIcoDecision(
  body: unknown,
): { ok: true; data: IcoDecisionInput } | { ok: false; errors: FieldError[] } {
  const parsed = parseForm(icoSchema, body);
  if (!parsed.ok) return parsed;
  return { ok: true, data: { ...parsed.data, lateReasons: parsed.data.lateReasons || null } };
}

const subjectsSchema = z
  .object({
    decision: z.enum(subjectsDecisions, {
      error: 'Select whether you will tell the people affected',
    }),
    notice: multiLineText('what to tell people happened').max(3000).default(''),
    dpoContact: multiLineText('the data protection officer’s name and contact details')
      .max(500)
      .default(''),
    exemption: z.string().default(''),
    reasons: multiLineText('the reasons for not telling them').max(2000).default(''),
  })
  .superRefine((form, ctx) => {
    const need = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if (form.decision === 'tell') {
      if (!form.notice) need('notice', 'Enter what to tell people happened, in plain English');
      if (!form.dpoContact) {
        need('dpoContact', 'Enter the data protection officer’s name and contact details');
      }
    } else {
      if (!(exemptionCodes as readonly string[]).includes(form.exemption)) {
        need('exemption', 'Select the exemption in Art 34(3) you rely on');
      }
      if (!form.reasons) need('reasons', 'Enter the reasons for not telling them');
    }
  });

export function parseSubjectsDecision(
  body: unknown,
): { ok: true; data: SubjectsDecisionInput } | { ok: false; errors: FieldError[] } {
  const parsed = parseForm(subjectsSchema, body);
  if (!parsed.ok) return parsed;
  const form = parsed.data;
  return {
    ok: true,
    data:
      form.decision === 'tell'
        ? { decision: 'tell', notice: form.notice, dpoContact: form.dpoContact }
        : {
            decision: 'not-tell',
            exemption: form.exemption as (typeof exemptionCodes)[number],
            reasons: form.reasons,
          },
  };
}

const actionSchema = z.object({
  description: requiredParagraphs('the action', 2000),
  owner: requiredLine('who will do it', 200),
});

export function parseAction(body: unknown) {
  return parseForm(actionSchema, body);
}

const closeSchema = z.object({
  lessons: requiredParagraphs('the lessons learned', 5000),
});

export function parseClose(body: unknown) {
  return parseForm(closeSchema, body);
}

const staffAccountSchema = z
  .object({
    accountId: z.string({ error: 'Select the staff account' }).min(1, 'Select the staff account'),
  })
  .and(dateTimeFields('from', 'the period starts'))
  .and(dateTimeFields('to', 'the period ends'));

export function parseStaffAccount(
  body: unknown,
):
  | { ok: true; data: { accountId: string; from: Date; to: Date } }
  | { ok: false; errors: FieldError[] } {
  const parsed = parseForm(staffAccountSchema, body);
  if (!parsed.ok) return parsed;
  const form = parsed.data as Record<string, unknown> & { accountId: string };
  return {
    ok: true,
    data: {
      accountId: form.accountId,
      from: londonInstant(String(form.from), Number(form['from-time'])),
      to: londonInstant(String(form.to), Number(form['to-time'])),
    },
  };
}

export function parseDisclosure(body: unknown) {
  return parseForm(
    z.object({
      disclosureId: z.string({ error: 'Select the disclosure' }).min(1, 'Select the disclosure'),
    }),
    body,
  );
}

/** The people ticked on the search results: at least one. */
export function parsePicked(
  body: unknown,
): { ok: true; data: string[] } | { ok: false; errors: FieldError[] } {
  const ids = list(asRecord(body).personIds);
  if (ids.length === 0) {
    return { ok: false, errors: [{ field: 'personIds', message: 'Select the people affected' }] };
  }
  if (ids.length > 200) {
    return {
      ok: false,
      errors: [{ field: 'personIds', message: 'Select at most 200 people at a time' }],
    };
  }
  return { ok: true, data: ids };
}

export function asRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}
