/**
 * The retention engine's public API: pure functions over policy data and
 * facts. Stores, the sweep and screens call these; nothing here touches the
 * database or the clock.
 */
export {
  addCalendarYears,
  applyPeriod,
  birthdayAtAge,
  compareDates,
  diedBeforeAge,
  formatLongDate,
  parseIsoDate,
  startOfYearAfterCurrentPlus,
} from './calendar.js';
export type { PlainDate } from './calendar.js';
export {
  assessRetention,
  assessmentToJson,
  explainRetention,
  isDueBy,
  parseRetentionRequest,
  RetentionInputError,
} from './engine.js';
export type {
  NeedsReviewAssessment,
  NoRuleAssessment,
  PendingAssessment,
  RetentionAssessment,
  RetentionAssessmentJson,
  ScheduledAssessment,
} from './engine.js';
export {
  isoDateSchema,
  parseRetentionFacts,
  retentionFactsSchema,
  retentionRequestSchema,
} from './facts.js';
export type { ParseResult, RetentionFacts, RetentionRequest } from './facts.js';
export { moreProtective, protectiveness, summarisePersonRetention } from './person-summary.js';
export type { PersonRetentionSummary } from './person-summary.js';
export { applyStatutoryMinimum } from './statutory-minimum.js';
export type { StatutoryMinimumResult } from './statutory-minimum.js';
