/**
 * Retention stored with the record (design.md principle 4; issue 4 "The
 * engine"): whenever a record is created or a fact it depends on changes, the
 * pure engine is asked again and its answer written to the record in the
 * same transaction as the change. The people capability calls
 * `recomputeRetentionForPerson` when a date of birth or death changes.
 */
import type { Kysely, Transaction } from 'kysely';
import { Temporal } from 'temporal-polyfill';
import type { Database } from '../db/schema.js';
import {
  isCategorySlug,
  isOrganisationSlug,
  ladoOutcomes,
  policyFor,
  type LadoOutcome,
  type OrganisationPolicy,
} from '../policy/index.js';
import {
  assessRetention,
  compareDates,
  formatLongDate,
  parseRetentionFacts,
  summarisePersonRetention,
  type PersonRetentionSummary,
  type RetentionAssessment,
} from '../retention/index.js';
import { factColumns, recordDateFacts } from './categories.js';
import { CaseworkStore, type RecordRow } from './store.js';

/** Today in England, as a calendar date: retention never runs on a timestamp. */
export function londonToday(): string {
  return Temporal.Now.plainDateISO('Europe/London').toString();
}

export interface StoredRetention {
  status: 'scheduled' | 'pending' | 'needs-review' | 'no-rule';
  due: string | null;
  action: string | null;
  ruleId: string | null;
  needsReview: boolean;
  explanation: string;
}

/** The facts, as the engine's input, from the record and its subject. */
export function factsOf(
  record: Pick<
    RecordRow,
    'closed_on' | 'child_died' | 'outcome' | (typeof factColumns)[keyof typeof factColumns]
  >,
  subject: { dateOfBirth: string | null; dateOfDeath: string | null } | undefined,
): Record<string, string | boolean> {
  const facts: Record<string, string | boolean> = {};
  if (subject?.dateOfBirth) facts.dateOfBirth = subject.dateOfBirth;
  if (subject?.dateOfDeath) facts.dateOfDeath = subject.dateOfDeath;
  if (record.closed_on) facts.closureDate = record.closed_on;
  for (const fact of recordDateFacts) {
    const value = record[factColumns[fact]];
    if (value) facts[fact] = value;
  }
  if (record.child_died !== null) facts.childDied = record.child_died;
  if (record.outcome && (ladoOutcomes as readonly string[]).includes(record.outcome)) {
    facts.outcome = record.outcome as LadoOutcome;
  }
  return facts;
}

/**
 * Pure: what to store for a record given the engine's answer and today. A
 * record the engine finds already due is sent to review, never left for the
 * sweep to destroy the same day a fact was corrected (issue 4: "A corrected
 * fact that makes a record already due sends it to review").
 */
export function toStored(assessment: RetentionAssessment, today: string): StoredRetention {
  const base: StoredRetention = {
    status: assessment.status,
    due: assessment.due?.toString() ?? null,
    action: assessment.action,
    ruleId: assessment.rule?.id ?? null,
    needsReview: assessment.needsReview,
    explanation: assessment.explanation,
  };
  if (
    assessment.status === 'scheduled' &&
    compareDates(assessment.due, Temporal.PlainDate.from(today)) <= 0
  ) {
    return {
      ...base,
      status: 'needs-review',
      action: 'review',
      needsReview: true,
      explanation: `${assessment.explanation} That date (${formatLongDate(assessment.due)}) has already been reached, so the record goes to review rather than to ${assessment.action} on the day its facts were recorded.`,
    };
  }
  return base;
}

/** Pure: the stored answer for a record's raw facts (also used to build demo data). */
export function storedRetentionFor(
  organisation: string,
  category: string,
  rawFacts: Record<string, string | boolean>,
  today: string,
  /** A proposed version of the organisation's policy (a change's preview); the one in force by default. */
  policy?: OrganisationPolicy,
): StoredRetention {
  const facts = parseRetentionFacts(rawFacts);
  if (!isOrganisationSlug(organisation) || !isCategorySlug(category)) {
    return review(`The record's category “${category}” is not in policy.`);
  }
  if (!facts.ok) {
    // Contradictory facts (a death before the birth) go to a human, not to a guess.
    return review(`The recorded facts contradict each other: ${facts.error}.`);
  }
  return toStored(
    assessRetention(
      { organisation, category, facts: facts.value },
      policy ?? policyFor(organisation),
    ),
    today,
  );
}

/** Assesses one record and stores the answer on it, in the caller's transaction. */
/** A stored retention as the record's columns, assessed at `assessedAt`. */
export function retentionColumns(stored: StoredRetention, assessedAt: Date = new Date()) {
  return {
    retention_status: stored.status,
    retention_due: stored.due,
    retention_action: stored.action,
    retention_rule_id: stored.ruleId,
    retention_needs_review: stored.needsReview,
    retention_explanation: stored.explanation,
    retention_assessed_at: assessedAt,
  };
}

export async function assessAndStoreRetention(
  trx: Transaction<Database>,
  recordId: string,
  today: string = londonToday(),
): Promise<StoredRetention> {
  const store = new CaseworkStore(trx);
  const record = await store.record(recordId);
  if (!record) throw new Error(`record ${recordId} not found for retention`);
  // A kept record (archived, inaccessible) had its retention decided when it
  // was kept (retention/record-states.ts): a later change to its subject's
  // dates does not reopen it.
  if (record.record_state !== 'active') return storedOf(record);
  const organisation = await store.organisationSlug(record.organisation_id);
  const subject = await store.subjectDates(recordId);
  const stored = storedRetentionFor(organisation, record.category, factsOf(record, subject), today);
  await trx
    .updateTable('case_record')
    .set(retentionColumns(stored))
    .where('id', '=', recordId)
    .execute();
  return stored;
}

function storedOf(record: RecordRow): StoredRetention {
  return {
    status: (record.retention_status ?? 'no-rule') as StoredRetention['status'],
    due: record.retention_due,
    action: record.retention_action,
    ruleId: record.retention_rule_id,
    needsReview: record.retention_needs_review,
    explanation: record.retention_explanation ?? '',
  };
}

function review(why: string): StoredRetention {
  return {
    status: 'needs-review',
    due: null,
    action: 'review',
    ruleId: null,
    needsReview: true,
    explanation: `Needs review: ${why}`,
  };
}

/**
 * For the people capability: a person's date of birth or death changed, so
 * every record they are the subject of is assessed again, in the same
 * transaction as the change. Returns the record ids reassessed.
 */
export async function recomputeRetentionForPerson(
  trx: Transaction<Database>,
  personId: string,
  today: string = londonToday(),
): Promise<string[]> {
  const recordIds = await new CaseworkStore(trx).recordIdsWhereSubject(personId);
  for (const id of recordIds) await assessAndStoreRetention(trx, id, today);
  return recordIds;
}

/**
 * What is kept about a person whose file spans several records and
 * categories: every record they appear in is assessed, and the latest date
 * and the most protective action govern, whatever order the records came
 * in (issue 4). The summary's explanation names the rule that won.
 */
export async function personFileRetention(
  db: Kysely<Database>,
  personId: string,
): Promise<PersonRetentionSummary> {
  const store = new CaseworkStore(db);
  const parties = await db
    .selectFrom('record_party')
    .select('record_id')
    .distinct()
    .where('person_id', '=', personId)
    .execute();
  const assessments: RetentionAssessment[] = [];
  for (const { record_id } of parties) {
    const record = await store.record(record_id);
    if (!record) continue;
    const organisation = await store.organisationSlug(record.organisation_id);
    if (!isOrganisationSlug(organisation) || !isCategorySlug(record.category)) continue;
    const facts = parseRetentionFacts(factsOf(record, await store.subjectDates(record_id)));
    if (!facts.ok) continue;
    assessments.push(
      assessRetention({ organisation, category: record.category, facts: facts.value }),
    );
  }
  return summarisePersonRetention(assessments);
}
