/**
 * The retention engine: given an organisation, a record category and the
 * record's facts, says which rule of the organisation's published schedule
 * applies, when its action is first due and why. Pure: no database, no clock.
 *
 * Principles (design.md principle 4, issue 4):
 * - an unknown date the rule needs sends the record to a human
 *   (`needs-review`); it never falls back to today and is never kept forever
 *   silently, nor destroyed;
 * - a category whose notice publishes no period gets `no-rule` (a human
 *   decides), never an invented period;
 * - an event that has not happened yet (a live newsletter subscription, an
 *   open allegation) is `pending`: nothing is due;
 * - a statutory minimum can only lengthen.
 */
import { findCategory, policyFor } from '../policy/index.js';
import type {
  CategorySlug,
  DataCategory,
  DateFactName,
  FactName,
  OrganisationPolicy,
  OrganisationSlug,
  RetentionAction,
  RetentionRule,
  RuleCondition,
} from '../policy/types.js';
import { applyPeriod, compareDates, diedBeforeAge, formatLongDate } from './calendar.js';
import type { PlainDate } from './calendar.js';
import { describeIssues, retentionRequestSchema } from './facts.js';
import type { ParseResult, RetentionFacts, RetentionRequest } from './facts.js';
import { applyStatutoryMinimum } from './statutory-minimum.js';
import type { StatutoryMinimumResult } from './statutory-minimum.js';
import {
  actionNoun,
  describeKeptUntil,
  describeRule,
  factLabels,
  listFacts,
  orList,
} from './wording.js';

interface AssessmentCommon {
  organisation: OrganisationSlug;
  category: CategorySlug;
  /** Plain English: what applies and why, naming the rule that won. */
  explanation: string;
}

/** A rule applies and its trigger is known: the action is due on `due`. */
export interface ScheduledAssessment extends AssessmentCommon {
  status: 'scheduled';
  rule: RetentionRule;
  /** The fact whose date set the due date (the statutory minimum's, if it lengthened). */
  trigger: { fact: DateFactName; date: PlainDate };
  /** The first day the action is due. */
  due: PlainDate;
  action: RetentionAction;
  /** For a review: what follows if the reviewer finds no reason to keep. */
  afterReview: RetentionRule['afterReview'] | null;
  statutoryMinimum: StatutoryMinimumResult | null;
  needsReview: false;
}

/** The triggering event has not happened yet: nothing is due. */
export interface PendingAssessment extends AssessmentCommon {
  status: 'pending';
  /** The facts whose recording would start the clock. */
  waitingFor: readonly FactName[];
  rule: RetentionRule | null;
  due: null;
  action: null;
  needsReview: false;
}

/** A fact the rule needs is not recorded: a human must supply or decide it. */
export interface NeedsReviewAssessment extends AssessmentCommon {
  status: 'needs-review';
  missingFacts: readonly FactName[];
  /** The rule that would apply, when the missing fact is its trigger. */
  rule: RetentionRule | null;
  due: null;
  action: 'review';
  needsReview: true;
}

/** The notice publishes no period for this category: needs a decision. */
export interface NoRuleAssessment extends AssessmentCommon {
  status: 'no-rule';
  reason: string;
  rule: null;
  due: null;
  action: 'review';
  needsReview: true;
}

export type RetentionAssessment =
  ScheduledAssessment | PendingAssessment | NeedsReviewAssessment | NoRuleAssessment;

/** Input that names a category the organisation does not hold. */
export class RetentionInputError extends Error {
  override name = 'RetentionInputError';
}

type ConditionResult = { holds: boolean } | { unknown: readonly FactName[] };

function evaluateCondition(condition: RuleCondition, facts: RetentionFacts): ConditionResult {
  switch (condition.kind) {
    case 'outcome-in':
      return facts.outcome === undefined
        ? { unknown: ['outcome'] }
        : { holds: condition.outcomes.includes(facts.outcome) };
    case 'child-died': {
      // A recorded date of death answers the question as well as childDied.
      const died = facts.childDied ?? (facts.dateOfDeath ? true : undefined);
      return died === undefined ? { unknown: ['childDied'] } : { holds: died === condition.died };
    }
    case 'died-before-age': {
      if (!facts.dateOfDeath) {
        // Known to have died, date unknown: we cannot tell which rule applies.
        return facts.childDied === true ? { unknown: ['dateOfDeath'] } : { holds: false };
      }
      if (!facts.dateOfBirth) return { unknown: ['dateOfBirth'] };
      return { holds: diedBeforeAge(facts.dateOfBirth, facts.dateOfDeath, condition.age) };
    }
    case 'fact-recorded':
      return { holds: (facts[condition.fact] !== undefined) === condition.recorded };
  }
}

function evaluateConditions(
  conditions: readonly RuleCondition[],
  facts: RetentionFacts,
): ConditionResult {
  for (const condition of conditions) {
    const result = evaluateCondition(condition, facts);
    if ('unknown' in result || !result.holds) return result;
  }
  return { holds: true };
}

interface Context {
  organisation: OrganisationSlug;
  category: DataCategory;
  organisationName: string;
}

function recordsPhrase(context: Context): string {
  return `${context.organisationName} records of “${context.category.name}”`;
}

function needsReview(
  context: Context,
  missingFacts: readonly FactName[],
  rule: RetentionRule | null,
  why: string,
): NeedsReviewAssessment {
  return {
    status: 'needs-review',
    organisation: context.organisation,
    category: context.category.slug,
    missingFacts,
    rule,
    due: null,
    action: 'review',
    needsReview: true,
    explanation: `Needs review: ${why} The record is neither kept indefinitely nor destroyed until someone records the missing facts or decides.`,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function missingSentence(missingFacts: readonly FactName[]): string {
  return `${capitalise(listFacts(missingFacts))} ${missingFacts.length === 1 ? 'is' : 'are'} not recorded.`;
}

function pending(
  context: Context,
  waitingFor: readonly FactName[],
  rule: RetentionRule | null,
  explanation: string,
): PendingAssessment {
  return {
    status: 'pending',
    organisation: context.organisation,
    category: context.category.slug,
    waitingFor,
    rule,
    due: null,
    action: null,
    needsReview: false,
    explanation,
  };
}

/** Computes one rule whose conditions hold. */
function computeRule(
  context: Context,
  rule: RetentionRule,
  facts: RetentionFacts,
): RetentionAssessment {
  const triggerDate = facts[rule.trigger];
  if (!triggerDate) {
    if (rule.triggerKind === 'future-event') {
      return pending(
        context,
        [rule.trigger],
        rule,
        `Nothing is due yet: ${recordsPhrase(context)} are kept until ${describeKeptUntilUnknown(rule)}, which has not happened.`,
      );
    }
    return needsReview(
      context,
      [rule.trigger],
      rule,
      `${recordsPhrase(context)} follow rule ${rule.id}: ${lowerFirst(describeRule(rule))} ${missingSentence([rule.trigger])}`,
    );
  }

  const ruleDue = applyPeriod(triggerDate, rule.period);
  const minimum = rule.statutoryMinimum
    ? applyStatutoryMinimum(ruleDue, rule.statutoryMinimum, facts)
    : null;
  const due = minimum?.due ?? ruleDue;
  // An unchecked statutory minimum turns the action into a review: nobody
  // destroys a record whose legal minimum could be later.
  const action: RetentionAction = minimum && !minimum.checked ? 'review' : rule.action;
  const trigger =
    minimum?.checked && minimum.lengthened
      ? { fact: minimum.minimum.trigger, date: facts[minimum.minimum.trigger] ?? triggerDate }
      : { fact: rule.trigger, date: triggerDate };

  // The rule in the same words the privacy notice states it (wording.ts), with this record's date.
  const sentences = [
    `${recordsPhrase(context)} follow rule ${rule.id}: ${lowerFirst(describeRule(rule, triggerDate))} They are due for ${actionNoun(rule.action)} on ${formatLongDate(ruleDue)}.`,
  ];
  if (minimum?.checked) {
    sentences.push(
      minimum.lengthened
        ? `The law requires them to be kept at least ${describeKeptUntil(minimum.minimum.period, minimum.minimum.trigger, trigger.date)}, to ${formatLongDate(minimum.minimumDate)}; that is later, so it applies.`
        : `The legal minimum, ${formatLongDate(minimum.minimumDate)}, is not later, so the notice's date stands.`,
    );
  } else if (minimum) {
    sentences.push(
      `${capitalise(factLabels[minimum.minimum.trigger])} is not recorded, so the legal minimum (${minimum.minimum.authority}) cannot be checked: on that date the record goes to review, not ${actionNoun(rule.action)}.`,
    );
  }
  if (action === 'review' && rule.afterReview) {
    sentences.push(
      `At the review the record goes to ${actionNoun(rule.afterReview)} unless a decision to keep it, with reasons, is recorded.`,
    );
  }

  return {
    status: 'scheduled',
    organisation: context.organisation,
    category: context.category.slug,
    rule,
    trigger,
    due,
    action,
    afterReview: rule.afterReview ?? null,
    statutoryMinimum: minimum,
    needsReview: false,
    explanation: sentences.join(' '),
  };
}

function describeKeptUntilUnknown(rule: RetentionRule): string {
  return rule.period.kind === 'on-trigger'
    ? factLabels[rule.trigger]
    : `a period after ${factLabels[rule.trigger]}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function isScheduled(assessment: RetentionAssessment): assessment is ScheduledAssessment {
  return assessment.status === 'scheduled';
}

/**
 * Assesses one record. Throws RetentionInputError if the organisation holds no
 * records of that category; facts must already be validated (see
 * `parseRetentionRequest`).
 */
export function assessRetention(
  request: RetentionRequest,
  /** Another version of the organisation's policy (a change's preview); the one in force by default. */
  policy: OrganisationPolicy = policyFor(request.organisation),
): RetentionAssessment {
  const { organisation, facts } = request;
  const category = policy.categories.find((c) => c.slug === request.category);
  if (!category) {
    const known = policy.categories.map((c) => c.slug).join(', ');
    throw new RetentionInputError(
      `${organisation} holds no records of category "${request.category}"; its categories are ${known}`,
    );
  }
  const context: Context = {
    organisation,
    category,
    organisationName: policy.shortName,
  };
  const retention = category.retention;

  if (retention.kind === 'no-rule') {
    return {
      status: 'no-rule',
      organisation,
      category: category.slug,
      reason: retention.reason,
      rule: null,
      due: null,
      action: 'review',
      needsReview: true,
      explanation: `No rule: needs a decision. ${retention.reason}`,
    };
  }

  const openFacts = retention.openWhileNoneRecorded;
  if (openFacts && openFacts.every((fact) => facts[fact] === undefined)) {
    return pending(
      context,
      openFacts,
      null,
      `Nothing is due yet: the record is still open (neither ${openFacts.map((f) => factLabels[f]).join(' nor ')} is recorded); the retention clock starts when it is concluded.`,
    );
  }

  const outcomes: RetentionAssessment[] = [];
  for (const rule of retention.rules) {
    const condition = evaluateConditions(rule.conditions, facts);
    if ('unknown' in condition) {
      return needsReview(
        context,
        condition.unknown,
        null,
        `which rule applies to ${recordsPhrase(context)} depends on ${listFacts(condition.unknown)}. ${missingSentence(condition.unknown)}`,
      );
    }
    if (!condition.holds) continue;
    const outcome = computeRule(context, rule, facts);
    if (retention.combine === 'first-match') return outcome;
    outcomes.push(outcome);
  }

  if (outcomes.length === 0) {
    // The policy's rules should cover every case; if they do not, a human decides.
    return needsReview(
      context,
      [],
      null,
      `no rule of the ${context.organisationName} schedule fits the facts recorded.`,
    );
  }

  // combine: 'earliest' ("X, or Y"): an unknown fact blocks the answer, since
  // the unknown alternative might have come first.
  const blocked = outcomes.find((o) => o.status === 'needs-review');
  if (blocked) return blocked;
  const scheduled = outcomes.filter(isScheduled);
  const [first, ...rest] = [...scheduled].sort((a, b) => compareDates(a.due, b.due));
  if (!first) {
    const waitingFor = outcomes.flatMap((o) => (o.status === 'pending' ? o.waitingFor : []));
    return pending(
      context,
      waitingFor,
      null,
      `Nothing is due yet: ${recordsPhrase(context)} are kept until ${orList(waitingFor.map((f) => factLabels[f]))}, none of which has happened.`,
    );
  }
  if (rest.length === 0) return first;
  return {
    ...first,
    explanation: `${first.explanation} This is the earliest of the alternatives the notice gives (${rest
      .map((o) => `${o.rule.id}: ${formatLongDate(o.due)}`)
      .join('; ')}).`,
  };
}

/** Validates raw input (e.g. a CLI or API body) into a request; never throws. */
export function parseRetentionRequest(input: unknown): ParseResult<RetentionRequest> {
  // Said before the schema speaks: its messages are for form fields, and a
  // line of the CLI's input that is not an object has no fields to name.
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      error:
        'expected object: each line is a JSON object with "organisation", "category" and "facts"',
    };
  }
  const parsed = retentionRequestSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
  const { organisation, category } = parsed.data;
  if (!findCategory(organisation, category)) {
    const known = policyFor(organisation)
      .categories.map((c) => c.slug)
      .join(', ');
    return {
      ok: false,
      error: `category: ${organisation} holds no records of category "${category}"; its categories are ${known}`,
    };
  }
  return { ok: true, value: parsed.data };
}

/** The JSON shape of an assessment (the `retention explain` CLI contract). */
export interface RetentionAssessmentJson {
  status: RetentionAssessment['status'];
  due: string | null;
  action: RetentionAction | null;
  rule: string | null;
  trigger: { fact: DateFactName; date: string } | null;
  needsReview: boolean;
  missingFacts?: readonly FactName[];
  explanation: string;
}

export function assessmentToJson(assessment: RetentionAssessment): RetentionAssessmentJson {
  return {
    status: assessment.status,
    due: assessment.due?.toString() ?? null,
    action: assessment.action,
    rule: assessment.rule?.id ?? null,
    trigger:
      assessment.status === 'scheduled'
        ? { fact: assessment.trigger.fact, date: assessment.trigger.date.toString() }
        : null,
    needsReview: assessment.needsReview,
    ...(assessment.status === 'needs-review' ? { missingFacts: assessment.missingFacts } : {}),
    explanation: assessment.explanation,
  };
}

/**
 * Parse, assess and serialise in one step, for the CLI's what-if tool:
 * `{ ok: true, value: json }` or `{ ok: false, error }`. Never throws.
 */
export function explainRetention(input: unknown): ParseResult<RetentionAssessmentJson> {
  const request = parseRetentionRequest(input);
  if (!request.ok) return request;
  return { ok: true, value: assessmentToJson(assessRetention(request.value)) };
}

/** Whether a scheduled action has fallen due by `asOf` (the sweep passes its date). */
export function isDueBy(assessment: RetentionAssessment, asOf: PlainDate): boolean {
  return assessment.status === 'scheduled' && compareDates(assessment.due, asOf) <= 0;
}
