/**
 * Which facts the engine can read for a category, from its rules in policy.
 * The bulk recompute (casework/retention-batch.ts) asks the engine once per
 * distinct combination of these facts rather than once per record: two
 * records of a category that agree on every fact it reads get the same
 * answer. This must follow engine.ts exactly (a fact read there and missed
 * here would merge records whose answers differ), so
 * facts-read.property.test.ts watches every fact the engine touches.
 */
import type { DataCategory, FactName } from '../policy/types.js';

/**
 * The facts `assessRetention` may read for a record of `category`: the
 * rules' triggers and statutory minimums, their conditions' facts, and the
 * facts that keep a record open. A category without a rule reads none.
 */
export function factsReadBy(category: DataCategory): ReadonlySet<FactName> {
  const read = new Set<FactName>();
  const retention = category.retention;
  if (retention.kind === 'no-rule') return read;
  for (const fact of retention.openWhileNoneRecorded ?? []) read.add(fact);
  for (const rule of retention.rules) {
    read.add(rule.trigger);
    if (rule.statutoryMinimum) read.add(rule.statutoryMinimum.trigger);
    for (const condition of rule.conditions) {
      switch (condition.kind) {
        case 'outcome-in':
          read.add('outcome');
          break;
        case 'child-died':
          // A recorded date of death answers it as well as childDied.
          read.add('childDied');
          read.add('dateOfDeath');
          break;
        case 'died-before-age':
          read.add('childDied');
          read.add('dateOfDeath');
          read.add('dateOfBirth');
          break;
        case 'fact-recorded':
          read.add(condition.fact);
          break;
      }
    }
  }
  return read;
}

/**
 * The facts the validator (facts.ts) checks against each other: a death or
 * an adoption order before the birth, childDied false with a date of death.
 * None of those checks can fail unless a date of death or an adoption order
 * date is recorded, so only then do these facts decide the answer whatever
 * the category reads.
 */
export const crossCheckedFacts: readonly FactName[] = [
  'dateOfBirth',
  'dateOfDeath',
  'adoptionOrderDate',
  'childDied',
];
export const crossCheckTriggers: readonly FactName[] = ['dateOfDeath', 'adoptionOrderDate'];
