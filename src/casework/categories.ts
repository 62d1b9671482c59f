/**
 * What each category of record holds beyond the common fields, as the
 * notices describe it (docs/notices), and which retention facts it records.
 *
 * Category-specific detail is one strict zod schema per category, stored as
 * jsonb: it is validated on every write and never read by retention. The
 * facts retention reads are typed columns (src/db/migrations/0003-casework.ts),
 * derived here from each category's rules in policy, so a new rule's fact
 * becomes a field without a second list to keep in step.
 */
import { z } from 'zod';
import {
  findCategory,
  ladoOutcomes,
  type CategorySlug,
  type DataCategory,
  type DateFactName,
  type FactName,
  type OrganisationSlug,
} from '../policy/index.js';
import { calendarDate as anyCalendarDate, pastDate } from '../platform/validation/dates.js';
import { multiLineText } from '../platform/validation/text.js';
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
  ssda903CodeLists,
  yesNo,
} from '../returns/ssda903/codes.js';

/** A strict calendar date between 1900 and 2200: 2023-02-30 and timestamps are refused. */
export const calendarDate = anyCalendarDate('date');

// Detail is paragraphs a practitioner writes: line breaks kept, other control characters refused.
const text = (max: number) => multiLineText('a value').min(1, 'Enter a value').max(max);
const optionalText = (max: number) => multiLineText('this answer').max(max).optional();

/* ------------------------------------------------------------------ */
/* Kent Specialist Children's Services (notice 001)                     */
/* ------------------------------------------------------------------ */

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

const childInNeed = z.strictObject({
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
const childProtectionPlan = z.strictObject({
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
const lookedAfter = z.strictObject({
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
const adoption = z.strictObject({
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
const privateFostering = z.strictObject({
  notifiedOn: calendarDate.optional(),
  arrangementStartedOn: calendarDate.optional(),
  expectedEndOn: calendarDate.optional(),
  visits: z
    .array(z.strictObject({ visitedOn: calendarDate }))
    .max(200)
    .default([]),
});

const privateFosterParent = z.strictObject({
  assessmentCompletedOn: calendarDate.optional(),
  suitability: z.enum(['suitable', 'unsuitable', 'pending']).optional(),
});

// Register of persons posing a risk: the latest caution or conviction is the
// retention fact (decision 0002); the offence itself is criminal offence data.
const riskRegister = z.strictObject({
  natureOfRisk: text(2000),
  offenceDescription: optionalText(2000),
});

/* ------------------------------------------------------------------ */
/* Kent LADO (notice 004)                                              */
/* ------------------------------------------------------------------ */

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
const ladoAllegation = z.strictObject({
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

/* ------------------------------------------------------------------ */
/* Partnerships: KSCMP (notice 000), SSCP (notice 002)                  */
/* ------------------------------------------------------------------ */

/** Whether the Child Safeguarding Practice Review Panel was notified of the incident. */
export const nationalPanelDecisions = ['notified', 'not-notified', 'pending'] as const;

// Rapid reviews and LCSPRs: "chronologies of the child's life from partner
// agencies", "lead reviewers", "practitioners who have/had involvement with
// the family and have agreed to contribute" (notice 000). The children,
// family and other adults are the record's parties.
const practiceReview = z.strictObject({
  reviewType: z.enum(['rapid-review', 'lcspr']),
  nationalPanelNotification: z
    .strictObject({
      decision: z.enum(nationalPanelDecisions),
      decidedOn: calendarDate.optional(),
    })
    .default({ decision: 'pending' }),
  chronologiesRequested: z
    .array(
      z.strictObject({
        agency: text(200),
        requestedOn: calendarDate,
        receivedOn: calendarDate.optional(),
      }),
    )
    .max(100)
    .default([]),
  leadReviewer: optionalText(200),
  // The notice (000) lists these among what a review holds about the child.
  whereaboutsAtIncident: optionalText(2000),
  carersAtIncident: optionalText(2000),
  educationEstablishment: optionalText(200),
  panel: z.array(text(200)).max(50).default([]),
  practitioners: z
    .array(z.strictObject({ name: text(200), agency: text(200), role: optionalText(200) }))
    .max(200)
    .default([]),
});

// "multi-agency audit work" (notice 000).
const auditQa = z.strictObject({
  theme: text(500),
  agencies: z.array(text(200)).max(50).default([]),
  findings: optionalText(8000),
});

/** Partnership categories this capability holds only a summary for (training etc. are partnership/'s). */
const summaryOnly = z.strictObject({ summary: optionalText(4000) });

/* ------------------------------------------------------------------ */
/* Maidstone Borough Council (notice 003)                              */
/* ------------------------------------------------------------------ */

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
const safeguardingConcern = z.strictObject({
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

export const detailSchemas: Record<CategorySlug, z.ZodType<Record<string, unknown>>> = {
  'child-in-need': childInNeed,
  'child-protection-plan': childProtectionPlan,
  'looked-after': lookedAfter,
  adoption,
  'private-fostering': privateFostering,
  'private-foster-parent': privateFosterParent,
  'risk-register': riskRegister,
  'lado-allegation': ladoAllegation,
  'practice-review': practiceReview,
  'panel-referral-not-notified': practiceReview,
  'audit-qa': auditQa,
  'meeting-admin': summaryOnly,
  training: summaryOnly,
  'training-booking-details': summaryOnly,
  survey: summaryOnly,
  'newsletter-subscription': summaryOnly,
  'learning-system-record': summaryOnly,
  'safeguarding-concern': safeguardingConcern,
};

/* ------------------------------------------------------------------ */
/* Retention facts held on the record                                  */
/* ------------------------------------------------------------------ */

/** Facts a record holds itself; dateOfBirth/dateOfDeath are the subject person's, closureDate is closed_on. */
export const recordDateFacts = [
  'incidentDate',
  'cautionOrConvictionDate',
  'lastContactDate',
  'recordedDate',
  'adoptionOrderDate',
  'trainingDate',
  'completedDate',
  'meetingDate',
  'reportDate',
  'surveyDate',
  'unsubscribedDate',
  'emailInvalidDate',
  'contractEndDate',
] as const satisfies readonly DateFactName[];
export type RecordDateFact = (typeof recordDateFacts)[number];
export type RecordFact = RecordDateFact | 'childDied' | 'outcome';

export const factColumns = {
  incidentDate: 'incident_date',
  cautionOrConvictionDate: 'caution_or_conviction_date',
  lastContactDate: 'last_contact_date',
  recordedDate: 'recorded_date',
  adoptionOrderDate: 'adoption_order_date',
  trainingDate: 'training_date',
  completedDate: 'completed_date',
  meetingDate: 'meeting_date',
  reportDate: 'report_date',
  surveyDate: 'survey_date',
  unsubscribedDate: 'unsubscribed_date',
  emailInvalidDate: 'email_invalid_date',
  contractEndDate: 'contract_end_date',
} as const satisfies Record<RecordDateFact, string>;

export const factLabels: Record<RecordFact, string> = {
  incidentDate: 'Date of the incident',
  cautionOrConvictionDate: 'Date of the latest caution or conviction',
  lastContactDate: 'Date of last contact',
  recordedDate: 'Date the concern was logged',
  adoptionOrderDate: 'Date of the adoption order',
  trainingDate: 'Date of the training',
  completedDate: 'Date the work was completed',
  meetingDate: 'Date of the meeting',
  reportDate: 'Date of the report',
  surveyDate: 'Date of the survey',
  unsubscribedDate: 'Date unsubscribed',
  emailInvalidDate: 'Date the email address was found not to exist',
  contractEndDate: 'Date the contract ended',
  childDied: 'Did the child die?',
  outcome: 'Outcome',
};

/** The facts retention reads in this category, from its rules in policy. */
export function factsNeeded(category: DataCategory): Set<FactName> {
  const needed = new Set<FactName>();
  if (category.retention.kind === 'no-rule') return needed;
  for (const fact of category.retention.openWhileNoneRecorded ?? []) needed.add(fact);
  for (const rule of category.retention.rules) {
    needed.add(rule.trigger);
    if (rule.statutoryMinimum) needed.add(rule.statutoryMinimum.trigger);
    for (const condition of rule.conditions) {
      if (condition.kind === 'outcome-in') needed.add('outcome');
      if (condition.kind === 'child-died') needed.add('childDied');
      // "Known to have died, date unknown" sends the record to review.
      if (condition.kind === 'died-before-age') needed.add('childDied');
      if (condition.kind === 'fact-recorded') needed.add(condition.fact);
    }
  }
  return needed;
}

/** The record-held facts a category's form and API offer. */
export function recordFactsFor(organisation: OrganisationSlug, slug: CategorySlug): RecordFact[] {
  const category = findCategory(organisation, slug);
  if (!category) return [];
  const needed = factsNeeded(category);
  const facts: RecordFact[] = recordDateFacts.filter((f) => needed.has(f));
  if (needed.has('childDied')) facts.push('childDied');
  if (needed.has('outcome')) facts.push('outcome');
  return facts;
}

/**
 * Facts about what has already happened (an incident, a conviction, the last
 * contact) cannot be in the future; a meeting, a training day or a
 * contract's end can be (docs/decisions/0011-date-ranges.md).
 */
const futureFacts: ReadonlySet<RecordDateFact> = new Set([
  'trainingDate',
  'meetingDate',
  'surveyDate',
  'contractEndDate',
]);

const factLabel = (fact: RecordDateFact) => fact.replace(/([A-Z])/g, ' $1').toLowerCase();

export const recordFactsSchema = z.strictObject({
  ...(Object.fromEntries(
    recordDateFacts.map((f) => [
      f,
      (futureFacts.has(f) ? anyCalendarDate(factLabel(f)) : pastDate(factLabel(f)))
        .nullable()
        .optional(),
    ]),
  ) as {
    [F in RecordDateFact]: z.ZodOptional<z.ZodNullable<typeof calendarDate>>;
  }),
  childDied: z.boolean().nullable().optional(),
  outcome: z.enum(ladoOutcomes).nullable().optional(),
});
export type RecordFactsInput = z.infer<typeof recordFactsSchema>;

/* ------------------------------------------------------------------ */
/* Form fields for the pages                                           */
/* ------------------------------------------------------------------ */

export interface DetailField {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'date' | 'select' | 'checkboxes';
  options?: readonly string[];
  required?: boolean;
}

/**
 * The scalar detail fields each category's page form offers. Items of
 * lists (conferences, placements, meetings, referrals…) are added with
 * `detailListForms` below.
 */
export const detailFormFields: Partial<Record<CategorySlug, DetailField[]>> = {
  'child-in-need': [
    { name: 'primaryNeed', label: 'Primary need', kind: 'select', options: primaryNeeds },
    {
      name: 'referralSource',
      label: 'Who referred the child',
      kind: 'select',
      options: referralSourceSlugs,
    },
    { name: 'reasonsForSupport', label: 'Reasons for support', kind: 'textarea' },
    { name: 'assessmentStartedOn', label: 'Assessment started on', kind: 'date' },
    { name: 'assessmentCompletedOn', label: 'Assessment completed on', kind: 'date' },
    {
      name: 'assessmentFactors',
      label: 'Factors identified at the end of the assessment',
      kind: 'checkboxes',
      options: assessmentFactorSlugs,
    },
    { name: 'planStartedOn', label: 'Plan started on', kind: 'date' },
    { name: 'planEndedOn', label: 'Plan ended on', kind: 'date' },
    { name: 'planSummary', label: 'Plan', kind: 'textarea' },
    {
      name: 'disabilities',
      label: 'The child’s disabilities',
      kind: 'checkboxes',
      options: disabilitySlugs,
    },
    {
      name: 'reasonForClosure',
      label: 'Why the case closed',
      kind: 'select',
      options: closureReasonSlugs,
    },
  ],
  'child-protection-plan': [
    {
      name: 'categoryOfAbuse',
      label: 'Category of abuse',
      kind: 'select',
      options: abuseCategories,
      required: true,
    },
    { name: 'planStartedOn', label: 'Plan started on', kind: 'date' },
    { name: 'primaryNeed', label: 'Primary need', kind: 'select', options: primaryNeeds },
    {
      name: 'referralSource',
      label: 'Who referred the child',
      kind: 'select',
      options: referralSourceSlugs,
    },
    {
      name: 'reasonForClosure',
      label: 'Why the case closed',
      kind: 'select',
      options: closureReasonSlugs,
    },
  ],
  'looked-after': [
    { name: 'legalStatus', label: 'Legal status', kind: 'select', options: legalStatusSlugs },
    {
      name: 'unaccompaniedAsylumSeeking',
      label: 'Unaccompanied asylum-seeking child',
      kind: 'select',
      options: yesNo,
    },
    {
      name: 'uascCeasedOn',
      label: 'Stopped being an unaccompanied asylum-seeking child on',
      kind: 'date',
    },
    {
      name: 'ownChildBornOn',
      label: 'If she is a mother: her child’s date of birth',
      kind: 'date',
    },
  ],
  adoption: [
    {
      name: 'decisionToPlaceOn',
      label: 'Decided the child should be placed for adoption on',
      kind: 'date',
    },
    { name: 'matchedOn', label: 'Matched with adopters on', kind: 'date' },
    {
      name: 'adoptedByFosterCarer',
      label: 'Adopted by their foster carers',
      kind: 'select',
      options: yesNo,
    },
    { name: 'adoptersSex', label: 'The adopters', kind: 'select', options: adopterSexSlugs },
    {
      name: 'adoptersLegalStatus',
      label: 'The adopters’ legal status',
      kind: 'select',
      options: adopterStatusSlugs,
    },
    {
      name: 'decisionCeasedOn',
      label: 'The decision to place for adoption ended on',
      kind: 'date',
    },
    {
      name: 'decisionCeasedReason',
      label: 'Why the decision to place for adoption ended',
      kind: 'select',
      options: placedCeasedSlugs,
    },
  ],
  'private-fostering': [
    { name: 'notifiedOn', label: 'Notified on', kind: 'date' },
    { name: 'arrangementStartedOn', label: 'Arrangement started on', kind: 'date' },
    { name: 'expectedEndOn', label: 'Expected to end on', kind: 'date' },
  ],
  'private-foster-parent': [
    { name: 'assessmentCompletedOn', label: 'Assessment completed on', kind: 'date' },
    {
      name: 'suitability',
      label: 'Suitability',
      kind: 'select',
      options: ['suitable', 'unsuitable', 'pending'],
    },
  ],
  'risk-register': [
    { name: 'natureOfRisk', label: 'Nature of the risk', kind: 'textarea', required: true },
    { name: 'offenceDescription', label: 'Offence', kind: 'textarea' },
  ],
  'lado-allegation': [
    { name: 'employer', label: 'Employer', kind: 'text', required: true },
    {
      name: 'employerSector',
      label: 'Sector',
      kind: 'select',
      options: employerSectors,
      required: true,
    },
    { name: 'role', label: 'Role', kind: 'text', required: true },
    { name: 'allegation', label: 'What is alleged', kind: 'textarea', required: true },
    {
      name: 'harmTest',
      label: 'Which part of the harm test does it meet?',
      kind: 'checkboxes',
      options: harmTestCriteria,
    },
    {
      name: 'referredBy',
      label: 'Referred by',
      kind: 'select',
      options: ladoReferringAgencies,
    },
  ],
  'practice-review': [
    {
      name: 'reviewType',
      label: 'Type of review',
      kind: 'select',
      options: ['rapid-review', 'lcspr'],
      required: true,
    },
    { name: 'leadReviewer', label: 'Lead reviewer', kind: 'text' },
    {
      name: 'whereaboutsAtIncident',
      label: 'Where the child was at the time of the critical incident',
      kind: 'textarea',
    },
    {
      name: 'carersAtIncident',
      label: 'Who was caring for the child at the time of the critical incident',
      kind: 'textarea',
    },
    { name: 'educationEstablishment', label: 'School or setting, if any', kind: 'text' },
  ],
  'panel-referral-not-notified': [
    {
      name: 'reviewType',
      label: 'Type of review',
      kind: 'select',
      options: ['rapid-review', 'lcspr'],
      required: true,
    },
  ],
  'audit-qa': [
    { name: 'theme', label: 'Theme', kind: 'text', required: true },
    { name: 'findings', label: 'Findings', kind: 'textarea' },
  ],
  'safeguarding-concern': [
    {
      name: 'concernTypes',
      label: 'Type of concern',
      kind: 'checkboxes',
      options: concernTypes,
      required: true,
    },
    { name: 'gp', label: 'GP', kind: 'text' },
    { name: 'socialCareProvision', label: 'Social care provision', kind: 'textarea' },
  ],
};

/**
 * A list inside a category's detail whose items the record page adds,
 * changes and removes, one page per item, all drawn by one template.
 */
export interface DetailListForm {
  /** The list's key in the detail, e.g. "conferences". */
  name: string;
  /** The list's heading, e.g. "Child protection conferences". */
  label: string;
  /** One item, for "Add a …", e.g. "child protection conference". */
  itemLabel: string;
  /**
   * 'object' (the default): each item is an object of `fields`. 'text': each
   * item is a plain string (a review's panel members), edited as the one field.
   */
  items?: 'object' | 'text';
  /** One item's fields, as its zod item schema above has them (the schema still validates). */
  fields: DetailField[];
}

/**
 * A single object inside a category's detail (a care leaver's education,
 * employment and accommodation; the national panel notification decision),
 * changed as a whole on its own page by the same template as list items.
 */
export interface DetailObjectForm {
  /** Its key in the detail, e.g. "careLeaver". */
  name: string;
  /** Its heading on the record page, e.g. "Care leaver". */
  label: string;
  /** What the form is for, as a sentence, e.g. "Change the care leaver's situation". */
  changeLabel: string;
  fields: DetailField[];
}

const chronologiesRequested: DetailListForm = {
  name: 'chronologiesRequested',
  label: 'Chronologies requested',
  itemLabel: 'chronology request',
  fields: [
    { name: 'agency', label: 'Agency', kind: 'text', required: true },
    { name: 'requestedOn', label: 'Requested on', kind: 'date', required: true },
    { name: 'receivedOn', label: 'Received on', kind: 'date' },
  ],
};

const practitioners: DetailListForm = {
  name: 'practitioners',
  label: 'Practitioners contributing',
  itemLabel: 'practitioner',
  fields: [
    { name: 'name', label: 'Name', kind: 'text', required: true },
    { name: 'agency', label: 'Agency', kind: 'text', required: true },
    { name: 'role', label: 'Role', kind: 'text' },
  ],
};

const panelMembers: DetailListForm = {
  name: 'panel',
  label: 'Panel',
  itemLabel: 'panel member',
  items: 'text',
  fields: [{ name: 'name', label: 'Name', kind: 'text', required: true }],
};

/**
 * The lists in each category's detail that pages add to, change and remove
 * from, one form per list. Every list a detail schema above holds has one
 * (routes.test.ts checks), so nothing is left to the API alone.
 */
export const detailListForms: Partial<Record<CategorySlug, DetailListForm[]>> = {
  'child-protection-plan': [
    {
      name: 'section47Enquiries',
      label: 'Section 47 enquiries',
      itemLabel: 'Section 47 enquiry',
      fields: [
        { name: 'startedOn', label: 'Started on', kind: 'date', required: true },
        { name: 'completedOn', label: 'Completed on', kind: 'date' },
        {
          name: 'outcome',
          label: 'Outcome',
          kind: 'select',
          options: ['concerns-not-substantiated', 'concerns-substantiated-conference', 'other'],
        },
      ],
    },
    {
      name: 'conferences',
      label: 'Child protection conferences',
      itemLabel: 'child protection conference',
      fields: [
        {
          name: 'kind',
          label: 'Kind of conference',
          kind: 'select',
          options: ['initial', 'review', 'transfer-in'],
          required: true,
        },
        { name: 'heldOn', label: 'Held on', kind: 'date', required: true },
        {
          name: 'decision',
          label: 'Decision',
          kind: 'select',
          options: ['plan-made', 'plan-continued', 'plan-ended', 'no-plan'],
          required: true,
        },
      ],
    },
  ],
  'looked-after': [
    {
      name: 'episodes',
      label: 'Episodes of being looked after',
      itemLabel: 'period of being looked after',
      fields: [
        { name: 'startedOn', label: 'Started on', kind: 'date', required: true },
        { name: 'endedOn', label: 'Ended on', kind: 'date' },
        { name: 'reasonEnded', label: 'Reason it ended, in your words', kind: 'text' },
        {
          name: 'reasonCeased',
          label: 'Why it ended',
          kind: 'select',
          options: reasonCeasedSlugs,
        },
        {
          name: 'categoryOfNeed',
          label: 'Category of need when it started',
          kind: 'select',
          options: primaryNeeds,
        },
        {
          name: 'homePostcode',
          label: 'Postcode of the child’s home when it started',
          kind: 'text',
        },
        {
          name: 'previousPermanence',
          label: 'Adopted or under a special guardianship or child arrangements order before',
          kind: 'select',
          options: previousPermanenceSlugs,
        },
        { name: 'previousPermanenceOn', label: 'Date of that earlier order', kind: 'date' },
        {
          name: 'previousPermanenceLa',
          label: 'Council that arranged that earlier order',
          kind: 'text',
        },
      ],
    },
    {
      name: 'legalStatusChanges',
      label: 'Legal status changes',
      itemLabel: 'legal status',
      fields: [
        {
          name: 'status',
          label: 'Legal status',
          kind: 'select',
          options: legalStatusSlugs,
          required: true,
        },
        { name: 'from', label: 'From', kind: 'date', required: true },
      ],
    },
    {
      name: 'placements',
      label: 'Placements',
      itemLabel: 'placement',
      fields: [
        {
          name: 'type',
          label: 'Type of placement',
          kind: 'select',
          options: placementTypes,
          required: true,
        },
        { name: 'startedOn', label: 'Started on', kind: 'date', required: true },
        { name: 'endedOn', label: 'Ended on', kind: 'date' },
        { name: 'provider', label: 'Provider', kind: 'text' },
        {
          name: 'dfeType',
          label: 'Type of placement, as the Department for Education counts it',
          kind: 'select',
          options: dfePlacementSlugs,
        },
        {
          name: 'providedBy',
          label: 'Who provides it',
          kind: 'select',
          options: placementProviderSlugs,
        },
        { name: 'postcode', label: 'Postcode of the placement', kind: 'text' },
        { name: 'urn', label: 'Ofsted unique reference number of the provider', kind: 'text' },
        {
          name: 'reasonChanged',
          label: 'If it ended and another began: why',
          kind: 'select',
          options: placementChangeSlugs,
        },
      ],
    },
    {
      name: 'missingEpisodes',
      label: 'Missing or away from placement',
      itemLabel: 'time missing or away',
      fields: [
        {
          name: 'kind',
          label: 'Missing or away without permission',
          kind: 'select',
          options: missingSlugs,
          required: true,
        },
        { name: 'startedOn', label: 'From', kind: 'date', required: true },
        { name: 'endedOn', label: 'Back on', kind: 'date' },
      ],
    },
    {
      name: 'yearOutcomes',
      label: 'Health and offending for the year',
      itemLabel: 'year’s health and offending',
      fields: [
        { name: 'yearEnding', label: 'Year ending 31 March', kind: 'date', required: true },
        {
          name: 'convicted',
          label: 'Convicted or given a youth caution in the year',
          kind: 'select',
          options: yesNo,
        },
        {
          name: 'immunisationsUpToDate',
          label: 'Immunisations up to date',
          kind: 'select',
          options: yesNo,
        },
        {
          name: 'substanceMisuse',
          label: 'Substance misuse problem identified',
          kind: 'select',
          options: yesNo,
        },
        {
          name: 'interventionReceived',
          label: 'Received help for substance misuse',
          kind: 'select',
          options: yesNo,
        },
        {
          name: 'interventionOffered',
          label: 'Offered help for substance misuse',
          kind: 'select',
          options: yesNo,
        },
        {
          name: 'sdqReason',
          label: 'If there is no strengths and difficulties score: why',
          kind: 'select',
          options: sdqReasonSlugs,
        },
      ],
    },
    {
      name: 'socialWorkers',
      label: 'Social workers',
      itemLabel: 'social worker',
      fields: [
        {
          name: 'registrationNumber',
          label: 'Social Work England registration number',
          kind: 'text',
          required: true,
        },
        { name: 'startedOn', label: 'Started on', kind: 'date', required: true },
        { name: 'endedOn', label: 'Ended on', kind: 'date' },
        {
          name: 'reasonChanged',
          label: 'If they changed: why',
          kind: 'select',
          options: socialWorkerChangeSlugs,
        },
      ],
    },
  ],
  adoption: [
    {
      name: 'courtOrders',
      label: 'Court orders',
      itemLabel: 'court order',
      fields: [
        {
          name: 'kind',
          label: 'Kind of order',
          kind: 'select',
          options: ['placement-order', 'adoption-order', 'special-guardianship-order', 'other'],
          required: true,
        },
        { name: 'court', label: 'Court', kind: 'text', required: true },
        { name: 'madeOn', label: 'Made on', kind: 'date', required: true },
      ],
    },
    {
      name: 'postAdoptionSupport',
      label: 'Post-adoption support',
      itemLabel: 'period of post-adoption support',
      fields: [
        {
          name: 'kind',
          label: 'Kind of support',
          kind: 'select',
          options: ['financial', 'therapeutic', 'contact', 'advice', 'other'],
          required: true,
        },
        { name: 'startedOn', label: 'Started on', kind: 'date', required: true },
        { name: 'endedOn', label: 'Ended on', kind: 'date' },
      ],
    },
  ],
  'private-fostering': [
    {
      name: 'visits',
      label: 'Visits',
      itemLabel: 'visit',
      fields: [{ name: 'visitedOn', label: 'Visited on', kind: 'date', required: true }],
    },
  ],
  'lado-allegation': [
    {
      name: 'meetings',
      label: 'Meetings',
      itemLabel: 'meeting',
      fields: [
        {
          name: 'kind',
          label: 'Kind of meeting',
          kind: 'select',
          options: ['initial-consideration', 'strategy', 'position-of-trust', 'evaluation'],
          required: true,
        },
        { name: 'heldOn', label: 'Held on', kind: 'date', required: true },
      ],
    },
    {
      name: 'employments',
      label: 'All their paid or voluntary work',
      itemLabel: 'job or voluntary role',
      fields: [
        { name: 'employer', label: 'Employer or organisation', kind: 'text', required: true },
        { name: 'role', label: 'Role', kind: 'text', required: true },
        {
          name: 'basis',
          label: 'Paid or voluntary',
          kind: 'select',
          options: ['paid', 'voluntary'],
          required: true,
        },
      ],
    },
    {
      name: 's47Information',
      label: 'Information from section 47 enquiries and child protection conferences',
      itemLabel: 'piece of information',
      fields: [
        { name: 'receivedOn', label: 'Received on', kind: 'date', required: true },
        { name: 'from', label: 'From', kind: 'text', required: true },
        { name: 'summary', label: 'What it says', kind: 'textarea', required: true },
      ],
    },
  ],
  'practice-review': [chronologiesRequested, practitioners, panelMembers],
  'panel-referral-not-notified': [chronologiesRequested, practitioners, panelMembers],
  'audit-qa': [
    {
      name: 'agencies',
      label: 'Agencies taking part',
      itemLabel: 'agency',
      items: 'text',
      fields: [{ name: 'agency', label: 'Agency', kind: 'text', required: true }],
    },
  ],
  'safeguarding-concern': [
    {
      name: 'referrals',
      label: 'Referrals',
      itemLabel: 'referral',
      fields: [
        {
          name: 'partner',
          label: 'Referred to',
          kind: 'select',
          options: maidstonePartners,
          required: true,
        },
        { name: 'referredOn', label: 'Referred on', kind: 'date', required: true },
        {
          name: 'consent',
          label: 'Consent',
          kind: 'select',
          options: ['given', 'refused', 'not-sought'],
          required: true,
        },
        {
          name: 'reasonWithoutConsent',
          label: 'Why the referral was made without consent',
          kind: 'textarea',
        },
      ],
    },
  ],
};

export function detailListFormsFor(category: CategorySlug): DetailListForm[] {
  return detailListForms[category] ?? [];
}

const nationalPanelNotification: DetailObjectForm = {
  name: 'nationalPanelNotification',
  label: 'National panel notification',
  changeLabel: 'Record the national panel notification decision',
  fields: [
    {
      name: 'decision',
      label: 'Was the Child Safeguarding Practice Review Panel notified?',
      kind: 'select',
      options: nationalPanelDecisions,
      required: true,
    },
    { name: 'decidedOn', label: 'Decided on', kind: 'date' },
  ],
};

/** The single nested objects in each category's detail that pages change. */
export const detailObjectForms: Partial<Record<CategorySlug, DetailObjectForm[]>> = {
  'looked-after': [
    {
      name: 'careLeaver',
      label: 'Care leaver',
      changeLabel: 'Change the care leaver’s education, employment and accommodation',
      fields: [
        {
          name: 'education',
          label: 'Education',
          kind: 'select',
          options: careLeaverEducation,
          required: true,
        },
        {
          name: 'employment',
          label: 'Employment',
          kind: 'select',
          options: careLeaverEmployment,
          required: true,
        },
        {
          name: 'accommodation',
          label: 'Accommodation',
          kind: 'select',
          options: careLeaverAccommodation,
          required: true,
        },
        { name: 'pathwayPlanReviewedOn', label: 'Pathway plan reviewed on', kind: 'date' },
        {
          name: 'inTouch',
          label: 'In touch around their last birthday',
          kind: 'select',
          options: inTouchSlugs,
        },
        { name: 'contactOn', label: 'Date of that contact', kind: 'date' },
        { name: 'activity', label: 'Main activity', kind: 'select', options: activitySlugs },
        {
          name: 'accommodationSuitable',
          label: 'Is the accommodation suitable',
          kind: 'select',
          options: yesNo,
        },
      ],
    },
  ],
  'practice-review': [nationalPanelNotification],
  'panel-referral-not-notified': [nationalPanelNotification],
};

export function detailObjectFormsFor(category: CategorySlug): DetailObjectForm[] {
  return detailObjectForms[category] ?? [];
}

export function formFieldsFor(category: CategorySlug): DetailField[] {
  return detailFormFields[category] ?? [{ name: 'summary', label: 'Summary', kind: 'textarea' }];
}

/**
 * Options whose words are not their code with spaces: the notices' own
 * wording (the LADO's harm test and referring agencies).
 */
const optionWords: Record<string, string> = {
  'harmed-a-child': 'Behaved in a way that has harmed a child, or may have harmed a child',
  'possible-criminal-offence':
    'Possibly committed a criminal offence against or related to a child',
  'risk-of-harm':
    'Behaved towards a child or children in a way that indicates they may pose a risk of harm to children',
  'unsuitable-to-work-with-children':
    'Behaved in a way that indicates they may not be suitable to work with children',
  'integrated-childrens-services': 'Integrated Children’s Services',
  'other-local-authority': 'Another local authority',
  'education-provider':
    'Education (early years, the local education authority, academies or schools)',
  'nhs-england': 'NHS England',
  employer: 'An employer, voluntary or charity organisation',
  nspcc: 'The NSPCC',
  'ofsted-or-governing-body': 'Ofsted or a governing body',
  'care-quality-commission': 'The Care Quality Commission',
  'crown-prosecution-service': 'The Crown Prosecution Service',
};

/** "abuse-or-neglect" → "Abuse or neglect", for option labels. */
/**
 * The DfE's own words for the census code lists (src/returns/codes.ts), for
 * the words only they use; words other lists share ("other", "neglect")
 * keep their plain reading.
 */
const sharedWords = new Set(['other', 'neglect', 'emotional-abuse', 'unknown', 'school']);
const censusWords: Record<string, string> = Object.fromEntries(
  [
    ...ssda903CodeLists,
    referralSources,
    closureReasons,
    disabilityCodes,
    assessmentFactorCodes,
  ].flatMap((list) =>
    Object.entries(list.codes as Record<string, { label: string }>)
      .filter(([slug]) => !sharedWords.has(slug))
      .map(([slug, { label }]) => [slug, label]),
  ),
);

export function humanise(value: string): string {
  const known = optionWords[value] ?? censusWords[value];
  if (known) return known;
  const words = value.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/* ------------------------------------------------------------------ */
/* Dated events in the detail, for the chronology                      */
/* ------------------------------------------------------------------ */

export interface DetailEvent {
  date: string;
  text: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(detail: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const value = detail[key];
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Events with a date in a record's detail (conferences, placements, court orders, meetings…). */
export function detailEvents(category: CategorySlug, detail: unknown): DetailEvent[] {
  if (!isRecord(detail)) return [];
  const events: DetailEvent[] = [];
  const add = (date: unknown, text: string) => {
    if (typeof date === 'string' && date) events.push({ date, text });
  };
  switch (category) {
    case 'child-in-need':
      add(detail.assessmentCompletedOn, 'Child in need assessment completed');
      add(detail.planStartedOn, 'Child in need plan started');
      break;
    case 'child-protection-plan':
      add(
        detail.planStartedOn,
        `Child protection plan started (${humanise(str(detail.categoryOfAbuse))})`,
      );
      for (const e of listOf(detail, 'section47Enquiries')) {
        add(e.startedOn, 'Section 47 enquiry started');
        add(e.completedOn, 'Section 47 enquiry completed');
      }
      for (const c of listOf(detail, 'conferences')) {
        add(
          c.heldOn,
          `${humanise(str(c.kind))} child protection conference: ${humanise(str(c.decision))}`,
        );
      }
      break;
    case 'looked-after':
      for (const e of listOf(detail, 'episodes')) {
        add(e.startedOn, 'Became looked after');
        add(e.endedOn, 'Stopped being looked after');
      }
      for (const p of listOf(detail, 'placements')) {
        add(p.startedOn, `Placement started: ${humanise(str(p.type))}`);
        add(p.endedOn, `Placement ended: ${humanise(str(p.type))}`);
      }
      break;
    case 'adoption':
      for (const o of listOf(detail, 'courtOrders')) add(o.madeOn, `${humanise(str(o.kind))} made`);
      for (const s of listOf(detail, 'postAdoptionSupport')) {
        add(s.startedOn, `Post-adoption support started: ${humanise(str(s.kind))}`);
      }
      break;
    case 'private-fostering':
      add(detail.notifiedOn, 'Private fostering arrangement notified');
      add(detail.arrangementStartedOn, 'Private fostering arrangement started');
      for (const v of listOf(detail, 'visits')) add(v.visitedOn, 'Private fostering visit');
      break;
    case 'lado-allegation':
      for (const m of listOf(detail, 'meetings')) add(m.heldOn, `${humanise(str(m.kind))} meeting`);
      for (const i of listOf(detail, 's47Information')) {
        add(i.receivedOn, `Section 47 information received from ${str(i.from)}`);
      }
      break;
    case 'practice-review':
    case 'panel-referral-not-notified': {
      const notification = detail.nationalPanelNotification;
      if (isRecord(notification)) {
        add(
          notification.decidedOn,
          `National panel notification: ${humanise(str(notification.decision))}`,
        );
      }
      for (const c of listOf(detail, 'chronologiesRequested')) {
        add(c.requestedOn, `Chronology requested from ${str(c.agency)}`);
      }
      break;
    }
    case 'safeguarding-concern':
      for (const r of listOf(detail, 'referrals')) {
        add(r.referredOn, `Referred to ${humanise(str(r.partner))}`);
      }
      break;
    default:
      break;
  }
  return events;
}
