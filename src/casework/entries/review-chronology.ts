/**
 * Conferences and looked after reviews as entries of a child's chronology,
 * on the day they were held, from the records the chronology has already
 * decided the reader may see (CaseworkService.chronology).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CategorySlug } from '../../policy/index.js';
import type { ChronologyEntry } from '../chronology.js';
import { reviewRows, reviewTitle } from './review-store.js';

export async function reviewChronology(
  trx: Transaction<Database>,
  records: readonly { id: string; category: string }[],
  nameOf: (category: string) => string,
): Promise<{ entry: ChronologyEntry; at: number }[]> {
  if (records.length === 0) return [];
  const byId = new Map(records.map((r) => [r.id, r]));
  const rows = await reviewRows(
    trx,
    records.map((r) => r.id),
  ).execute();
  return rows.flatMap((row) => {
    const record = byId.get(row.record_id);
    if (!record) return [];
    const name = nameOf(record.category);
    return [
      {
        entry: {
          date: row.held_on,
          kind: 'review' as const,
          text: reviewTitle(row),
          recordId: record.id,
          category: record.category as CategorySlug,
          categoryName: name,
          source: `Recorded by ${row.recorded_by} on the ${name.toLowerCase()} record`,
        },
        at: new Date(row.recorded_at).getTime(),
      },
    ];
  });
}
