import { z } from 'zod';
import type { FieldError } from '../../platform/errors/errors.js';
import { dateInputFields } from '../../platform/http/date-input.js';
import { multiLineText, singleLineText } from '../../platform/validation/text.js';
import { complaintOutcomes, sendingMethods, staffChannels } from './tables.js';

/**
 * One zod schema per form. The complainant's details are asked in two
 * voices — "your name" on the public form, "their name" when staff record a
 * caller's complaint — with the same fields and limits.
 */

export type Voice = 'public' | 'staff';

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const required = (what: string, max: number, lines: 'one' | 'many' = 'one') =>
  (lines === 'one' ? singleLineText(what) : multiLineText(what))
    .min(1, `Enter ${what}`)
    .max(
      max,
      `${capitalise(what.replace(/^(the|your|their) /, ''))} must be ${max.toLocaleString('en-GB')} characters or fewer`,
    );

/** Blank means not given: stored as null, never as an empty string. */
const optional = (what: string, max: number, lines: 'one' | 'many' = 'one') =>
  (lines === 'one' ? singleLineText(what) : multiLineText(what))
    .max(
      max,
      `${capitalise(what.replace(/^(the|your|their) /, ''))} must be ${max.toLocaleString('en-GB')} characters or fewer`,
    )
    .optional()
    .transform((value) => (value ? value : null));

const phonePattern = /^\+?[0-9 ()-]+$/;

/** The complainant and their complaint, as the public form and staff intake both ask. */
export function complainantSchema(voice: Voice) {
  const your = voice === 'public' ? 'your' : 'their';
  return z.object({
    fullName: required(`${your} name`, 200),
    email: optional('the email address', 320).refine(
      (value) => value === null || z.email().safeParse(value).success,
      'Enter an email address in the correct format, like name@example.org',
    ),
    postalAddress: optional('the postal address', 1000, 'many'),
    phone: optional('the phone number', 40).refine(
      (value) =>
        value === null || (phonePattern.test(value) && value.replace(/\D/g, '').length >= 7),
      'Enter a phone number, like 01632 960 001 or +44 7700 900 982',
    ),
    about: required(
      voice === 'public' ? 'what your complaint is about' : 'what the complaint is about',
      10_000,
      'many',
    ),
    theirReference: optional('the reference', 100),
    onBehalf: z.enum(['no', 'yes'], {
      error:
        voice === 'public'
          ? 'Select whether you are complaining for someone else'
          : 'Select whether they are complaining for someone else',
    }),
    onBehalfName: optional('the name of the person', 200),
    onBehalfRelationship: optional('how they are related', 200),
  });
}
export type ComplainantInput = z.infer<ReturnType<typeof complainantSchema>>;

/**
 * Checks across fields, run on what was typed even when single fields are
 * wrong too, so the person sees every problem at once: at least one way to
 * contact them (s.164A(4)(b): the controller must be able to tell them the
 * outcome), and the other person's name when they complain for someone.
 */
export function complainantCrossChecks(body: Record<string, unknown>, voice: Voice): FieldError[] {
  const text = (name: string) => {
    const value = body[name];
    return typeof value === 'string' ? value.trim() : '';
  };
  const errors: FieldError[] = [];
  if (!text('email') && !text('postalAddress') && !text('phone')) {
    errors.push({
      field: 'email',
      message:
        voice === 'public'
          ? 'Enter at least one way to contact you: an email address, a postal address or a phone number'
          : 'Enter at least one way to contact them: an email address, a postal address or a phone number',
    });
  }
  if (text('onBehalf') === 'yes' && !text('onBehalfName')) {
    errors.push({
      field: 'onBehalfName',
      message:
        voice === 'public'
          ? 'Enter the name of the person you are complaining for'
          : 'Enter the name of the person they are complaining for',
    });
  }
  return errors;
}

export const staffIntakeSchema = z
  .object({
    channel: z.enum(staffChannels, { error: 'Select how the complaint arrived' }),
  })
  .and(dateInputFields('receivedOn', 'the date it was received', { notAfter: 'today' }));

/*
 * The complaint page has several forms; each names its fields apart (ackOn,
 * updateOn, closedOn) so that one form's error never lands on another's field.
 */

export const acknowledgeSchema = z
  .object({
    ackVia: z.enum(sendingMethods, { error: 'Select how the acknowledgement was sent' }),
    version: z.coerce.number({ error: 'Reload the page and try again' }).int().positive(),
  })
  .and(dateInputFields('ackOn', 'the date it was sent', { notAfter: 'today' }));

export const noteSchema = z.object({
  noteBody: required('the note', 10_000, 'many'),
});

export const updateSchema = z
  .object({
    updateVia: z.enum(sendingMethods, { error: 'Select how the update was sent' }),
    updateBody: required('what you told them', 10_000, 'many'),
  })
  .and(dateInputFields('updateOn', 'the date it was sent', { notAfter: 'today' }));

export const linkSchema = z.object({
  // Any text: whether it names one of the organisation's requests is the
  // service's to decide, through the access decision.
  rightsRequestId: singleLineText('the rights request')
    .min(1, 'Select a rights request')
    .max(100, 'Select a rights request from the list'),
});

export const breachLinkSchema = z.object({
  // Any text, as for a rights request: the service decides through access.
  breachId: singleLineText('the breach')
    .min(1, 'Select a breach')
    .max(100, 'Select a breach from the list'),
});

export const outcomeSchema = z
  .object({
    outcome: z.enum(complaintOutcomes, { error: 'Select the outcome' }),
    findings: required('what you found', 10_000, 'many'),
    actions: optional('what you will do', 10_000, 'many'),
    version: z.coerce.number({ error: 'Reload the page and try again' }).int().positive(),
  })
  .and(dateInputFields('closedOn', 'the date the outcome was sent', { notAfter: 'today' }));

/** The fields a failed form shows again, as typed. */
export const complainantFields = [
  'fullName',
  'email',
  'postalAddress',
  'phone',
  'about',
  'theirReference',
  'onBehalf',
  'onBehalfName',
  'onBehalfRelationship',
] as const;
