/**
 * POLICY DATA — what the notices' other disposals mean in Safekeep, by
 * organisation and category (docs/decisions/0020-record-states-refiling-and-people-without-records.md).
 *
 * The retention schedules (src/policy/organisations/*) say when a record is
 * due and what is due. This file says what the notices' words other than
 * "destroyed" do to a record, and which of them a reviewer may choose:
 *
 * - Kent SCS (notice 001): "after which it is archived or securely
 *   destroyed". Archived: the record is kept read-only, out of every list
 *   and search, visible to information governance only (UK GDPR Art 89 and
 *   DPA 2018 s19: archiving in the public interest). A reviewer may choose it
 *   for any category; the schedule's default stays destruction.
 * - Kent LADO (004): "made inaccessible to system users or securely
 *   destroyed", and at the ten-year review "deleted or removed". Made
 *   inaccessible: nobody but information governance can open it, and only
 *   with a reason, which is audited. Ten years later it is destroyed.
 * - KSCMP (000): MeLearning data "returned to KSCMP" at the end of the
 *   contract. Returned: the record leaves the learning-system category and is
 *   re-filed as KSCMP's own training information, whose schedule ("Date of
 *   training - Current year +6 years") then applies from its training date.
 *
 * Anything not listed here is refused: no reviewer may archive or hide a
 * record where the organisation's notice does not say so.
 */
import type { CategorySlug, OrganisationSlug } from './types.js';

/** A state a record can be put in instead of being destroyed. */
export type KeptState = 'archived' | 'inaccessible';

/** The reviewer's choices that keep a record in one of those states. */
export type KeepingAction = 'archive' | 'make-inaccessible';

export const keptStateOf: Readonly<Record<KeepingAction, KeptState>> = {
  archive: 'archived',
  'make-inaccessible': 'inaccessible',
};

export interface CategoryRetentionActions {
  /** What a reviewer may choose for a record due for review, besides destroy, keep and hold. */
  reviewChoices: readonly KeepingAction[];
  /**
   * A record made inaccessible is destroyed this many calendar years after
   * the day it was made inaccessible; absent: kept in that state.
   */
  inaccessibleYears?: number;
  /** `return-to-partnership`: the organisation's own category the record is re-filed into. */
  returnInto?: CategorySlug;
  /** The notice's words this follows, verbatim. */
  source: string;
}

const archivedOrDestroyed: CategoryRetentionActions = {
  reviewChoices: ['archive'],
  source:
    'after which it is archived or securely destroyed, unless we are required by legal reasons to retain records for longer',
};

export const retentionActionPolicy: Readonly<
  Partial<Record<OrganisationSlug, Partial<Record<CategorySlug, CategoryRetentionActions>>>>
> = {
  'kent-scs': {
    'child-protection-plan': archivedOrDestroyed,
    'looked-after': archivedOrDestroyed,
    adoption: archivedOrDestroyed,
    'private-fostering': archivedOrDestroyed,
    'private-foster-parent': archivedOrDestroyed,
    'child-in-need': archivedOrDestroyed,
    'risk-register': archivedOrDestroyed,
  },
  'kent-lado': {
    'lado-allegation': {
      reviewChoices: ['make-inaccessible'],
      // Twice the notice's review period from closure: long enough for the
      // pattern of concern the notice keeps records for to show, not forever.
      inaccessibleYears: 10,
      source:
        'the information is made inaccessible to system users or securely destroyed; … the information should be deleted or removed',
    },
  },
  kscmp: {
    'learning-system-record': {
      reviewChoices: [],
      returnInto: 'training',
      source: 'At end of contract all information to be returned to KSCMP.',
    },
  },
};

/** The organisation's retention actions for a category; none listed means none allowed. */
export function retentionActionsFor(
  organisation: string,
  category: string,
): CategoryRetentionActions {
  const byCategory = retentionActionPolicy[organisation as OrganisationSlug];
  return byCategory?.[category as CategorySlug] ?? { reviewChoices: [], source: '' };
}

/*
 * POLICY DATA — people held in no record (issue 12 item 13; decision 0020).
 * Every notice keeps information about a person for the purpose of a record
 * (a plan, an allegation, a review); none keeps a person for their own sake.
 * A person in no record — never linked to one, or whose last part in a
 * record went (destroyed, removed, re-filed away) — is destroyed with
 * everything held about them once `months` have passed since that day:
 * long enough to open the record a new entry was made for, or to correct a
 * party removed by mistake; short enough that nobody is kept without a
 * purpose. Holds and restrictions on the person still keep them.
 */
export interface PeopleWithoutRecordsRule {
  months: number;
  action: 'destroy';
  /** Stable id, named on disposal certificates. */
  ruleId: string;
}

const threeMonths = (organisation: OrganisationSlug): PeopleWithoutRecordsRule => ({
  months: 3,
  action: 'destroy',
  ruleId: `${organisation}/people/no-record-3-months`,
});

export const peopleWithoutRecords: Readonly<Record<OrganisationSlug, PeopleWithoutRecordsRule>> = {
  kscmp: threeMonths('kscmp'),
  'kent-scs': threeMonths('kent-scs'),
  sscp: threeMonths('sscp'),
  'maidstone-bc': threeMonths('maidstone-bc'),
  'kent-lado': threeMonths('kent-lado'),
};

/**
 * The rule for an organisation's people held in no record: an organisation
 * added from a policy document (`safekeep organisation add`) gets the same
 * three months, so nobody is kept forever without a purpose.
 */
export function peopleWithoutRecordsFor(organisation: OrganisationSlug): PeopleWithoutRecordsRule {
  return peopleWithoutRecords[organisation] ?? threeMonths(organisation);
}

/*
 * POLICY DATA — the file of a data subject rights request itself (issue 12
 * item 6; decision 0021). None of the notices gives a period; the ICO expects
 * a set one. Kept two years after the request finished (responded to,
 * refused or closed): past the time the ICO expects a complaint to it to be
 * made and dealt with, and long enough to show a later request is manifestly
 * unfounded or excessive (Art 12(5)) or repeats one answered. Legal holds
 * (on the request, its subject, or the category `rights-request`), a
 * restriction the request placed and still in force, and an open complaint
 * about it keep it longer.
 */
export interface RightsRequestRetentionRule {
  years: number;
  ruleId: string;
}

const twoYears = (organisation: OrganisationSlug): RightsRequestRetentionRule => ({
  years: 2,
  ruleId: `${organisation}/rights-request/finished-plus-2`,
});

export const rightsRequestRetention: Readonly<
  Record<OrganisationSlug, RightsRequestRetentionRule>
> = {
  kscmp: twoYears('kscmp'),
  'kent-scs': twoYears('kent-scs'),
  sscp: twoYears('sscp'),
  'maidstone-bc': twoYears('maidstone-bc'),
  'kent-lado': twoYears('kent-lado'),
};

/** The rule for an organisation's rights request files; an added organisation gets the same two years. */
export function rightsRequestRetentionFor(
  organisation: OrganisationSlug,
): RightsRequestRetentionRule {
  return rightsRequestRetention[organisation] ?? twoYears(organisation);
}

/*
 * POLICY DATA — the file of a statutory return (issue 17; docs/returns.md):
 * the census XML, the SSDA903 files or the Annex A workbook a local
 * authority sent. The disclosure itself is recorded for good (who, when,
 * which records, the file's hash); the copy of the file is kept so the
 * authority can answer the Department's or Ofsted's queries on what it
 * sent, and so next year's return can be compared with it. None of the
 * notices gives a period. Kept until three years after the date the return
 * is for (the census's 31 March, Annex A's as-of date): the two following
 * collections, which the Department checks against earlier years, and time
 * for a subject access request or complaint about a return. The author's
 * choice, for information governance to confirm. Legal holds on the
 * category `statutory-return-file` keep it longer.
 */
export interface StatutoryReturnFileRule {
  years: number;
  ruleId: string;
}

export const STATUTORY_RETURN_FILE_CATEGORY = 'statutory-return-file';

const threeYearsFromReference = (organisation: OrganisationSlug): StatutoryReturnFileRule => ({
  years: 3,
  ruleId: `${organisation}/statutory-return-file/reference-date-plus-3`,
});

export const statutoryReturnFileRetention: Readonly<
  Partial<Record<OrganisationSlug, StatutoryReturnFileRule>>
> = {
  'kent-scs': threeYearsFromReference('kent-scs'),
};

/** The rule for an organisation's return files; any organisation that makes returns gets the same. */
export function statutoryReturnFileRetentionFor(
  organisation: OrganisationSlug,
): StatutoryReturnFileRule {
  return statutoryReturnFileRetention[organisation] ?? threeYearsFromReference(organisation);
}
