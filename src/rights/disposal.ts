import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * A rights request's review items are copies of record contents (notes,
 * summaries, chronology entries). When retention destroys a record, its
 * copies go too — "destruction removes the data everywhere it lives"
 * (design.md principle 4) — with their redactions (on delete cascade).
 * Returns how many copies went.
 */
export async function forgetDestroyedRecords(
  trx: Transaction<Database>,
  recordIds: readonly string[],
): Promise<number> {
  if (recordIds.length === 0) return 0;
  const result = await trx
    .deleteFrom('rights_review_item')
    .where('record_id', 'in', recordIds)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
