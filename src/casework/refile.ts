/**
 * Re-filing a record to another category of its organisation (issue 12
 * items 14 and 15; decision 0020). A record's category decides its purpose,
 * lawful basis, who may see it and how long it is kept (design.md
 * principle 3), so a record filed under the wrong one — a referral to the
 * National Panel that was not notified, kept as a practice review — is kept
 * for the wrong period. Moving it is information governance's, with a
 * reason; the move, its reason and who made it are kept (record_refile) and
 * audited, and retention is assessed again in the same transaction.
 *
 * The same move returns MeLearning data to KSCMP at the end of the contract
 * (src/policy/retention-actions.ts), done by the schedule itself.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { findCategory, isOrganisationSlug, type CategorySlug } from '../policy/index.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { assessAndStoreRetention, londonToday, type StoredRetention } from './retention.js';

export interface RefileInput {
  recordId: string;
  organisationId: string;
  organisationSlug: string;
  fromCategory: string;
  toCategory: CategorySlug;
  reason: string;
  /** Who re-filed it; null when the schedule did (a return by the sweep). */
  actorAccountId: string | null;
  purpose: 'governance' | 'retention' | 'practice-review';
}

/** Why a category cannot take the record, in words; null when it can. */
export function refileProblem(
  organisationSlug: string,
  fromCategory: string,
  toCategory: string,
): string | null {
  if (!isOrganisationSlug(organisationSlug)) return 'This organisation holds no such category';
  const target = findCategory(organisationSlug, toCategory as CategorySlug);
  if (!target) return 'Select a category your organisation’s privacy notice lists';
  if (toCategory === fromCategory) return 'Select a different category from the one it is in now';
  return null;
}

/**
 * Moves the record (locked by the caller, and active: a kept record cannot
 * change) in the caller's transaction: the category, the history row, the
 * audit event and the new retention commit together or not at all.
 */
export async function refileRecord(
  trx: Transaction<Database>,
  input: RefileInput,
  today: string = londonToday(),
): Promise<{ refileId: string; retention: StoredRetention }> {
  const problem = refileProblem(input.organisationSlug, input.fromCategory, input.toCategory);
  if (problem) throw new Error(`refile refused: ${problem}`);
  await trx
    .updateTable('case_record')
    .set((eb) => ({
      category: input.toCategory,
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', input.recordId)
    .execute();
  const { id } = await trx
    .insertInto('record_refile')
    .values({
      record_id: input.recordId,
      organisation_id: input.organisationId,
      from_category: input.fromCategory,
      to_category: input.toCategory,
      reason: input.reason,
      refiled_by: input.actorAccountId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const retention = await assessAndStoreRetention(trx, input.recordId, today);
  await recordAudit(trx, {
    action: 'record.refile',
    actorAccountId: input.actorAccountId,
    organisationId: input.organisationId,
    objectType: 'case-record',
    objectIds: [input.recordId, id],
    purpose: input.purpose,
  });
  return { refileId: id, retention };
}
