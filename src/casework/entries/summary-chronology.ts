/**
 * Case summaries and management oversight as entries of a child's
 * chronology, from the records the chronology has already decided the reader
 * may see (CaseworkService.chronology): "Case summary updated" on the day it
 * was saved, "Management oversight" on the day it was given.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { CategorySlug } from '../../policy/index.js';
import type { ChronologyEntry } from '../chronology.js';
import { londonDay, oversightRows, summaryRows } from './summary-store.js';

export async function summaryChronology(
  trx: Transaction<Database>,
  records: readonly { id: string; category: string }[],
  nameOf: (category: string) => string,
): Promise<{ entry: ChronologyEntry; at: number }[]> {
  if (records.length === 0) return [];
  const byId = new Map(records.map((r) => [r.id, r]));
  const ids = records.map((r) => r.id);
  const [summaries, notes] = await Promise.all([
    summaryRows(trx, ids).execute(),
    oversightRows(trx, ids).execute(),
  ]);
  const entry = (
    recordId: string,
    date: string,
    kind: 'summary' | 'oversight',
    text: string,
    by: string,
    at: Date | string,
  ) => {
    const record = byId.get(recordId);
    if (!record) return [];
    const name = nameOf(record.category);
    return [
      {
        entry: {
          date,
          kind,
          text,
          recordId,
          category: record.category as CategorySlug,
          categoryName: name,
          source: `Recorded by ${by} on the ${name.toLowerCase()} record`,
        },
        at: new Date(at).getTime(),
      },
    ];
  };
  return [
    ...summaries.flatMap((s) =>
      entry(
        s.record_id,
        londonDay(new Date(s.recorded_at)),
        'summary',
        `Case summary updated. Current plan: ${s.current_plan}`,
        s.recorded_by,
        s.recorded_at,
      ),
    ),
    ...notes.flatMap((n) =>
      entry(
        n.record_id,
        n.given_on,
        'oversight',
        `Management oversight: ${n.direction}`,
        n.recorded_by,
        n.recorded_at,
      ),
    ),
  ];
}
