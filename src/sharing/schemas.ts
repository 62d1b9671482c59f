import { z } from 'zod';
import { calendarDate } from '../platform/validation/dates.js';
import { multiLineText, singleLineText } from '../platform/validation/text.js';
import { categorySlugs, organisationSlugSchema } from '../policy/index.js';
import { consentReasonSlugs, consentStates, sharingPurposeSlugs } from './tables.js';

export const article6 = ['6(1)(a)', '6(1)(b)', '6(1)(c)', '6(1)(d)', '6(1)(e)', '6(1)(f)'] as const;
export const article9 = [
  '9(2)(a)',
  '9(2)(b)',
  '9(2)(c)',
  '9(2)(d)',
  '9(2)(e)',
  '9(2)(f)',
  '9(2)(g)',
  '9(2)(h)',
  '9(2)(i)',
  '9(2)(j)',
] as const;

const optionalText = (max: number, label = 'this answer') =>
  multiLineText(label)
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** A disclosure, as the form and the API send it (design.md principle 6). */
export const disclosureSchema = z.object({
  items: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({
          recordId: z.uuid(),
          kind: z.enum(['record', 'note', 'document']),
          id: z.uuid(),
        }),
        /** One field of the record (fields.ts), e.g. `subject.name` or `detail.categoryOfAbuse`. */
        z.object({
          recordId: z.uuid(),
          kind: z.literal('field'),
          field: singleLineText('the field').max(100),
        }),
      ]),
      { error: 'Choose what to share' },
    )
    .min(1, { error: 'Choose what to share' })
    .max(500),
  recipientId: singleLineText('who to share with').max(200).min(1, {
    error: 'Choose who to share with',
  }),
  recipientName: singleLineText('the name of the person or team receiving it')
    .min(2, { error: 'Enter the name of the person or team receiving it' })
    .max(200),
  /** An organisation inside Safekeep: the disclosure is a grant to it. */
  recipientOrganisation: organisationSlugSchema().optional(),
  purpose: z.enum(sharingPurposeSlugs, { error: 'Choose the purpose of sharing' }),
  agreementId: z
    .union([z.uuid(), z.literal('')])
    .optional()
    .transform((v) => (v ? v : undefined)),
  lawfulBasis: z.enum(article6, { error: 'Choose the lawful basis for sharing' }),
  specialCondition: z
    .union([z.enum(article9), z.literal('')])
    .optional()
    .transform((v) => (v ? v : undefined)),
  consent: z.enum(consentStates, { error: 'Say whether consent was given, refused or not sought' }),
  consentReason: z
    .union([z.enum(consentReasonSlugs), z.literal('')])
    .optional()
    .transform((v) => (v ? v : undefined)),
  justification: optionalText(4000),
  /** For a grant: the last day the recipient may see the items, YYYY-MM-DD. */
  expiresOn: z
    .union([calendarDate('last day they may see it'), z.literal('')])
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type DisclosureInput = z.input<typeof disclosureSchema>;

export const logFilterSchema = z.object({
  partner: optionalText(100, 'the partner'),
  purpose: z
    .union([z.enum(sharingPurposeSlugs), z.literal('')])
    .optional()
    .transform((v) => (v ? v : undefined)),
  basis: z
    .union([z.enum(article6), z.literal('')])
    .optional()
    .transform((v) => (v ? v : undefined)),
  consent: z
    .union([z.enum(consentStates), z.literal('')])
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type LogFilter = z.input<typeof logFilterSchema>;

// Review dates look ahead and the day a review happened cannot: the service
// checks both against its own clock (docs/decisions/0011-date-ranges.md).
const reviewDate = (label: string) => calendarDate(label);
const version = z.number({ error: 'Say which version you changed' }).int().positive();

/** An agreement's terms, as the form and the API send them. */
export const agreementTermsSchema = z.object({
  title: singleLineText('the agreement’s title')
    .min(3, { error: 'Enter the agreement’s title' })
    .max(200, { error: 'The title must be 200 characters or fewer' }),
  /** Organisations inside Safekeep that are party to it. */
  parties: z
    .array(
      organisationSlugSchema(() => 'Choose the organisations party to it'),
      { error: 'Choose the organisations party to it' },
    )
    .min(1, { error: 'Choose the organisations party to it' }),
  /** Recipients outside Safekeep, by the ids the parties' notices list them under. */
  externalRecipients: z
    .array(singleLineText('each recipient').min(1).max(100))
    .max(100)
    .default([]),
  purposes: z
    .array(z.enum(sharingPurposeSlugs), { error: 'Choose the purposes it covers' })
    .min(1, { error: 'Choose the purposes it covers' }),
  dataCategories: z
    .array(z.enum(categorySlugs), { error: 'Choose the categories of record it covers' })
    .min(1, { error: 'Choose the categories of record it covers' }),
  lawfulBases: z
    .array(z.enum(article6), { error: 'Choose the Article 6 lawful basis' })
    .min(1, { error: 'Choose the Article 6 lawful basis' }),
  specialConditions: z.array(z.enum(article9)).default([]),
  reviewDate: reviewDate('date it is next due for review'),
});
export type AgreementTermsInput = z.input<typeof agreementTermsSchema>;

export const agreementUpdateSchema = agreementTermsSchema.extend({ version });
export type AgreementUpdateInput = z.input<typeof agreementUpdateSchema>;

export const agreementReviewSchema = z.object({
  version,
  reviewedOn: calendarDate('date it was reviewed'),
  nextReviewDate: reviewDate('date it is next due for review'),
});
export type AgreementReviewInput = z.input<typeof agreementReviewSchema>;

export const agreementEndSchema = z.object({
  version,
  reason: multiLineText('why the agreement is ending')
    .min(10, { error: 'Say why the agreement is ending (at least 10 characters)' })
    .max(2000),
});
export type AgreementEndInput = z.input<typeof agreementEndSchema>;
