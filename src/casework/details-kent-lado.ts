/**
 * What the Kent LADO's allegation records hold beyond the common fields, as
 * its notice (004) describes it, with the option lists they choose from.
 */
import { z } from 'zod';
import { calendarDate, text } from './detail-values.js';

export const employerSectors = [
  'education',
  'early-years',
  'health',
  'social-care',
  'faith',
  'sport',
  'voluntary',
  'police',
  'transport',
  'other',
] as const;

/**
 * The harm test: the four ways the notice (004) says an adult's behaviour
 * brings a concern to the LADO (Working Together 2023's criteria). A
 * concern records which it meets.
 */
export const harmTestCriteria = [
  'harmed-a-child',
  'possible-criminal-offence',
  'risk-of-harm',
  'unsuitable-to-work-with-children',
] as const;

/** The agencies the notice (004) names as sources of what the LADO holds. */
export const ladoReferringAgencies = [
  'police',
  'integrated-childrens-services',
  'other-local-authority',
  'education-provider',
  'nhs-england',
  'employer',
  'nspcc',
  'ofsted-or-governing-body',
  'care-quality-commission',
  'crown-prosecution-service',
] as const;

// "managing concerns, including allegations of harm, against an adult who
// works with children" — employer, role, what is alleged, and whether it
// "progress[es] to strategy meeting or position of trust" (notice 004); the
// harm test it meets, who referred it, "information gathered during child
// safeguarding processes (during Section 47 enquiries …)" and "all your paid
// or voluntary employment" (issue 12 item 9).
export const ladoAllegation = z.strictObject({
  employer: text(200),
  employerSector: z.enum(employerSectors),
  role: text(200),
  allegation: text(4000),
  harmTest: z.array(z.enum(harmTestCriteria)).max(harmTestCriteria.length).default([]),
  referredBy: z.enum(ladoReferringAgencies).optional(),
  employments: z
    .array(
      z.strictObject({
        employer: text(200),
        role: text(200),
        basis: z.enum(['paid', 'voluntary']),
      }),
    )
    .max(50)
    .default([]),
  s47Information: z
    .array(
      z.strictObject({
        receivedOn: calendarDate,
        from: text(200),
        summary: text(4000),
      }),
    )
    .max(100)
    .default([]),
  meetings: z
    .array(
      z.strictObject({
        kind: z.enum(['initial-consideration', 'strategy', 'position-of-trust', 'evaluation']),
        heldOn: calendarDate,
      }),
    )
    .max(50)
    .default([]),
});
