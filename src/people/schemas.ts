import { z } from 'zod';
import { calendarDate, pastDate } from '../platform/validation/dates.js';
import { multiLineText, singleLineText } from '../platform/validation/text.js';
import {
  homeOfficeReferenceSchema,
  nhsNumberSchema,
  portReferenceSchema,
  postcodeSchema,
  upnSchema,
} from './identifiers.js';
import {
  birthPrecisions,
  contactKinds,
  genders,
  identifierTypes,
  offenceDataKinds,
  relationshipTypes,
  specialCharacteristics,
} from './tables.js';

/**
 * One zod schema per input, shared by the pages (after the form's date
 * parts are put together), the JSON API (and so OpenAPI) and the CLI.
 */

const name = (what: string) =>
  singleLineText(`the ${what}`)
    .min(1, `Enter the ${what}`)
    .max(100, `The ${what} must be 100 characters or fewer`);

const optionalText = (label: string, max: number) =>
  singleLineText(label)
    .max(max, `Must be ${max} characters or fewer`)
    .transform((s) => (s === '' ? null : s))
    .nullish()
    .transform((s) => s ?? null);

const personFields = z.object({
  givenName: name('first name'),
  familyName: name('last name'),
  dateOfBirth: pastDate('date of birth')
    .nullish()
    .transform((d) => d ?? null),
  dateOfBirthPrecision: z
    .enum(birthPrecisions)
    .nullish()
    .transform((p) => p ?? null)
    .describe('How much of the date of birth is known; required with a date of birth'),
  dateOfDeath: pastDate('date of death')
    .nullish()
    .transform((d) => d ?? null),
  gender: z
    .enum(genders)
    .nullish()
    .transform((g) => g ?? null),
});

function deathAfterBirth(
  value: { dateOfBirth: string | null; dateOfDeath: string | null },
  ctx: z.RefinementCtx,
) {
  if (value.dateOfBirth && value.dateOfDeath && value.dateOfDeath < value.dateOfBirth) {
    ctx.addIssue({
      code: 'custom',
      path: ['dateOfDeath'],
      message: 'Date of death must be the same as or after the date of birth',
    });
  }
}

/** A period (a name used, an address lived at) cannot end before it began. */
function fromBeforeTo(
  value: { fromDate: string | null; toDate: string | null },
  ctx: z.RefinementCtx,
) {
  if (value.fromDate && value.toDate && value.toDate < value.fromDate) {
    ctx.addIssue({
      code: 'custom',
      path: ['toDate'],
      message: 'The end date must be the same as or after the start date',
    });
  }
}

export const personFieldsSchema = personFields.superRefine(deathAfterBirth);
export type PersonFields = z.output<typeof personFieldsSchema>;

const optionalIdentifier = <S extends z.ZodType<string, string>>(schema: S) =>
  z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? undefined : s))
    .pipe(schema.optional());

export const createPersonSchema = personFields
  .extend({
    nhsNumber: optionalIdentifier(nhsNumberSchema).describe('10 digits; spaces allowed'),
    upn: optionalIdentifier(upnSchema).describe('Unique pupil number, 13 characters'),
    // Set once whoever is creating the entry has seen the likely existing
    // matches and says this is someone else.
    confirmedNotDuplicate: z.boolean().optional(),
  })
  .superRefine(deathAfterBirth);
export type CreatePerson = z.output<typeof createPersonSchema>;

export const updatePersonSchema = personFields
  .extend({
    version: z.coerce
      .number()
      .int()
      .min(1)
      .describe('The version you are editing; a newer one means someone else saved first'),
  })
  .superRefine(deathAfterBirth);
export type UpdatePerson = z.output<typeof updatePersonSchema>;

export const searchSchema = z
  .object({
    name: singleLineText('the name').max(200).optional(),
    dateOfBirth: calendarDate('date of birth').optional(),
    nhsNumber: optionalIdentifier(nhsNumberSchema),
    upn: optionalIdentifier(upnSchema),
  })
  .transform((s) => ({ ...s, name: s.name === '' ? undefined : s.name }));
export type Search = z.output<typeof searchSchema>;

export const nameSchema = z
  .object({
    kind: z.enum(['previous', 'alias']),
    givenName: name('first name'),
    familyName: name('last name'),
    fromDate: pastDate('date the name was first used')
      .nullish()
      .transform((d) => d ?? null),
    toDate: pastDate('date the name was last used')
      .nullish()
      .transform((d) => d ?? null),
  })
  .superRefine(fromBeforeTo);

export const addressSchema = z
  .object({
    line1: singleLineText('the first line of the address')
      .min(1, 'Enter the first line of the address')
      .max(200, 'The first line of the address must be 200 characters or fewer'),
    line2: optionalText('the second line of the address', 200),
    town: optionalText('the town or city', 100),
    postcode: z
      .string()
      .optional()
      .transform((s) => (s === undefined || s.trim() === '' ? undefined : s))
      .pipe(postcodeSchema.optional())
      .transform((p) => p ?? null),
    fromDate: calendarDate('date they moved in')
      .nullish()
      .transform((d) => d ?? null),
    toDate: calendarDate('date they moved out')
      .nullish()
      .transform((d) => d ?? null),
  })
  .superRefine(fromBeforeTo);

export const contactSchema = z.object({
  kind: z.enum(contactKinds),
  value: singleLineText('the contact detail')
    .min(1, 'Enter the contact detail')
    .max(200, 'The contact detail must be 200 characters or fewer'),
});

/** The type names the validator: each identifier is refused with its own reason. */
export const identifierSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('nhs-number'), value: nhsNumberSchema }),
  z.object({ type: z.literal('upn'), value: upnSchema }),
  z.object({ type: z.literal('home-office-reference'), value: homeOfficeReferenceSchema }),
  z.object({ type: z.literal('port-reference'), value: portReferenceSchema }),
]);
export type IdentifierInput = z.output<typeof identifierSchema>;
export const identifierTypeSchema = z.enum(identifierTypes);

export const relationshipSchema = z.object({
  relatedPersonId: z.uuid('Choose the related person'),
  type: z.enum(relationshipTypes),
  description: optionalText('the description', 100),
});

export const specialCategorySchema = z.object({
  characteristic: z.enum(specialCharacteristics),
  value: multiLineText('what is recorded')
    .min(1, 'Enter what is recorded')
    .max(500, 'What is recorded must be 500 characters or fewer'),
  recordedOn: pastDate('date it was recorded')
    .nullish()
    .transform((d) => d ?? null),
});

export const offenceDataSchema = z.object({
  kind: z.enum(offenceDataKinds),
  description: multiLineText('the details')
    .min(1, 'Enter the details')
    .max(1000, 'The details must be 1,000 characters or fewer'),
  occurredOn: pastDate('date it happened')
    .nullish()
    .transform((d) => d ?? null),
});

export const mergeSchema = z.object({
  duplicateId: z.uuid('Choose the entry to merge into this one'),
});
