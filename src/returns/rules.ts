import { validateUpn } from '../people/identifiers.js';
import type { CensusChild, CensusEpisode, CensusPeriod } from './census.js';
import {
  abuseCategoryCodes,
  assessmentFactorCodes,
  closureReasons,
  genderCodes,
  primaryNeedCodes,
  referralSources,
  type CodeList,
} from './codes.js';

/**
 * The Children in Need census's validation rules, run in Safekeep before the
 * file leaves, so people fix the record, not the file (issue 17).
 *
 * Written from the DfE's published CIN census validation rules as the author
 * understands them; no validator's code was copied. `dfeCode` is the DfE's
 * rule number only where it was checked (against the rule's published
 * wording, as quoted by the open-source CIN validator) and the rule checks
 * the same thing; docs/returns.md says where Safekeep's check is broader or
 * narrower, and which rules carry Safekeep's own id alone. Errors stop a return
 * (the CLI exits non-zero); queries ("please check") are for a person to
 * confirm and do not.
 */

export type RuleKind = 'error' | 'query';

export interface Finding {
  /** The record to open to put it right. */
  recordId: string;
}

/** What rules across children need, computed once per run. */
export interface RuleContext {
  /** LAchildIDs that more than one child has. */
  duplicateChildIds: ReadonlySet<string>;
}

export interface CensusRule {
  id: string;
  /**
   * The DfE's number for the rule, where checked and the same thing is
   * checked; two joined by a slash where one rule of Safekeep's does the
   * work of both. Undefined where no DfE rule was found to match.
   */
  dfeCode?: string;
  kind: RuleKind;
  /** What is wrong, in plain English, for the person who fixes the record. */
  message: string;
  check(child: CensusChild, period: CensusPeriod, context: RuleContext): Finding[];
}

const codes = (list: CodeList<string>) =>
  new Set(Object.values(list.codes).map((c: { code: string }) => c.code));
const validPrimaryNeeds = codes(primaryNeedCodes);
const validClosureReasons = codes(closureReasons);
const validSources = codes(referralSources);
const validCategories = codes(abuseCategoryCodes);
const validFactors = codes(assessmentFactorCodes);
const validGenders = codes(genderCodes);

const inYear = (date: string, period: CensusPeriod) => date >= period.start && date <= period.end;

/** One finding per episode for which `broken` holds. */
function perEpisode(broken: (e: CensusEpisode, child: CensusChild) => boolean) {
  return (child: CensusChild): Finding[] =>
    child.episodes.filter((e) => broken(e, child)).map((e) => ({ recordId: e.recordId }));
}

/** The record to fix for a child-level fact: the first episode's. */
const childLevel = (child: CensusChild): Finding[] =>
  child.episodes[0] ? [{ recordId: child.episodes[0].recordId }] : [];

/** Every dated event of an episode, for the rules that compare them all with one date. */
function events(e: CensusEpisode): { date: string; recordId: string }[] {
  return [
    { date: e.referralDate, recordId: e.recordId },
    ...e.assessments.flatMap((a) =>
      [a.startDate, a.authorisationDate].flatMap((d) =>
        d ? [{ date: d, recordId: a.recordId }] : [],
      ),
    ),
    ...e.cinPlans.map((p) => ({ date: p.startDate, recordId: p.recordId })),
    ...e.section47s.map((s) => ({ date: s.startDate, recordId: s.recordId })),
    ...e.cpPlans.flatMap((p) => (p.startDate ? [{ date: p.startDate, recordId: p.recordId }] : [])),
  ];
}

export const censusRules: readonly CensusRule[] = [
  {
    id: 'child-id-unique',
    dfeCode: '8510',
    kind: 'error',
    message: 'Two children have the same local authority child id',
    check: (child, _period, context) =>
      context.duplicateChildIds.has(child.laChildId) ? childLevel(child) : [],
  },
  {
    id: 'upn-valid',
    dfeCode: '1510',
    kind: 'error',
    message: 'The unique pupil number is not a valid UPN (its check letter or shape is wrong)',
    check: (child) => (child.upn && !validateUpn(child.upn).ok ? childLevel(child) : []),
  },
  {
    id: 'upn-or-reason',
    kind: 'query',
    message:
      'The child is six or older and has no unique pupil number: record it, or check why it is not known',
    check: (child) => (!child.upn && !child.upnUnknown ? childLevel(child) : []),
  },
  {
    id: 'birth-date-present',
    dfeCode: '8525',
    kind: 'error',
    message: 'The child’s date of birth is missing',
    check: (child) => (child.birthDate ? [] : childLevel(child)),
  },
  {
    id: 'gender-valid',
    dfeCode: '4180',
    kind: 'error',
    message: 'The child’s gender is missing or not one the census accepts',
    check: (child) => (child.gender && validGenders.has(child.gender) ? [] : childLevel(child)),
  },
  {
    id: 'death-date-in-year',
    dfeCode: '8545Q',
    kind: 'query',
    message: 'Please check: the child’s date of death should be within the census year',
    check: (child, period) =>
      child.deathDate && !inYear(child.deathDate, period) ? childLevel(child) : [],
  },
  {
    id: 'no-activity-after-death',
    kind: 'error',
    message: 'Work is recorded for the child after the date of their death',
    check: (child) =>
      child.deathDate
        ? child.episodes.flatMap(events).filter((ev) => ev.date > (child.deathDate ?? ''))
        : [],
  },
  {
    id: 'referral-source-valid',
    dfeCode: '8866',
    kind: 'error',
    message: 'Who referred the child is missing or not one the census accepts',
    check: perEpisode((e) => !e.referralSource || !validSources.has(e.referralSource)),
  },
  {
    id: 'primary-need-present',
    dfeCode: '8610',
    kind: 'error',
    message: 'The primary need is missing for a referral which led to further action',
    check: perEpisode((e) => !e.referralNfa && !e.primaryNeed),
  },
  {
    id: 'primary-need-valid',
    dfeCode: '8650',
    kind: 'error',
    message: 'The primary need is not one the census accepts (N0 to N8)',
    check: perEpisode((e) => e.primaryNeed !== undefined && !validPrimaryNeeds.has(e.primaryNeed)),
  },
  {
    id: 'closure-after-referral',
    dfeCode: '8630',
    kind: 'error',
    message: 'The case closed before the date of the referral',
    check: perEpisode((e) => e.closureDate !== undefined && e.closureDate < e.referralDate),
  },
  {
    id: 'closure-in-year',
    dfeCode: '8620',
    kind: 'error',
    message: 'The case’s closure date does not fall within the census year',
    check: (child, period) =>
      perEpisode((e) => e.closureDate !== undefined && !inYear(e.closureDate, period))(child),
  },
  {
    id: 'closure-reason-with-date',
    dfeCode: '8810',
    kind: 'error',
    message: 'A reason for closure is recorded but the case has no closure date',
    check: perEpisode((e) => e.reasonForClosure !== undefined && e.closureDate === undefined),
  },
  {
    id: 'closure-reason-present',
    dfeCode: '8805',
    kind: 'error',
    message: 'The case is closed but why it closed is not recorded',
    check: perEpisode((e) => e.closureDate !== undefined && e.reasonForClosure === undefined),
  },
  {
    id: 'closure-reason-valid',
    dfeCode: '8640',
    kind: 'error',
    message: 'The reason for closure is not one the census accepts (RC1 to RC9)',
    check: perEpisode(
      (e) => e.reasonForClosure !== undefined && !validClosureReasons.has(e.reasonForClosure),
    ),
  },
  {
    id: 'episodes-do-not-overlap',
    kind: 'error',
    message: 'Two child in need cases for the child are open at the same time',
    check: (child) => {
      const found: Finding[] = [];
      const episodes = child.episodes;
      for (let i = 1; i < episodes.length; i += 1) {
        const before = episodes[i - 1];
        const after = episodes[i];
        if (!before || !after) continue;
        if (before.closureDate === undefined || before.closureDate > after.referralDate) {
          found.push({ recordId: after.recordId });
        }
      }
      return found;
    },
  },
  {
    id: 'assessment-start-present',
    kind: 'error',
    message: 'An assessment is recorded as completed but not when it started',
    check: (child) =>
      child.episodes.flatMap((e) =>
        e.assessments.filter((a) => a.authorisationDate && !a.startDate),
      ),
  },
  {
    id: 'assessment-after-referral',
    dfeCode: '1103',
    kind: 'error',
    message: 'The assessment started before the referral',
    check: (child) =>
      child.episodes.flatMap((e) =>
        e.assessments.filter((a) => a.startDate !== undefined && a.startDate < e.referralDate),
      ),
  },
  {
    id: 'assessment-authorised-after-start',
    dfeCode: '8608',
    kind: 'error',
    message: 'The assessment was completed before it started',
    check: (child) =>
      child.episodes.flatMap((e) =>
        e.assessments.filter(
          (a) => a.startDate && a.authorisationDate && a.authorisationDate < a.startDate,
        ),
      ),
  },
  {
    id: 'assessment-factors-recorded',
    dfeCode: '8897',
    kind: 'error',
    message:
      'A completed assessment has no factors identified (choose “No factors identified” if there were none)',
    check: (child) =>
      child.episodes.flatMap((e) =>
        e.assessments.filter((a) => a.authorisationDate && a.factors.length === 0),
      ),
  },
  {
    id: 'assessment-factors-valid',
    kind: 'error',
    message: 'A factor identified at assessment is not one the census accepts',
    check: (child) =>
      child.episodes.flatMap((e) =>
        e.assessments.filter((a) => a.factors.some((f) => !validFactors.has(f))),
      ),
  },
  {
    id: 'cin-plan-not-same-day',
    dfeCode: '4012Q',
    kind: 'query',
    message: 'Please check: the child in need plan starts and ends on the same day',
    check: (child) =>
      child.episodes.flatMap((e) => e.cinPlans.filter((p) => p.endDate === p.startDate)),
  },
  {
    id: 'cin-plan-ends-after-start',
    dfeCode: '4011',
    kind: 'error',
    message: 'The child in need plan ended before it started',
    check: (child) =>
      child.episodes.flatMap((e) =>
        e.cinPlans.filter((p) => p.endDate !== undefined && p.endDate < p.startDate),
      ),
  },
  {
    id: 's47-after-referral',
    dfeCode: '2889',
    kind: 'error',
    message: 'A section 47 enquiry started before the referral',
    check: (child) =>
      child.episodes.flatMap((e) => e.section47s.filter((s) => s.startDate < e.referralDate)),
  },
  {
    id: 'icpc-in-year',
    dfeCode: '8715',
    kind: 'error',
    message: 'The initial child protection conference must fall within the census year',
    check: (child, period) =>
      child.episodes.flatMap((e) =>
        e.section47s.filter((s) => s.icpcDate !== undefined && !inYear(s.icpcDate, period)),
      ),
  },
  {
    id: 'cp-plan-start-present',
    kind: 'error',
    message: 'The child protection plan has no start date',
    check: (child) => child.episodes.flatMap((e) => e.cpPlans.filter((p) => !p.startDate)),
  },
  {
    id: 'cp-plan-ends-after-start',
    dfeCode: '8925',
    kind: 'error',
    message: 'The child protection plan ended before it started',
    check: (child) =>
      child.episodes.flatMap((e) =>
        e.cpPlans.filter((p) => p.startDate && p.endDate && p.endDate < p.startDate),
      ),
  },
  {
    id: 'cp-category-valid',
    dfeCode: '8905/8910',
    kind: 'error',
    message: 'The plan’s category of abuse is missing or not one the census accepts',
    check: (child) =>
      child.episodes.flatMap((e) =>
        e.cpPlans.filter(
          (p) =>
            !p.initialCategory ||
            !validCategories.has(p.initialCategory) ||
            !p.latestCategory ||
            !validCategories.has(p.latestCategory),
        ),
      ),
  },
  {
    id: 'cp-plans-do-not-overlap',
    kind: 'error',
    message: 'Two child protection plans for the child are open at the same time',
    check: (child) => {
      const plans = child.episodes
        .flatMap((e) => e.cpPlans)
        .filter((p) => p.startDate)
        .sort((a, b) => (a.startDate ?? '').localeCompare(b.startDate ?? ''));
      const found: Finding[] = [];
      for (let i = 1; i < plans.length; i += 1) {
        const before = plans[i - 1];
        const after = plans[i];
        if (!before || !after) continue;
        if (before.endDate === undefined || before.endDate > (after.startDate ?? '')) {
          found.push({ recordId: after.recordId });
        }
      }
      return found;
    },
  },
  {
    id: 'cp-review-within-plan',
    kind: 'error',
    message: 'A review conference is dated outside the child protection plan it reviews',
    check: (child) =>
      child.episodes.flatMap((e) =>
        e.cpPlans.filter((p) =>
          p.reviewDates.some(
            (r) =>
              (p.startDate !== undefined && r < p.startDate) ||
              (p.endDate !== undefined && r > p.endDate),
          ),
        ),
      ),
  },
];

export interface RuleFailure {
  rule: CensusRule;
  child: CensusChild;
  recordId: string;
}

/** What the rules need to know of all the children at once (the ids used twice). */
export function censusRuleContext(children: readonly CensusChild[]): RuleContext {
  const seenIds = new Set<string>();
  const duplicateChildIds = new Set<string>();
  for (const child of children) {
    if (seenIds.has(child.laChildId)) duplicateChildIds.add(child.laChildId);
    seenIds.add(child.laChildId);
  }
  return { duplicateChildIds };
}

/**
 * Every rule over every child: one failure per child, rule and record. A
 * slice of the children may be checked with the context of them all (the
 * service checks in slices to show progress).
 */
export function validateCensus(
  children: readonly CensusChild[],
  period: CensusPeriod,
  context: RuleContext = censusRuleContext(children),
): RuleFailure[] {
  const failures: RuleFailure[] = [];
  for (const rule of censusRules) {
    for (const child of children) {
      const seen = new Set<string>();
      for (const finding of rule.check(child, period, context)) {
        if (seen.has(finding.recordId)) continue;
        seen.add(finding.recordId);
        failures.push({ rule, child, recordId: finding.recordId });
      }
    }
  }
  return failures;
}
