import { z } from 'zod';
import { organisationSlugs } from '../policy/index.js';
import { consentReasonSlugs, consentStates, itemKinds, sharingPurposeSlugs } from './tables.js';

const article6 = ['6(1)(a)', '6(1)(b)', '6(1)(c)', '6(1)(d)', '6(1)(e)', '6(1)(f)'] as const;
const article9 = [
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

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** A disclosure, as the form and the API send it (design.md principle 6). */
export const disclosureSchema = z.object({
  items: z
    .array(z.object({ recordId: z.uuid(), kind: z.enum(itemKinds), id: z.uuid() }), {
      error: 'Choose what to share',
    })
    .min(1, { error: 'Choose what to share' }),
  recipientId: z.string({ error: 'Choose who to share with' }).min(1, {
    error: 'Choose who to share with',
  }),
  recipientName: z
    .string({ error: 'Enter the name of the person or team receiving it' })
    .trim()
    .min(2, { error: 'Enter the name of the person or team receiving it' })
    .max(200),
  /** An organisation inside Safekeep: the disclosure is a grant to it. */
  recipientOrganisation: z.enum(organisationSlugs).optional(),
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
    .union([z.iso.date({ error: 'Enter a real date' }), z.literal('')])
    .optional()
    .transform((v) => (v ? v : undefined)),
});
export type DisclosureInput = z.input<typeof disclosureSchema>;

export const logFilterSchema = z.object({
  partner: optionalText(100),
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
