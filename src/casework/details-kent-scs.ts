/**
 * What Kent Specialist Children's Services' categories hold beyond the
 * common fields, as its notice (001) describes it: one strict zod schema per
 * category (categories.ts maps them), with the option lists they choose from.
 */
import { z } from 'zod';
import {
  assessmentFactorCodes,
  closureReasons,
  disabilityCodes,
  referralSources,
  slugsOf,
} from '../returns/codes.js';
import {
  accommodationCodes,
  activityCodes,
  adopterSexCodes,
  adopterStatusCodes,
  inTouchCodes,
  legalStatusCodes,
  missingCodes,
  placedCeasedCodes,
  placementChangeCodes,
  placementCodes,
  placementProviderCodes,
  previousPermanenceCodes,
  reasonCeasedCodes,
  sdqReasonCodes,
  socialWorkerChangeCodes,
  yesNo,
} from '../returns/ssda903/codes.js';
import { calendarDate, optionalText, text } from './detail-values.js';

/** DfE children in need census primary need codes N1–N9. */
export const primaryNeeds = [
  'abuse-or-neglect',
  'child-disability',
  'parental-illness-or-disability',
  'family-in-acute-stress',
  'family-dysfunction',
  'socially-unacceptable-behaviour',
  'low-income',
  'absent-parenting',
  'not-stated',
] as const;

// "assessment and plan information for children in need (such as further
// details of your issues and challenges, and how we are going to work
// together to bring about the changes required)" — notice 001.
// The Children in Need census (src/returns; docs/returns.md) is read off
// these fields: the referral (the record's opening), its source, the
// assessment's start, completion and factors, the plan's dates, the child's
// disabilities and, at closure, why. The practitioner records each where the
// event happens, so the return needs no second entry.
export const referralSourceSlugs = slugsOf(referralSources);
export const closureReasonSlugs = slugsOf(closureReasons);
export const assessmentFactorSlugs = slugsOf(assessmentFactorCodes);
export const disabilitySlugs = slugsOf(disabilityCodes);

export const childInNeed = z.strictObject({
  primaryNeed: z.enum(primaryNeeds).optional(),
  referralSource: z.enum(referralSourceSlugs).optional(),
  reasonsForSupport: optionalText(4000),
  assessmentStartedOn: calendarDate.optional(),
  assessmentCompletedOn: calendarDate.optional(),
  assessmentFactors: z
    .array(z.enum(assessmentFactorSlugs))
    .max(assessmentFactorSlugs.length)
    .default([]),
  planStartedOn: calendarDate.optional(),
  planEndedOn: calendarDate.optional(),
  planSummary: optionalText(4000),
  disabilities: z.array(z.enum(disabilitySlugs)).max(disabilitySlugs.length).default([]),
  reasonForClosure: z.enum(closureReasonSlugs).optional(),
});

/** Working Together to Safeguard Children 2023: categories of abuse for a plan. */
export const abuseCategories = [
  'neglect',
  'physical-abuse',
  'sexual-abuse',
  'emotional-abuse',
  'multiple',
] as const;

// "information gathered during child protection processes (during Section 47
// enquiries/investigations and Child Protection Conferences)" — notice 001.
// A child on a plan is a child in need (Children Act 1989 s17(10)): where no
// child in need record covers the plan, the census takes the episode's
// referral, primary need and closure reason from here (src/returns).
export const childProtectionPlan = z.strictObject({
  categoryOfAbuse: z.enum(abuseCategories),
  primaryNeed: z.enum(primaryNeeds).optional(),
  referralSource: z.enum(referralSourceSlugs).optional(),
  reasonForClosure: z.enum(closureReasonSlugs).optional(),
  planStartedOn: calendarDate.optional(),
  section47Enquiries: z
    .array(
      z.strictObject({
        startedOn: calendarDate,
        completedOn: calendarDate.optional(),
        outcome: z
          .enum(['concerns-not-substantiated', 'concerns-substantiated-conference', 'other'])
          .optional(),
      }),
    )
    .max(50)
    .default([]),
  conferences: z
    .array(
      z.strictObject({
        kind: z.enum(['initial', 'review', 'transfer-in']),
        heldOn: calendarDate,
        decision: z.enum(['plan-made', 'plan-continued', 'plan-ended', 'no-plan']),
      }),
    )
    .max(100)
    .default([]),
});

export const placementTypes = [
  'foster-care',
  'kinship-care',
  'residential',
  'semi-independent',
  'placed-with-parents',
  'placed-for-adoption',
  'secure',
  'other',
] as const;

export const careLeaverEducation = [
  'none',
  'school',
  'further-education',
  'higher-education',
  'training',
] as const;
export const careLeaverEmployment = [
  'not-employed',
  'part-time',
  'full-time',
  'apprenticeship',
] as const;
/** The care leaver's accommodation: the SSDA903 OC3 list (src/returns/ssda903/codes.ts). */
export const careLeaverAccommodation = slugsOf(accommodationCodes);

// The SSDA903 return (src/returns/ssda903; docs/returns.md) is read off the
// looked-after and adoption records: every DfE item is an optional field
// here, recorded where the event is, so existing records stay valid and a
// missing item is caught by the return's validation, not by the form.
export const legalStatusSlugs = slugsOf(legalStatusCodes);
export const dfePlacementSlugs = slugsOf(placementCodes);
export const placementProviderSlugs = slugsOf(placementProviderCodes);
export const reasonCeasedSlugs = slugsOf(reasonCeasedCodes);
export const placementChangeSlugs = slugsOf(placementChangeCodes);
export const sdqReasonSlugs = slugsOf(sdqReasonCodes);
export const inTouchSlugs = slugsOf(inTouchCodes);
export const activitySlugs = slugsOf(activityCodes);
export const missingSlugs = slugsOf(missingCodes);
export const previousPermanenceSlugs = slugsOf(previousPermanenceCodes);
export const adopterSexSlugs = slugsOf(adopterSexCodes);
export const adopterStatusSlugs = slugsOf(adopterStatusCodes);
export const placedCeasedSlugs = slugsOf(placedCeasedCodes);
export const socialWorkerChangeSlugs = slugsOf(socialWorkerChangeCodes);

// "episodes of being looked after (such as important dates and information on
// placements)"; "information on care leavers, including their education and
// employment status and the type of accommodation" — notice 001. Care leavers
// share the looked-after category and its retention (policy kent-scs).
export const lookedAfter = z.strictObject({
  /** The legal status now (or throughout, when no change is recorded). */
  legalStatus: z.enum(legalStatusSlugs).optional(),
  /** Each legal status from the day it applied: a change starts a new SSDA903 episode. */
  legalStatusChanges: z
    .array(z.strictObject({ status: z.enum(legalStatusSlugs), from: calendarDate }))
    .max(100)
    .default([]),
  unaccompaniedAsylumSeeking: z.enum(yesNo).optional(),
  /** When the child stopped being an unaccompanied asylum-seeking child (usually at 18). */
  uascCeasedOn: calendarDate.optional(),
  /** A looked-after girl who is a mother: her child's date of birth. */
  ownChildBornOn: calendarDate.optional(),
  episodes: z
    .array(
      z.strictObject({
        startedOn: calendarDate,
        endedOn: calendarDate.optional(),
        reasonEnded: optionalText(200),
        reasonCeased: z.enum(reasonCeasedSlugs).optional(),
        categoryOfNeed: z.enum(primaryNeeds).optional(),
        homePostcode: optionalText(10),
        previousPermanence: z.enum(previousPermanenceSlugs).optional(),
        previousPermanenceOn: calendarDate.optional(),
        previousPermanenceLa: optionalText(100),
      }),
    )
    .max(100)
    .default([]),
  placements: z
    .array(
      z.strictObject({
        type: z.enum(placementTypes),
        startedOn: calendarDate,
        endedOn: calendarDate.optional(),
        provider: optionalText(200),
        dfeType: z.enum(dfePlacementSlugs).optional(),
        providedBy: z.enum(placementProviderSlugs).optional(),
        postcode: optionalText(10),
        urn: optionalText(10),
        reasonChanged: z.enum(placementChangeSlugs).optional(),
      }),
    )
    .max(200)
    .default([]),
  missingEpisodes: z
    .array(
      z.strictObject({
        kind: z.enum(missingSlugs),
        startedOn: calendarDate,
        endedOn: calendarDate.optional(),
      }),
    )
    .max(200)
    .default([]),
  /** The OC2 facts for each year ending 31 March the child was looked after throughout. */
  yearOutcomes: z
    .array(
      z.strictObject({
        yearEnding: calendarDate,
        convicted: z.enum(yesNo).optional(),
        immunisationsUpToDate: z.enum(yesNo).optional(),
        substanceMisuse: z.enum(yesNo).optional(),
        interventionReceived: z.enum(yesNo).optional(),
        interventionOffered: z.enum(yesNo).optional(),
        sdqReason: z.enum(sdqReasonSlugs).optional(),
      }),
    )
    .max(30)
    .default([]),
  socialWorkers: z
    .array(
      z.strictObject({
        registrationNumber: text(20),
        startedOn: calendarDate,
        endedOn: calendarDate.optional(),
        reasonChanged: z.enum(socialWorkerChangeSlugs).optional(),
      }),
    )
    .max(100)
    .default([]),
  careLeaver: z
    .strictObject({
      education: z.enum(careLeaverEducation),
      employment: z.enum(careLeaverEmployment),
      accommodation: z.enum(careLeaverAccommodation),
      pathwayPlanReviewedOn: calendarDate.optional(),
      inTouch: z.enum(inTouchSlugs).optional(),
      contactOn: calendarDate.optional(),
      activity: z.enum(activitySlugs).optional(),
      accommodationSuitable: z.enum(yesNo).optional(),
    })
    .optional(),
});

// "adoption information, including dates of court orders and decisions and
// information relating to post-adoption support provided" — notice 001. The
// adoption order's date is also the retention fact adoptionOrderDate.
export const adoption = z.strictObject({
  courtOrders: z
    .array(
      z.strictObject({
        kind: z.enum(['placement-order', 'adoption-order', 'special-guardianship-order', 'other']),
        court: text(200),
        madeOn: calendarDate,
      }),
    )
    .max(50)
    .default([]),
  // SSDA903's AD1 and PlacedAdoption tables.
  decisionToPlaceOn: calendarDate.optional(),
  decisionCeasedOn: calendarDate.optional(),
  decisionCeasedReason: z.enum(placedCeasedSlugs).optional(),
  matchedOn: calendarDate.optional(),
  adoptedByFosterCarer: z.enum(yesNo).optional(),
  adoptersSex: z.enum(adopterSexSlugs).optional(),
  adoptersLegalStatus: z.enum(adopterStatusSlugs).optional(),
  postAdoptionSupport: z
    .array(
      z.strictObject({
        kind: z.enum(['financial', 'therapeutic', 'contact', 'advice', 'other']),
        startedOn: calendarDate,
        endedOn: calendarDate.optional(),
      }),
    )
    .max(100)
    .default([]),
});

// Children Act 1989 s66 and the Children (Private Arrangements for Fostering)
// Regulations 2005: the authority is notified and visits the child.
export const privateFostering = z.strictObject({
  notifiedOn: calendarDate.optional(),
  arrangementStartedOn: calendarDate.optional(),
  expectedEndOn: calendarDate.optional(),
  visits: z
    .array(z.strictObject({ visitedOn: calendarDate }))
    .max(200)
    .default([]),
});

export const privateFosterParent = z.strictObject({
  assessmentCompletedOn: calendarDate.optional(),
  suitability: z.enum(['suitable', 'unsuitable', 'pending']).optional(),
});

// Register of persons posing a risk: the latest caution or conviction is the
// retention fact (decision 0002); the offence itself is criminal offence data.
export const riskRegister = z.strictObject({
  natureOfRisk: text(2000),
  offenceDescription: optionalText(2000),
});
