import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Every table that holds rows about a person, child tables first. A test
 * (disposal.test.ts) checks this list against the database's own foreign
 * keys, so a new table about people cannot be forgotten by destruction.
 */
export const personTables = [
  'person_name',
  'person_address',
  'person_contact',
  'person_identifier',
  'person_special_category',
  'person_offence_data',
  'person_consent',
  'person_change',
] as const;

/**
 * Destroys each given person who is no longer in any record (retention
 * destroyed the last one), with everything held about them: names,
 * addresses, contacts, identifiers, special category and offence data,
 * relationships, and the merge history that would let them be rebuilt —
 * and any entries merged into them, which are part of the same person.
 * Returns how many people went.
 */
export async function destroyOrphanedPeople(
  trx: Transaction<Database>,
  candidateIds: readonly string[],
): Promise<number> {
  if (candidateIds.length === 0) return 0;
  const survivors = await trx
    .selectFrom('person')
    .select('id')
    .where('id', 'in', candidateIds)
    .where('merged_into_id', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('record_party')
            .select('record_id')
            .whereRef('record_party.person_id', '=', 'person.id'),
        ),
      ),
    )
    .execute();
  if (survivors.length === 0) return 0;
  const survivorIds = survivors.map((p) => p.id);
  const merged = await trx
    .selectFrom('person')
    .select('id')
    .where('merged_into_id', 'in', survivorIds)
    .execute();
  const ids = [...survivorIds, ...merged.map((p) => p.id)];

  const merges = await trx
    .selectFrom('person_merge')
    .select('id')
    .where((eb) => eb.or([eb('survivor_id', 'in', ids), eb('merged_id', 'in', ids)]))
    .execute();
  if (merges.length > 0) {
    const mergeIds = merges.map((m) => m.id);
    await trx.deleteFrom('person_merge_item').where('merge_id', 'in', mergeIds).execute();
    await trx.deleteFrom('person_merge').where('id', 'in', mergeIds).execute();
  }
  await trx
    .deleteFrom('person_relationship')
    .where((eb) => eb.or([eb('person_id', 'in', ids), eb('related_person_id', 'in', ids)]))
    .execute();
  for (const table of personTables) {
    await sql`delete from ${sql.table(table)} where person_id = any(${ids}::uuid[])`.execute(trx);
  }
  // What partners sent about them goes too: the import rows matched to them
  // hold their details as received (their facts go with the rows, on delete
  // cascade). A row only proposed as a match for them is about someone not
  // yet known and stays for review, without the proposal (on delete set
  // null); "not the same person" decisions name them and go (cascade).
  await trx.deleteFrom('intake_row').where('person_id', 'in', ids).execute();
  // Entries merged into a destroyed person point at it: clear, then delete all.
  // Only those: rewriting every row just before deleting it doubled the work.
  await trx
    .updateTable('person')
    .set({ merged_into_id: null })
    .where('id', 'in', ids)
    .where('merged_into_id', 'is not', null)
    .execute();
  const deleted = await trx.deleteFrom('person').where('id', 'in', ids).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}
