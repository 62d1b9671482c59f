/**
 * The shape of an organisation's policy (its document in
 * src/policy/documents is validated against schema.ts, which mirrors this).
 *
 * The vocabulary here (category slugs, fact names, LADO outcomes, actions)
 * is a public contract: the CLI (`safekeep retention explain`), the API and
 * stored records use it.
 */
import type { OffenceDataKind, SpecialCharacteristic } from '../people/tables.js';
import type { RoleSlug } from '../platform/access/roles.js';

import type { PolicyAccess } from './access-rules.js';
import type { NoticeFacts } from './notice-facts.js';

/**
 * An organisation's slug, e.g. `kent-scs`. Any string the policy registry
 * knows (`isOrganisationSlug` in registry.ts checks it): a council added from
 * its policy document needs no code change.
 */
export type OrganisationSlug = string;

/** Record categories across all organisations (issue 4's table, plus `training-booking-details`). */
export const categorySlugs = [
  // Kent County Council Specialist Children's Services
  'child-protection-plan',
  'looked-after',
  'adoption',
  'private-fostering',
  'private-foster-parent',
  'child-in-need',
  'risk-register',
  // Safeguarding children partnerships (KSCMP, SSCP)
  'practice-review',
  'panel-referral-not-notified',
  'training',
  'training-booking-details',
  'audit-qa',
  'meeting-admin',
  'survey',
  'newsletter-subscription',
  'learning-system-record',
  // Maidstone Borough Council
  'safeguarding-concern',
  // Kent LADO service
  'lado-allegation',
] as const;
export type CategorySlug = (typeof categorySlugs)[number];

/**
 * Dated facts a retention rule can be triggered by. Every fact describes the
 * record's subject: `dateOfBirth` on a LADO allegation is the alleged
 * person's, `dateOfDeath` on a private-foster-parent record is the foster
 * parent's, and so on.
 */
export const dateFactNames = [
  'dateOfBirth',
  'dateOfDeath',
  'incidentDate',
  'closureDate',
  'adoptionOrderDate',
  'lastContactDate',
  'cautionOrConvictionDate',
  'trainingDate',
  'completedDate',
  'meetingDate',
  'reportDate',
  'surveyDate',
  'unsubscribedDate',
  'emailInvalidDate',
  'recordedDate',
  'contractEndDate',
] as const;
export type DateFactName = (typeof dateFactNames)[number];

/** Outcomes of an allegation managed by the LADO (Kent LADO notice's retention table). */
export const ladoOutcomes = [
  'no-further-action',
  'unfounded',
  'false',
  'malicious',
  'unsubstantiated',
  'substantiated',
] as const;
export type LadoOutcome = (typeof ladoOutcomes)[number];

/** Every fact name, dated or not. */
export type FactName = DateFactName | 'childDied' | 'outcome';

/* ------------------------------------------------------------------ */
/* Lawful bases                                                        */
/* ------------------------------------------------------------------ */

/**
 * Whether the notice itself states a basis or condition, or we inferred it
 * (a notice that states none still needs one: design.md principle 3).
 * Every inferred entry carries a note and needs confirming by the DPO.
 */
export type BasisSource = 'notice' | 'inferred';

export type Article6Basis = '6(1)(a)' | '6(1)(b)' | '6(1)(c)' | '6(1)(d)' | '6(1)(e)' | '6(1)(f)';

export interface LawfulBasis {
  article: Article6Basis;
  /** Plain-English name, e.g. "Public task". */
  name: string;
  source: BasisSource;
  note?: string;
}

export type Article9Condition =
  | '9(2)(a)'
  | '9(2)(b)'
  | '9(2)(c)'
  | '9(2)(d)'
  | '9(2)(e)'
  | '9(2)(f)'
  | '9(2)(g)'
  | '9(2)(h)'
  | '9(2)(i)'
  | '9(2)(j)';

/** A condition in Schedule 1 to the Data Protection Act 2018. */
export interface Schedule1Condition {
  /** e.g. "Part 2 para 18". */
  paragraph: string;
  /** The condition's heading in Schedule 1, e.g. "Safeguarding of children and of individuals at risk". */
  name: string;
  source: BasisSource;
  note?: string;
}

export interface SpecialCategoryCondition {
  article: Article9Condition;
  name: string;
  schedule1: readonly Schedule1Condition[];
  source: BasisSource;
  note?: string;
}

/**
 * DPA 2018 s10(2)–(3): Art 9(2)(b), (h), (i) and (j) are met only with a
 * Part 1 Schedule 1 condition, and Art 9(2)(g) only with a Part 2 one. The
 * other Art 9(2) conditions need none.
 */
export const article9NeedsSchedule1: Readonly<Record<Article9Condition, boolean>> = {
  '9(2)(a)': false,
  '9(2)(b)': true,
  '9(2)(c)': false,
  '9(2)(d)': false,
  '9(2)(e)': false,
  '9(2)(f)': false,
  '9(2)(g)': true,
  '9(2)(h)': true,
  '9(2)(i)': true,
  '9(2)(j)': true,
};

/**
 * Art 10 UK GDPR: criminal offence data may be processed only under official
 * authority or where DPA 2018 s10(5) is met, i.e. with a Schedule 1 Part 1,
 * 2 or 3 condition.
 */
export interface CriminalOffenceCondition {
  article: '10';
  schedule1: readonly Schedule1Condition[];
  source: BasisSource;
  note?: string;
}

/* ------------------------------------------------------------------ */
/* Retention schedule                                                  */
/* ------------------------------------------------------------------ */

/**
 * What happens on the due date. "Most protective" (see
 * `src/retention/person-summary.ts`) runs from destroy (least) to archive.
 */
export const retentionActions = [
  'destroy',
  'make-inaccessible',
  'return-to-partnership',
  'review',
  'archive',
] as const;
export type RetentionAction = (typeof retentionActions)[number];

/**
 * How a period is added to the trigger date. Definitions: docs/decisions/0002.
 * - `calendar-years`: "+ N years"; 29 February becomes 1 March in a year
 *   without one, never a day early.
 * - `end-of-year-plus`: "current year + N": kept to the end of the trigger's
 *   calendar year plus N more years; due 1 January of trigger year + N + 1.
 * - `on-trigger`: due on the trigger date itself ("deleted" on unsubscribe).
 */
export type RetentionPeriod =
  | { kind: 'calendar-years'; years: number }
  | { kind: 'end-of-year-plus'; years: number }
  | { kind: 'on-trigger' };

/** A condition that decides whether a rule applies to a record. */
export type RuleCondition =
  | { kind: 'outcome-in'; outcomes: readonly LadoOutcome[] }
  /** The child died (childDied, or a dateOfDeath is recorded). */
  | { kind: 'child-died'; died: boolean }
  /** Death strictly before the given birthday (a death on the birthday is not before it). */
  | { kind: 'died-before-age'; age: number }
  | { kind: 'fact-recorded'; fact: DateFactName; recorded: boolean };

/**
 * A minimum period set by law. It can only lengthen the notice's period,
 * never shorten it (the notices keep longer "where law requires").
 */
export interface StatutoryMinimum {
  trigger: DateFactName;
  period: RetentionPeriod;
  /** The law, cited. */
  authority: string;
  /**
   * When the trigger is not recorded the minimum cannot be checked; the rule's
   * action becomes a review so that nobody destroys the record unchecked.
   */
  whenTriggerUnknown: 'review';
}

export interface RetentionRule {
  /** Stable identifier, `organisation/category/name`. */
  id: string;
  trigger: DateFactName;
  /**
   * `known-fact`: the date always exists (a birth); missing means unknown,
   * which sends the record to review. `future-event`: missing means the event
   * has not happened yet (a live subscription), so nothing is due.
   */
  triggerKind: 'known-fact' | 'future-event';
  period: RetentionPeriod;
  action: RetentionAction;
  /** For `review`: what happens if the reviewer finds no reason to keep. */
  afterReview?: 'destroy' | 'make-inaccessible' | 'archive';
  /** All must hold for the rule to apply. */
  conditions: readonly RuleCondition[];
  statutoryMinimum?: StatutoryMinimum;
  /** The notice's period wording, verbatim. */
  noticeWording: string;
  /** Where the notice is ambiguous, how we read it (and docs/decisions/0002). */
  interpretation?: string;
  /** Law behind the period, where there is one. */
  authority?: string;
}

export type CategoryRetention =
  | {
      kind: 'schedule';
      /** The notice's category wording, verbatim. */
      noticeCategoryWording: string;
      /**
       * `first-match`: the first rule whose conditions hold applies.
       * `earliest`: every rule whose conditions hold is computed and the
       * earliest due date applies ("X, or Y").
       */
      combine: 'first-match' | 'earliest';
      rules: readonly RetentionRule[];
      /**
       * While none of these facts is recorded the record is still open (e.g.
       * an allegation not yet concluded) and no clock has started.
       */
      openWhileNoneRecorded?: readonly FactName[];
    }
  | {
      /** The notice publishes no period: no invented rule, a human decides. */
      kind: 'no-rule';
      noticeWording: string;
      reason: string;
    };

export interface DataCategory {
  slug: CategorySlug;
  name: string;
  purpose: string;
  lawfulBases: readonly LawfulBasis[];
  /** `false`, or the Art 9 conditions relied on. */
  specialCategory: false | { conditions: readonly SpecialCategoryCondition[] };
  /** `false`, or the Art 10 condition relied on. */
  criminalOffence: false | CriminalOffenceCondition;
  retention: CategoryRetention;
  notes?: string;
}

/**
 * Someone the organisation's notice says it shares personal data with
 * ("Who we share your personal information with"), as the notice lists them.
 * A disclosure (src/sharing) may go only to a recipient listed here.
 */
export interface PolicyRecipient {
  /** Stable within the organisation, e.g. `police`. */
  id: string;
  name: string;
  /** The notice's words, verbatim. */
  noticeWording: string;
  /**
   * Organisations in Safekeep this recipient covers: a disclosure to one of
   * them is a grant (read-only access to the shared items), not a package.
   */
  safekeepOrganisations?: readonly OrganisationSlug[];
  /**
   * Where the recipient is, when outside the UK: sending to it is a
   * restricted transfer (UK GDPR Chapter V), allowed only under a safeguard
   * the policy names (`transfersAbroad`). Absent for a UK recipient.
   */
  outsideUk?: { country: string };
}

export interface ConsentPurpose {
  id: string;
  name: string;
  /** The notice's own words for the purpose. */
  noticeWording: string;
  /**
   * A recipient (by id) disclosures to which are this purpose: sharing with
   * it needs the person's standing consent.
   */
  discloseTo?: string;
  /** Telling people about events and services: an Art 21(3) objection withdraws it. */
  directMarketing: boolean;
}

export interface OrganisationPolicy extends NoticeFacts {
  slug: OrganisationSlug;
  /** The controller's name as its notice gives it. */
  name: string;
  /** Short name for headers and lists. */
  shortName: string;
  /**
   * Where the notice came from and when it was last updated, as precisely as
   * the notice says ('2021-10', '2025-04-07'); null when it does not say.
   */
  notice: { seedFile: string; lastUpdated: string | null };
  /** Every category of record this organisation holds, with its retention. */
  categories: readonly DataCategory[];
  /** Who the notice says personal data is shared with. */
  recipients: readonly PolicyRecipient[];
  /**
   * Purposes the notice says rest on the person's consent (Kent SCS:
   * registering the family at an Open Access Children's Centre, telling it
   * about events "if you have consented"). Each is done only while a
   * recorded consent stands, and stops the moment it is withdrawn
   * (people/consent). Absent: the organisation relies on consent for nothing.
   */
  consentPurposes?: readonly ConsentPurpose[];
  /**
   * Matching people in imports from partners (issue 15): at or above
   * `autoLink` a row is attached to the person without asking; from
   * `review` up to it a person decides; below, a new person is proposed.
   * Absent: 0.95 and 0.5 (src/people/linkage/thresholds.ts).
   */
  matching?: { autoLink: number; review: number };
  /**
   * Limits the notice sets on how many people (and service accounts) may
   * hold a group of roles at once, e.g. Maidstone's concern log: "the
   * Designated Safeguarding Officer and two deputy[s]". `source` quotes the
   * notice. Enforced by the service and the database (access/role-holders.ts,
   * migration 0017).
   */
  roleHolderLimits: readonly { roles: readonly RoleSlug[]; max: number; source: string }[];
  /**
   * Transfers of personal data outside the UK the notice allows: none unless
   * a safeguard is named for the recipient's country (SSCP: "Your data will
   * not be transferred abroad unless this is stated …"). A disclosure to a
   * recipient abroad without one is refused (sharing/service.ts).
   */
  transfersAbroad: {
    safeguards: readonly { country: string; safeguard: string }[];
    /** The notice's words on transfers abroad, when it has any. */
    source: string | null;
    /** When the notice is silent on transfers, says so in plain English. */
    note?: string;
  };
  /**
   * The special category (UK GDPR Art 9) and criminal offence (Art 10) data
   * the notice says this organisation holds about a person; anything else is
   * refused (decision record 0013). `source` quotes the notice.
   */
  personSensitiveData: {
    specialCategory: readonly SpecialCharacteristic[];
    offenceData: readonly OffenceDataKind[];
    source: string;
  };
  /** Who may reach the organisation's records and people (access-rules.ts). */
  access: PolicyAccess;
}
