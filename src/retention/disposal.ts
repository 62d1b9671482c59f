import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * What destroying a record touches outside retention: the record with its
 * notes, documents, sources, history and parties (casework), then any person
 * left in no record at all (people). Provided by those capabilities at the
 * composition root, so retention never reaches into their tables.
 */
export interface RecordDisposal {
  /**
   * Deletes the records and everything they hold, as one set (a sweep
   * destroys thousands); returns what went and the people who were in them.
   */
  destroyRecords(
    trx: Transaction<Database>,
    recordIds: readonly string[],
  ): Promise<{ notes: number; documents: number; parties: number; personIds: string[] }>;
  /** Deletes each given person who is no longer in any record; returns how many went. */
  destroyOrphanedPeople(trx: Transaction<Database>, personIds: readonly string[]): Promise<number>;
}
