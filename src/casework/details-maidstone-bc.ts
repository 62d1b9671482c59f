/**
 * What Maidstone Borough Council's safeguarding concerns hold beyond the
 * common fields, as its notice (003) describes it.
 */
import { z } from 'zod';
import { calendarDate, optionalText } from './detail-values.js';

export const concernTypes = [
  'domestic-abuse',
  'mental-health',
  'neglect',
  'physical-abuse',
  'sexual-abuse',
  'emotional-abuse',
  'exploitation',
  'self-neglect',
  'substance-misuse',
  'homelessness',
  'radicalisation',
  'other',
] as const;

/** The partners the Maidstone notice names ("Who has access to your information?"). */
export const maidstonePartners = [
  'police',
  'marac',
  'visor',
  'probation',
  'social-services',
  'kent-county-council',
  'clinical-health',
  'support-provider',
  'internal',
] as const;

// "safeguarding concerns e.g. domestic abuse, mental health concerns and other
// personal information such as GP, social care provision" and sharing
// "without consent, if … to gain consent could place a child at risk"
// (notice 003): a referral without consent must say why.
export const safeguardingConcern = z.strictObject({
  concernTypes: z.array(z.enum(concernTypes)).min(1, 'Select at least one type of concern'),
  gp: optionalText(200),
  socialCareProvision: optionalText(2000),
  referrals: z
    .array(
      z
        .strictObject({
          partner: z.enum(maidstonePartners),
          referredOn: calendarDate,
          consent: z.enum(['given', 'refused', 'not-sought']),
          reasonWithoutConsent: optionalText(2000),
        })
        .refine((r) => r.consent === 'given' || (r.reasonWithoutConsent ?? '') !== '', {
          message: 'Say why the referral was made without consent',
          path: ['reasonWithoutConsent'],
        }),
    )
    .max(100)
    .default([]),
});
